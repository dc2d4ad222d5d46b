"""The search benchmark's own logic: the day it loads, how it follows pages, how it divides the counts."""

import json
from datetime import UTC, date, datetime

import pytest

from benchmarks import search_bench
from slawatch import ingest


def test_layout_fills_folders_then_hosts():
    assert search_bench.layout(1_000) == [[250, 250, 250, 250]]
    hosts = search_bench.layout(10_100)
    assert [len(h) for h in hosts] == [20, 20, 1] and hosts[-1] == [100]
    assert sum(map(sum, hosts)) == 10_100


def test_a_day_report_is_a_valid_report_whose_breaches_all_fall_on_that_day():
    day = date(2026, 11, 5)
    body, folders = search_bench.day_report(day, 3, [5, 7], start=10, total=30)
    report = ingest.prepare(body, received_at=datetime(2026, 11, 6, tzinfo=UTC), caller="fs003")
    assert len(report.breaches) == 12 and len(folders) == 2
    assert {b.affected_date for b in report.breaches} == {"2026-11-05"}
    assert {b.folder for b in report.breaches} == set(folders)
    instants = sorted(b.breached_at for b in report.breaches)
    assert instants[0] == datetime(2026, 11, 5, 8, 24, tzinfo=UTC)  # breach 10 of 30: (10 + 0.5) / 30 of the day
    assert all("ü" in b.filename for b in report.breaches)


def test_walk_follows_next_token_to_the_last_page_and_adds_up():
    pages = {None: ([1, 2], "a"), "a": ([3, 4], "b"), "b": ([5], None)}
    seen = []

    def fetch(token):
        seen.append(token)
        items, following = pages[token]
        body = {"items": items, "nextToken": following}
        return len(json.dumps(body)), body

    walked = search_bench.walk(fetch)
    assert seen == [None, "a", "b"]
    assert (walked.pages, walked.items) == (3, 5)
    assert walked.bytes == sum(len(json.dumps({"items": i, "nextToken": n})) for i, n in pages.values())
    again = search_bench.walk(fetch, walked)  # several searches add into one walk
    assert (again.pages, again.items) == (6, 10)


def test_per_page_and_per_thousand_divide_every_count():
    figures = {"pages": 4, "items": 400, "queries": 16, "read_units": 100.0, "bytes": 4000}
    assert search_bench.per_page(figures) == {"items": 100, "queries": 4, "read_units": 25.0, "bytes": 1000}
    assert search_bench.per_thousand(figures, 2_000)["read_units"] == pytest.approx(50.0)
    assert search_bench.per_thousand(figures, 2_000)["pages"] == pytest.approx(2.0)


def _cell(pages, queries, units, breaches):
    total = {"pages": pages, "items": breaches, "bytes": breaches * 1000, "queries": queries, "read_units": units,
             "lambda_gb_seconds": 0.1 * pages}
    return {"total": total, "per_page": search_bench.per_page(total),
            "per_1000_breaches": search_bench.per_thousand(total, breaches)}


def _measured(*sizes):
    return {"limits": [100, 500], "breaches_per_folder": 250, "folders_per_host": 20, "day_shards": 4,
            "search_memory_mb": 512,
            "sizes": {str(n): {"breaches": n, "folders": n // 250, "day": "2026-11-01",
                               "date_100": _cell(n // 100, 4 * n // 100, 0.6 * n, n),
                               "date_500": _cell(n // 500, 4 * n // 500, 0.4 * n, n),
                               "folder_100": _cell(3 * n // 250, 3 * n // 250, 0.15 * n, n),
                               "folder_500": _cell(n // 250, n // 250, 0.15 * n, n)} for n in sizes}}


def test_render_states_linearity_and_the_date_to_folder_ratio():
    text = search_bench.render(_measured(1_000, 10_000))
    assert "differ by at most 0.0%" in text
    assert "600.00 read units per 1,000 breaches against 150.00 by folder (4.0 times as much)" in text
    assert "| 10,000 | by date | 100 | 100 | 400 | 6,000.0 |" in text
    assert "Measured at one size" in search_bench.render(_measured(1_000))
