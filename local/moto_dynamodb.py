"""moto 5.2.5's DynamoDB, made fast enough for real report sizes (50,000 breaches) without changing what it answers.

Measured on the local stack (benchmarks/local_stack_bench.py), three costs made a 50,000-file report take hours;
this module fixes the third and holds what the other two fixes share:

1. transactions deep-copying every table they touch: local/moto_transactions.py;
2. update expressions going through moto's generic, partly quadratic machinery: local/moto_updates.py;
3. `Table.query` sorts and filters *all* items of the table for every Query, base table or index. Here a Query
   considers only the items of its partition: the base table's partition directly, an index's partition from a
   per-index map kept up to date by every write (put, delete, update, transaction, rollback), and of those only
   the ones that can be on the page asked for (local/moto_query.py), so a page costs what the page holds.

Every write and query on a table runs under one lock (`LOCK`), which also lets the local stack's snapshots read a
consistent table. `watch(callback)` reports each changed item key, which the snapshots use to write only changes.
tests/unit/test_moto_dynamodb.py runs the same operations with and without these patches and compares the results.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from moto.dynamodb.exceptions import ItemSizeTooLarge
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.table import Table
from moto.dynamodb.models.utilities import bytesize

from . import moto_dynamodb_sort, moto_query

LOCK = threading.RLock()
_watchers: list[Callable[[Table, DynamoType, DynamoType | None], None]] = []
_narrowed = threading.local()  # the candidate items of the Query running on this thread
_ORIGINAL: dict[str, Any] = {}
_PLAIN = {"S", "N"}  # the value types made and sized directly (_item_init)


def watch(callback: Callable[[Table, DynamoType, DynamoType | None], None]) -> Callable[[], None]:
    """Call `callback(table, hash, range)` (under LOCK) after every change of an item; returns the unwatch."""
    _watchers.append(callback)
    return lambda: _watchers.remove(callback) if callback in _watchers else None


# --------------------------------------------------------------------------- per-index partition maps
class _IndexMaps:
    """For one table: index name -> index hash value -> {item key: item}, and item key -> its indexed values."""

    def __init__(self, table: Table) -> None:
        self.source = id(table.items)
        self.hash_attrs = {
            index.name: [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
            for index in table.all_indexes()
        }
        self.partitions: dict[str, dict[DynamoType, dict[tuple[Any, Any], Item]]] = {n: {} for n in self.hash_attrs}
        self.placed: dict[tuple[Any, Any], dict[str, DynamoType]] = {}
        for item in table.all_items():
            self.place(item)

    def remove(self, key: tuple[Any, Any]) -> None:
        for name, value in self.placed.pop(key, {}).items():
            partition = self.partitions[name].get(value)
            if partition is not None:
                partition.pop(key, None)
                if not partition:
                    del self.partitions[name][value]

    def place(self, item: Item) -> None:
        key = (item.hash_key, item.range_key)
        self.remove(key)
        values = {}
        for name, attrs in self.hash_attrs.items():
            if len(attrs) == 1 and attrs[0] in item.attrs:
                values[name] = item.attrs[attrs[0]]
                self.partitions[name].setdefault(item.attrs[attrs[0]], {})[key] = item
        self.placed[key] = values


def _maps(table: Table) -> _IndexMaps:
    maps = getattr(table, "_slawatch_index_maps", None)
    if maps is None or maps.source != id(table.items):  # new table, or items replaced wholesale (restore)
        maps = _IndexMaps(table)
        table._slawatch_index_maps = maps  # type: ignore[attr-defined]
    return maps


def changed(table: Table, hash_value: DynamoType, range_value: DynamoType | None) -> None:
    maps = getattr(table, "_slawatch_index_maps", None)
    if maps is not None and maps.source == id(table.items):
        item = table.get_item(hash_value, range_value) if (range_value or not table.has_range_key) else None
        if item is None:
            maps.remove((hash_value, range_value))
        else:
            maps.place(item)
    for callback in list(_watchers):
        callback(table, hash_value, range_value)


def _sorted(items: list[Item]) -> list[Item]:
    """In the order Table.all_items returns them (moto's later stable sorts depend on it)."""
    return moto_dynamodb_sort.table_order(items)


def _candidates(table: Table, hash_key: Any, index_name: str | None, conditions: Any) -> list[Item] | None:
    if not index_name:
        if hash_key is None or not table.has_range_key:
            return None
        return list(table.items.get(hash_key, {}).values())
    maps = _maps(table)
    attrs = maps.hash_attrs.get(index_name)
    given = dict(conditions or [])
    if not attrs or len(attrs) != 1 or set(given) != set(attrs):
        return None
    return list(maps.partitions[index_name].get(given[attrs[0]], {}).values())


# --------------------------------------------------------------------------- the patched methods
def _item_init(self: Item, hash_key: DynamoType, range_key: DynamoType | None, attrs: dict[str, Any]) -> None:
    """moto's Item(), which re-adds every attribute's size on each insertion (quadratic), summing once: the
    running total only grows, so it passes moto's 405,000-byte check at every step iff the final sum does.
    A plain string or number value (all but a few of a breach's) is made and sized directly: what DynamoType()
    and its size() do for one, without their generic type tests (a third of moto's time per breach update)."""
    self.hash_key = hash_key
    self.range_key = range_key
    values = {key: _dynamo_type(value) for key, value in attrs.items()}
    if sum(bytesize(key) + _size(value) for key, value in values.items()) > 405000:
        raise ItemSizeTooLarge
    self.attrs = LimitedSizeDict()
    dict.update(self.attrs, values)


def _dynamo_type(value: Any) -> DynamoType:
    if type(value) is dict and len(value) == 1:
        ((kind, inner),) = value.items()
        if kind in _PLAIN and type(inner) is str:
            made = DynamoType.__new__(DynamoType)
            made.type, made.value = kind, inner
            return made
    return DynamoType(value)


def _size(value: DynamoType) -> int:
    if value.type in _PLAIN and type(value.value) is str:
        return len(value.value) if value.type == "N" else len(value.value.encode("utf-8"))
    return value.size()


def _put_item(self: Table, item_attrs: dict[str, Any], *args: Any, **kwargs: Any) -> Item:
    with LOCK:
        item = _ORIGINAL["put_item"](self, item_attrs, *args, **kwargs)
        changed(self, item.hash_key, item.range_key)
        return item


def _delete_item(self: Table, hash_key: DynamoType, range_key: DynamoType | None) -> Item | None:
    with LOCK:
        item = _ORIGINAL["delete_item"](self, hash_key, range_key)
        if item is not None:
            changed(self, hash_key, range_key)
        return item


def _all_items(self: Table) -> list[Item]:
    narrowed = getattr(_narrowed, "value", None)
    if narrowed is not None and narrowed[0] is self:
        return narrowed[1]
    return _ORIGINAL["all_items"](self)


def _query(self: Table, hash_key: Any, range_comparison: Any, range_objs: Any, limit: Any,
           exclusive_start_key: Any, scan_index_forward: Any, projection_expressions: Any,
           index_name: str | None = None, *args: Any, **kwargs: Any) -> Any:
    with LOCK:
        candidates = None
        if index_name is None or index_name in {index.name for index in self.all_indexes()}:
            candidates = _candidates(self, hash_key, index_name, kwargs.get("hash_key_conditions"))
        if candidates is not None:  # only what can be on this page (local/moto_query.py), then moto's order
            legacy = bool(set(kwargs) - {"hash_key_conditions", "range_key_conditions"})
            candidates = _sorted(moto_query.page_candidates(
                self, index_name, candidates, range_comparison, range_objs, exclusive_start_key, limit,
                scan_index_forward, kwargs.get("range_key_conditions"), legacy_filters=legacy))
        _narrowed.value = (self, candidates) if candidates is not None else None
        try:
            return _ORIGINAL["query"](self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
                                      scan_index_forward, projection_expressions, index_name, *args, **kwargs)
        finally:
            _narrowed.value = None


def apply() -> None:
    """Install the patches (idempotent; the caller serialises calls)."""
    if _ORIGINAL:
        return
    _ORIGINAL["item_init"] = Item.__init__
    Item.__init__ = _item_init  # type: ignore[method-assign]
    _ORIGINAL.update(put_item=Table.put_item, delete_item=Table.delete_item, all_items=Table.all_items,
                     query=Table.query)
    Table.put_item = _put_item  # type: ignore[method-assign]
    Table.delete_item = _delete_item  # type: ignore[method-assign]
    Table.all_items = _all_items  # type: ignore[method-assign]
    Table.query = _query  # type: ignore[method-assign]


def remove() -> None:
    """Put moto's own methods back (the differential tests compare both)."""
    if not _ORIGINAL:
        return
    Item.__init__ = _ORIGINAL["item_init"]  # type: ignore[method-assign]
    for name in ("put_item", "delete_item", "all_items", "query"):
        setattr(Table, name, _ORIGINAL[name])
    _ORIGINAL.clear()
