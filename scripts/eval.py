#!/usr/bin/env python3
"""Answer quality on the blind-written evaluation set, graded by the facts members need to see.

Splits (eval/questions/): `tune` for design choices, `calibrate` for fitting the answer/decline
decision, `report` for the published numbers only. Nothing is ever chosen on `report`.

  python scripts/eval.py                       # the shipped configuration on every split
  python scripts/eval.py --compare             # configurations side by side, each calibrated, on tune
  python scripts/eval.py --fit-ranker          # refit bot/core/ranking.json on tune
  python scripts/eval.py --calibrate           # refit bot/core/answerability.json on calibrate (kept if tune is no worse)
  python scripts/eval.py --split report --check   # exit 1 when a target is missed (CI)
  python scripts/eval.py --split tune --show-misses
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.advisor import Advisor, AdvisorConfig  # noqa: E402
from bot.core.chunking import ChunkerSettings  # noqa: E402
from bot.core.decision import FEATURES, MODEL_FILE, DecisionModel  # noqa: E402
from bot.core.embedding import Embedder, resolve_model  # noqa: E402
from bot.core.knowledge.loader import fingerprint  # noqa: E402
from bot.core.ranking import MODEL_FILE as RANKING_FILE  # noqa: E402
from bot.core.ranking import Ranker, candidate_features  # noqa: E402
from bot.core.retrieval import RetrievalSettings  # noqa: E402
from bot.evaluation.calibration import fit, fit_ranker  # noqa: E402
from bot.evaluation.grading import Graded, Metrics, answers_part, metrics, normalise  # noqa: E402
from bot.evaluation.items import SPLITS, Item, check_frozen, load_items  # noqa: E402
from bot.evaluation.overlap import paraphrase_overlap  # noqa: E402
from bot.evaluation.runner import evaluate  # noqa: E402

TARGETS = {"hit3": 0.95, "mrr5": 0.85, "fact_hit": 0.85, "decline_precision": 0.90, "decline_recall": 0.90}
COLUMNS = (
    ("hit1", "hit@1"),
    ("hit3", "hit@3"),
    ("mrr5", "MRR@5"),
    ("fact_hit", "facts"),
    ("decline_precision", "decl P"),
    ("decline_recall", "decl R"),
    ("near_recall", "near R"),
    ("far_recall", "far R"),
)


def table(rows: Sequence[tuple[str, Metrics]]) -> str:
    width = max(len(name) for name, _ in rows)
    head = f"{'':{width}}  " + " ".join(f"{label:>7}" for _, label in COLUMNS) + "   n (answerable/declines)"
    lines = [head]
    for name, m in rows:
        values = " ".join(f"{getattr(m, key):7.3f}" for key, _ in COLUMNS)
        lines.append(f"{name:{width}}  {values}   {m.answerable}/{m.declines}")
    return "\n".join(lines)


def by_category(graded: Sequence[Graded]) -> list[tuple[str, Metrics]]:
    cats = sorted({g.item.category for g in graded if not g.item.decline})
    rows = [(f"  {c}", metrics([g for g in graded if g.item.category == c or g.item.decline])) for c in cats]
    return rows


def advisor_for(knowledge: Path, embedder: Embedder, chunker: ChunkerSettings, work: Path, **config: object) -> Advisor:
    """An advisor over a fresh build of `knowledge` with these chunker settings (built once per variant)."""
    index_dir = work / f"ctx{int(chunker.context)}-anc{int(chunker.anchors)}"
    advisor = Advisor(AdvisorConfig(knowledge_dir=knowledge, index_dir=index_dir, chunker=chunker, **config), embedder)  # type: ignore[arg-type]
    advisor.ensure_index(notify=lambda m: print(f"{index_dir.name}: {m}", file=sys.stderr))
    return advisor


def fitted_ranker(advisor: Advisor, tune: Sequence[Item]) -> Ranker:
    """Candidates of every answerable tune question and part, labelled by whether they state its facts."""
    advisor = Advisor(advisor.config, advisor.embedder, DecisionModel.neutral(), Ranker.fused_order())
    answerable = [i for i in tune if not i.decline]
    index = advisor.index
    rows: list[list[float]] = []
    relevant: list[bool] = []
    groups: list[int] = []  # each question and each part orders its own candidates
    group = itertools.count()
    for item, c in zip(answerable, advisor.consider_many([i.question for i in answerable]), strict=True):
        assert c.whole is not None
        for considered in [c.whole, *c.parts]:
            features = candidate_features(index, index.terms(considered.text), considered.hits)
            own = next(group)
            for hit, row in zip(considered.hits, features, strict=True):
                shown = normalise(f"{hit.passage.label}\n{hit.passage.text}")
                rows.append(row)
                relevant.append(any(answers_part(part, shown) for part in item.parts))
                groups.append(own)
    return fit_ranker(rows, relevant, groups, fingerprint(advisor.config.knowledge_dir), len(answerable))


def calibrated(advisor: Advisor, calibrate: Sequence[Item], label: str = "answerable") -> DecisionModel:
    advisor = with_decision(advisor, DecisionModel.neutral())
    considered = advisor.consider_many([i.question for i in calibrate])
    if label == "answerable":
        y = [not i.decline for i in calibrate]
    else:  # answerable and retrieved: declining a question we would answer wrongly is not a mistake
        graded = evaluate(advisor, calibrate)
        y = [not g.item.decline and g.passage_rank is not None and g.passage_rank <= 3 for g, _ in graded]
    return fit(considered, y, fingerprint(advisor.config.knowledge_dir))


def _decline_f1(m: Metrics) -> float:
    p, r = m.decline_precision, m.decline_recall
    return 2 * p * r / (p + r) if p + r else 0.0


def refit_decision(
    advisor: Advisor, splits: dict[str, list[Item]], knowledge: Path, force: bool, keep: bool = False
) -> Advisor:
    """Refit the decision on calibrate, and keep it only when tune, which neither fit sees, is no worse.

    With a few dozen declines per split a refit can move the boundary by chance: on this round's
    knowledge one fitted on 186 calibrate questions declined two answerable tune questions more than
    the shipped one. A model kept against a refit is marked as checked on today's knowledge, so that
    `kb status` measures drift from there.
    """
    refit = calibrated(advisor, splits["calibrate"])
    chosen, said = refit, f"wrote it: threshold {refit.threshold}, fitted on {refit.fitted_items} items"
    if advisor.decision.features == list(FEATURES):  # else the shipped one cannot run: nothing to compare
        before = metrics([g for g, _ in evaluate(advisor, splits["tune"])])
        after = metrics([g for g, _ in evaluate(with_decision(advisor, refit), splits["tune"])])
        print("tune, the shipped decision and the refit on calibrate:")
        print(table([("shipped", before), ("refit", after)]))
        worse = after.fact_hit < before.fact_hit or _decline_f1(after) < _decline_f1(before)
        if (worse and not force) or keep:
            chosen = advisor.decision.model_copy(update={"checked_on": fingerprint(knowledge)})
            why = "--keep" if keep else "the refit is worse on tune (--force writes it)"
            said = f"kept the shipped one: {why}; marked as checked"
    target = ROOT / "bot" / "core" / MODEL_FILE
    target.write_text(chosen.model_dump_json(indent=2) + "\n", encoding="utf-8")
    print(f"{target.relative_to(ROOT)}: {said}")
    return with_decision(advisor, chosen)


def with_decision(advisor: Advisor, decision: DecisionModel) -> Advisor:
    return Advisor(advisor.config, advisor.embedder, decision=decision, ranker=advisor.ranker)


def with_ranker(advisor: Advisor, ranker: Ranker) -> Advisor:
    return Advisor(advisor.config, advisor.embedder, decision=advisor.decision, ranker=ranker)


def show_misses(results: Sequence[tuple[Graded, object]]) -> None:
    from bot.core.answers import Answer

    for g, a in results:
        assert isinstance(a, Answer)
        wrong_decline = g.declined != g.item.decline
        if not wrong_decline and (g.item.decline or g.answer_hit):
            continue
        kind = "declined" if g.declined else ("answered" if g.item.decline else "facts missing")
        print(f"\n--- {g.item.id} [{g.item.category}] {kind} p={a.confidence:.2f} rank={g.passage_rank}")
        print(f"Q: {g.item.question}")
        for part in g.item.parts:
            print(f"   facts: {part.facts}")
        top = [f"{p.doc_id}/{p.section or ''}" for p in a.passages[:3]]
        print(f"   top: {top}")
        if not g.declined:
            print("   A: " + a.body[:400].replace("\n", " ") + ("…" if len(a.body) > 400 else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-dir", type=Path, default=ROOT / "eval" / "questions")
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument(
        "--split",
        choices=[*SPLITS, "all"],
        default=None,
        help="default: every split, or only tune and calibrate after --fit-ranker/--calibrate/--compare",
    )
    parser.add_argument("--compare", action="store_true", help="compare configurations on the tune split")
    parser.add_argument("--fit-ranker", action="store_true", help=f"refit bot/core/{RANKING_FILE} on tune")
    parser.add_argument("--calibrate", action="store_true", help=f"refit bot/core/{MODEL_FILE} on calibrate")
    parser.add_argument("--force", action="store_true", help="with --calibrate: write the refit even if tune is worse")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="with --calibrate: keep the shipped decision and mark it checked (when other evidence, such as "
        "trial sessions, says the refit is worse although tune is equal)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when the chosen split misses a target")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    parser.add_argument("--work", type=Path, default=None, help="where variant indexes are built (default: temp)")
    args = parser.parse_args()

    items = load_items(args.eval_dir)
    check_frozen(args.eval_dir)
    splits = {s: [i for i in items if i.split == s] for s in SPLITS}
    embedder = Embedder(resolve_model(os.environ.get("EMBEDDING_MODEL", "")))
    work = args.work or Path(tempfile.mkdtemp(prefix="roadmap-eval-"))
    work.mkdir(parents=True, exist_ok=True)
    shipped = advisor_for(args.knowledge, embedder, ChunkerSettings(max_tokens=240), work)
    if shipped.decision.features != list(FEATURES) and not args.calibrate:
        sys.exit(f"bot/core/{MODEL_FILE} was fitted on other signals: run with --calibrate")

    if args.fit_ranker:
        ranker = fitted_ranker(shipped, splits["tune"])
        target = ROOT / "bot" / "core" / RANKING_FILE
        target.write_text(ranker.model_dump_json(indent=2) + "\n", encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}: fitted on {ranker.fitted_items} tune questions")
        shipped = with_ranker(shipped, ranker)

    if args.calibrate:
        shipped = refit_decision(shipped, splits, args.knowledge, args.force, args.keep)

    if args.compare:
        rows: list[tuple[str, Metrics]] = []
        variants: list[tuple[str, ChunkerSettings, dict[str, object], bool]] = [
            ("shipped", ChunkerSettings(max_tokens=240), {}, True),
            ("no second-stage ranker", ChunkerSettings(max_tokens=240), {}, False),
            ("dense only", ChunkerSettings(max_tokens=240), {"retrieval": RetrievalSettings(mode="dense")}, True),
            ("BM25 only", ChunkerSettings(max_tokens=240), {"retrieval": RetrievalSettings(mode="bm25")}, True),
            ("no question anchors", ChunkerSettings(max_tokens=240, anchors=False), {}, True),
            ("no context text", ChunkerSettings(max_tokens=240, context=False), {}, True),
            ("no anchors, no context", ChunkerSettings(max_tokens=240, context=False, anchors=False), {}, True),
            ("no typo repair", ChunkerSettings(max_tokens=240), {"spelling": False}, True),
            ("one answer per post", ChunkerSettings(max_tokens=240), {"multi_part": False}, True),
        ]
        for name, chunker, config, rerank in variants:
            advisor = advisor_for(args.knowledge, embedder, chunker, work, **config)
            advisor = with_ranker(advisor, fitted_ranker(advisor, splits["tune"]) if rerank else Ranker.fused_order())
            advisor = with_decision(advisor, calibrated(advisor, splits["calibrate"]))
            for split in ("tune", "calibrate"):
                rows.append((f"{name} [{split}]", metrics([g for g, _ in evaluate(advisor, splits[split])])))
        print("Configurations (ranker fitted on tune, decision on calibrate; the report split is not shown):")
        print(table(rows))
        print()

    fitting = args.fit_ranker or args.calibrate or args.compare
    if args.split is None:
        # After a refit, the report split stays hidden unless asked for by name: a choice made while
        # looking at it would no longer be a held-out measurement.
        chosen: tuple[str, ...] = ("tune", "calibrate") if fitting else SPLITS
    else:
        chosen = SPLITS if args.split == "all" else (args.split,)
    report: dict[str, dict[str, float | int]] = {}
    missed: list[str] = []
    for split in chosen:
        results = evaluate(shipped, splits[split])
        graded = [g for g, _ in results]
        m = metrics(graded)
        report[split] = m.row()
        print(f"{split}: {len(graded)} questions (decision threshold {shipped.decision.threshold})")
        print(table([("all", m), *by_category(graded)]))
        if split == "report" or args.check:
            missed += [f"{split} {k} {getattr(m, k):.3f} < {v}" for k, v in TARGETS.items() if getattr(m, k) < v]
        if args.show_misses and split != "report":
            show_misses(results)
        print()
    overlap = paraphrase_overlap(shipped.index, items)
    print(f"paraphrases (all splits): {overlap}")
    if args.json:
        print(json.dumps(report, indent=2))
    if args.check and missed:
        print("targets missed: " + "; ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
