"""How deep a JSON value may nest. A report is five levels deep (report, sla_error, folder, files, file); a
newer scanner's additions may add a few. Thousands of levels are an attack or a bug, and Python's recursion
(json, jsonschema, repr) would turn them into a RecursionError and a 500: refuse them as a user error instead.
"""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 64


class TooDeep(ValueError):
    """The value nests deeper than MAX_DEPTH arrays and objects."""

    def __init__(self, limit: int = MAX_DEPTH):
        super().__init__(f"the JSON is nested more than {limit} levels deep")


def check_depth(value: Any, limit: int = MAX_DEPTH) -> None:
    """Raise TooDeep past `limit` levels; iterative, so any depth is measured without recursing."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict):
            children = current.values()
        elif isinstance(current, list | tuple):
            children = current
        else:
            continue
        if depth > limit:
            raise TooDeep(limit)
        stack.extend((child, depth + 1) for child in children)
