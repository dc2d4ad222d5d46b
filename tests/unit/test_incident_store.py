"""Incident and host reads through the indexes, which project only kind/state (ByDay) and host (ByFolder):
pages are completed from the table with every field, the gauges and the due list read the index alone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from slawatch import keys
from slawatch.incident_service import apply_report
from slawatch.incident_store import IncidentStore, public
from slawatch.incidents import Settings
from tests.support.incident_reports import FOLDER, T0, RecordingNotifier, outcome, scan
from tests.support.reports import normalised

OTHER = "D:\\Inbound\\Statements"


@pytest.fixture
def store(table):
    return IncidentStore(table, sleep=lambda _: None)


def send(store, body, *, caller="fs01-login", minutes=0):
    meta = normalised(body, received_at=T0 + timedelta(minutes=minutes), caller=caller).meta
    apply_report(body, meta, store, RecordingNotifier(), Settings(recovery_minutes=0), T0 + timedelta(hours=1))


def test_incident_pages_show_every_field_the_table_holds(store):
    send(store, scan(0, outcome(stuck=3), outcome(OTHER, status="missing")))
    send(store, scan(5, outcome(stuck=4), outcome(OTHER, status="missing")), minutes=5)
    send(store, scan(10, outcome(stuck=0), outcome(OTHER, status="missing")), minutes=10)
    _, slots = store.load("fs01-login")
    by_folder = {incident.folder: public(incident) for incident in slots.values()}
    [still_open] = store.open_incidents().items
    [resolved] = store.resolved_incidents([T0.strftime("%Y-%m-%d")]).items
    assert still_open == by_folder[OTHER] and still_open["reason"] == "missing"
    assert resolved == by_folder[FOLDER]
    assert {"filesStuck", "oldestFile", "openedAt", "lastSeen", "resolvedAt", "scans", "hostName"} <= set(resolved)


def test_the_gauges_count_from_the_index_alone(store):
    send(store, scan(0, outcome(stuck=1), outcome(OTHER, status="unreadable")))
    client = store.client
    original = client.batch_get_item
    client.batch_get_item = None  # open_counts must not need the table
    try:
        assert store.open_counts() == {"open": 2, "recovering": 0, "silent": 0}
    finally:
        client.batch_get_item = original


def test_the_due_list_names_the_hosts_past_their_threshold(store):
    send(store, scan(0, outcome(), interval=5), caller="fs01")
    send(store, scan(10, outcome(), interval=5), caller="fs02", minutes=10)
    assert store.overdue_hosts(T0 + timedelta(minutes=16)) == ["fs01"]
    assert sorted(store.overdue_hosts(T0 + timedelta(minutes=26))) == ["fs01", "fs02"]


def test_an_incident_resolved_after_the_index_read_is_not_listed_as_open(store):
    send(store, scan(0, outcome(stuck=1), outcome(OTHER, stuck=1)))
    client = store.client
    original = client.query

    def then_resolve(**kwargs):
        response = original(**kwargs)
        if kwargs.get("IndexName") == keys.INDEX_BY_DAY:
            client.query = original
            send(store, scan(5, outcome(stuck=0), outcome(OTHER, stuck=1)), minutes=5)
        return response

    client.query = then_resolve
    [listed] = store.open_incidents().items
    assert listed["folder"] == OTHER
