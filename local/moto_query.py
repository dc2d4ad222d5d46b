"""One Query page of moto 5.2.5's DynamoDB in time proportional to the page, not to the partition.

Once local/moto_dynamodb.py hands moto's `Table.query` only the items of the queried partition, moto still sorts
that whole partition with DynamoType comparisons, walks it from the start to the ExclusiveStartKey, and checks the
range condition item by item: every page of a 25,000-item day shard cost seconds, so paging a day of 100,000
breaches (benchmarks/search_bench.py) was quadratic. Here, before moto sees them, the partition's items are cut
down with plain string comparisons to those that can be on this page: inside the range condition, not before the
start key's sort value, and, for a forward query with a Limit, no further than the (Limit + 1)-th item after the
start key, or the first item past the range when every match fits (moto answers a LastEvaluatedKey only when
it meets one more item after a full page). Items sharing a sort value are kept or cut together, so moto's own
tie-breaking on the table's keys still decides. A reverse query is cut only at its start key. Only string sort
keys are cut (Python orders str by code point, which is the order of their UTF-8 bytes, DynamoDB's order);
anything else is left whole. moto then sorts, skips, checks and pages what is left exactly as before, so its
answers are unchanged (tests/unit/test_moto_query.py pages partitions with and without the cut and compares).
"""

from __future__ import annotations

from typing import Any

from moto.dynamodb.models.dynamo_type import Item
from moto.dynamodb.models.table import Table

_BOUNDS = {"BETWEEN", ">=", ">", "<=", "<", "="}


def range_attribute(table: Table, index_name: str | None) -> str | None:
    if not index_name:
        return table.range_key_attr
    for index in table.all_indexes():
        if index.name == index_name:
            ranges = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"]
            return ranges[0] if len(ranges) == 1 else None
    return None


def page_candidates(table: Table, index_name: str | None, items: list[Item], range_comparison: str | None,
                    range_objs: list[Any], exclusive_start_key: dict[str, Any] | None, limit: int | None,
                    scan_index_forward: bool, range_key_conditions: Any = None,
                    legacy_filters: bool = False) -> list[Item]:
    """The items of one partition that can be on this page (a superset moto narrows exactly)."""
    attr = range_attribute(table, index_name)
    named = [name for name, *_ in range_key_conditions or []]
    if attr is None or legacy_filters or len(named) > 1 or (named and named[0] != attr):
        return items
    values: list[tuple[str, Item]] = []
    for item in items:
        value = item.attrs.get(attr)
        if value is None:
            continue  # moto drops it too: an index holds only items with all its key attributes
        if value.type != "S":
            return items
        values.append((value.value, item))
    start = _start_value(exclusive_start_key, attr)
    if exclusive_start_key and start is None:
        return items
    if not scan_index_forward:  # only what comes before the start key in reverse order goes
        return items if start is None else [i for v, i in values if v <= start]
    low, high = _bounds(range_comparison, range_objs)
    floor = max(filter(None, (low, start)), default=None)
    values = sorted((pair for pair in values if floor is None or pair[0] >= floor), key=lambda pair: pair[0])
    if (range_comparison is not None and low is None and high is None) or not limit:
        return [i for _, i in values]  # begins_with and the like: moto checks the condition on every item
    after = [v for v, _ in values if (start is None or v > start) and (high is None or v <= high)]
    # moto answers a LastEvaluatedKey only when it meets one more item after a full page: the (limit + 1)-th
    # match, or, when every match fits, the first item past the range.
    past = next((v for v, _ in values if high is not None and v > high), None)
    last = after[limit] if len(after) > limit else past
    return [i for v, i in values if last is None or v <= last]


def _bounds(comparison: str | None, objs: list[Any]) -> tuple[str | None, str | None]:
    strings = [o.value for o in objs if getattr(o, "type", None) == "S"]
    if comparison not in _BOUNDS or len(strings) != len(objs) or not strings:
        return None, None
    if comparison == "BETWEEN":
        return strings[0], strings[1]
    if comparison in (">=", ">"):
        return strings[0], None
    if comparison in ("<=", "<"):
        return None, strings[0]
    return strings[0], strings[0]


def _start_value(key: dict[str, Any] | None, attr: str) -> str | None:
    if not key:
        return None
    value = key.get(attr)
    if isinstance(value, dict) and set(value) == {"S"} and isinstance(value["S"], str):
        return value["S"]
    return None
