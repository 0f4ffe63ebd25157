"""Where the test knowledge lives; importable by tests and fixtures alike (tests/ is on sys.path)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_KB = FIXTURES / "kb_small"
# The small knowledge base answers by a plain cosine rule: the shipped decision model is fitted to the
# real knowledge base, and the tests over this one are about retrieval and composition, not that fit.
SMALL_DECISION = FIXTURES / "kb_small_decision.json"

# A long article section whose list is made of fragments: shown, it would be a preamble and nothing more.
FRAGMENT_LIST = """
## Topics for the theory round
<!-- questions:
- what comes up in the theory round
- how deep do theory questions go
- what should i revise for ml fundamentals
-->

Interviewers come back to the same core topics in the theory round again and again, and they care more about
clear reasoning than about memorised formulas. Expect to explain ideas in plain words and to say when you are unsure.

The topics:

""" + "\n".join(f"- topic number {n}, with a few words on what it covers and why it matters here;" for n in range(14))
