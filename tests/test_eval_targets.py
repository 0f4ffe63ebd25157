"""The answer-quality evaluation: its set is what the issue asked for, frozen, and the shipped
knowledge and models meet the bar on the report split (the numbers docs/retrieval.md publishes).

Builds the real index once for this module (about a minute on two cores) and runs the same code as
`scripts/eval.py --split report --check`.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from bot.core.advisor import Advisor, AdvisorConfig
from bot.core.decision import load_decision
from bot.core.knowledge.loader import fingerprint
from bot.evaluation.grading import grade, metrics
from bot.evaluation.items import EvalSetError, check_frozen, load_items
from bot.evaluation.runner import evaluate

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "eval" / "questions"

# CI holds the report split to a floor a little below what it measured (hit@3 0.950, MRR@5 0.851, fact
# hit 0.887, decline precision 0.962, recall 0.962, at 846cc3a): the goal (0.95 / 0.85 / 0.85 / 0.90 /
# 0.90) is met with hit@3 and MRR@5 at the bar, and docs/retrieval.md says where it stands. The floor
# catches quality slipping back without failing on a near tie another machine breaks the other way.
FLOOR = {"hit3": 0.92, "mrr5": 0.82, "fact_hit": 0.86, "decline_precision": 0.92, "decline_recall": 0.92}


@pytest.fixture(scope="module")
def real_advisor(tmp_path_factory: pytest.TempPathFactory, embedder) -> Advisor:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("real")
    shutil.copytree(ROOT / "knowledge", root / "knowledge")
    advisor = Advisor(AdvisorConfig(knowledge_dir=root / "knowledge", index_dir=root / "index"), embedder)
    advisor.ensure_index()
    return advisor


def test_the_set_has_the_questions_the_issue_asked_for() -> None:
    items = load_items(EVAL)
    assert len(items) >= 300
    categories = Counter(i.category for i in items)
    assert categories["paraphrase"] >= 100 and categories["typo"] >= 30 and categories["long"] >= 40
    assert sum(i.decline for i in items) >= 60 and categories["decline-near"] >= 40
    assert {i.split for i in items} == {"tune", "calibrate", "report"}
    assert all(len(part.facts) >= 1 for i in items for part in i.parts)


def test_the_report_split_is_frozen(tmp_path: Path) -> None:
    check_frozen(EVAL)
    for name in ("tune", "calibrate", "report"):
        shutil.copy(EVAL / f"{name}.jsonl", tmp_path / f"{name}.jsonl")
    shutil.copy(EVAL / "report.jsonl.sha256", tmp_path / "report.jsonl.sha256")
    report = tmp_path / "report.jsonl"
    report.write_text(report.read_text(encoding="utf-8").replace("?", "??", 1), encoding="utf-8")
    with pytest.raises(EvalSetError, match="must not be edited"):
        check_frozen(tmp_path)


def test_grading_needs_the_facts_in_the_text_a_member_sees() -> None:
    [item] = [i for i in load_items(EVAL) if i.split == "tune" and i.parts][:1]
    facts = " ".join(alternatives[0] for part in item.parts for alternatives in part.facts)
    assert grade(item, False, f"**{facts.upper()}**", []).answer_hit
    assert not grade(item, False, "", [facts]).answer_hit  # in a passage only: not an answer
    assert grade(item, False, "", [facts]).passage_rank == 1
    assert not grade(item, True, facts, [facts]).answer_hit  # declined


def test_shipped_decision_model_was_fitted_or_checked_on_this_knowledge() -> None:
    drift = load_decision().drift(fingerprint(ROOT / "knowledge"))
    assert drift < 0.2, f"{drift:.0%} of knowledge files changed since the fit: run scripts/eval.py --calibrate"


def test_report_split_meets_the_floor(real_advisor: Advisor) -> None:
    items = [i for i in load_items(EVAL) if i.split == "report"]
    m = metrics([g for g, _ in evaluate(real_advisor, items)])
    print("report split:", m.row())
    missed = {k: round(getattr(m, k), 3) for k, v in FLOOR.items() if getattr(m, k) < v}
    assert not missed, f"below the floor on the report split: {missed}"


def test_showcase_questions_answer_from_the_right_entries(real_advisor: Advisor) -> None:
    python_or_r = real_advisor.ask("should I learn python or R?")
    assert not python_or_r.abstained and python_or_r.citations[0].doc_id == "python-or-r"
    assert "Python" in python_or_r.body.split(".")[0]
    expected = {
        "can I become an ML engineer at 35 coming from marketing?": {
            "marketing-to-ml-engineer",
            "career-change-by-age-and-background",
        },
        "do I need a GPU to learn deep learning?": {"gpu-needed-to-learn", "hardware-for-learning-ml"},
        "what does an AI engineer do compared to an ML engineer?": {
            "ai-engineer-vs-ml-engineer",
            "llms-and-ai-engineering",
        },
        "how do I prepare for an ML system design interview?": {
            "prepare-ml-system-design-interview",
            "ml-system-design-interview",
        },
    }
    for question, docs in expected.items():
        answer = real_advisor.ask(question)
        assert not answer.abstained and answer.citations[0].doc_id in docs, (question, answer.citations)


def test_an_answer_further_down_a_section_is_shown_after_its_opening(real_advisor: Advisor) -> None:
    answer = real_advisor.ask("my deep neural net stops learning, the weights in the early layers barely change. why?")
    opening, further = answer.body.split("\n\n… ", 1)
    assert not answer.abstained and "vanish" not in opening and "vanish" in further.split("**See also")[0]
