"""Property: whatever query string arrives, the search API answers 200 or 400, never 500."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from slawatch.search_params import BREACH_PARAMETERS
from tests.search.conftest import PAYMENTS

NAMES = st.one_of(st.sampled_from(sorted(BREACH_PARAMETERS)), st.text(min_size=1, max_size=12))
NEAR_DAYS = st.dates(min_value=date(2026, 11, 20), max_value=date(2026, 12, 5)).map(date.isoformat)
ANY_DAYS = st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}")
ZONES = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
INSTANTS = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=ZONES).map(
    lambda d: d.isoformat()
)
VALUES = st.one_of(
    st.text(max_size=40),
    NEAR_DAYS,
    ANY_DAYS,
    INSTANTS,
    st.integers(min_value=-5, max_value=10_000).map(str),
    st.sampled_from([PAYMENTS, "d:/inbound/payments/", "/", "\\\\", "C:", "", "null", "eyJ2IjoxfQ", "%00"]),
)
# Mostly well-formed searches with one or two odd values: these reach the store, not just the parser.
PLAUSIBLE = st.fixed_dictionaries(
    {"date": NEAR_DAYS},
    optional={
        "to": st.one_of(NEAR_DAYS, VALUES),
        "folder": st.one_of(st.sampled_from([PAYMENTS, "d:/inbound/payments/"]), st.text(min_size=1)),
        "since": st.one_of(INSTANTS, VALUES),
        "until": st.one_of(INSTANTS, VALUES),
        "limit": st.one_of(st.integers(min_value=1, max_value=500).map(str), VALUES),
        "nextToken": VALUES,
    },
)
SINGLE = st.one_of(st.dictionaries(NAMES, VALUES, max_size=6), PLAUSIBLE)
MULTI = st.dictionaries(NAMES, st.lists(VALUES, min_size=1, max_size=3), max_size=5)
FIXTURES = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _check(answer) -> None:
    assert answer.status in (200, 400), answer.body
    event(f"status {answer.status}")
    if answer.status == 400:
        assert answer.body["problems"]
        assert all(p["path"].startswith("query.") and p["message"] for p in answer.body["problems"])
    else:
        assert answer.body["count"] == len(answer.body["items"])


@FIXTURES
@given(path=st.sampled_from(["/breaches", "/reports"]), params=SINGLE)
def test_any_query_string_is_a_200_or_a_400(call, seeded, path, params):
    _check(call(path, params))


@FIXTURES
@given(path=st.sampled_from(["/breaches", "/reports"]), multi=MULTI)
def test_any_repeated_parameters_are_a_200_or_a_400(call, seeded, path, multi):
    _check(call(path, multi=multi))


@FIXTURES
@given(day=NEAR_DAYS, span=st.integers(min_value=0, max_value=3), limit=st.integers(min_value=1, max_value=9))
def test_valid_searches_page_without_errors(call, seeded, day, span, limit):
    to = (date.fromisoformat(day) + timedelta(days=span)).isoformat()
    answer = call(params={"date": day, "to": to, "limit": str(limit)})
    seen = 0
    while True:
        _check(answer)
        assert answer.status == 200
        seen += answer.body["count"]
        if not answer.body["nextToken"]:
            break
        answer = call(params={"date": day, "to": to, "limit": str(limit), "nextToken": answer.body["nextToken"]})
    assert seen == len(seeded.expected(days=tuple(_days(day, to))))


def _days(first: str, last: str) -> list[str]:
    start = datetime.fromisoformat(first).replace(tzinfo=UTC)
    count = (datetime.fromisoformat(last).replace(tzinfo=UTC) - start).days + 1
    return [(start + timedelta(days=n)).date().isoformat() for n in range(count)]
