"""Hypothesis strategies for hostile and careless input: any Unicode (lone surrogates, the whole BMP, astral
planes), any integer, any nesting depth, in the places a report has names, numbers and values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

# Every code point a Python str holds, lone surrogates included (NTFS names, PowerShell's \udXXX escapes).
any_char = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
any_text = st.text(any_char, max_size=24)
names = st.one_of(
    any_text.filter(bool),
    st.text(st.sampled_from("aA\u212akK\u00df\u1e9e\u0130\u0131i\u03c2\u03c3\ufb01\U00010428\U00010400\ud800\\/"),
            min_size=1, max_size=8),
)
any_int = st.one_of(st.integers(), st.integers(min_value=10**37, max_value=10**60), st.just(2**63 - 1),
                    st.just(2**63))
timestamps = st.one_of(st.sampled_from(["2026-11-28T08:00:00Z", "2026-11-28T08:00:00.123+01:00",
                                        "/Date(1795867200123)/", "9999-12-31T23:59:59Z", "2026-11-28T08:00:00"]),
                       any_text)


def nested(depth: int, leaf: Any = None) -> Any:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


@dataclass(frozen=True)
class Deep:
    """A placeholder for `depth` nested arrays: Hypothesis prints and shrinks the number, not the nesting
    (its own pretty-printer recurses), and `realise` builds the value just before the test uses it."""

    depth: int


def realise(value: Any) -> Any:
    """The generated value with every Deep placeholder built."""
    if isinstance(value, Deep):
        return nested(value.depth)
    if isinstance(value, dict):
        return {k: realise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [realise(v) for v in value]
    return value


json_values = st.recursive(
    st.none() | st.booleans() | any_int | st.floats(allow_nan=False) | any_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4),
    max_leaves=20,
)
deep = st.builds(Deep, st.integers(min_value=0, max_value=3000))
values = st.one_of(json_values, deep, any_int, names)

files = st.fixed_dictionaries(
    {"filename": st.one_of(names, values), "creationDate": timestamps},
    optional={"sizeBytes": st.one_of(any_int, values), "lastWriteDate": timestamps, "extra": deep},
)
folders = st.fixed_dictionaries(
    {"folder": st.one_of(names, names.map(lambda n: "D:\\" + n), values), "sla": st.one_of(
        st.integers(min_value=1, max_value=10080), any_int, values), "files": st.lists(files, max_size=4)},
    optional={"fileCount": any_int, "status": st.sampled_from(["ok", "missing", "unreadable", "gone"]),
              "truncated": st.booleans()},
)
reports = st.fixed_dictionaries(
    {"sla_error": st.lists(folders, max_size=3)},
    optional={"scanner": st.fixed_dictionaries({}, optional={"host": names, "scannedAt": timestamps,
                                                             "deep": deep})},
)
hostile_reports = st.one_of(reports, json_values, deep)


def hostile_text(value: Any) -> str:
    """The JSON text of a generated value, Deep placeholders written as nested arrays without recursing, lone
    surrogates as \\udXXX escapes (as PowerShell writes them)."""
    depths: list[int] = []

    def mark(item: Any) -> Any:
        if isinstance(item, Deep):
            depths.append(item.depth)
            return f"\u0000deep{len(depths) - 1}\u0000"
        if isinstance(item, dict):
            return {k: mark(v) for k, v in item.items()}
        if isinstance(item, list):
            return [mark(v) for v in item]
        return item

    text = json.dumps(mark(value))
    for n, depth in enumerate(depths):
        text = text.replace(f'"\\u0000deep{n}\\u0000"', "[" * depth + "null" + "]" * depth)
    return text
