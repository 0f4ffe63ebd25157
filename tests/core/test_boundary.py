"""The core knows no adapter: no discord import, no adapter's wording, no adapter's output limits."""

from __future__ import annotations

import re
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "bot" / "core"
FORBIDDEN = re.compile(
    r"goal switch|button below|1900|2000 characters|/roadmap (?:goal|next)|roadmap-bot goal|\bimport discord\b"
)


def test_core_has_no_adapter_wording_or_limits() -> None:
    found = [
        f"{path.relative_to(CORE)}:{n}: {line.strip()}"
        for path in sorted(CORE.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FORBIDDEN.search(line)
    ]
    assert found == []
