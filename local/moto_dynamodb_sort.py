"""moto 5.2.5 sorts every index Query's candidates by comparing DynamoType objects: sorting by plain keys instead.

`Table.sorted_items` sorts by a tuple of DynamoType values, whose comparisons convert both sides (`cast_value`)
on every call: ~2.4 million conversions for 32 Queries over a 4,000-item day shard, most of each Query's time,
and a shard of a 50,000-file report holds 12,500 (benchmarks/local_stack_bench.py). When every sort attribute
of every candidate is a string (the store's index keys always are), ordering the tuples of the plain strings is
the same order: DynamoType equality is type and value equality, its `<` is the values' `<`. Any other candidate
set (a number, a binary, a missing attribute) is sorted by moto's own code. The sort stays stable, so ties keep
the order moto gives them. `table_order` does the same for the items of one partition in table key order
(local/moto_dynamodb.py narrows each Query to them). tests/unit/test_moto_dynamodb_sort.py compares patched and
unpatched answers.
"""

from __future__ import annotations

from typing import Any

from moto.dynamodb.models.table import Table

_ORIGINAL: dict[str, Any] = {}


def _sorted_items(self: Table, hash_key_attrs: list[str], range_key_attrs: list[str | None],
                  items: list[Any]) -> list[Any]:
    attrs = self._generate_attr_to_sort_by(hash_key_attrs, range_key_attrs)
    if all(attr in item.attrs and item.attrs[attr].type == "S" for item in items for attr in attrs):
        items.sort(key=lambda item: tuple(item.attrs[attr].value for attr in attrs))
        return items
    return _ORIGINAL["sorted_items"](self, hash_key_attrs, range_key_attrs, items)


def table_order(items: list[Any]) -> list[Any]:
    """Items in the order Table.all_items gives them (hash key, then range key), by plain strings when all are."""
    if all(i.hash_key.type == "S" and (i.range_key is None or i.range_key.type == "S") for i in items):
        return sorted(items, key=lambda x: (x.hash_key.value, x.range_key.value) if x.range_key else x.hash_key.value)
    return sorted(items, key=lambda x: (x.hash_key, x.range_key) if x.range_key else x.hash_key)


def apply() -> None:
    """Install the plain-key sort (idempotent; the caller serialises calls)."""
    if not _ORIGINAL:
        _ORIGINAL["sorted_items"] = Table.sorted_items
        Table.sorted_items = _sorted_items  # type: ignore[method-assign]


def remove() -> None:
    """moto's own sort again (the differential tests compare both)."""
    if _ORIGINAL:
        Table.sorted_items = _ORIGINAL.pop("sorted_items")  # type: ignore[method-assign]
