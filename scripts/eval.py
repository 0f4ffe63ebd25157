#!/usr/bin/env python3
"""Retrieval quality on our own question set: hit@1, hit@3, MRR, abstention precision/recall/F1.

Questions live in eval/*.jsonl as {"question", "expected": [doc ids], "split": "dev"|"test"};
an empty `expected` marks a question the advisor must decline. The abstention threshold is tuned on
`dev` (--calibrate) and reported on `test`, so the reported numbers are not fitted to themselves.

  python scripts/eval.py                 # test split, all retrieval modes, current threshold
  python scripts/eval.py --calibrate     # pick the threshold on dev, then report on test
  python scripts/eval.py --split all --show-misses
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bot.core.advisor import DEFAULT_ABSTAIN_BELOW
from bot.core.answers import clean_question, confidence_of
from bot.core.retrieval import Mode
from bot.settings import Settings
from bot.wiring import make_advisor

MODES: tuple[Mode, ...] = ("hybrid", "dense", "bm25")
RANK_DEPTH = 10


@dataclass
class Item:
    question: str
    expected: list[str]
    split: str


@dataclass
class Outcome:
    item: Item
    rank: int | None  # 1-based rank of the first passage from an expected document
    confidence: float
    top: list[str]


def load_items(folder: Path) -> list[Item]:
    items: list[Item] = []
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                raw = json.loads(line)
                if raw.get("split") not in ("dev", "test"):
                    sys.exit(f"{path}:{n}: split must be dev or test")
                items.append(Item(raw["question"], list(raw["expected"]), raw["split"]))
    return items


def run(items: list[Item], mode: Mode, advisor: object, vectors: object) -> list[Outcome]:
    from bot.core.advisor import Advisor

    assert isinstance(advisor, Advisor)
    outcomes = []
    for item, vector in zip(items, vectors, strict=True):  # type: ignore[call-overload]
        text, _ = clean_question(item.question)
        hits = advisor.index.search(vector, text, RANK_DEPTH, mode)
        docs = [h.passage.doc_id for h in hits]
        rank = next((n + 1 for n, d in enumerate(docs) if d in item.expected), None)
        outcomes.append(Outcome(item, rank, confidence_of(hits), docs[:3]))
    return outcomes


def metrics(outcomes: list[Outcome], threshold: float) -> dict[str, float]:
    inscope = [o for o in outcomes if o.item.expected]
    oos = [o for o in outcomes if not o.item.expected]
    n = max(len(inscope), 1)
    abstained_oos = sum(o.confidence < threshold for o in oos)
    abstained_in = sum(o.confidence < threshold for o in inscope)
    precision = abstained_oos / max(abstained_oos + abstained_in, 1)
    recall = abstained_oos / max(len(oos), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "hit@1": sum(o.rank == 1 for o in inscope) / n,
        "hit@3": sum(o.rank is not None and o.rank <= 3 for o in inscope) / n,
        "mrr": sum(1 / o.rank for o in inscope if o.rank) / n,
        "abst_p": precision,
        "abst_r": recall,
        "abst_f1": f1,
        "answered_right": sum(o.rank is not None and o.rank <= 3 and o.confidence >= threshold for o in inscope) / n,
    }


def calibrate(outcomes: list[Outcome]) -> float:
    """The threshold with the best abstention F1 on these outcomes; ties go to the lower threshold."""
    candidates = sorted({round(o.confidence, 3) for o in outcomes})
    best, best_f1 = DEFAULT_ABSTAIN_BELOW, -1.0
    for i, c in enumerate(candidates):
        nxt = candidates[i + 1] if i + 1 < len(candidates) else c + 0.01
        threshold = round((c + nxt) / 2, 3)
        f1 = metrics(outcomes, threshold)["abst_f1"]
        if f1 > best_f1:
            best, best_f1 = threshold, f1
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-dir", type=Path, default=Path("eval"))
    parser.add_argument("--split", choices=["dev", "test", "all"], default="test")
    parser.add_argument("--calibrate", action="store_true", help="tune the threshold on dev for each mode")
    parser.add_argument("--threshold", type=float, default=DEFAULT_ABSTAIN_BELOW)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the hybrid metrics as JSON")
    args = parser.parse_args()

    advisor = make_advisor(Settings().resolved())
    advisor.ensure_index(notify=lambda m: print(m, file=sys.stderr))
    items = load_items(args.eval_dir)
    dev = [i for i in items if i.split == "dev"]
    report = items if args.split == "all" else [i for i in items if i.split == args.split]
    texts = [clean_question(i.question)[0] or " " for i in items]
    vectors = dict(zip(map(id, items), advisor.embedder.encode(texts), strict=True))

    inscope = sum(bool(i.expected) for i in report)
    print(f"{args.split}: {len(report)} questions ({inscope} in scope, {len(report) - inscope} out of scope)")
    print(f"{'mode':8} {'thresh':>6} {'hit@1':>6} {'hit@3':>6} {'MRR':>6} {'abst P':>7} {'abst R':>7} {'abst F1':>7}")
    results: dict[str, dict[str, float]] = {}
    for mode in MODES:
        threshold = args.threshold
        if args.calibrate:
            threshold = calibrate(run(dev, mode, advisor, [vectors[id(i)] for i in dev]))
        outcomes = run(report, mode, advisor, [vectors[id(i)] for i in report])
        m = metrics(outcomes, threshold)
        results[mode] = {"threshold": threshold, **m}
        print(
            f"{mode:8} {threshold:6.3f} {m['hit@1']:6.3f} {m['hit@3']:6.3f} {m['mrr']:6.3f} "
            f"{m['abst_p']:7.3f} {m['abst_r']:7.3f} {m['abst_f1']:7.3f}"
        )
        if args.show_misses and mode == "hybrid":
            for o in outcomes:
                wrong_scope = (o.confidence < threshold) != (not o.item.expected)
                if (o.item.expected and (o.rank is None or o.rank > 3)) or wrong_scope:
                    print(
                        f"   miss: {o.item.question!r} expected={o.item.expected} got={o.top} conf={o.confidence:.3f}"
                    )
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
