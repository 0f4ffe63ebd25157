"""The shipped knowledge base meets the quality bar on the held-out half of our question set.

Builds the real index (about a minute on two cores) and runs the same code as scripts/eval.py.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from bot.core.advisor import DEFAULT_ABSTAIN_BELOW, Advisor, AdvisorConfig
from bot.core.answers import clean_question

ROOT = Path(__file__).resolve().parents[1]


def load_eval_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("eval_script", ROOT / "scripts" / "eval.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_script"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def real_advisor(tmp_path_factory: pytest.TempPathFactory, embedder) -> Advisor:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("real")
    shutil.copytree(ROOT / "knowledge", root / "knowledge")
    advisor = Advisor(AdvisorConfig(knowledge_dir=root / "knowledge", index_dir=root / "index"), embedder)
    advisor.ensure_index()
    return advisor


def test_eval_set_is_big_enough_and_split() -> None:
    ev = load_eval_module()
    items = ev.load_items(ROOT / "eval")
    inscope = [i for i in items if i.expected]
    assert len(inscope) >= 60 and len(items) - len(inscope) >= 15
    assert {i.split for i in items} == {"dev", "test"}


def test_hybrid_meets_targets_on_test_split(real_advisor: Advisor) -> None:
    ev = load_eval_module()
    items = [i for i in ev.load_items(ROOT / "eval") if i.split == "test"]
    vectors = real_advisor.embedder.encode([clean_question(i.question)[0] or " " for i in items])
    m = ev.metrics(ev.run(items, "hybrid", real_advisor, vectors), DEFAULT_ABSTAIN_BELOW)
    assert m["hit@3"] >= 0.95, m
    assert m["abst_f1"] >= 0.9, m


def test_showcase_question_answers_with_citations(real_advisor: Advisor) -> None:
    answer = real_advisor.ask("what should I learn first to become an ML engineer?")
    assert not answer.abstained and answer.citations
    assert answer.passages[0].doc_id in {"what-to-learn-first", "ml-engineer-role", "programming-languages"}
    assert "Sources:" in answer.answer
