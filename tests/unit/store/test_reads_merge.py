"""The ByDay shard merge: pages are exactly the merged order cut into `limit`s, and a page reads about one page.

Breaches are written straight into the table with the store's own keys (slawatch.keys), their ids chosen so
each lands in the shard a test wants; the expected answer is computed from what was written, not by the store.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from local.template import table_definition
from slawatch import keys
from slawatch.store import iter_pages
from tests.unit.store.helpers import store_for

DAY = "2026-11-28"
FOLDER = keys.folder_id("/srv/in")


def breach(shard: int, n: int, at: str, shards: int) -> dict:
    """A breach item of shard `shard`: the id's first 8 hex digits pick the shard (keys.day_shard)."""
    breach_id = f"{shard:08x}{n:032x}"
    assert keys.day_shard(breach_id, shards) == shard
    return {**keys.breach_key(breach_id), **keys.breach_index_keys(breach_id, FOLDER, at, at[:10], shards),
            "breachId": breach_id, "breachedAt": at, "folder": "/srv/in", "filename": f"file-{n:05d}.csv"}


def write(table: str, items: list[dict]) -> None:
    client = boto3.client("dynamodb")
    for start in range(0, len(items), 25):
        batch = [{"PutRequest": {"Item": {k: {"S": v} for k, v in item.items()}}} for item in items[start:start + 25]]
        client.batch_write_item(RequestItems={table: batch})


def instant(minute: float, day: str = DAY) -> str:
    moment = datetime.fromisoformat(f"{day}T00:00:00+00:00") + timedelta(minutes=minute)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def layout(sizes: list[int], *, seed: int = 7, same_instant: int = 0, day: str = DAY, first: int = 0) -> list[dict]:
    """`sizes[s]` breaches in shard s (of len(sizes)) at random minutes of the day, numbered from `first`;
    the first `same_instant` share one instant."""
    rnd = random.Random(seed)
    items, n = [], first
    for shard, size in enumerate(sizes):
        for _ in range(size):
            at = instant(720, day) if n - first < same_instant else instant(rnd.uniform(0, 1439), day)
            items.append(breach(shard, n, at, len(sizes)))
            n += 1
    rnd.shuffle(items)  # shards interleave in time; the ids at one instant keep their own order
    return items


def merged(items: list[dict], low: str = "", high: str = "~") -> list[str]:
    """Breach ids in the ByDay merge order: by sort key (instant, then id), whatever the shard."""
    return [i["breachId"] for i in sorted(items, key=lambda i: i["gsi1sk"]) if low <= i["breachedAt"] <= high]


def expected_pages(items: list[dict], limit: int, low: str = "", high: str = "~") -> list[list[str]]:
    ids = merged(items, low, high)
    return [ids[n:n + limit] for n in range(0, len(ids), limit)] or [[]]


def assert_pages(got: list[list[str]], expected: list[list[str]]) -> None:
    """Pages are the merged order cut into `limit`s. When a shard's last item ends a Query at its Limit, DynamoDB
    still answers a LastEvaluatedKey, so a last, empty page may follow (it did before this merge, too)."""
    assert got in (expected, [*expected, []])


def pages(store, last_day: str | None = None, **query) -> list[list[str]]:
    """Every page of the day (or days) by date, followed to the end: breach ids per page."""
    found, token = [], None
    while True:
        page = store.breaches_by_day(DAY, last_day, token=token, **query)
        found.append([b["breachId"] for b in page.items])
        token = page.next_token
        if not token:
            return found


def count_returned(store) -> list[int]:
    """Wrap the client's Query: the items DynamoDB returned, one entry per call."""
    returned: list[int] = []
    original = store.client.query

    def query(**kwargs):
        response = original(**kwargs)
        returned.append(len(response.get("Items", [])))
        return response

    store.client.query = query
    return returned


SKEWED = {
    "all in one shard": [240, 0, 0, 0],
    "one shard empty": [80, 80, 0, 80],
    "very different sizes": [1, 9, 60, 170],
    "balanced": [60, 60, 60, 60],
}


@pytest.mark.parametrize("limit", [1, 7, 100, 500])
@pytest.mark.parametrize("sizes", SKEWED.values(), ids=SKEWED.keys())
def test_pages_by_date_are_the_merged_order_cut_into_limits(table, sizes, limit):
    items = layout(sizes)
    write(table, items)
    assert_pages(pages(store_for(table), limit=limit), expected_pages(items, limit))


@pytest.mark.parametrize("limit", [1, 7, 100])
def test_many_breaches_at_one_instant_page_in_id_order_across_shards(table, limit):
    items = layout([50, 30, 0, 40], same_instant=90)
    write(table, items)
    got = pages(store_for(table), limit=limit)
    assert_pages(got, expected_pages(items, limit))
    at_noon = {b["breachId"] for b in items if b["breachedAt"] == instant(720)}
    tied = [i for page in got for i in page if i in at_noon]
    assert len(tied) == 90 and tied == sorted(tied)


@pytest.mark.parametrize("limit", [1, 7, 100, 500])
def test_since_and_until_cut_every_shard_at_the_same_instants(table, limit):
    items = layout([5, 70, 20, 140])
    write(table, items)
    since, until = datetime(2026, 11, 28, 5, 30, tzinfo=UTC), datetime(2026, 11, 28, 17, 45, 30, tzinfo=UTC)
    got = pages(store_for(table), limit=limit, since=since, until=until)
    assert_pages(got, expected_pages(items, limit, "2026-11-28T05:30:00.000Z", "2026-11-28T17:45:30.000Z"))


@pytest.mark.parametrize("limit", [1, 6, 100])
def test_a_day_range_carries_the_page_from_one_day_into_the_next(table, limit):
    # 2026-11-29 has no breaches at all: every shard of it is queried, found empty and passed over.
    items = layout([3, 0, 11, 6], seed=1) + layout([0, 14, 2, 9], seed=2, day="2026-11-30", first=1000)
    write(table, items)
    assert_pages(pages(store_for(table), last_day="2026-11-30", limit=limit), expected_pages(items, limit))


# Shards filled as the hash of the breach id fills them (evenly), and one shard holding most of the day: the first
# ask is an even share, so the small shards' surplus is read twice there, but never a page from every shard.
READ_LAYOUTS = {"balanced": ([500, 500, 500, 500], 1.3, 1.2), "skewed": ([1400, 300, 300, 0], 1.6, 1.5)}


@pytest.mark.parametrize("limit", [100, 500])
@pytest.mark.parametrize(("sizes", "page_bound", "total_bound"), READ_LAYOUTS.values(), ids=READ_LAYOUTS.keys())
def test_a_page_by_date_reads_about_one_page_not_one_per_shard(table, sizes, page_bound, total_bound, limit):
    items = layout(sizes)
    write(table, items)
    store = store_for(table)
    returned = count_returned(store)
    per_page, token = [], None  # (items on the page, items DynamoDB returned for it)
    while True:
        before = sum(returned)
        page = store.breaches_by_day(DAY, limit=limit, token=token)
        per_page.append((len(page.items), sum(returned) - before))
        token = page.next_token
        if not token:
            break
    assert sum(shown for shown, _ in per_page) == len(items)
    # Before, every shard was asked for a whole page: up to one page per shard read for each page returned.
    assert max(read for shown, read in per_page if shown == limit) <= page_bound * limit, per_page
    assert sum(read for _, read in per_page) <= total_bound * len(items), per_page


def test_a_lone_partition_is_asked_for_exactly_the_page(table):
    items = layout([0, 0, 333, 0])
    write(table, items)
    store = store_for(table)
    returned = count_returned(store)
    got = list(iter_pages(lambda t: store.breaches_by_folder(FOLDER, DAY, DAY, limit=100, token=t)))
    assert [b["breachId"] for b in got] == merged(items)
    assert sum(returned) == len(items)


CUT_SHORT = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@CUT_SHORT
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=25), min_size=1, max_size=5),
    limit=st.integers(min_value=1, max_value=12),
    ties=st.integers(min_value=0, max_value=6),
    cuts=st.randoms(use_true_random=False),
)
def test_any_shard_layout_pages_exactly_even_when_dynamodb_cuts_queries_short(aws, sizes, limit, ties, cuts):
    # A Query may stop before its Limit (1 MB) and still say there is more; which ones do is left to chance.
    table = f"merge-{uuid.uuid4().hex[:8]}"
    boto3.client("dynamodb").create_table(TableName=table, **table_definition())
    items = layout(sizes, same_instant=ties)
    write(table, items)
    store = store_for(table, shards=len(sizes))
    original = store.client.query

    def sometimes_short(**kwargs):
        response = original(**kwargs)
        kept = response.get("Items", [])
        if len(kept) > 1 and cuts.random() < 0.4:
            kept = kept[:cuts.randint(1, len(kept) - 1)]
            response = {**response, "Items": kept,
                        "LastEvaluatedKey": {k: kept[-1][k] for k in ("pk", "sk", "gsi1pk", "gsi1sk")}}
        return response

    store.client.query = sometimes_short
    assert_pages(pages(store, limit=limit), expected_pages(items, limit))
