"""Render lists of records as a readable table, JSON or CSV (one place, so every command looks the same).

Table widths are terminal columns (``wcwidth``), not characters: a CJK name or an emoji takes two columns, a
combining accent none, so columns stay aligned. A cell longer than ``_MAX_CELL`` columns is shortened in the
middle, and the table then says so in a last line (JSON and CSV always carry every value whole).
"""

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from wcwidth import wcwidth

FORMATS = ("table", "json", "csv")
_MAX_CELL = 60


def columns_of(items: Sequence[Mapping[str, Any]], preferred: Sequence[str] = ()) -> list[str]:
    """Preferred columns that occur, then any other keys in first-seen order."""
    seen: dict[str, None] = {}
    for item in items:
        for key in item:
            seen.setdefault(key, None)
    ordered = [c for c in preferred if c in seen]
    return ordered + [k for k in seen if k not in ordered]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def width(text: str) -> int:
    """Columns the text takes on a terminal; a control character counts as one (it is shown escaped)."""
    return sum(max(wcwidth(char), 0) if char.isprintable() else 1 for char in text)


def _take(text: str, columns: int, *, from_end: bool = False) -> str:
    """The longest start (or end) of ``text`` that fits ``columns``, never splitting a wide character."""
    taken: list[str] = []
    used = 0
    for char in reversed(text) if from_end else text:
        used += width(char)
        if used > columns:
            break
        taken.append(char)
    return "".join(reversed(taken) if from_end else taken)


def _shorten(text: str, columns: int) -> str:
    """Keep both ends of long paths: the start says where, the end says which file."""
    if width(text) <= columns:
        return text
    keep = columns - 1
    return _take(text, keep // 2) + "…" + _take(text, keep - keep // 2, from_end=True)


def _pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def table(items: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    cells = [[_cell(item.get(c)) for c in columns] for item in items]
    rows = [[_shorten(value, _MAX_CELL) for value in row] for row in cells]
    shortened = rows != cells
    widths = [max([width(c)] + [width(r[i]) for r in rows]) for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(_pad(v, w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows)
    if shortened:
        lines.append(f"(… marks values shortened to {_MAX_CELL} columns; --format csv or json shows them whole)")
    return "\n".join(lines)


def as_csv(items: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for item in items:
        writer.writerow([_cell(item.get(c)) for c in columns])
    return buffer.getvalue().rstrip("\n")


def as_json(items: Sequence[Mapping[str, Any]]) -> str:
    return json.dumps(list(items), ensure_ascii=False, indent=2)


def render(items: Sequence[Mapping[str, Any]], fmt: str, preferred: Sequence[str] = ()) -> str:
    if fmt == "json":
        return as_json(items)
    columns = columns_of(items, preferred) or list(preferred)
    if fmt == "csv":
        return as_csv(items, columns)
    # A table is for people: only the preferred columns, when there are any; csv and json keep every field.
    return table(items, [c for c in columns if c in preferred] if preferred else columns)
