"""Query parameters of the search API, parsed and checked here so the Lambda handler stays thin.

    GET /breaches?date=D[&to=D][&folder=F][&since=T][&until=T][&limit=N][&nextToken=X]   by affected date
    GET /breaches?folder=F&from=D[&to=D][&since=T][&until=T][&limit=N][&nextToken=X]     one folder, a range
    GET /reports?date=D[&to=D][&limit=N][&nextToken=X]                                   report outcomes
    GET /incidents[?state=open][&limit=N][&nextToken=X]                                  what is stuck now
    GET /incidents?state=resolved&date=D[&to=D][&limit=N][&nextToken=X]                  resolved on those days

Every problem is collected and reported at once, each located as `query.<name>`, so a caller fixes a request
in one round trip. Unknown parameters are errors (a misspelt `limt` silently ignored would return 100 items
and look like a bug elsewhere). A parameter given twice is an error too: API Gateway would keep only the last
one. The page token itself is checked by the store (slawatch.pagination), which knows which partitions it may
read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from slawatch import keys
from slawatch.errors import Problem, SlaWatchError
from slawatch.paths import canonical_folder
from slawatch.timestamps import TimestampError, parse_day, parse_timestamp

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_DAYS_BY_DATE = 31  # a by-date search reads every shard of every day: keep it bounded
MAX_DAYS_BY_FOLDER = 366  # one partition, one Query: a year is cheap
MAX_FOLDER_CHARS = 32_767  # the longest Windows path
MIN_YEAR = 1000  # canonical timestamps have four-digit years; earlier instants would not sort as strings
MAX_PROBLEMS = 20
_MAX_ECHO = 64  # quote a bad value back only when it is short

BREACH_PARAMETERS = frozenset({"date", "from", "to", "folder", "since", "until", "limit", "nextToken"})
REPORT_PARAMETERS = frozenset({"date", "to", "limit", "nextToken"})
INCIDENT_PARAMETERS = frozenset({"state", "date", "to", "limit", "nextToken"})
INCIDENT_STATES = ("open", "resolved")
_LIMIT = re.compile(r"[0-9]{1,9}")  # ASCII only: int() would also accept other scripts' digits

KIND_BY_DAY = "byDay"
KIND_BY_FOLDER = "byFolder"
KIND_REPORTS = "reports"
KIND_INCIDENTS = "incidents"


class InvalidQuery(SlaWatchError):
    """One or more query parameters are unusable; `problems` says which and why (a 400)."""

    status_code = 400

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} query parameter problem(s)")


@dataclass(frozen=True)
class BreachSearch:
    first_day: str
    last_day: str
    folder_id: str | None  # set: a key-conditioned query on the ByFolder index; None: every shard of ByDay
    since: datetime | None
    until: datetime | None
    limit: int
    token: str | None

    @property
    def kind(self) -> str:
        return KIND_BY_FOLDER if self.folder_id else KIND_BY_DAY


@dataclass(frozen=True)
class ReportSearch:
    first_day: str
    last_day: str
    limit: int
    token: str | None

    kind = KIND_REPORTS


@dataclass(frozen=True)
class IncidentSearch:
    state: str
    days: tuple[str, ...]  # resolved: the UTC days of resolution; open: empty
    limit: int
    token: str | None

    kind = KIND_INCIDENTS


def query_values(single: Any, multi: Any) -> dict[str, list[str]]:
    """Every value of every parameter from a REST proxy event; either map may be missing or null.

    `multiValueQueryStringParameters` keeps repeated parameters (so they can be refused); hand-made events
    may carry only `queryStringParameters`. Non-string values from such events are read as text.
    """
    source = multi if isinstance(multi, Mapping) and multi else single
    if not isinstance(source, Mapping):
        return {}
    values: dict[str, list[str]] = {}
    for name, value in source.items():
        items = value if isinstance(value, list) else [value]
        values[str(name)] = [item if isinstance(item, str) else str(item) for item in items if item is not None]
    return values


def parse_breach_search(params: Mapping[str, list[str]]) -> BreachSearch:
    reader = _Reader(params, BREACH_PARAMETERS)
    day = reader.day("date")
    start = reader.day("from")
    end = reader.day("to")
    folder = reader.folder("folder")
    since = reader.instant("since")
    until = reader.instant("until")
    limit = reader.limit()
    token = reader.token()

    if "date" in params and "from" in params:
        reader.problem(
            "from",
            "give either date (search by affected date) or folder with from (one folder over a range), not both",
        )
    elif "date" not in params and "from" not in params:
        reader.problem(
            "date",
            "date is required: ?date=YYYY-MM-DD[&to=YYYY-MM-DD], or search one folder with "
            "?folder=...&from=YYYY-MM-DD&to=YYYY-MM-DD",
        )
    if "from" in params and "folder" not in params:
        reader.problem("folder", "folder is required with from; to search every folder use date instead of from")
    first = day if "date" in params else start
    reader.check_range(
        "date" if "date" in params else "from",
        first,
        end,
        MAX_DAYS_BY_DATE if "date" in params else MAX_DAYS_BY_FOLDER,
    )
    if since and until and since > until:
        reader.problem("until", "must not be before since")

    reader.raise_problems()
    assert first is not None  # raise_problems() guarantees it; this narrows the type
    return BreachSearch(
        first_day=_iso(first),
        last_day=_iso(end or first),
        folder_id=keys.folder_id(canonical_folder(folder)) if folder is not None else None,
        since=since,
        until=until,
        limit=limit,
        token=token,
    )


def parse_report_search(params: Mapping[str, list[str]]) -> ReportSearch:
    reader = _Reader(params, REPORT_PARAMETERS)
    first = reader.day("date")
    end = reader.day("to")
    limit = reader.limit()
    token = reader.token()
    if "date" not in params:
        reader.problem("date", "date is required: ?date=YYYY-MM-DD[&to=YYYY-MM-DD] (the UTC day reports arrived)")
    reader.check_range("date", first, end, MAX_DAYS_BY_DATE)
    reader.raise_problems()
    assert first is not None  # narrowed by raise_problems()
    return ReportSearch(first_day=_iso(first), last_day=_iso(end or first), limit=limit, token=token)


def parse_incident_search(params: Mapping[str, list[str]]) -> IncidentSearch:
    reader = _Reader(params, INCIDENT_PARAMETERS)
    state = reader.text("state") or "open"
    first = reader.day("date")
    end = reader.day("to")
    limit = reader.limit()
    token = reader.token()
    if state not in INCIDENT_STATES:
        reader.problem("state", f"must be one of {', '.join(INCIDENT_STATES)}")
    elif state == "open" and ("date" in params or "to" in params):
        reader.problem("date", "open incidents are listed whatever day they opened; date and to go with "
                       "state=resolved")
    elif state == "resolved" and "date" not in params:
        reader.problem("date", "date is required with state=resolved: ?state=resolved&date=YYYY-MM-DD"
                       "[&to=YYYY-MM-DD] (the UTC day incidents resolved)")
    reader.check_range("date", first, end, MAX_DAYS_BY_DATE)
    reader.raise_problems()
    days: tuple[str, ...] = ()
    if first is not None:
        last = end or first
        days = tuple(_iso(date.fromordinal(n)) for n in range(first.toordinal(), last.toordinal() + 1))
    return IncidentSearch(state=state, days=days, limit=limit, token=token)


class _Reader:
    """Reads one parameter at a time and collects what is wrong instead of stopping at the first problem."""

    def __init__(self, params: Mapping[str, list[str]], allowed: frozenset[str]):
        self.params = params
        self.problems: list[Problem] = []
        for name in sorted(set(params) - allowed):
            self.problem(name, f"unknown parameter; this search takes {', '.join(sorted(allowed))}")

    def problem(self, name: str, message: str) -> None:
        if not any(p.path == _path(name) for p in self.problems):  # one problem per parameter is enough
            self.problems.append(Problem(_path(name), message))

    def raise_problems(self) -> None:
        if self.problems:
            raise InvalidQuery(self.problems[:MAX_PROBLEMS])

    def text(self, name: str) -> str | None:
        values = self.params.get(name)
        if values is None:
            return None
        if len(values) != 1:
            self.problem(name, f"given {len(values)} times; give it exactly once")
            return None
        return values[0]

    def day(self, name: str) -> date | None:
        text = self.text(name)
        if text is None:
            return None
        try:
            parsed = parse_day(text).date()
        except TimestampError:
            self.problem(name, f"{_quote(text)} is not a calendar date in the form YYYY-MM-DD")
            return None
        if parsed.year < MIN_YEAR:
            self.problem(name, f"must be {MIN_YEAR}-01-01 or later")
            return None
        return parsed

    def instant(self, name: str) -> datetime | None:
        text = self.text(name)
        if text is None:
            return None
        try:
            parsed = parse_timestamp(text)
        except TimestampError as exc:
            detail = str(exc) if len(text) <= _MAX_ECHO else "it is not a timestamp"
            self.problem(
                name,
                f"must be an ISO 8601 timestamp with a time zone, such as 2026-11-28T09:15:00Z: {detail}",
            )
            return None
        if parsed.year < MIN_YEAR:
            self.problem(name, f"must be {MIN_YEAR}-01-01T00:00:00Z or later")
            return None
        return parsed

    def folder(self, name: str) -> str | None:
        text = self.text(name)
        if text is None:
            return None
        if not 1 <= len(text) <= MAX_FOLDER_CHARS:
            self.problem(name, f"must be a folder path of 1 to {MAX_FOLDER_CHARS} characters")
            return None
        return text

    def limit(self) -> int:
        text = self.text("limit")
        if text is None:
            return DEFAULT_LIMIT
        if not _LIMIT.fullmatch(text) or not 1 <= int(text) <= MAX_LIMIT:
            self.problem("limit", f"must be a whole number from 1 to {MAX_LIMIT}")
            return DEFAULT_LIMIT
        return int(text)

    def token(self) -> str | None:
        text = self.text("nextToken")
        if text == "":
            self.problem("nextToken", "must not be empty: leave it out to get the first page")
            return None
        return text

    def check_range(self, start_name: str, first: date | None, last: date | None, max_days: int) -> None:
        if first is None or last is None:
            return
        if last < first:
            self.problem("to", f"must not be before {start_name}")
        elif (last - first).days + 1 > max_days:
            self.problem(
                "to",
                f"the range {_iso(first)}..{_iso(last)} covers {(last - first).days + 1} days; "
                f"at most {max_days} days may be searched at once",
            )


def _path(name: str) -> str:
    return f"query.{name[:100]}"


def _quote(text: str) -> str:
    return repr(text) if len(text) <= _MAX_ECHO else "the value"


def _iso(day: date) -> str:
    # Not strftime: on Linux it drops the leading zeros of years before 1000.
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
