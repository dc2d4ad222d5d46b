"""Breach writes against a moto table built from template.yaml: idempotent, order-insensitive, retried."""

import dataclasses
import itertools
import json
import threading
import time

import boto3
import pytest
from botocore.exceptions import ClientError

from slawatch.errors import StoreUnavailable
from slawatch.store import BreachStore, writes
from slawatch.store.writes import WriteSummary
from tests.support.reports import folder, normalised, report
from tests.unit.store.helpers import SCANS, breach_items, snapshot, store_for


def test_a_report_writes_one_breach_per_distinct_file(table):
    summary = store_for(table).record_breaches(normalised(SCANS[2]))
    assert summary.sightings_written == 2 and summary.duplicates_skipped == 0
    a, _ = sorted(breach_items(table), key=lambda i: i["filename"]["S"])
    assert a["entityType"]["S"] == "Breach"
    assert a["breachedAt"]["S"] == "2026-11-28T08:20:00.000Z"
    assert a["reportCount"]["N"] == "1"


def test_the_same_report_twice_leaves_the_same_table(table):
    store = store_for(table)
    store.record_breaches(normalised(SCANS[0]))
    before = snapshot(table)
    again = store.record_breaches(normalised(SCANS[0]))
    assert again.sightings_written == 0 and again.duplicates_skipped == 1
    assert snapshot(table) == before


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_reports_in_any_order_leave_the_same_table(aws, order):
    tables = []
    for n, sequence in enumerate([(0, 1, 2), order]):
        name = f"t{n}"
        from local.template import table_definition

        boto3.client("dynamodb").create_table(TableName=name, **table_definition())
        store = store_for(name)
        for index in sequence:
            store.record_breaches(normalised(SCANS[index]))
        tables.append(snapshot(name))
    assert tables[0] == tables[1]
    a = next(i for i in tables[1] if i["sk"]["S"] == "BREACH" and i["filename"]["S"] == "a.csv")
    assert a["firstReported"]["S"] == "2026-11-28T09:00:00.000Z"  # never moves later
    assert a["lastReported"]["S"] == "2026-11-28T09:10:00.000Z"  # never moves earlier
    assert a["reportCount"]["N"] == "3"


def test_a_report_leaves_one_guard_per_batch_and_no_item_per_breach_and_report(table):
    store = store_for(table)
    for scan in SCANS:
        store.record_breaches(normalised(scan))
    items = snapshot(table)
    guards = [i for i in items if i["sk"]["S"].startswith("BATCH#")]
    assert len(items) == 2 + 3  # a.csv and b.csv, and one guard for each report
    assert {(g["pk"]["S"], g["sk"]["S"]) for g in guards} == {
        (f"REPORT#{normalised(s).meta.report_id}", "BATCH#00000") for s in SCANS}
    assert {g["entityType"]["S"] for g in guards} == {"Batch"}
    assert sorted(int(g["breaches"]["N"]) for g in guards) == [1, 1, 2]


def test_the_newest_and_oldest_sightings_are_kept_on_the_breach(table):
    store = store_for(table)
    for scan in SCANS:
        store.record_breaches(normalised(scan))
    a = next(b for b in breach_items(table) if b["filename"]["S"] == "a.csv")
    first, last = normalised(SCANS[0]).meta.report_id, normalised(SCANS[2]).meta.report_id
    assert (a["firstReported"]["S"], a["firstReportId"]["S"]) == ("2026-11-28T09:00:00.000Z", first)
    assert (a["lastReported"]["S"], a["lastReportId"]["S"]) == ("2026-11-28T09:10:00.000Z", last)
    assert not {"firstSighting", "lastSighting"} & set(a)  # the time and the id above order sightings


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_reports_of_the_same_instant_are_ordered_by_report_id_whatever_arrives_first(aws, order):
    same_time = [report(folder("/in", 20, ("a.csv", "2026-11-28T08:00:00Z")), scanned_at="2026-11-28T09:00:00Z",
                        host=host) for host in ("alpha", "beta")]
    ids = sorted(normalised(r).meta.report_id for r in same_time)
    from local.template import table_definition

    boto3.client("dynamodb").create_table(TableName="tie", **table_definition())
    store = store_for("tie")
    for index in order:
        store.record_breaches(normalised(same_time[index]))
    (a,) = breach_items("tie")
    assert (a["firstReportId"]["S"], a["lastReportId"]["S"], a["reportCount"]["N"]) == (ids[0], ids[1], "2")


def test_a_report_written_again_in_another_breach_order_is_still_a_duplicate(table):
    store = store_for(table)
    files = [(f"f{i:04}.dat", "2026-11-28T08:00:00Z") for i in range(150)]
    once = normalised(report(folder("/in", 20, *files)))
    store.record_breaches(once)
    before = snapshot(table)
    again = dataclasses.replace(once, breaches=tuple(reversed(once.breaches)))
    assert store.record_breaches(again) == WriteSummary(0, 150)
    assert snapshot(table) == before


def _batch_number(actions: list[dict]) -> int:
    return int(actions[0]["Put"]["Item"]["sk"]["S"].removeprefix("BATCH#"))


@pytest.mark.parametrize("throttled", [0, 1, 2])
def test_a_report_cut_off_between_batches_counts_every_breach_once_when_written_again(table, throttled):
    client = boto3.client("dynamodb")
    original = client.transact_write_items

    def one_batch_throttled(**kwargs):
        if _batch_number(kwargs["TransactItems"]) == throttled:
            raise _throttled("TransactWriteItems")
        return original(**kwargs)

    files = [(f"f{i:04}.dat", "2026-11-28T08:00:00Z") for i in range(250)]  # batches of 99, 99 and 52
    big = normalised(report(folder("/in", 20, *files)))
    client.transact_write_items = one_batch_throttled
    with pytest.raises(StoreUnavailable):
        BreachStore(table, client, shards=4, sleep=lambda _: None, max_rounds=2).record_breaches(big)
    missing = (99, 99, 52)[throttled]
    assert len(breach_items(table)) == 250 - missing  # the other batches are in, whatever order they went in

    client.transact_write_items = original
    assert BreachStore(table, client, shards=4).record_breaches(big) == WriteSummary(missing, 250 - missing)
    assert {b["reportCount"]["N"] for b in breach_items(table)} == {"1"} and len(breach_items(table)) == 250


def test_a_big_reports_batches_are_written_several_at_a_time(table, monkeypatch):
    client = boto3.client("dynamodb")
    original = client.transact_write_items
    lock, state = threading.Lock(), {"now": 0, "most": 0}

    def overlapping(**kwargs):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        try:
            time.sleep(0.2)  # a DynamoDB round trip, long enough for every thread to start
            return original(**kwargs)
        finally:
            with lock:
                state["now"] -= 1

    files = [(f"f{i:04}.dat", "2026-11-28T08:00:00Z") for i in range(99 * 8)]
    client.transact_write_items = overlapping
    summary = BreachStore(table, client, shards=4).record_breaches(normalised(report(folder("/in", 20, *files))))
    assert summary == WriteSummary(99 * 8, 0) and len(breach_items(table)) == 99 * 8
    assert state["most"] == writes.BATCHES_IN_FLIGHT


def test_a_failing_batch_stops_the_batches_not_started(table):
    client = boto3.client("dynamodb")
    calls = []

    def broken(**kwargs):
        calls.append(_batch_number(kwargs["TransactItems"]))
        time.sleep(0.05)
        raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "TransactWriteItems")

    files = [(f"f{i:04}.dat", "2026-11-28T08:00:00Z") for i in range(99 * 20)]
    client.transact_write_items = broken
    with pytest.raises(ClientError):
        BreachStore(table, client, shards=4).record_breaches(normalised(report(folder("/in", 20, *files))))
    assert 1 <= len(calls) < 20  # the batches already running finish; the rest never start


def test_many_breaches_are_written_in_transactions_of_ninety_nine_and_a_guard(table):
    files = [(f"f{i:04}.dat", "2026-11-28T08:00:00Z") for i in range(120)]
    client = boto3.client("dynamodb")
    calls = []
    original = client.transact_write_items

    def counting(**kwargs):
        calls.append(len(kwargs["TransactItems"]))
        return original(**kwargs)

    client.transact_write_items = counting
    summary = BreachStore(table, client, shards=4).record_breaches(normalised(report(folder("/in", 20, *files))))
    assert summary.sightings_written == 120
    assert sorted(calls) == [22, 100]
    assert len(breach_items(table)) == 120


def _throttled(operation):
    return ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, operation)


def test_throttled_transactions_are_retried_with_backoff(table):
    client = boto3.client("dynamodb")
    original = client.transact_write_items
    failures = iter([True, True, False])
    sleeps = []

    def flaky(**kwargs):
        if next(failures):
            raise _throttled("TransactWriteItems")
        return original(**kwargs)

    client.transact_write_items = flaky
    store = BreachStore(table, client, shards=4, sleep=sleeps.append)
    assert store.record_breaches(normalised(SCANS[2])).sightings_written == 2
    assert len(sleeps) == 2 and all(0 <= s <= 5 for s in sleeps)


def test_throttling_reasons_inside_a_cancelled_transaction_are_retried(table):
    client = boto3.client("dynamodb")
    original = client.transact_write_items
    state = {"first": True}

    def cancelled_once(**kwargs):
        if state.pop("first", False):
            reasons = [{"Code": "ThrottlingError"}] + [{"Code": "None"}] * (len(kwargs["TransactItems"]) - 1)
            raise ClientError({"Error": {"Code": "TransactionCanceledException", "Message": "x"},
                               "CancellationReasons": reasons}, "TransactWriteItems")
        return original(**kwargs)

    client.transact_write_items = cancelled_once
    store = BreachStore(table, client, shards=4, sleep=lambda _: None)
    assert store.record_breaches(normalised(SCANS[2])).sightings_written == 2


def test_persistent_throttling_raises_store_unavailable(table):
    client = boto3.client("dynamodb")

    def always(**kwargs):
        raise _throttled("TransactWriteItems")

    client.transact_write_items = always
    with pytest.raises(StoreUnavailable):
        BreachStore(table, client, shards=4, sleep=lambda _: None, max_rounds=3).record_breaches(normalised(SCANS[0]))


def test_other_errors_are_not_retried(table):
    client = boto3.client("dynamodb")
    calls = []

    def broken(**kwargs):
        calls.append(1)
        raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "TransactWriteItems")

    client.transact_write_items = broken
    with pytest.raises(ClientError):
        BreachStore(table, client, shards=4, sleep=lambda _: None).record_breaches(normalised(SCANS[0]))
    assert calls == [1]


def test_names_with_unpaired_surrogates_are_stored_readably_and_exactly(table):
    # NTFS allows unpaired UTF-16 surrogates and PowerShell's JSON writes them as \udXXX escapes; DynamoDB
    # strings must be UTF-8. The file is still reported, its neighbour lands, and the exact name comes back.
    odd_folder, odd_file = "D:\\In\\dept\udc81", "report\ud800.csv"
    body = report(folder(odd_folder, 20, (odd_file, "2026-11-28T08:00:00Z"), ("plain.csv", "2026-11-28T08:00:00Z")))
    summary = store_for(table).record_breaches(normalised(body))
    assert summary.sightings_written == 2
    odd = next(i for i in breach_items(table) if i["filename"]["S"] != "plain.csv")
    assert odd["filename"]["S"] == "report\ufffd.csv" and odd["folder"]["S"] == "D:\\In\\dept\ufffd"
    assert json.loads(odd["filenameExact"]["S"]) == odd_file
    assert json.loads(odd["folderExact"]["S"]) == odd_folder
    plain = next(i for i in breach_items(table) if i["filename"]["S"] == "plain.csv")
    assert "filenameExact" not in plain and json.loads(plain["folderExact"]["S"]) == odd_folder

