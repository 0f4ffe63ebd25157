"""Where the test knowledge lives; importable by tests and fixtures alike (tests/ is on sys.path)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_KB = FIXTURES / "kb_small"
# The small knowledge base answers by a plain cosine rule: the shipped decision model is fitted to the
# real knowledge base, and the tests over this one are about retrieval and composition, not that fit.
SMALL_DECISION = FIXTURES / "kb_small_decision.json"
