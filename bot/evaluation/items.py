"""The evaluation set: questions written as members write them, graded by facts, in three frozen splits.

`tune` is for design choices, `calibrate` for fitting the answer/decline decision, `report` only for
the numbers we publish. The report split's hash is recorded beside it, so a change to it is visible.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

Split = Literal["tune", "calibrate", "report"]
SPLITS: tuple[Split, ...] = ("tune", "calibrate", "report")
Category = Literal["paraphrase", "typo", "long", "plain", "decline-near", "decline-far"]
ANSWERABLE: tuple[Category, ...] = ("paraphrase", "typo", "long", "plain")
FROZEN_SUFFIX = ".sha256"


class Part(BaseModel):
    """One thing the member asks; answered when every fact shows in the answer (any alternative)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ask: str
    facts: list[list[str]] = Field(min_length=1, max_length=4)

    @field_validator("facts")
    @classmethod
    def _alternatives(cls, facts: list[list[str]]) -> list[list[str]]:
        for fact in facts:
            if not fact or any(len(alt.strip()) < 2 for alt in fact):
                raise ValueError("every fact needs at least one alternative of 2+ characters")
        return [[alt.strip().lower() for alt in fact] for fact in facts]


class Item(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    split: Split
    question: str
    category: Category
    topic: str = ""
    parts: list[Part] = Field(default_factory=list)

    @property
    def decline(self) -> bool:
        return not self.parts

    @property
    def near_miss(self) -> bool:
        return self.category == "decline-near"


class EvalSetError(ValueError):
    """The evaluation files are malformed or the frozen report split was changed."""


def load_items(folder: Path) -> list[Item]:
    items: list[Item] = []
    seen: set[str] = set()
    for split in SPLITS:
        path = folder / f"{split}.jsonl"
        if not path.is_file():
            raise EvalSetError(f"{path}: missing")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = Item.model_validate({**json.loads(line), "split": split})
            except (ValueError, ValidationError) as exc:
                raise EvalSetError(f"{path}:{n}: {exc}") from exc
            if item.decline != item.category.startswith("decline"):
                raise EvalSetError(f"{path}:{n}: category {item.category} does not match its parts")
            if item.id in seen:
                raise EvalSetError(f"{path}:{n}: duplicate id {item.id}")
            seen.add(item.id)
            items.append(item)
    return items


def split_digest(folder: Path, split: Split = "report") -> str:
    return hashlib.sha256((folder / f"{split}.jsonl").read_bytes()).hexdigest()


def check_frozen(folder: Path, split: Split = "report") -> None:
    """The report split is written once and never edited: its recorded hash must still match."""
    recorded = (folder / f"{split}.jsonl{FROZEN_SUFFIX}").read_text(encoding="utf-8").split()[0]
    if recorded != split_digest(folder, split):
        raise EvalSetError(f"{split}.jsonl changed since it was frozen; it must not be edited")
