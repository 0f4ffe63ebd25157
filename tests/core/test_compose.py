"""Answer composition: what a member reads when the ranker is sure, when it can hardly choose, and
which passage answers each part of a post."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.advisor import POST_CONTEXT, Considered, _assign, _in_context, _with_shared
from bot.core.chunking import Passage, for_asker
from bot.core.compose import (
    ARTICLE_CHARS,
    FOCUS_CHARS,
    FOCUS_SHARE,
    NEAR_TIE,
    PART_CHARS,
    RUNNER_UP_CHARS,
    SHARED_CHARS,
    _first_sentence,
    compose,
    opening,
)
from bot.core.retrieval import Hit

GIT = (
    "Use Git for every project, even alone: commit small steps with messages that say why. "
    "Branches let you try an idea without breaking what works. " + "Keep notebooks tidy and restart them often. " * 20
)
DEPLOY = "Deployment means putting a trained model where users or systems can call it, behind an API or in a batch job."


def hit(doc: str, text: str, score: float, section: str | None = None) -> Hit:
    kind = "article" if section else "faq"
    path = f"articles/{doc}.md" if section else f"faq/{doc}.md"
    passage = Passage(
        id=f"{doc}#{section or ''}",
        doc_id=doc,
        kind=kind,
        title=doc.replace("-", " ").capitalize(),
        section=section,
        path=path,
        line=1,
        text=text,
        context="",
    )
    return Hit(passage=passage, row=0, score=score, dense=score, passage_cosine=score, anchor_cosine=score, bm25=0.0)


def test_a_source_written_for_one_background_is_offered_only_to_a_member_who_names_it() -> None:
    teaching = hit("career-change", GIT, 0.80 - NEAR_TIE / 2, "Coming from teaching")
    teaching = replace(teaching, passage=teaching.passage.model_copy(update={"audience": ["teacher", "teaching"]}))
    hits = [hit("portfolio", DEPLOY, 0.80), teaching]
    other = compose("what goes in an ML portfolio?", hits, 0.9, ranked=True)
    assert "See also" not in other.body and other.related == []
    named = compose("I'm one of the teachers here: what goes in an ML portfolio?", hits, 0.9, ranked=True)
    assert "**See also: Coming from teaching**" in named.body
    # passed over, it does not hide the next near tie (a CS student's post had lost its "See also" to
    # an entry for high-school students)
    practices = hit("software-practices", GIT, 0.80 - NEAR_TIE * 0.9, "Git")
    past = compose("what goes in an ML portfolio?", [*hits, practices], 0.9, ranked=True)
    assert "**See also: Git**" in past.body and "Coming from teaching" not in past.body
    words = teaching.passage.model_copy(update={"audience": ["c#", "back end", "a level"]})
    assert (
        for_asker(words, "I write C# all day")
        and for_asker(words, "a back-end dev")
        and for_asker(words, "my A-levels")
    )
    assert not for_asker(words, "c#x") and not for_asker(words, "backend")
    # a background named to say it is not yours does not count
    degree = teaching.passage.model_copy(update={"audience": ["cs degree", "computer science"]})
    assert for_asker(degree, "I have a CS degree") and for_asker(degree, "I studied computer science")
    assert not for_asker(degree, "I don't have a CS degree, my background is psychology")
    assert not for_asker(degree, "no cs degree, is it realistic?") and not for_asker(
        degree, "without a computer science degree"
    )


def test_a_near_tie_from_another_document_is_quoted_briefly_with_its_heading_and_citation() -> None:
    hits = [hit("what-is-mlops", DEPLOY, 0.80), hit("software-practices", GIT, 0.80 - NEAR_TIE / 2, "Git")]
    answer = compose("how do people keep track of code changes?", hits, 0.9, ranked=True)
    first, second = answer.body.split("\n\n")
    assert first == f"{DEPLOY} [1]"
    assert second.startswith("**See also: Git**\nUse Git for every project, even alone") and second.endswith(" [2]")
    assert len(second) < RUNNER_UP_CHARS + 40 < len(GIT), "a paragraph, not the whole section"
    assert [c.doc_id for c in answer.citations] == ["what-is-mlops", "software-practices"]
    assert all(c.doc_id != "software-practices" for c in answer.related), "quoted sources are not linked twice"


def test_a_clear_winner_is_answered_alone_and_the_runner_up_is_only_linked() -> None:
    hits = [hit("what-is-mlops", DEPLOY, 0.80), hit("software-practices", GIT, 0.80 - 2 * NEAR_TIE, "Git")]
    answer = compose("what is deployment?", hits, 0.9, ranked=True)
    assert answer.body == f"{DEPLOY} [1]"
    assert [c.doc_id for c in answer.related] == ["software-practices"]


def test_a_tie_within_the_same_document_or_without_a_ranker_adds_nothing() -> None:
    same_doc = [hit("guide", DEPLOY, 0.8, "Deploying"), hit("guide", GIT, 0.79, "Git")]
    assert compose("q", same_doc, 0.9, ranked=True).body == f"{DEPLOY} [1]"
    fused = [hit("what-is-mlops", DEPLOY, 0.033), hit("software-practices", GIT, 0.032, "Git")]
    assert compose("q", fused, 0.9, ranked=False).body == f"{DEPLOY} [1]"


def test_the_gist_never_repeats_a_paragraph_the_answer_already_shows() -> None:
    shared = "Version your data and models as well as your code."
    hits = [
        hit("what-is-mlops", f"{DEPLOY}\n\n{shared}", 0.8),
        hit("versioning", f"{shared}\n\nTag each release.", 0.78),
    ]
    body = compose("q", hits, 0.9, ranked=True).body
    assert body.count(shared) == 1 and body.endswith("**See also: Versioning**\nTag each release. [2]")


def test_an_articles_opening_is_quoted_under_its_title_and_a_long_first_sentence_is_clipped() -> None:
    long_sentence = "Software practices " + "keep a project healthy and reviewable " * 20 + "over years."
    hits = [hit("what-is-mlops", DEPLOY, 0.8), hit("software-practices", long_sentence, 0.75, "Overview")]
    second = compose("q", hits, 0.9, ranked=True).body.split("\n\n")[1]
    heading, gist = second.split("\n")
    assert heading == "**See also: Software practices**"
    assert gist.endswith("… [2]") and len(gist) <= RUNNER_UP_CHARS + len(" [2]")


def part(asked: str, *hits: Hit) -> Considered:
    return Considered(text=asked, hits=list(hits), signals=None, probability=0.9, covered=True, asked=asked)  # type: ignore[arg-type]


def test_two_parts_with_the_same_best_passage_each_get_one_when_the_next_is_nearly_as_good() -> None:
    shared = hit("leetcode-or-theory", GIT, 0.95)
    rounds = part("What rounds should I expect?", hit("leetcode-or-theory", GIT, 0.90), hit("loop", DEPLOY, 0.85))
    grind = part("Should I grind leetcode?", shared, hit("coding", DEPLOY, 0.5))
    picks = _assign([rounds, grind], NEAR_TIE)
    assert [(p.asked, h.passage.doc_id) for p, h in picks] == [
        ("What rounds should I expect?", "loop"),
        ("Should I grind leetcode?", "leetcode-or-theory"),
    ]


def test_a_part_without_a_near_alternative_is_left_to_the_shared_passage() -> None:
    first = part("a?", hit("shared", GIT, 0.95))
    second = part("b?", hit("shared", GIT, 0.90), hit("far", DEPLOY, 0.90 - 2 * NEAR_TIE))
    assert [h.passage.doc_id for _, h in _assign([first, second], NEAR_TIE)] == ["shared"]


def test_a_fallback_never_takes_another_parts_best_passage() -> None:
    a = part("a?", hit("x", GIT, 0.95))
    b = part("b?", hit("x", GIT, 0.93), hit("y", DEPLOY, 0.86))
    c = part("c?", hit("y", DEPLOY, 0.80), hit("z", GIT, 0.40))
    assert [(p.asked, h.passage.doc_id) for p, h in _assign([a, b, c], NEAR_TIE)] == [("a?", "x"), ("c?", "y")]


def test_without_a_ranker_parts_are_only_de_duplicated_even_on_exact_ties() -> None:
    a = part("a?", hit("x", GIT, 0.03))
    b = part("b?", hit("x", GIT, 0.03), hit("y", DEPLOY, 0.03))
    assert [h.passage.doc_id for _, h in _assign([a, b], None)] == ["x"]
    assert [h.passage.doc_id for _, h in _assign([a, b], NEAR_TIE)] == ["x", "y"]


def test_a_part_answered_from_an_faq_entry_shows_the_entry_whole_and_an_article_a_share() -> None:
    faq_text = " ".join(f"Sentence {n} of the entry, written to be read whole." for n in range(20))
    article_text = " ".join(f"Article sentence {n} about a neighbouring topic." for n in range(40))
    parts = [("first?", hit("an-faq", faq_text, 0.9)), ("second?", hit("guide", article_text, 0.8, "Topic"))]
    answer = compose("first? second?", [h for _, h in parts], 0.9, parts=parts, ranked=True)
    assert [p.question for p in answer.parts] == ["first?", "second?"]
    assert faq_text in answer.parts[0].body and len(faq_text) > 1000
    assert len(answer.parts[1].body) <= PART_CHARS + len(" [2]") < len(article_text)
    three = [*parts, ("third?", hit("another-faq", faq_text.replace("entry", "note"), 0.7))]
    long_post = compose("q", [h for _, h in three], 0.9, parts=three, ranked=True)
    assert len(long_post.body) < 3500, "three FAQ entries share one message's worth of text"


def test_a_part_is_read_in_the_posts_context_without_changing_its_decision() -> None:
    """'how do I get more replies?' in a post about job applications: the post decides a near tie."""
    chatbots = hit("llm-apps", DEPLOY, 0.78)
    applications = hit("applications-no-response", GIT, 0.70)
    replies = part("And how do I get more replies?", chatbots, applications)
    post = part("whole post", hit("applications-no-response", GIT, 0.86), hit("internships", DEPLOY, 0.60))
    read = _in_context(replies, post)
    assert [h.passage.doc_id for h in read.hits] == ["applications-no-response", "llm-apps"]
    assert [h.score for h in read.hits] == [0.70, 0.78]  # relevance to the part, as the ranker said
    assert 0.70 + POST_CONTEXT * 0.86 > 0.78
    assert read.probability == replies.probability and read.covered == replies.covered
    far = part("whole post", hit("internships", DEPLOY, 0.60))
    assert [h.passage.doc_id for h in _in_context(replies, far).hits] == ["llm-apps", "applications-no-response"]


def test_parts_that_share_their_passage_are_one_block_under_both_questions_with_the_room_of_both() -> None:
    article_text = " ".join(f"Cleaning sentence {n} about missing values and outliers." for n in range(40))
    cleaning = hit("data-preparation", article_text, 0.9, "Cleaning data")
    leakage = hit("leakage", DEPLOY, 0.8)
    missing = part("How do I fill missing values?", cleaning, hit("other", GIT, 0.5))
    outliers = part("Are the 9999999s outliers?", hit("data-preparation", article_text, 0.85, "Cleaning data"))
    split = part("Can I clean before the split?", leakage)
    picks = _assign([missing, outliers, split], NEAR_TIE)
    assert [p.asked for p, _ in picks] == ["How do I fill missing values?", "Can I clean before the split?"]
    parts = [(p.asked, h) for p, h in _with_shared([missing, outliers, split], picks)]
    assert [a for a, _ in parts] == [missing.asked, outliers.asked, split.asked]
    answer = compose("post", [cleaning, leakage], 0.9, parts=parts, ranked=True)
    assert [p.question for p in answer.parts] == [f"{missing.asked} {outliers.asked}", split.asked]
    alone = compose(
        "post", [cleaning, leakage], 0.9, parts=[(missing.asked, cleaning), (split.asked, leakage)], ranked=True
    )
    assert (
        len(alone.parts[0].body) <= PART_CHARS + len(" [1]") < len(answer.parts[0].body) <= SHARED_CHARS + len(" [1]")
    )


class _Texts:
    """Passage text cosines by passage id, standing in for the index's vectors."""

    def __init__(self, hits: list[Hit], cosine: dict[frozenset[str], float]) -> None:
        self.ids = {n: h.passage.id for n, h in enumerate(hits)}
        self.cosine = cosine

    def similarity(self, a: int, b: int) -> float:
        return self.cosine.get(frozenset({self.ids[a], self.ids[b]}), 0.0)


def _rows(*hits: Hit) -> list[Hit]:
    return [replace(h, row=n) for n, h in enumerate(hits)]


def test_an_faq_entry_on_the_same_subject_answers_before_the_section_ranked_just_above_it() -> None:
    from typing import cast

    from bot.core.ranking import FAQ_FIRST_GAP, SIBLING_COSINE, faq_first
    from bot.core.retrieval import SearchIndex

    section = hit("math-and-statistics", GIT, 0.90, "How much math is enough")
    entry = hit("how-much-math-do-i-need", DEPLOY, 0.90 - FAQ_FIRST_GAP / 2)
    other = hit("rare-class-accuracy", DEPLOY, 0.85)
    hits = _rows(section, other, entry)
    siblings = {frozenset({section.passage.id, entry.passage.id}): SIBLING_COSINE + 0.1}
    index = cast(SearchIndex, _Texts(hits, siblings))
    assert [h.passage.doc_id for h in faq_first(index, hits, "how much math?")] == [
        "how-much-math-do-i-need",
        "math-and-statistics",
        "rare-class-accuracy",
    ]
    # another subject's entry, however close its relevance, does not jump ahead
    unrelated = cast(SearchIndex, _Texts(hits, {}))
    assert faq_first(unrelated, hits, "how much math?") == hits
    # nor does a sibling far behind
    far = _rows(section, replace(entry, score=0.90 - 2 * FAQ_FIRST_GAP))
    assert faq_first(cast(SearchIndex, _Texts(far, siblings)), far, "how much math?") == far
    # of two entries close behind and both near the section, the nearer sibling answers
    masters = hit("is-a-masters-worth-it", DEPLOY, 0.85)
    phd = hit("do-i-need-a-phd", DEPLOY, 0.85)
    two = _rows(section, phd, masters)
    near = {
        frozenset({section.passage.id, phd.passage.id}): SIBLING_COSINE + 0.01,
        frozenset({section.passage.id, masters.passage.id}): SIBLING_COSINE + 0.2,
    }
    assert (
        faq_first(cast(SearchIndex, _Texts(two, near)), two, "a degree?")[0].passage.doc_id == "is-a-masters-worth-it"
    )
    # an entry written for one background goes first only for a member who names it: a graduate engineer
    # asking about his degree had got the entry for high-school students choosing a major
    major = replace(entry, passage=entry.passage.model_copy(update={"audience": ["high school", "teenager"]}))
    for_students = _rows(section, other, major)
    index = cast(SearchIndex, _Texts(for_students, siblings))
    graduate = "I finished my electrical engineering degree last year, is it a good background?"
    assert faq_first(index, for_students, graduate) == for_students
    pupil = "I'm in high school, which degree should I choose?"
    assert faq_first(index, for_students, pupil)[0].passage.doc_id == "how-much-math-do-i-need"


def test_the_passage_for_the_members_own_background_goes_first_when_another_backgrounds_leads_narrowly() -> None:
    from bot.core.ranking import GENERAL_FIRST_GAP, NAMED_FIRST_GAP, named_background_first

    def written_for(h: Hit, *words: str) -> Hit:
        return replace(h, passage=h.passage.model_copy(update={"audience": list(words)}))

    students = written_for(hit("cs-student-ml-during-degree", GIT, 0.74), "cs student", "undergrad")
    general = hit("ml-engineer-as-first-job", DEPLOY, 0.74 - 2 * GENERAL_FIRST_GAP)
    developers = written_for(hit("ml-engineer-vs-software-engineer", DEPLOY, 0.74 - NAMED_FIRST_GAP / 2), "backend")
    hits = [students, general, developers]
    asked = "i am a backend dev with 1 year exp, where should i start?"
    assert named_background_first(hits, asked)[0].passage.doc_id == "ml-engineer-vs-software-engineer"
    # not for a member who names no background, the leader's own, or when the leader is well ahead
    assert named_background_first(hits, "where should i start?") == hits
    assert named_background_first(hits, "I'm a CS student and a backend dev") == hits
    far = [students, general, replace(developers, score=0.74 - 2 * NAMED_FIRST_GAP)]
    assert named_background_first(far, asked) == far
    # a general passage right behind a leader written for a background the member doesn't name goes first
    # ("realistic at my age without a CS degree?" had got the entry for engineering students choosing one)
    close = [students, replace(general, score=0.74 - GENERAL_FIRST_GAP / 2), developers]
    assert named_background_first(close, "where should i start?")[0].passage.doc_id == "ml-engineer-as-first-job"
    assert named_background_first(close, "I'm a CS student, where should i start?") == close
    assert named_background_first(close, asked)[0].passage.doc_id == "ml-engineer-vs-software-engineer"


CALCULUS = "\n\n".join(
    [
        "Calculus tells you how a change in one quantity moves another. " * 6,
        "Training follows the gradient downhill, one small step at a time. " * 6,
        "Frameworks compute derivatives for you, so you rarely do it by hand. " * 4 + "Knowing them still helps.",
        "Gradients vanish when backpropagation multiplies many small numbers, so early layers barely learn. "
        "ReLU activations and residual connections help.",
    ]
)


def _matches(words: str):  # type: ignore[no-untyped-def]
    return lambda text: 1.0 if words in text else 0.0


def test_the_paragraph_that_answers_follows_the_opening_when_it_lies_further_down() -> None:
    section = [hit("math", CALCULUS, 0.9, "Calculus and gradients")]
    plain = compose("why do my early layers barely learn?", section, 0.9, ranked=True)
    assert "vanish" not in plain.body and len(plain.body) < ARTICLE_CHARS + 20
    answer = compose("why do my early layers barely learn?", section, 0.9, ranked=True, focus=_matches("vanish"))
    opening, further = answer.body.split("\n\n… ")
    assert opening == plain.body.removesuffix(" [1]")
    assert further.startswith("Gradients vanish") and further.endswith("residual connections help. [1]")
    assert len(further) <= FOCUS_CHARS + 10 and [c.number for c in answer.citations] == [1]


def test_a_paragraph_matching_too_little_adds_nothing_and_an_faq_entry_is_already_whole() -> None:
    section = [hit("math", CALCULUS, 0.9, "Calculus and gradients")]
    weak = compose("q", section, 0.9, ranked=True, focus=lambda text: FOCUS_SHARE / 2)
    assert "…" not in weak.body
    entry = [hit("what-is-mlops", DEPLOY, 0.9)]
    assert compose("q", entry, 0.9, ranked=True, focus=lambda text: 1.0).body == f"{DEPLOY} [1]"


def test_a_paragraph_the_opening_cut_short_goes_on_where_it_stopped() -> None:
    tail = "Save checkpoints to Drive so a disconnect costs minutes, not hours."
    habits = "A few habits make free notebooks much less painful when a session drops without any warning."
    text = " ".join(f"Free notebook tip number {n} is handy." for n in range(20)) + f"\n\n{habits} " + tail
    answer = compose(
        "colab disconnects", [hit("hw", text, 0.9, "Notebooks")], 0.9, ranked=True, focus=_matches("Drive")
    )
    assert answer.body.count(habits) == 1
    assert answer.body.endswith(f"{habits}\n\n… {tail} [1]")
    # A short first sentence only announces the rest: the opening leaves it to the paragraph shown whole.
    short = " ".join(f"Free notebook tip number {n} is handy." for n in range(22)) + "\n\nA few habits help. " + tail
    shown = compose(
        "colab disconnects", [hit("hw", short, 0.9, "Notebooks")], 0.9, ranked=True, focus=_matches("Drive")
    )
    assert shown.body.count("A few habits help.") == 1
    assert shown.body.endswith(f"… A few habits help. {tail} [1]")


def test_the_list_item_that_matches_is_shown_as_a_list_item_even_when_the_list_was_never_reached() -> None:
    items = "\n".join(f"- **Habit {n}.** Keep habit number {n} every week." for n in range(6))
    text = " ".join(f"Opening sentence number {n} is shown." for n in range(26)) + "\n\nHabits:\n" + items
    text += "\n- **Reproducibility.** Pin versions and fix random seeds. " + "Record the data version. " * 30
    answer = compose("q", [hit("se", text, 0.9, "Practices")], 0.9, ranked=True, focus=_matches("seeds"))
    further = answer.body.split("\n\n…\n", 1)[1]
    assert further.startswith("- **Reproducibility.** Pin versions and fix random seeds.")
    assert "Habit 0" not in answer.body and len(further) <= FOCUS_CHARS + len(" [1]")


def test_a_meta_sentence_is_never_the_match_and_a_tie_goes_to_the_earlier_paragraph() -> None:
    text = " ".join(f"Opening sentence number {n} is shown." for n in range(24)) + " It fits."
    assert 870 < len(text) <= 900
    text += "\n\nThis section walks through the rest.\n\nFirst later paragraph.\n\nSecond later paragraph."
    answer = compose("q", [hit("s", text, 0.9, "S")], 0.9, ranked=True, focus=lambda t: 1.0)
    assert answer.body.endswith("… First later paragraph. [1]")


ROUTINE = (
    "To prepare for a design interview, learn one outline and practise it aloud under a time limit. "
    "Most people need a few weeks of regular practice before the outline comes without notes.\n\n"
    "A practical preparation routine has six parts.\n\n"
    + "\n".join(
        f"{n}. **Step {n}**: a long item on what to do and why it matters{' at length' * 12}" for n in range(1, 7)
    )
)


def test_a_list_cut_short_goes_on_with_the_labels_of_the_items_left_in_one_line() -> None:
    # members read a column of bare bold labels as a list cut off
    body = compose("how to prep for system design", [hit("design", ROUTINE, 0.9, "Preparing")], 0.9).body
    assert "practise it aloud" in body and "six parts" in body
    assert "3. **Step 3**: a long item" in body
    assert body.endswith("\nThen: Step 4; Step 5; Step 6. [1]") and "**Step 4**" not in body
    # an item so named that matches the question is shown whole after that line, its label taken out
    focus = compose(
        "prep", [hit("design", ROUTINE, 0.9, "Preparing")], 0.9, focus=lambda t: 1.0 if "Step 5" in t else 0.0
    ).body
    assert "\nThen: Step 4; Step 6.\n5. **Step 5**" in focus and focus.count("Step 5") == 1


def test_a_list_cut_short_goes_on_with_the_first_sentence_of_each_item_left_when_that_fits() -> None:
    steps = "\n".join(
        f"{n}. **Step {n}.** Do thing {n} first. Then why step {n} matters{' at length' * 12}." for n in range(1, 7)
    )
    text = ROUTINE.split("\n1.")[0] + "\n" + steps
    body = compose("how to prep for system design", [hit("design", text, 0.9, "Preparing")], 0.9).body
    assert "\n5. **Step 5.** Do thing 5 first.\n6. **Step 6.** Do thing 6 first. [1]" in body
    # The item that matches the question is shown whole in place of its first sentence, not twice.
    focus = compose(
        "prep", [hit("design", text, 0.9, "Preparing")], 0.9, focus=lambda t: 1.0 if "thing 6" in t else 0.0
    ).body
    assert focus.count("Do thing 6 first.") == 1 and "6. **Step 6.** Do thing 6 first. Then why" in focus


def test_an_item_without_a_label_is_never_cut_to_its_first_sentence_nor_to_its_number() -> None:
    assert _first_sentence("1. Learn Python first. Then learn SQL.") == "1. Learn Python first. Then learn SQL."
    assert _first_sentence("10. **Use PyTorch.** It is common. It is fine.") == "10. **Use PyTorch.** It is common."


def test_a_list_none_of_whose_items_fits_is_named_only_when_announced() -> None:
    claim = "PyTorch is a safe default today, and TensorFlow is equally valid when an employer uses it. " * 8
    items = "\n".join(f"- **Framework {n}**: {'a long description ' * 12}" for n in range(3))
    assert "Framework" not in compose("which framework", [hit("fw", f"{claim}\n\n{items}", 0.9, "F")], 0.9).body
    announced = f"{claim}\n\nThree frameworks are common.\n\n{items}"
    body = compose("which framework", [hit("fw", announced, 0.9, "F")], 0.9).body
    assert "Three frameworks are common.\n\nAlso: Framework 0; Framework 1; Framework 2. [1]" in body


def test_a_list_is_not_named_after_a_sentence_that_only_mentions_a_count_or_a_lead_in_over_budget() -> None:
    claim = "PyTorch is the most common framework in research and industry today, by a wide margin. " * 9
    items = "\n".join(f"- **Framework {n}**: {'a long description ' * 12}" for n in range(3))
    loose = f"{claim}\n\nMost teams pick one within a few weeks.\n\n{items}"
    assert "Framework" not in compose("which framework", [hit("fw", loose, 0.9, "F")], 0.9).body
    long_head = f"{claim}\n\n{'A very long lead-in that goes on and on. ' * 12}Do these:\n{items}"
    assert "Framework" not in opening(long_head, 900)


def test_a_three_part_answer_does_not_continue_its_lists() -> None:
    text = (
        "Opening sentence of this section says something. " * 6
        + "\n\nFive steps help:\n"
        + "\n".join(f"{n}. **Step {n}**: {'do this carefully ' * 10}now." for n in range(1, 6))
    )
    hits = [hit(f"s{n}", text.replace("Opening", f"Opening {n}"), 0.9 - n / 100, f"S{n}") for n in range(3)]
    parts = [(f"question {n}?", hits[n]) for n in range(3)]
    three = compose("q", hits, 0.9, parts=parts).body
    assert three.count("2. **Step 2**: do this") == 3 and "**Step 5**" not in three
    two = compose("q", hits[:2], 0.9, parts=parts[:2]).body
    assert two.count("Then: Step 3; Step 4; Step 5.") == 2


def test_the_items_left_are_shown_whole_when_they_fit() -> None:
    text = (
        "Intro sentence that is long enough to matter. " * 16
        + "\n\nA few tips help:\n"
        + "\n".join(f"- Tip number {n} is short." for n in range(1, 6))
    )
    body = compose("tips", [hit("tips", text, 0.9, "Tips")], 0.9).body
    assert all(f"- Tip number {n} is short." in body for n in range(1, 6))


def test_a_lead_in_whose_list_is_not_shown_is_dropped_with_the_list() -> None:
    fragments = "\n".join(f"{n}. a long item on what to do and why it matters{' at length' * 12}" for n in range(1, 7))
    text = ROUTINE.split("\n\n1.")[0] + "\n\n" + fragments
    body = compose("how to prep for system design", [hit("design", text, 0.9, "Preparing")], 0.9).body
    assert "practise it aloud" in body
    assert "six parts" not in body and "a long item" not in body


def test_a_longer_sentence_before_a_list_is_an_answer_and_stays_with_its_markdown() -> None:
    text = (
        "**PyTorch** is a safe default today, and TensorFlow with Keras is equally valid when an employer uses it, "
        "so pick one and learn it properly.\n\n" + "\n".join(f"- item {n} {'word ' * 60}" for n in range(4))
    )
    body = compose("pytorch or tensorflow", [hit("frameworks", text, 0.9, "Frameworks")], 0.9).body
    assert body.startswith("**PyTorch** is a safe default today")


def test_a_paragraph_cut_after_a_short_first_sentence_is_left_out() -> None:
    text = (
        "Pick one course and finish it before looking for the next, since switching wastes time. " * 9
        + "\n\nA few more checks help. "
        + "Look at the prerequisites the author states and be honest about whether you meet them. " * 3
    )
    body = compose("which course", [hit("courses", text, 0.9, "Choosing")], 0.9).body
    assert "finish it" in body and "A few more checks help" not in body


def test_a_short_first_sentence_cut_from_its_paragraph_is_left_out_and_a_longer_one_stays() -> None:
    first = "Pick one course and finish it before looking for the next, since switching wastes time. " * 9
    rest = "Look at the prerequisites the author states and be honest about whether you meet them. " * 3
    short = compose("which course", [hit("c", f"{first}\n\nLoops differ by company. {rest}", 0.9, "C")], 0.9).body
    assert "finish it" in short and "Loops differ" not in short
    claim = "Owning a GPU is a convenience, not a requirement."
    kept = compose("which course", [hit("c", f"{first}\n\n{claim} {rest}", 0.9, "C")], 0.9).body
    assert claim in kept


def test_a_yes_or_no_opening_is_kept_only_for_a_question_it_answers() -> None:
    entry = [hit("bad-at-maths", "Yes, a poor maths grade years ago does not decide it. Start with the basics.", 0.9)]
    asked_yes_no = compose("I was bad at maths in school. Can I still do ML?", entry, 0.9).body
    assert asked_yes_no.startswith("Yes, a poor maths grade")
    asked_how_much = compose("how much maths do i need", entry, 0.9).body
    assert asked_how_much.startswith("A poor maths grade years ago does not decide it.")
    joined = [hit("own-field", "Yes, and it is often the strongest project you can show.", 0.9)]
    assert compose("how do i use my field", joined, 0.9).body.startswith("Yes, and it is")  # "And it is…" reads worse


def test_a_yes_or_no_opening_is_left_out_when_the_member_asked_to_choose() -> None:
    entry = [hit("skip-classical", "Yes. Much business data is tabular, and classical models win there.", 0.9)]
    chose = compose("Should I skip classical ML and go straight to LLM apps, or is that a trap?", entry, 0.9).body
    assert chose.startswith("Much business data is tabular")
    for yes_no in (
        "is it worth it or not?",
        "I'm 30 or so, is it too late?",
        "can I learn ML at 30?",
        "Do I need a PhD or a master's to become an ML engineer?",
        "Is classical ML like random forests or XGBoost still worth learning?",
    ):
        assert compose(yes_no, entry, 0.9).body.startswith("Yes. Much"), yes_no


def test_the_verdict_must_fit_the_first_question_and_a_request_is_not_a_yes_no_question() -> None:
    entry = [hit("own-field", "Yes, a project from your own field is often the strongest one.", 0.9)]
    for asked in (
        "What jobs sit between clinical work and engineering? Is there one where my background counts?",
        "Could someone suggest a project I could do with public health data?",
        "can u recommend a first project pls",
        "dsa or ml first? 2nd yr cse",
        "Should I learn LLMs first or start with the classical stuff?",
        "Hey guys, can someone suggest a project from my field?",
        "How do I decide whether or not to use my own field?",
    ):
        assert compose(asked, entry, 0.9).body.startswith("A project from your own field"), asked
    for asked in (
        "Is a project from my job worth it? What should it include?",
        "could my day job give me a project?",
        "project from my own field good for my first ML job?",
        "should i do a project from my field first or not?",
        "Would you recommend a project from my field?",
    ):
        assert compose(asked, entry, 0.9).body.startswith("Yes, a project"), asked


ITEMS = "\n".join(f"- item {n} " + "word " * 40 for n in range(4))


def test_only_a_sentence_that_announces_is_dropped_and_never_the_last_thing_said() -> None:
    # The lead-in is a block of its own: it goes, the paragraph before keeps its last sentence.
    text = "Start with Python, since every ML library is built for it. Learn the basics in a month.\n\n"
    assert opening(text + "Learn these libraries:\n\n" + ITEMS, 200) == text.strip()
    # A verdict is never left alone, and a claim is not an announcement.
    assert opening("No. You do not need a GPU.\n\n" + ITEMS, 60) == "No. You do not need a GPU."
    claim = "Fraud is rare, so accuracy is useless as a metric."
    assert opening(f"Pick metrics with care, always. {claim}\n\n" + ITEMS, 120).endswith(claim)
    # A lead-in that names its items says something on its own.
    named = "Supervised learning has two main task types, classification and regression."
    assert opening(f"Labels come with every example. {named}\n\n" + ITEMS, 120).endswith(named)
    # Not found as written (markdown inside): nothing is cut rather than the wrong sentence.
    marked = "Compare a few first. Pick one of the tools below and keep it. Pick one of the **two** tools."
    assert opening(marked + "\n\n" + ITEMS, 160) == marked


@pytest.mark.parametrize("style", ["**{label}**,", "**{label}:**", "**{label}.**"])
def test_an_item_named_by_its_label_that_matches_the_question_is_shown_whole_in_its_place(style: str) -> None:
    intro = "Leakage makes a model look better in evaluation than it will be in use, so check for it. " * 8
    causes = [("Preprocessing on all data", "scaling"), ("Future features", "refunds")]
    causes += [(f"Cause {n}", "other") for n in range(3)] + [
        ("Random splits on time-ordered data", "split by time instead")
    ]
    items = "\n".join(
        f"- {style.format(label=label)} {'explained at some length here ' * 5}{detail}." for label, detail in causes
    )
    text = f"{intro}\n\nTypical causes follow:\n{items}"
    body = compose(
        "random split on orders?", [hit("prep", text, 0.9, "Leakage")], 0.9, focus=_matches("split by time")
    ).body
    assert body.count("Random splits on time-ordered data") == 1 and "split by time instead" in body
    assert "…" not in body


def test_a_list_that_cannot_be_finished_is_left_out_after_what_was_shown() -> None:
    intro = "SQL is how you pull training data out of warehouses, so learn it early and well. " * 6
    items = "\n".join(f"- Skill number {n} described in a long sentence {'with many words ' * 12}." for n in range(6))
    text = f"{intro}\n\nThe skills run from filtering to window functions and query cost.\n\n{items}"
    body = compose("do i need sql", [hit("sql", text, 0.9, "SQL")], 0.9).body
    assert "Skill number" not in body and body.rstrip(" [1]").endswith("query cost.")


def test_a_near_tie_that_only_restates_the_answer_is_not_quoted() -> None:
    entry = "Most internships are for students and recent graduates, so check eligibility and apply early in the year."
    same = "Internships are mainly for students and recent graduates: check the eligibility and apply early."
    other = "Research assistant roles in university labs count as ML experience and are open to non-students."
    restated = compose(
        "ml internship?", [hit("faq-intern", entry, 0.9), hit("art", same, 0.85, "Internships")], 0.9, ranked=True
    )
    assert "See also" not in restated.body
    new = compose(
        "ml internship?", [hit("faq-intern", entry, 0.9), hit("art", other, 0.85, "Internships")], 0.9, ranked=True
    )
    assert "**See also: Internships**" in new.body
