"""GET /incidents through the search Lambda, on incidents made by the real incident service."""

from __future__ import annotations

from datetime import timedelta

import pytest

from search import app as search_app
from slawatch.incident_service import apply_report
from slawatch.incident_store import IncidentStore
from slawatch.incidents import Settings
from tests.support.incident_reports import T0, RecordingNotifier, at, outcome, scan
from tests.support.reports import normalised

DAY = at(0)[:10]


@pytest.fixture
def incidents(table):
    """Three hosts trip; the first recovers: two open, one resolved."""
    store = IncidentStore(table, sleep=lambda _: None)
    search_app._incident_store.cache_clear()

    def send(body, caller):
        meta = normalised(body, received_at=T0 + timedelta(hours=1), caller=caller).meta
        apply_report(body, meta, store, RecordingNotifier(), Settings(recovery_minutes=0), T0)

    for n, host in enumerate(("fs01", "fs02", "fs03")):
        send(scan(n, outcome(stuck=n + 1)), host)
    send(scan(10, outcome()), "fs01")
    yield store
    search_app._incident_store.cache_clear()


def test_open_incidents_by_default_oldest_first(call, incidents):
    answer = call("/incidents")
    assert answer.status == 200
    assert [(i["host"], i["filesStuck"], i["state"]) for i in answer.body["items"]] == [
        ("fs02", 2, "open"), ("fs03", 3, "open")]
    assert answer.body["nextToken"] is None
    assert not {"version", "notify", "lastSighting", "pk", "gsi1pk"} & set(answer.body["items"][0])


def test_resolved_incidents_by_day(call, incidents):
    answer = call("/incidents", {"state": "resolved", "date": DAY})
    assert [(i["host"], i["resolution"], i["resolvedAt"]) for i in answer.body["items"]] == [
        ("fs01", "clean", at(10))]


def test_pages_follow_next_token(call, incidents):
    first = call("/incidents", {"limit": "1"})
    second = call("/incidents", {"limit": "1", "nextToken": first.body["nextToken"]})
    assert [i["host"] for i in first.body["items"] + second.body["items"]] == ["fs02", "fs03"]


@pytest.mark.parametrize(
    ("params", "path", "words"),
    [
        ({"state": "stuck"}, "query.state", "must be one of open, resolved"),
        ({"state": "resolved"}, "query.date", "date is required with state=resolved"),
        ({"date": DAY}, "query.date", "go with state=resolved"),
        ({"state": "resolved", "date": DAY, "to": "2027-02-01"}, "query.to", "at most 31 days"),
        ({"limit": "0"}, "query.limit", "from 1 to 500"),
        ({"since": DAY}, "query.since", "unknown parameter"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(call, table, params, path, words):
    answer = call("/incidents", params)
    assert answer.status == 400
    (problem,) = [p for p in answer.body["problems"] if p["path"] == path]
    assert words in problem["message"]


def test_a_token_of_another_query_is_refused(call, incidents):
    token = call("/incidents", {"limit": "1"}).body["nextToken"]
    answer = call("/incidents", {"state": "resolved", "date": DAY, "nextToken": token})
    assert answer.status == 400 and answer.body["problems"][0]["path"] == "query.nextToken"


def test_a_scanner_token_cannot_list_incidents(call, table):
    assert call("/incidents", scope="slawatch/reports.write").status == 403
