"""Names the store can hold: NTFS allows unpaired UTF-16 surrogates in names, DynamoDB wants UTF-8.

PowerShell writes such a name as a `\\udXXX` escape and Python parses it into a str holding a lone surrogate,
which no UTF-8 encoder takes. The store keeps such a name twice: `readable` (each lone surrogate shown as
U+FFFD, for people and search results) and `exact` (the name as a JSON string literal in which only the lone
surrogates are escaped, so `json.loads(exact(name)) == name`: reversible, readable, and no longer in UTF-8 than
the name itself, so a breach with two 32,767-character names in both forms still fits a 400 KB item).
"""

from __future__ import annotations

import json
import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def has_lone_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def readable(text: str) -> str:
    """The name with every lone surrogate replaced by U+FFFD: valid UTF-8, for display."""
    return _SURROGATE.sub(REPLACEMENT, text)


def exact(text: str) -> str:
    """The name as a JSON string literal with its lone surrogates escaped: `json.loads` gives back every code
    unit, and the literal is valid UTF-8."""
    return json_text(text)


def json_text(value: Any) -> str:
    """JSON that is valid UTF-8 whatever the strings hold: non-ASCII stays as it is, lone surrogates (which
    `ensure_ascii=False` would leave unencodable) are written as \\uXXXX escapes."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def exact_if_needed(text: str) -> str | None:
    """The exact form only for a name that needs it, else None (no attribute is stored)."""
    return exact(text) if has_lone_surrogate(text) else None


def storable(value: Any) -> Any:
    """Any value with every string made valid UTF-8 (readable form): a last line of defence for items whose
    strings were not written with an exact form next to them (scanner host, problem messages)."""
    if isinstance(value, str):
        return readable(value) if has_lone_surrogate(value) else value
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable(v) for v in value]
    return value
