"""A fitted logistic model kept as plain JSON: the shared form of the ranker and the decision.

Both are small logistic regressions over standardised features, fitted by `scripts/eval.py` on the
evaluation's tune or calibrate split and shipped beside the code with the knowledge files they saw.
Plain data, never a pickle: a model file is read, never executed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import ClassVar, Self

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field


class LogisticModel(BaseModel):
    """probability = sigmoid(w · (x - mean) / scale + b), for feature rows in `FEATURES` order."""

    model_config = ConfigDict(frozen=True, protected_namespaces=())

    FEATURES: ClassVar[tuple[str, ...]] = ()
    FILE: ClassVar[str] = ""

    version: int = 1
    features: list[str]
    mean: list[float]
    scale: list[float]
    weights: list[float]
    intercept: float
    fitted_at: datetime | None = None
    fitted_on: dict[str, str] = Field(default_factory=dict, description="The knowledge files (sha256) it saw.")
    fitted_items: int = 0
    checked_on: dict[str, str] = Field(
        default_factory=dict,
        description="The knowledge files on which a refit was last tried and this model kept, as no worse on "
        "the split it never saw.",
    )

    @classmethod
    def flat(cls, **fields: object) -> Self:
        """All weights zero: every row gets the same probability (sigmoid of the intercept)."""
        n = len(cls.FEATURES)
        base: dict[str, object] = {"features": list(cls.FEATURES), "mean": [0.0] * n, "scale": [1.0] * n}
        return cls.model_validate({**base, "weights": [0.0] * n, "intercept": 0.0, **fields})

    @classmethod
    def load(cls, path: Path | None = None) -> Self:
        """The shipped file unless a path is given (a knowledge base's own fit, or a variant under test)."""
        text = path.read_text(encoding="utf-8") if path else resources.files("bot.core").joinpath(cls.FILE).read_text()
        return cls.model_validate_json(text)

    def probabilities(self, rows: Sequence[Sequence[float]]) -> npt.NDArray[np.float64]:
        if self.features != list(self.FEATURES):
            raise ValueError(f"{self.FILE} was fitted on other features; refit it with scripts/eval.py")
        x = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(self.FEATURES))
        scale = np.asarray([s or 1.0 for s in self.scale])
        z = self.intercept + ((x - np.asarray(self.mean)) / scale) @ np.asarray(self.weights)
        probabilities: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))
        return probabilities

    def probability(self, row: Sequence[float]) -> float:
        return float(self.probabilities([row])[0])

    def drift(self, files: dict[str, str]) -> float:
        """Share of knowledge files added, removed or changed since the model was fitted, or last kept
        against a refit on the knowledge of that day."""
        base = self.checked_on or self.fitted_on
        if not base or not files:  # no knowledge folder at all says nothing about drift
            return 0.0
        names = set(files) | set(base)
        changed = sum(files.get(n) != base.get(n) for n in names)
        return changed / len(names) if names else 0.0
