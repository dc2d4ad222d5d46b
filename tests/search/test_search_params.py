"""slawatch.search_params on its own: no AWS, just what a query string turns into."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from slawatch import keys
from slawatch.paths import canonical_folder
from slawatch.search_params import (
    DEFAULT_LIMIT,
    KIND_BY_DAY,
    KIND_BY_FOLDER,
    KIND_REPORTS,
    InvalidQuery,
    parse_breach_search,
    parse_report_search,
    query_values,
)


def q(**params: str) -> dict[str, list[str]]:
    return {k: [v] for k, v in params.items()}


def test_a_day_search_defaults_to_one_day_and_the_default_limit():
    search = parse_breach_search(q(date="2026-11-28"))

    assert (search.first_day, search.last_day, search.limit, search.token) == (
        "2026-11-28",
        "2026-11-28",
        DEFAULT_LIMIT,
        None,
    )
    assert search.kind == KIND_BY_DAY
    assert search.folder_id is None


def test_a_folder_is_keyed_by_its_canonical_form():
    search = parse_breach_search(q(folder="d:/INBOUND/payments/", **{"from": "2026-11-01", "to": "2026-11-30"}))

    assert search.kind == KIND_BY_FOLDER
    assert search.folder_id == keys.folder_id(canonical_folder("D:\\Inbound\\Payments"))
    assert (search.first_day, search.last_day) == ("2026-11-01", "2026-11-30")


def test_since_and_until_become_utc_instants():
    search = parse_breach_search(q(date="2026-11-28", since="2026-11-28T10:00:00+02:00", until="/Date(1795852800000)/"))

    assert search.since == datetime(2026, 11, 28, 8, tzinfo=UTC)
    assert search.until == datetime(2026, 11, 28, 8, tzinfo=UTC)


def test_a_report_search():
    search = parse_report_search(q(date="2026-11-28", to="2026-11-30", limit="7", nextToken="abc"))

    assert (search.first_day, search.last_day, search.limit, search.token, search.kind) == (
        "2026-11-28",
        "2026-11-30",
        7,
        "abc",
        KIND_REPORTS,
    )


def test_problems_name_the_parameters():
    with pytest.raises(InvalidQuery) as raised:
        parse_breach_search(q(date="2026-11-28", to="2026-11-01", limit="0", extra="1"))

    assert [p.path for p in raised.value.problems] == ["query.extra", "query.limit", "query.to"]
    assert raised.value.status_code == 400


def test_problems_are_capped():
    with pytest.raises(InvalidQuery) as raised:
        parse_breach_search(q(**{f"unknown{n}": "x" for n in range(50)}))

    assert len(raised.value.problems) == 20


@pytest.mark.parametrize(
    ("single", "multi", "expected"),
    [
        (None, None, {}),
        ("date=x", None, {}),
        ({"date": "2026-11-28"}, None, {"date": ["2026-11-28"]}),
        ({"date": "b"}, {"date": ["a", "b"]}, {"date": ["a", "b"]}),
        ({"date": "b"}, {}, {"date": ["b"]}),
        ({"limit": 5, "x": None}, None, {"limit": ["5"], "x": []}),
    ],
)
def test_query_values_reads_either_map_defensively(single, multi, expected):
    assert query_values(single, multi) == expected


def test_a_parameter_with_no_usable_value_is_an_error_not_a_default():
    with pytest.raises(InvalidQuery) as raised:
        parse_breach_search({"date": ["2026-11-28"], "limit": []})

    assert [p.path for p in raised.value.problems] == ["query.limit"]
