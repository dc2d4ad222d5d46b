"""Instants as integer nanoseconds since the epoch, formatted the way the report contract wants.

Integers keep the SLA comparison exact (a file exactly at its SLA must not breach), which floats cannot
promise.
"""

import re
from datetime import UTC, date, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NS_PER_MS = 1_000_000
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def datetime_to_ns(value: datetime) -> int:
    """Exact conversion (to the microsecond) of an aware datetime to epoch nanoseconds."""
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000


def ns_to_datetime(ns: int) -> datetime:
    """Aware UTC datetime for epoch nanoseconds (sub-microsecond digits dropped)."""
    return _EPOCH + timedelta(microseconds=ns // 1_000)


def format_instant(ns: int) -> str:
    """ISO 8601 UTC with milliseconds (``2026-11-28T10:00:00.000Z``); truncates, like .NET's ``fff``."""
    ms = ns // _NS_PER_MS
    moment = _EPOCH + timedelta(milliseconds=ms)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{ms % 1000:03d}Z"


def parse_instant(text: str) -> int:
    """Parse an ISO 8601 instant that names its zone (``Z`` or an offset); a bare date means midnight UTC.

    A timestamp without a zone is refused: on a scanner host it would silently mean local time.
    """
    text = text.strip()
    if _DATE_RE.match(text):
        return datetime_to_ns(datetime.fromisoformat(text).replace(tzinfo=UTC))
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise ValueError(f"not an ISO 8601 instant: {text!r} (example: 2026-11-28T09:00:00Z)") from None
    if moment.tzinfo is None:
        raise ValueError(f"instant {text!r} has no zone; add Z or an offset such as +01:00")
    return datetime_to_ns(moment)


def parse_day(text: str) -> date:
    """Parse a calendar day ``YYYY-MM-DD`` (the API's affected-date format)."""
    if not _DATE_RE.match(text.strip()):
        raise ValueError(f"not a date: {text!r} (expected YYYY-MM-DD)")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"not a valid date: {text!r}") from None
