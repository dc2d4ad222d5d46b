"""Search pages completed from the table: index entries hold keys (and a few attributes), the items come from
BatchGetItem in the page's order; repeats leave the indexes alone; UnprocessedKeys, throttling, vanished items."""

import boto3
import pytest
from botocore.exceptions import ClientError

from local.template import table_definition
from slawatch import keys
from slawatch.errors import StoreUnavailable
from slawatch.ingest import write
from slawatch.store import BreachStore, iter_pages
from slawatch.store.base import public
from tests.support.reports import normalised
from tests.unit.store.helpers import SCANS, seed, store_for

INDEX_KEYS = {"pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"}
DAY = "2026-11-28"


def _projected(index: str) -> set[str]:
    [found] = [i for i in table_definition()["GlobalSecondaryIndexes"] if i["IndexName"] == index]
    return set(found["Projection"].get("NonKeyAttributes", []))


def _breach_entries(table: str) -> list[dict]:
    """Every breach entry of both indexes (what DynamoDB stores there), read straight from moto."""
    client = boto3.client("dynamodb")
    entries = []
    for index, pk in ((keys.INDEX_BY_DAY, "gsi1pk"), (keys.INDEX_BY_FOLDER, "gsi2pk")):
        partitions = {i[pk]["S"] for i in client.scan(TableName=table)["Items"] if pk in i}
        for partition in sorted(partitions):
            entries += client.query(TableName=table, IndexName=index, KeyConditionExpression="#p = :p",
                                    ExpressionAttributeNames={"#p": pk},
                                    ExpressionAttributeValues={":p": {"S": partition}})["Items"]
    return [entry for entry in entries if entry["pk"]["S"].startswith("BREACH#")]


def test_index_entries_hold_only_keys_and_the_projected_attributes(table):
    # moto honours INCLUDE on a GSI Query: the breach item has two dozen attributes, its entries only keys.
    store = seed(table, count=3)
    by_day = store.client.query(TableName=table, IndexName=keys.INDEX_BY_DAY, KeyConditionExpression="gsi1pk = :p",
                                ExpressionAttributeValues={":p": {"S": keys.by_day_pk(DAY, 0)}})["Items"]
    assert by_day
    for entry in by_day:
        assert set(entry) <= INDEX_KEYS | _projected(keys.INDEX_BY_DAY)
        assert "reportCount" not in entry and "filename" not in entry
    [item] = store.breaches_by_day(DAY, limit=1).items
    assert item["reportCount"] == 1 and item["filename"].startswith("f")


def test_a_repeat_report_writes_no_index_entry_yet_search_shows_the_new_count(table):
    store = store_for(table)
    write(normalised(SCANS[0]), store)
    before = _breach_entries(table)
    write(normalised(SCANS[1]), store)  # the same file, five minutes later
    assert len(before) == 2 and _breach_entries(table) == before  # no projected attribute changed: no index write
    [by_day] = store.breaches_by_day(DAY).items
    [by_folder] = store.breaches_by_folder(by_day["folderId"], DAY, DAY).items
    assert by_day["reportCount"] == 2 and by_day == by_folder == store.get_breach(by_day["breachId"])
    assert by_day["lastReported"] > by_day["firstReported"]


def test_pages_keep_the_merge_order_and_split_batch_gets_at_100_keys(table):
    store = seed(table, count=230)
    client = store.client
    calls = []
    original = client.batch_get_item

    def counted(**kwargs):
        calls.append(len(kwargs["RequestItems"][table]["Keys"]))
        return original(**kwargs)

    client.batch_get_item = counted
    page = store.breaches_by_day(DAY, limit=230)
    assert calls == [100, 100, 30]
    times = [(b["breachedAt"], b["breachId"]) for b in page.items]
    assert len(times) == 230 and times == sorted(times)


def test_unprocessed_keys_are_asked_again_after_a_backoff(table):
    sleeps = []
    store = BreachStore(table, shards=4, sleep=sleeps.append)
    seed(table, count=12)
    client = store.client
    original = client.batch_get_item
    answered = []

    def partial(**kwargs):
        requested = kwargs["RequestItems"][table]["Keys"]
        answered.append(len(requested))
        if len(answered) > 1:
            return original(**kwargs)
        response = original(RequestItems={table: {"Keys": requested[:5]}})
        return {**response, "UnprocessedKeys": {table: {"Keys": requested[5:]}}}

    client.batch_get_item = partial
    page = store.breaches_by_day(DAY, limit=12)
    assert answered == [12, 7] and len(sleeps) == 1
    assert len(page.items) == 12 and len({b["breachId"] for b in page.items}) == 12


def test_keys_dynamodb_never_processes_end_in_store_unavailable(table):
    sleeps = []
    store = BreachStore(table, shards=4, sleep=sleeps.append, max_rounds=4)
    seed(table, count=3)
    calls = []

    def never(**kwargs):
        calls.append(kwargs)
        return {"Responses": {table: []}, "UnprocessedKeys": kwargs["RequestItems"]}

    store.client.batch_get_item = never
    with pytest.raises(StoreUnavailable):
        store.breaches_by_day(DAY)
    assert len(calls) == 4 and len(sleeps) == 4


def test_a_throttled_batch_get_is_retried_and_a_refused_one_is_not(table):
    store = store_for(table)
    seed(table, count=3)
    client = store.client
    original = client.batch_get_item
    errors = [ClientError({"Error": {"Code": "ProvisionedThroughputExceededException"}}, "BatchGetItem")]

    def throttled_once(**kwargs):
        if errors:
            raise errors.pop()
        return original(**kwargs)

    client.batch_get_item = throttled_once
    assert len(store.breaches_by_day(DAY).items) == 3

    def refused(**kwargs):
        raise ClientError({"Error": {"Code": "AccessDeniedException"}}, "BatchGetItem")

    client.batch_get_item = refused
    with pytest.raises(ClientError):
        store.breaches_by_day(DAY)


def test_an_item_gone_or_moved_after_the_index_read_is_dropped_and_the_token_is_unchanged(table):
    store = seed(table, count=12, shards=1)
    undisturbed = store.breaches_by_day(DAY, limit=6)
    gone, moved = undisturbed.items[1]["breachId"], undisturbed.items[3]["breachId"]
    client = store.client
    original = client.query

    def then_ttl_and_reshard(**kwargs):
        response = original(**kwargs)
        client.delete_item(TableName=table, Key={k: {"S": v} for k, v in keys.breach_key(gone).items()})
        client.update_item(TableName=table, Key={k: {"S": v} for k, v in keys.breach_key(moved).items()},
                           UpdateExpression="SET gsi1pk = :p", ExpressionAttributeValues={":p": {"S": "DAY#x#1"}})
        return response

    client.query = then_ttl_and_reshard
    page = store.breaches_by_day(DAY, limit=6)
    expected = [b["breachId"] for b in undisturbed.items if b["breachId"] not in (gone, moved)]
    assert [b["breachId"] for b in page.items] == expected
    assert page.next_token == undisturbed.next_token


def test_report_records_read_through_the_index_are_the_whole_records(table):
    store = store_for(table)
    for body in SCANS:
        write(normalised(body), store)
    records = list(iter_pages(lambda token: store.reports_by_day("2026-11-28", limit=2, token=token)))
    assert len(records) == 3
    client = boto3.client("dynamodb")
    for record in records:
        item = client.get_item(TableName=table, Key={k: {"S": v} for k, v in keys.report_key(
            record["reportId"]).items()})["Item"]
        assert record == public(item) and {"status", "counts", "receivedAt", "source"} <= set(record)
