"""Fit the two small models of the answer path: the second-stage ranker (on the tune split) and the
answer/decline decision (on the calibrate split), both logistic regressions over retrieval signals.

The decision's threshold is chosen on out-of-fold probabilities (5-fold cross-validation within the
split), so it is not fitted to the very predictions it thresholds; the report split is never seen here.
Each question's out-of-fold probability is the mean over `REPEATS` shuffles of the folds: with one
shuffle the calibrate split's threshold moved between 0.51 and 0.79 with the seed, with the mean of
ten between 0.60 and 0.65.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np

from bot.core.advisor import Consideration
from bot.core.decision import FEATURES, DecisionModel
from bot.core.ranking import FEATURES as RANKING_FEATURES
from bot.core.ranking import Ranker

if TYPE_CHECKING:
    from sklearn.preprocessing import StandardScaler

C = 1.0
FOLDS = 5
REPEATS = 10


def _matrix(considered: Sequence[Consideration]) -> np.ndarray:
    rows = []
    for c in considered:
        if c.whole is None:
            raise ValueError("an empty question cannot be calibrated on")
        rows.append(c.whole.signals.vector())
    return np.asarray(rows, dtype=np.float64)


def best_threshold(probabilities: Sequence[float], answerable: Sequence[bool]) -> float:
    """The threshold with the best decline F1 (declining is the positive class); ties go lower."""
    p = np.asarray(probabilities)
    y = np.asarray(answerable, dtype=bool)
    candidates = sorted(set(np.round(p, 4).tolist()))
    best, best_f1 = 0.5, -1.0
    for low, high in zip(candidates, [*candidates[1:], 1.0], strict=True):
        threshold = (low + high) / 2
        declined = p < threshold
        tp = int(np.sum(declined & ~y))
        precision = tp / max(int(np.sum(declined)), 1)
        recall = tp / max(int(np.sum(~y)), 1)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best_f1 + 1e-12:
            best, best_f1 = threshold, f1
    return round(float(best), 4)


def _fitted(x: np.ndarray, y: np.ndarray, knowledge_files: dict[str, str], items: int) -> dict[str, object]:
    """Standardise, fit a logistic regression, return the fields every LogisticModel file holds."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=C, max_iter=2000).fit(scaler.transform(x), y)
    return _fields(scaler, model.coef_[0], float(model.intercept_[0]), knowledge_files, items)


def _fields(
    scaler: StandardScaler, weights: np.ndarray, intercept: float, knowledge_files: dict[str, str], items: int
) -> dict[str, object]:
    return {
        "mean": [float(v) for v in scaler.mean_],
        "scale": [float(v) for v in scaler.scale_],
        "weights": [float(v) for v in weights],
        "intercept": intercept,
        "fitted_at": datetime.now(UTC).replace(microsecond=0),
        "fitted_on": knowledge_files,
        "fitted_items": items,
    }


def mean_out_of_fold(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each row's probability from models that never saw it, averaged over `REPEATS` fold shuffles."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pipeline = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000))
    runs = [
        cross_val_predict(
            pipeline, x, y, cv=StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed), method="predict_proba"
        )[:, 1]
        for seed in range(REPEATS)
    ]
    return np.asarray(np.mean(runs, axis=0))


def fit(
    considered: Sequence[Consideration],
    answerable: Sequence[bool],
    knowledge_files: dict[str, str],
    notes: str = "",
) -> DecisionModel:
    """The decision over the split's signals, with the threshold where declining is most accurate on
    probabilities from models that never saw the question."""
    x = _matrix(considered)
    y = np.asarray(answerable, dtype=int)
    threshold = best_threshold(mean_out_of_fold(x, y).tolist(), [bool(v) for v in y])
    fields = _fitted(x, y, knowledge_files, len(y))
    return DecisionModel.model_validate({**fields, "features": list(FEATURES), "threshold": threshold, "notes": notes})


def fit_ranker(
    rows: Sequence[Sequence[float]],
    relevant: Sequence[bool],
    groups: Sequence[int],
    knowledge_files: dict[str, str],
    items: int,
) -> Ranker:
    """Weights that order each group's (one question's or part's) candidates that state the facts above
    its others, then a one-feature logistic fit that puts the score on the probability scale the ranking
    rules read (`FAQ_FIRST_GAP` and the other gaps). Fitted pointwise, "is this candidate relevant?", the
    weights also learnt what makes a whole question easy (long passages, BM25 matches), which does not
    order its candidates: tune and calibrate both gained (docs/retrieval.md, nineteenth round)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray(relevant, dtype=bool)
    g = np.asarray(groups)
    scaler = StandardScaler().fit(x)
    z = scaler.transform(x)
    pairs = [
        (z[good][:, None, :] - z[bad][None, :, :]).reshape(-1, z.shape[1])
        for good, bad in ((y & (g == group), ~y & (g == group)) for group in np.unique(g))
    ]
    diffs = np.vstack(pairs) if pairs else np.empty((0, z.shape[1]))
    if not len(diffs):
        raise ValueError("no group has both a relevant and an irrelevant candidate to order")
    ordering = LogisticRegression(C=C, fit_intercept=False, max_iter=2000)
    ordering.fit(np.vstack([diffs, -diffs]), np.r_[np.ones(len(diffs)), np.zeros(len(diffs))])
    w = ordering.coef_[0]
    scaled = LogisticRegression(C=C, max_iter=2000).fit((z @ w)[:, None], y)
    fields = _fields(scaler, w * scaled.coef_[0][0], float(scaled.intercept_[0]), knowledge_files, items)
    return Ranker.model_validate({**fields, "features": list(RANKING_FEATURES)})
