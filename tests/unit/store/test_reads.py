"""Breach reads: shard merge order, date and time windows, folders, page tokens."""

from datetime import UTC, datetime

import pytest

from slawatch.pagination import InvalidToken, decode_token, encode_token
from slawatch.store import iter_pages
from tests.unit.store.helpers import seed


def test_day_query_merges_shards_in_breach_time_order(table):
    store = seed(table)
    everything = list(iter_pages(lambda token: store.breaches_by_day("2026-11-28", limit=7, token=token)))
    assert len(everything) == 30
    times = [b["breachedAt"] for b in everything]
    assert times == sorted(times)
    assert len({b["breachId"] for b in everything}) == 30


def test_day_range_time_window_and_folder(table):
    store = seed(table)
    assert len(store.breaches_by_day("2026-11-28", "2026-11-29", limit=500).items) == 31
    since = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    until = datetime(2026, 11, 28, 11, 0, tzinfo=UTC)
    window = store.breaches_by_day("2026-11-28", since=since, until=until).items
    assert window and all("2026-11-28T10:00" <= b["breachedAt"] <= "2026-11-28T11:00:00.000Z" for b in window)
    other = store.breaches_by_folder(window[0]["folderId"], "2026-11-28", "2026-11-29").items
    assert {b["folder"] for b in other} == {"/srv/in"}


def test_folder_query_pages_over_a_date_range(table):
    store = seed(table)
    from slawatch.keys import folder_id

    pages = list(iter_pages(lambda t: store.breaches_by_folder(folder_id("/srv/in"), "2026-11-01", "2026-11-30",
                                                                limit=4, token=t)))
    assert len(pages) == 30


def test_forged_or_foreign_tokens_are_rejected(table):
    store = seed(table)
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


def test_a_token_whose_start_key_lies_outside_the_query_window_is_rejected(table):
    # DynamoDB answers a start key outside the key condition's sort-key range with a ValidationException
    # ("The provided starting key does not match the range key predicate"): a 500, unless the store refuses it.
    store = seed(table)
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
    store = seed(table, shards=2)
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
