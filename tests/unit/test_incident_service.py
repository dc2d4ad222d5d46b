"""Incidents end to end on a moto table built from template.yaml: open, update, flap, resolve, unwatched, silent
hosts, duplicates and any arrival order."""

from __future__ import annotations

import itertools
from datetime import timedelta

import boto3
import pytest

from local.template import table_definition
from slawatch.incident_service import apply_report, check_silence
from slawatch.incident_store import IncidentStore
from slawatch.incidents import Settings, silence_threshold
from slawatch.timestamps import parse_timestamp
from tests.support.incident_reports import FOLDER, T0, RecordingNotifier, at, outcome, scan
from tests.support.reports import encode, normalised

NOW = T0 + timedelta(hours=1)
OTHER = "D:\\Inbound\\Statements"
IMMEDIATE = Settings(recovery_minutes=0)


def send(store, notifier, body, *, settings=IMMEDIATE, caller="fs01-login", received=None):
    received = received or T0 + timedelta(minutes=_minutes(body))
    meta = normalised(body, received_at=received, caller=caller).meta
    return apply_report(body, meta, store, notifier, settings, NOW)


def _minutes(body) -> float:
    return (parse_timestamp(body["scanner"]["scannedAt"]) - T0).total_seconds() / 60


@pytest.fixture
def store(table):
    return IncidentStore(table, sleep=lambda _: None)


def snapshot(table):
    items = boto3.client("dynamodb").scan(TableName=table)["Items"]
    return sorted(items, key=lambda i: (i["pk"]["S"], i["sk"]["S"]))


def test_a_folder_that_trips_and_clears_notifies_once_each_way(store):
    notes = RecordingNotifier()
    send(store, notes, scan(0, outcome(stuck=3)))
    send(store, notes, scan(5, outcome(stuck=4)))
    (opened,) = store.open_incidents().items
    assert opened["filesStuck"] == 4 and opened["openedAt"] == at(0) and opened["lastSeen"] == at(5)
    assert opened["scans"] == 2 and opened["oldestFile"] == "PAY-0001.csv"
    send(store, notes, scan(10, outcome(stuck=0)))
    send(store, notes, scan(15, outcome(stuck=0)))
    assert notes.events() == [("opened", FOLDER), ("resolved", FOLDER)]
    assert store.open_incidents().items == []
    (resolved,) = store.resolved_incidents([at(10)[:10]]).items
    assert resolved["resolvedAt"] == at(10) and resolved["resolution"] == "clean"
    assert "3 files stuck" in notes.sent[0].subject and "slawatch status --host fs01-login" in notes.sent[0].text


def test_clean_scans_of_a_folder_without_incident_write_only_the_host(store, table):
    send(store, RecordingNotifier(), scan(0, outcome(stuck=0), outcome(OTHER)))
    assert [i["sk"]["S"] for i in snapshot(table)] == ["HOST"]


def test_flapping_within_the_recovery_window_reuses_the_incident_silently(store):
    notes = RecordingNotifier()
    settings = Settings(recovery_minutes=10)
    for minutes, stuck in ((0, 2), (5, 0), (10, 2), (15, 0), (20, 0), (25, 0)):
        send(store, notes, scan(minutes, outcome(stuck=stuck)), settings=settings)
        if minutes == 20:
            (recovering,) = store.open_incidents().items
            assert recovering["state"] == "recovering" and recovering["flaps"] == 1
    assert notes.events() == [("opened", FOLDER), ("resolved", FOLDER)]
    (resolved,) = store.resolved_incidents([at(0)[:10]]).items
    assert resolved["resolvedAt"] == at(15) and resolved["flaps"] == 1


def test_a_new_trip_after_resolving_is_a_new_incident_and_the_old_one_is_kept(store):
    notes = RecordingNotifier()
    for minutes, stuck in ((0, 1), (5, 0), (30, 2)):
        send(store, notes, scan(minutes, outcome(stuck=stuck)))
    assert notes.events() == [("opened", FOLDER), ("resolved", FOLDER), ("opened", FOLDER)]
    (current,) = store.open_incidents().items
    (old,) = store.resolved_incidents([at(0)[:10]]).items
    assert current["incidentId"] != old["incidentId"] and current["openedAt"] == at(30)


def test_a_folder_removed_from_the_config_resolves_its_incident(store):
    notes = RecordingNotifier()
    send(store, notes, scan(0, outcome(stuck=1), outcome(OTHER)))
    send(store, notes, scan(5, outcome(OTHER)))  # the scanner no longer watches FOLDER
    assert notes.events() == [("opened", FOLDER), ("resolved", FOLDER)]
    assert notes.sent[1].incident["resolution"] == "unwatched"


def test_a_missing_folder_is_an_incident_too(store):
    notes = RecordingNotifier()
    send(store, notes, scan(0, outcome(status="missing")))
    assert notes.events() == [("opened", FOLDER)] and "folder missing" in notes.sent[0].subject


def test_a_partial_folder_with_nothing_past_the_sla_is_not_an_incident(store):
    notes = RecordingNotifier()
    partial = {**outcome(), "status": "partial", "unreadableSubfolders": 2}
    send(store, notes, scan(0, partial))
    assert notes.sent == [] and store.open_incidents().items == []


def test_the_same_report_twice_changes_nothing_and_notifies_once(store, table):
    notes = RecordingNotifier()
    body = scan(0, outcome(stuck=3))
    send(store, notes, body)
    before = snapshot(table)
    again = send(store, notes, body)
    assert again.changes == 0 and len(notes.sent) == 1
    assert snapshot(table) == before


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_tripped_scans_in_any_order_make_the_same_incident(aws, order):
    scans = [scan(0, outcome(stuck=1)), scan(5, outcome(stuck=2)), scan(10, outcome(stuck=3))]
    views = []
    for n, sequence in enumerate([(0, 1, 2), order]):
        table = f"order-{n}"
        boto3.client("dynamodb").create_table(TableName=table, **table_definition())
        store, notes = IncidentStore(table, sleep=lambda _: None), RecordingNotifier()
        for index in sequence:
            send(store, notes, scans[index], received=T0 + timedelta(minutes=20))
        (incident,) = store.open_incidents().items
        views.append(({k: incident[k] for k in ("openedAt", "lastSeen", "filesStuck", "state")}, notes.events()))
    assert views[0] == views[1]
    assert views[0][0] == {"openedAt": at(0), "lastSeen": at(10), "filesStuck": 3, "state": "open"}
    assert views[0][1] == [("opened", FOLDER)]


def test_a_late_tripped_report_never_reopens_a_resolved_folder(store):
    notes = RecordingNotifier()
    send(store, notes, scan(0, outcome(stuck=1)))
    send(store, notes, scan(10, outcome(stuck=0)))
    send(store, notes, scan(5, outcome(stuck=1)))  # arrives after the clean one: history, not news
    assert notes.events() == [("opened", FOLDER), ("resolved", FOLDER)]
    assert store.open_incidents().items == []


def test_a_late_report_older_than_the_hosts_newest_scan_cannot_open(store):
    notes = RecordingNotifier()
    send(store, notes, scan(10, outcome(stuck=0)))
    send(store, notes, scan(5, outcome(stuck=1)))
    assert notes.sent == []


def test_an_original_shape_report_opens_and_a_later_one_without_the_folder_resolves(store):
    notes = RecordingNotifier()
    old = {"sla_error": [{"folder": FOLDER, "sla": 20, "files": [{"filename": "a.csv",
                                                                  "creationDate": at(-60)}]}],
           "scanner": {"host": "fs01", "scannedAt": at(0)}}
    send(store, notes, old)
    (incident,) = store.open_incidents().items
    assert incident["filesStuck"] == 1 and incident["oldestFile"] == "a.csv"
    send(store, notes, {"sla_error": [], "scanner": {"host": "fs01", "scannedAt": at(5)}})
    assert notes.events() == [("opened", FOLDER), ("resolved", FOLDER)]


def test_a_chunk_after_the_first_is_only_a_sign_of_life(store):
    notes = RecordingNotifier()
    send(store, notes, scan(0, outcome(stuck=1)))
    chunk = {"sla_error": [], "scanner": {"host": "fs01", "scannedAt": at(5), "chunkIndex": 2, "chunkCount": 2}}
    send(store, notes, chunk)
    assert notes.events() == [("opened", FOLDER)]


def test_a_silent_host_is_flagged_once_and_resolved_by_its_next_report(store):
    notes = RecordingNotifier()
    send(store, notes, scan(0, outcome(), interval=5))  # silent after 3 intervals: 15 minutes
    assert check_silence(store, notes, T0 + timedelta(minutes=14)) == []
    assert len(check_silence(store, notes, T0 + timedelta(minutes=16))) == 1
    assert check_silence(store, notes, T0 + timedelta(minutes=30)) == []  # flagged hosts leave the due list
    (silent,) = store.open_incidents().items
    assert silent["kind"] == "silent" and silent["openedAt"] == at(15) and silent["lastSeen"] == at(0)
    send(store, notes, scan(40, outcome()))
    assert notes.events() == [("opened", "silent"), ("resolved", "silent")]
    assert store.open_incidents().items == []
    assert check_silence(store, notes, T0 + timedelta(minutes=50)) == []
    assert len(check_silence(store, notes, T0 + timedelta(minutes=56))) == 1  # silent again: a new incident


def test_a_host_without_an_interval_uses_the_stack_threshold(store):
    notes = RecordingNotifier()
    send(store, notes, scan(0, outcome(), interval=None), settings=Settings(silence_minutes=30))
    assert check_silence(store, notes, T0 + timedelta(minutes=29)) == []
    assert len(check_silence(store, notes, T0 + timedelta(minutes=31))) == 1


def test_a_host_on_heartbeats_is_silent_after_the_heartbeat_plus_the_grace(store):
    notes = RecordingNotifier()
    # Every 5 minutes, unchanged scans sent every 15: 15 + 2 intervals of grace, not 3 intervals (15 minutes).
    send(store, notes, scan(0, outcome(), interval=5, heartbeat=15))
    assert check_silence(store, notes, T0 + timedelta(minutes=16)) == []
    assert check_silence(store, notes, T0 + timedelta(minutes=24)) == []
    assert len(check_silence(store, notes, T0 + timedelta(minutes=26))) == 1
    (silent,) = store.open_incidents().items
    assert silent["openedAt"] == at(25)


def test_the_newest_scan_sets_the_heartbeat_and_a_late_old_one_does_not(store):
    notes = RecordingNotifier()
    send(store, notes, scan(0, outcome(), interval=5, heartbeat=30))  # 30 + 10
    send(store, notes, scan(5, outcome(), interval=5, heartbeat=0))  # 0: every scan again, 15 from minute 5
    send(store, notes, scan(1, outcome(), interval=5, heartbeat=60))  # late and older: changes no expectation
    assert check_silence(store, notes, T0 + timedelta(minutes=19)) == []
    assert len(check_silence(store, notes, T0 + timedelta(minutes=21))) == 1


@pytest.mark.parametrize(
    ("interval", "heartbeat", "minutes"),
    [(5, None, 15), (5, 0, 15), (5, 15, 25), (5, 3, 15), (15, 60, 90), (1, 15, 17), (None, None, 30), (None, 15, 45)],
)
def test_silence_threshold(interval, heartbeat, minutes):
    assert silence_threshold(interval, Settings(), heartbeat) == timedelta(minutes=minutes)


def test_an_unsent_notification_goes_out_with_the_hosts_next_report(store):
    class Failing(RecordingNotifier):
        def send(self, notification):
            raise ConnectionError("SNS unreachable")

    with pytest.raises(ConnectionError):
        send(store, Failing(), scan(0, outcome(stuck=1)))
    notes = RecordingNotifier()
    send(store, notes, scan(0, outcome(stuck=1)))  # the Lambda retry of the same event
    assert notes.events() == [("opened", FOLDER)]
    send(store, notes, scan(5, outcome(stuck=1)))
    assert notes.events() == [("opened", FOLDER)]


def test_hosts_are_kept_apart(store):
    notes = RecordingNotifier()
    send(store, notes, scan(0, outcome(stuck=1)), caller="fs01")
    send(store, notes, scan(1, outcome(stuck=1)), caller="fs02")
    send(store, notes, scan(5, outcome()), caller="fs01")
    (left,) = store.open_incidents().items
    assert left["host"] == "fs02"


def test_pages_follow_the_token(store):
    notes = RecordingNotifier()
    for n in range(5):
        send(store, notes, scan(n, outcome(f"D:\\F{n}", stuck=1)), caller=f"host-{n}")
    first = store.open_incidents(limit=2)
    rest = store.open_incidents(limit=10, token=first.next_token)
    assert len(first.items) == 2 and len(rest.items) == 3 and rest.next_token is None
    assert [i["openedAt"] for i in first.items + rest.items] == [at(n) for n in range(5)]


def test_bodies_are_valid_reports():
    from slawatch.contract import validate_report

    assert validate_report(scan(0, outcome(stuck=2), outcome(OTHER, status="missing"))) == []
    assert encode(scan(0)) is not None
