"""The decision's threshold: chosen where declining is most accurate, and not by the luck of one fold split."""

from __future__ import annotations

import numpy as np
import pytest

from bot.evaluation import calibration
from bot.evaluation.calibration import best_threshold, mean_out_of_fold


def test_the_threshold_sits_between_the_declines_and_the_answers() -> None:
    assert best_threshold([0.1, 0.2, 0.3, 0.8, 0.9], [False, False, True, True, True]) == 0.25


def test_a_tie_in_f1_goes_to_the_lower_threshold() -> None:
    # Declining below 0.2 (one decline, nothing else) and below 0.8 (both declines, two answers) tie.
    assert best_threshold([0.1, 0.3, 0.5, 0.7, 0.9], [False, True, True, False, True]) == 0.2


def _overlapping_classes(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """106 questions, 26 to decline, whose signals overlap as the calibrate split's do."""
    rng = np.random.default_rng(seed)
    y = np.array([0] * 26 + [1] * 80)
    x = rng.normal(size=(len(y), 6)) + 0.9 * y[:, None] * rng.uniform(0.5, 1.5, size=6)
    return x, y


def _thresholds(x: np.ndarray, y: np.ndarray, orders: int) -> list[float]:
    out = []
    for seed in range(orders):
        order = np.random.default_rng(seed).permutation(len(y))
        out.append(best_threshold(mean_out_of_fold(x[order], y[order]).tolist(), [bool(v) for v in y[order]]))
    return out


def test_the_threshold_does_not_hinge_on_one_shuffle_of_the_folds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over ten sets of overlapping signals, the threshold moves less with the order of the rows when
    each row's probability is averaged over shuffles of the folds (any single set can go either way)."""

    def spread(x: np.ndarray, y: np.ndarray) -> float:
        found = _thresholds(x, y, orders=4)
        return max(found) - min(found)

    datasets = [_overlapping_classes(seed) for seed in range(10)]
    averaged = np.mean([spread(x, y) for x, y in datasets])
    monkeypatch.setattr(calibration, "REPEATS", 1)
    one_shuffle = np.mean([spread(x, y) for x, y in datasets])
    assert averaged < 0.75 * one_shuffle


def test_drift_counts_from_the_last_check_when_a_refit_was_tried_and_the_model_kept() -> None:
    from bot.core.decision import DecisionModel

    fitted = {"a.md": "1", "b.md": "1", "c.md": "1", "d.md": "1"}
    today = {"a.md": "2", "b.md": "1", "c.md": "1", "d.md": "1", "e.md": "1"}
    model = DecisionModel.flat(threshold=0.5, fitted_on=fitted)
    assert model.drift(today) == 2 / 5  # one file changed, one added
    checked = model.model_copy(update={"checked_on": today})
    assert checked.drift(today) == 0.0 and checked.fitted_on == fitted  # what it saw stays on record
    assert checked.drift({**today, "f.md": "1"}) == 1 / 6
    # no knowledge folder at all (kb status run from another directory) is not 100% drift
    assert checked.drift({}) == 0.0


def test_the_ranker_learns_what_orders_a_questions_candidates_not_what_makes_a_question_easy() -> None:
    """A signal shared by all of one question's candidates (here: how easy the question is, which also
    decides how many of them are relevant) cannot order them and gets no weight; the one that picks the
    relevant candidates within each question does, and relevance stays a probability."""
    from bot.core.ranking import FEATURES, Ranker

    rng = np.random.default_rng(0)
    rows, relevant, groups = [], [], []
    for group in range(60):
        easy = rng.normal()
        order = rng.normal(size=6)
        best = set(np.argsort(-order)[: 2 if easy > 0 else 1])
        for n in range(6):
            row = rng.normal(size=len(FEATURES))
            row[0], row[1] = order[n], easy
            rows.append(row.tolist())
            relevant.append(n in best)
            groups.append(group)
    ranker = calibration.fit_ranker(rows, relevant, groups, {}, 60)
    assert isinstance(ranker, Ranker)
    assert ranker.weights[1] == pytest.approx(0.0, abs=1e-6)
    assert ranker.weights[0] > 5 * max(abs(w) for w in ranker.weights[2:])
    p = ranker.probabilities(rows)
    assert p.min() > 0 and p.max() < 1
    assert p[np.asarray(relevant)].mean() > p[~np.asarray(relevant)].mean()


def test_a_ranker_cannot_be_fitted_without_anything_to_order() -> None:
    from bot.core.ranking import FEATURES

    with pytest.raises(ValueError, match="no group"):
        calibration.fit_ranker([[0.0] * len(FEATURES), [1.0] * len(FEATURES)], [True, False], [0, 1], {}, 2)
