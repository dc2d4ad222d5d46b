"""Retention: every item carries its DynamoDB TTL (expiresAt), set so that order and repetition cannot change it."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from slawatch.ingest import write
from tests.support.reports import RECEIVED, normalised
from tests.unit.store.helpers import SCANS, snapshot, store_for

DAY = 86_400


def _epoch(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def _by_kind(table):
    items = snapshot(table)
    return ([i for i in items if i["sk"]["S"] == "BREACH"],
            [i for i in items if i["sk"]["S"].startswith("BATCH#")],
            [i for i in items if i["sk"]["S"] == "REPORT"])


def test_breaches_records_and_batch_guards_expire_by_their_own_clocks(table):
    store = store_for(table, retention_days=400)
    for scan in SCANS:
        write(normalised(scan), store)
    breaches, guards, records = _by_kind(table)
    a = next(b for b in breaches if b["filename"]["S"] == "a.csv")
    assert int(a["expiresAt"]["N"]) == _epoch("2026-11-28T09:10:00Z") + 400 * DAY  # last sighting + retention
    assert len(guards) == 3
    assert {int(g["expiresAt"]["N"]) for g in guards} == {int((RECEIVED + timedelta(days=15)).timestamp())}
    assert {int(r["expiresAt"]["N"]) for r in records} == {int((RECEIVED + timedelta(days=400)).timestamp())}


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_a_breach_expires_after_its_newest_sighting_whatever_the_order(table, order):
    store = store_for(table, retention_days=30)
    for index in order:
        store.record_breaches(normalised(SCANS[index]))
    a = next(b for b in _by_kind(table)[0] if b["filename"]["S"] == "a.csv")
    assert int(a["expiresAt"]["N"]) == _epoch("2026-11-28T09:10:00Z") + 30 * DAY


def test_retention_zero_keeps_everything_forever(table):
    store = store_for(table, retention_days=0)
    for scan in SCANS:
        write(normalised(scan), store)
    assert all("expiresAt" not in item for item in snapshot(table))


def test_expiry_stays_out_of_what_readers_see(table):
    store = store_for(table, retention_days=400)
    write(normalised(SCANS[0]), store)
    day = datetime(2026, 11, 28, tzinfo=UTC).strftime("%Y-%m-%d")
    assert all("expiresAt" not in item for item in store.breaches_by_day(day).items)
