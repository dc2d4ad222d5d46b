"""Render lists of records as a readable table, JSON or CSV (one place, so every command looks the same)."""

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

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


def _shorten(text: str, width: int) -> str:
    """Keep both ends of long paths: the start says where, the end says which file."""
    if len(text) <= width:
        return text
    keep = width - 1
    return text[: keep // 2] + "…" + text[len(text) - (keep - keep // 2) :]


def table(items: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    rows = [[_shorten(_cell(item.get(c)), _MAX_CELL) for c in columns] for item in items]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows)
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
