"""JSON for the terminal and for other tools: readable Unicode, but no character that changes how a
terminal shows the text (direction overrides, zero-width marks): those are written as \\u escapes,
which JSON readers decode to the same string."""

from __future__ import annotations

import json
import re
from typing import Any

_HIDDEN = re.compile(r"[\u00ad\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def dumps(data: Any, indent: int | None = None) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _HIDDEN.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def print_json(data: Any, indent: int | None = 2) -> None:
    print(dumps(data, indent), flush=True)
