"""Map a pydantic error location back to the YAML line it came from, so problems read `path:line`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

# libyaml's C parser is several times faster, which matters for a reload; fall back when absent.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_with_lines(text: str) -> tuple[Any, yaml.Node | None]:
    """Parse YAML safely, also returning its node tree (which remembers line numbers)."""
    node = yaml.compose(text, Loader=_LOADER)
    data = yaml.load(text, Loader=_LOADER)  # a safe loader: plain data only
    return data, node


def line_of(node: yaml.Node | None, loc: Sequence[int | str]) -> int:
    """1-based line of the deepest node that `loc` reaches (a missing key points at its parent)."""
    if node is None:
        return 1
    current: yaml.Node = node
    for part in loc:
        nxt: yaml.Node | None = None
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                if key_node.value == part:
                    nxt = value_node
                    # For a bad value, the key's line is where a reader looks.
                    break
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(current.value):
            nxt = current.value[part]
        if nxt is None:
            break
        current = nxt
    return int(current.start_mark.line) + 1
