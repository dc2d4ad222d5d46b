"""The breach store against a moto table built from template.yaml."""

import itertools
from datetime import UTC, datetime

import boto3
import pytest
from botocore.exceptions import ClientError

from slawatch.errors import StoreUnavailable
from slawatch.ingest import write
from slawatch.pagination import InvalidToken, decode_token, encode_token
from slawatch.store import BreachStore, iter_pages
from tests.support.reports import folder, normalised, report


def store_for(table, **kwargs):
    return BreachStore(table, shards=kwargs.pop("shards", 4), sleep=lambda _: None, **kwargs)


def snapshot(table):
    items = boto3.client("dynamodb").scan(TableName=table)["Items"]
    return sorted(items, key=lambda i: (i["pk"]["S"], i["sk"]["S"]))


def breach_items(table):
    return [i for i in snapshot(table) if i["sk"]["S"] == "BREACH"]


# Three scans of the same folder, 5 minutes apart: the file a.csv is in all three, b.csv only in the last.
SCANS = [
    report(folder("D:\\In", 20, ("a.csv", "2026-11-28T08:00:00Z")), scanned_at="2026-11-28T09:00:00Z"),
    report(folder("d:/in", 20, ("A.CSV", "2026-11-28T08:00:00Z")), scanned_at="2026-11-28T09:05:00Z"),
    report(folder("D:\\In\\", 20, ("a.csv", "2026-11-28T08:00:00Z"), ("b.csv", "2026-11-28T08:30:00Z")),
           scanned_at="2026-11-28T09:10:00Z"),
]


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


def test_sightings_record_which_reports_carried_a_breach(table):
    store = store_for(table)
    for scan in SCANS:
        store.record_breaches(normalised(scan))
    breach = next(b for b in breach_items(table) if b["filename"]["S"] == "a.csv")
    sightings = store.sightings(breach["breachId"]["S"])
    assert len(sightings) == 3
    assert {s["reportId"] for s in sightings} == {normalised(s).meta.report_id for s in SCANS}


def test_many_breaches_are_written_in_transactions_of_fifty(table):
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
    assert calls == [100, 100, 40]
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


def _seed(table, count=30, shards=4):
    files = [(f"f{i:03}", f"2026-11-28T{8 + i % 10:02}:{i % 60:02}:00Z") for i in range(count)]
    late = [("late", "2026-11-29T01:00:00Z")]
    store = store_for(table, shards=shards)
    write(normalised(report(folder("/srv/in", 20, *files), folder("/srv/other", 20, *late))), store)
    return store


def test_day_query_merges_shards_in_breach_time_order(table):
    store = _seed(table)
    everything = list(iter_pages(lambda token: store.breaches_by_day("2026-11-28", limit=7, token=token)))
    assert len(everything) == 30
    times = [b["breachedAt"] for b in everything]
    assert times == sorted(times)
    assert len({b["breachId"] for b in everything}) == 30


def test_day_range_time_window_and_folder(table):
    store = _seed(table)
    assert len(store.breaches_by_day("2026-11-28", "2026-11-29", limit=500).items) == 31
    since = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    until = datetime(2026, 11, 28, 11, 0, tzinfo=UTC)
    window = store.breaches_by_day("2026-11-28", since=since, until=until).items
    assert window and all("2026-11-28T10:00" <= b["breachedAt"] <= "2026-11-28T11:00:00.000Z" for b in window)
    other = store.breaches_by_folder(window[0]["folderId"], "2026-11-28", "2026-11-29").items
    assert {b["folder"] for b in other} == {"/srv/in"}


def test_folder_query_pages_over_a_date_range(table):
    store = _seed(table)
    from slawatch.keys import folder_id

    pages = list(iter_pages(lambda t: store.breaches_by_folder(folder_id("/srv/in"), "2026-11-01", "2026-11-30",
                                                                limit=4, token=t)))
    assert len(pages) == 30


def test_reports_are_listed_by_received_day(table):
    store = _seed(table)
    (record,) = store.reports_by_day("2026-11-28").items
    assert record["status"] == "accepted" and record["counts"]["breaches"] == 31


def test_forged_or_foreign_tokens_are_rejected(table):
    store = _seed(table)
    token = store.breaches_by_day("2026-11-28", limit=2).next_token
    with pytest.raises(InvalidToken):
        store.breaches_by_day("2026-11-27", limit=2, token=token)  # another query's token
    for bad in ["", "not-base64!!", "eyJ2IjoxfQ", "x" * 9000]:
        with pytest.raises(InvalidToken):
            store.breaches_by_day("2026-11-28", limit=2, token=bad)
    query = {"kind": "day", "from": "2026-11-28", "to": None, "since": None, "until": None}
    state = decode_token(token, query)
    partition = next(iter(state["c"]))
    forged = {"i": 0, "c": {partition: {"pk": "REPORT#x", "sk": "REPORT", "gsi1pk": "REPORTS#2026-11-28",
                                        "gsi1sk": "x"}}}
    with pytest.raises(InvalidToken):
        store.breaches_by_day("2026-11-28", limit=2, token=encode_token(query, forged))


def test_report_status_reads_the_recorded_outcome(table):
    store = _seed(table)
    (record,) = store.reports_by_day("2026-11-28").items
    assert store.report_status(record["reportId"]) == "accepted"
    assert store.report_status("0" * 40) is None


def test_a_token_whose_start_key_lies_outside_the_query_window_is_rejected(table):
    # DynamoDB answers a start key outside the key condition's sort-key range with a ValidationException
    # ("The provided starting key does not match the range key predicate"): a 500, unless the store refuses it.
    store = _seed(table)
    since = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    token = store.breaches_by_day("2026-11-28", since=since, limit=2).next_token
    query = {"kind": "day", "from": "2026-11-28", "to": None, "since": "2026-11-28T10:00:00.000Z", "until": None}
    state = decode_token(token, query)
    partition, cursor = next((p, c) for p, c in state["c"].items() if c != "done")
    for outside in ("2026-11-28T09:00:00.000Z#x", "2026-11-29T00:00:00.000Z#x"):
        forged = {"i": 0, "c": {partition: {**cursor, "gsi1sk": outside}}}
        with pytest.raises(InvalidToken):
            store.breaches_by_day("2026-11-28", since=since, limit=2, token=encode_token(query, forged))


def test_a_shard_page_cut_short_by_dynamodb_does_not_reorder_the_merge(table):
    # A Query may stop before Limit (1 MB per call) and still say there is more. The merge must not hand out
    # items of other shards that sort after the unread rest of that shard.
    store = _seed(table, shards=2)
    client = store.client
    original = client.query

    def short_pages(**kwargs):
        response = original(**kwargs)
        items = response.get("Items", [])
        if kwargs.get("IndexName") == "ByDay" and kwargs["ExpressionAttributeValues"][":pk"]["S"].endswith("#0") \
                and len(items) > 1:
            last = items[0]
            response = {**response, "Items": items[:1],
                        "LastEvaluatedKey": {k: last[k] for k in ("pk", "sk", "gsi1pk", "gsi1sk")}}
        return response

    client.query = short_pages
    everything = list(iter_pages(lambda token: store.breaches_by_day("2026-11-28", limit=10, token=token)))
    times = [b["breachedAt"] for b in everything]
    assert len(everything) == 30
    assert times == sorted(times)


def test_a_failure_recorded_after_acceptance_does_not_overwrite_it(table):
    # Two deliveries of one report: one execution accepts it while the other, failing, checked the status
    # before the acceptance landed. The later "failed" must not replace "accepted".
    store = store_for(table)
    report_meta = normalised(SCANS[0]).meta
    store.record_report(report_meta, status="accepted", counts={"breaches": 1})
    assert store.record_report(report_meta, status="failed", problems=[{"path": "$", "message": "x"}]) is False
    assert store.report_status(report_meta.report_id) == "accepted"
    assert store.record_report(report_meta, status="accepted", counts={"breaches": 1}) is True
