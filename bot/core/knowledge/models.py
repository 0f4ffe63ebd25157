"""Schemas of the knowledge folder: what moderators write, validated before anything is built."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=1, max_length=64),
]
"""Ids are lowercase words joined by hyphens, so they are safe in file names, URLs and commands."""

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
AnchorText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]
Anchors = Annotated[list[AnchorText], Field(max_length=8)]
"""Question anchors: ways members ask what a passage answers. Small embedders match a question to a
question far better than a question to a paragraph, so each anchor is indexed as a pointer to its passage."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ArticleMeta(_Strict):
    """Front matter of `knowledge/articles/*.md`."""

    id: Slug
    title: ShortText
    summary: ShortText | None = Field(default=None, description="One line on what the article covers.")
    tags: list[Slug] = Field(default_factory=list)
    steps: list[Slug] = Field(default_factory=list, description="Roadmap step ids this article explains.")


OVERVIEW = "Overview"  # the title given to an article's text before its first heading


class Section(_Strict):
    """One heading section of an article; `line` is where its heading stands in the file."""

    title: str
    text: str
    line: int
    questions: list[str] = Field(default_factory=list)
    # Words a member uses when a passage is written for them ("teacher", "pharmacist"): a passage for one
    # background is offered as further reading only to a member who names it (`chunking.for_asker`).
    audience: list[str] = Field(default_factory=list)


class Article(_Strict):
    meta: ArticleMeta
    path: str = Field(description="Path relative to the knowledge folder, with forward slashes.")
    sections: list[Section]

    @property
    def id(self) -> str:
        return self.meta.id


class FaqMeta(_Strict):
    """Front matter of `knowledge/faq/*.md`; the body below it is the answer."""

    id: Slug
    question: ShortText
    questions: Anchors = Field(default_factory=list)
    audience: list[str] = Field(
        default_factory=list,
        description="Words members of the background it is written for use; checked by `loader.check_audience`.",
    )
    tags: list[Slug] = Field(default_factory=list)
    added_by: str | None = Field(default=None, max_length=100)


class FaqEntry(_Strict):
    meta: FaqMeta
    path: str
    answer: LongText

    @property
    def id(self) -> str:
        return self.meta.id


class Stage(_Strict):
    id: Slug
    title: ShortText


class RoadmapStep(_Strict):
    id: Slug
    title: ShortText
    stage: Slug
    summary: LongText
    prerequisites: list[Slug] = Field(default_factory=list)
    learn: list[ShortText] = Field(min_length=1, description="What to learn in this step.")
    done_when: list[ShortText] = Field(min_length=1, description="How a learner knows the step is done.")
    effort_hours: int = Field(gt=0, le=2000, description="Rough effort in hours.")
    articles: list[Slug] = Field(default_factory=list, description="Ids of articles that explain the step.")
    aliases: list[Slug] = Field(
        default_factory=list, description="Former ids, so renaming a step keeps members' progress."
    )


class Roadmap(_Strict):
    """`knowledge/roadmaps/*.yaml`: steps in recommended order; prerequisites form a DAG."""

    id: Slug
    title: ShortText
    summary: LongText
    stages: list[Stage] = Field(min_length=1)
    steps: list[RoadmapStep] = Field(min_length=1)
    path: str = ""

    def step(self, step_id: str) -> RoadmapStep | None:
        for step in self.steps:
            if step.id == step_id:
                return step
        return None


class ScopeRule(_Strict):
    """`knowledge/scope.yaml`: a kind of question the advisor does not answer, and what it says instead.

    Its examples are matched by meaning, like question anchors, and teach the decision to answer where
    the boundary of the knowledge base runs (a CUDA error sits close to "do I need a GPU").
    """

    id: Slug
    title: ShortText
    reply: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]
    examples: list[AnchorText] = Field(min_length=1, max_length=40)


class KnowledgeBase(_Strict):
    """Everything the knowledge folder holds, validated and cross-checked."""

    articles: list[Article]
    faq: list[FaqEntry]
    roadmaps: list[Roadmap]
    scope: list[ScopeRule] = Field(default_factory=list)

    def article(self, article_id: str) -> Article | None:
        return next((a for a in self.articles if a.id == article_id), None)

    def roadmap(self, roadmap_id: str) -> Roadmap | None:
        return next((r for r in self.roadmaps if r.id == roadmap_id), None)
