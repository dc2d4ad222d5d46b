"""moto 5.2.5's DynamoDB, made fast enough for real report sizes (50,000 breaches) without changing what it answers.

Measured on the local stack (benchmarks/local_stack_bench.py), three costs made a 50,000-file report take hours:

1. `transact_write_items` deep-copies every table it touches, once per call, to be able to roll back: with
   100,000 items that is seconds per 100-action call. Here the transaction keeps an undo log of the items it
   touches instead (their state before the call) and restores exactly those on cancellation.
2. `update_item` runs moto's generic update-expression machinery (parse, deep-copy the AST, ten validator
   passes, one of them quadratic in the number of clauses): ~60 ms for the store's 25-clause updates. Here
   update expressions of the simple shape the store writes (`SET #a = :v`, `SET #a = if_not_exists(#a, :v)`,
   `REMOVE #a`, `ADD #n :number`, top-level `#name` placeholders only, no name twice, no key attribute, no empty
   string) are applied directly; every other expression, and every expression that would fail, goes to moto's
   own code, so errors are moto's own.
3. `Table.query` sorts and filters *all* items of the table for every Query, base table or index. Here a Query
   considers only the items of its partition: the base table's partition directly, an index's partition from a
   per-index map kept up to date by every write (put, delete, update, transaction, rollback), and of those only
   the ones that can be on the page asked for (local/moto_query.py), so a page costs what the page holds.

Every write and query on a table runs under one lock (`LOCK`), which also lets the local stack's snapshots read a
consistent table. `watch(callback)` reports each changed item key, which the snapshots use to write only changes.
tests/unit/test_moto_dynamodb.py runs the same operations with and without these patches and compares the results.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    ItemSizeTooLarge,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.table import Table
from moto.dynamodb.models.utilities import bytesize
from moto.dynamodb.parsing.expressions import UpdateExpressionParser

from . import moto_dynamodb_sort, moto_query

LOCK = threading.RLock()
_watchers: list[Callable[[Table, DynamoType, DynamoType | None], None]] = []
_narrowed = threading.local()  # the candidate items of the Query running on this thread
_ORIGINAL: dict[str, Any] = {}


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


def _changed(table: Table, hash_value: DynamoType, range_value: DynamoType | None) -> None:
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


# --------------------------------------------------------------------------- simple update expressions
_NAME = r"#[A-Za-z0-9_]+"
_VALUE = r":[A-Za-z0-9_]+"
_SET_ACTION = re.compile(rf"\s*({_NAME})\s*=\s*(?:({_VALUE})|if_not_exists\(\s*({_NAME})\s*,\s*({_VALUE})\s*\))\s*")
_CLAUSES = re.compile(r"(SET|REMOVE|ADD)\s+(.*?)(?=\s+(?:SET|REMOVE|ADD)\s+|\s*$)", re.S)


@dataclass(frozen=True)
class _Plan:
    sets: tuple[tuple[str, str, bool], ...]  # (attribute, value placeholder, only if missing)
    removes: tuple[str, ...]
    adds: tuple[tuple[str, str], ...]

    def attributes(self) -> list[str]:
        return [a for a, _, _ in self.sets] + list(self.removes) + [a for a, _ in self.adds]


@functools.lru_cache(maxsize=256)
def _parse(expression: str, names: tuple[tuple[str, str], ...]) -> _Plan | None:
    """The plan for an update expression of the simple shape, or None (moto's own code handles it)."""
    lookup = dict(names)
    text = expression.strip()
    clauses = _CLAUSES.findall(text)
    if not clauses or len({c for c, _ in clauses}) != len(clauses):
        return None
    if re.sub(r"\s+", " ", " ".join(f"{c} {b.strip()}" for c, b in clauses)) != re.sub(r"\s+", " ", text):
        return None
    sets, removes, adds = [], [], []
    for clause, body in clauses:
        for action in re.split(r",(?![^()]*\))", body):  # commas outside if_not_exists(...)
            if clause == "SET":
                match = _SET_ACTION.fullmatch(action)
                if not match or (match[3] and match[3] != match[1]):
                    return None
                sets.append((match[1], match[2] or match[4], bool(match[3])))
            elif clause == "REMOVE":
                if not re.fullmatch(rf"\s*{_NAME}\s*", action):
                    return None
                removes.append(action.strip())
            else:
                parts = action.split()
                if len(parts) != 2 or not re.fullmatch(_NAME, parts[0]) or not re.fullmatch(_VALUE, parts[1]):
                    return None
                adds.append((parts[0], parts[1]))
    placeholders = [s[0] for s in sets] + removes + [a[0] for a in adds]
    if any(p not in lookup for p in placeholders):
        return None
    plan = _Plan(
        tuple((lookup[a], v, m) for a, v, m in sets), tuple(lookup[r] for r in removes),
        tuple((lookup[a], v) for a, v in adds),
    )
    attributes = plan.attributes()
    return plan if len(set(attributes)) == len(attributes) else None


def _apply(plan: _Plan, attrs: dict[str, Any], values: dict[str, Any]) -> dict[str, Any] | None:
    """The item's attributes after the plan (DynamoDB JSON), or None when moto's code must decide (errors)."""
    result = dict(attrs)
    for attribute, placeholder, only_if_missing in plan.sets:
        value = values.get(placeholder)
        if not isinstance(value, dict) or value in ({"S": ""}, {"B": ""}):
            return None
        if not (only_if_missing and attribute in attrs):
            result[attribute] = value
    for attribute in plan.removes:
        result.pop(attribute, None)
    for attribute, placeholder in plan.adds:
        value = values.get(placeholder)
        current = result.get(attribute, {"N": "0"})
        if not isinstance(value, dict) or set(value) != {"N"} or set(current) != {"N"}:
            return None
        result[attribute] = (DynamoType(current) + DynamoType(value)).to_json()
    return result


# --------------------------------------------------------------------------- the patched methods
def _update_item(self: Any, table_name: str, key: dict[str, Any], update_expression: str,
                 expression_attribute_names: dict[str, Any], expression_attribute_values: dict[str, Any],
                 attribute_updates: dict[str, Any] | None = None, expected: dict[str, Any] | None = None,
                 condition_expression: str | None = None,
                 return_values_on_condition_check_failure: str | None = None) -> Item:
    args = (self, table_name, key, update_expression, expression_attribute_names, expression_attribute_values,
            attribute_updates, expected, condition_expression, return_values_on_condition_check_failure)
    with LOCK:
        table = self.get_table(table_name)
        names = tuple(sorted((expression_attribute_names or {}).items()))
        plan = None if attribute_updates or expected or not update_expression else _parse(update_expression, names)
        keys = {table.hash_key_attr, table.range_key_attr}
        if plan is None or keys.intersection(plan.attributes()) or set(key) != keys - {None}:
            return _slow_update(*args)
        hash_value = DynamoType(key[table.hash_key_attr])
        range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        item = table.get_item(hash_value, range_value)
        condition = get_filter_expression(condition_expression, expression_attribute_names,
                                          expression_attribute_values)
        if not condition.expr(item):
            if return_values_on_condition_check_failure == "ALL_OLD" and item is not None:
                raise ConditionalCheckFailed(item=item.to_json()["Attributes"])
            raise ConditionalCheckFailed
        before = item.to_json()["Attributes"] if item is not None else dict(key)
        after = _apply(plan, before, expression_attribute_values or {})
        if after is None or len(json.dumps(after)) > 400 * 1024:  # an over-estimate: moto decides near the limit
            return _slow_update(*args)
        return table.put_item(after, overwrite=True)


def _slow_update(self: Any, table_name: str, key: dict[str, Any], *rest: Any) -> Item:
    table = self.get_table(table_name)
    try:
        return _ORIGINAL["update_item"](self, table_name, key, *rest)
    finally:  # moto mutates the item in place: re-index it whatever happened
        hash_value = DynamoType(key[table.hash_key_attr]) if table.hash_key_attr in key else None
        if hash_value is not None:
            range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr in key else None
            _changed(table, hash_value, range_value)


def _item_init(self: Item, hash_key: DynamoType, range_key: DynamoType | None, attrs: dict[str, Any]) -> None:
    """moto's Item(), which re-adds every attribute's size on each insertion (quadratic), summing once: the
    running total only grows, so it passes moto's 405,000-byte check at every step iff the final sum does."""
    self.hash_key = hash_key
    self.range_key = range_key
    values = {key: DynamoType(value) for key, value in attrs.items()}
    if sum(bytesize(key) + value.size() for key, value in values.items()) > 405000:
        raise ItemSizeTooLarge
    self.attrs = LimitedSizeDict()
    dict.update(self.attrs, values)


def _put_item(self: Table, item_attrs: dict[str, Any], *args: Any, **kwargs: Any) -> Item:
    with LOCK:
        item = _ORIGINAL["put_item"](self, item_attrs, *args, **kwargs)
        _changed(self, item.hash_key, item.range_key)
        return item


def _delete_item(self: Table, hash_key: DynamoType, range_key: DynamoType | None) -> Item | None:
    with LOCK:
        item = _ORIGINAL["delete_item"](self, hash_key, range_key)
        if item is not None:
            _changed(self, hash_key, range_key)
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


def _transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    """moto's algorithm (same checks, same errors), rolling back from an undo log instead of table copies."""
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    with LOCK:
        undo: dict[tuple[str, Any, Any], Any] = {}
        targets: set[tuple[str, str]] = set()
        errors: list[tuple[Any, Any, Any]] = []
        try:
            for action in transact_items:
                errors.append(_transact_one(self, action, targets, undo))
        except (MultipleTransactionsException, MockValidationException):
            _roll_back(self, undo)
            raise
        if any(code is not None for code, _, _ in errors):
            _roll_back(self, undo)
            raise TransactionCanceledException(errors)


def _transact_one(self: Any, action: dict[str, Any], targets: set[tuple[str, str]],
                  undo: dict[tuple[str, Any, Any], Any]) -> tuple[Any, Any, Any]:
    original_item = None
    if len(action) > 1:
        raise TransactWriteSingleOpException
    try:
        kind, op = next(iter(action.items()))
        if kind not in {"ConditionCheck", "Put", "Delete", "Update"}:
            raise ValueError("Unsupported transaction operation")
        table_name = op["TableName"]
        names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
        condition = op.get("ConditionExpression")
        if kind == "Put":
            table = self.get_table(table_name)
            key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
            if table.range_key_attr is not None:
                key[table.range_key_attr] = op["Item"][table.range_key_attr]
        else:
            key = op["Key"]
        target = (str(table_name), str(dict(sorted(key.items()))))
        if target in targets:
            raise MultipleTransactionsException()
        targets.add(target)
        current = self.get_item(table_name, key)
        if condition is not None and not get_filter_expression(condition, names, values).expr(current):
            if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                original_item = current.to_json()["Attributes"]
            raise ConditionalCheckFailed(item=original_item)
        if kind != "ConditionCheck":
            table = self.get_table(table_name)
            hash_value = DynamoType(key[table.hash_key_attr])
            range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr in key else None
            undo.setdefault((table_name, hash_value, range_value), copy.deepcopy(current))
        # The condition held just now, under LOCK: unlike moto, do not parse and evaluate it a second time.
        if kind == "Put":
            self.put_item(table_name, op["Item"], expression_attribute_names=names, expression_attribute_values=values)
        elif kind == "Delete":
            self.delete_item(table_name, key, expression_attribute_names=names, expression_attribute_values=values)
        elif kind == "Update":
            self.update_item(table_name, key, update_expression=op["UpdateExpression"],
                             expression_attribute_names=names, expression_attribute_values=values)
        return (None, None, None)
    except (MultipleTransactionsException, MockValidationException):
        raise
    except ConditionalCheckFailed as exc:
        return ("ConditionalCheckFailed", str(exc.message), original_item)
    except Exception as exc:
        return (type(exc).__name__, str(exc), original_item)


def _roll_back(self: Any, undo: dict[tuple[str, Any, Any], Any]) -> None:
    for (table_name, hash_value, range_value), before in reversed(list(undo.items())):
        table = self.get_table(table_name)
        if before is None:
            table.delete_item(hash_value, range_value)
        else:
            table.put_item(before.to_json()["Attributes"], overwrite=True)


def apply() -> None:
    """Install the patches (idempotent; the caller serialises calls)."""
    if _ORIGINAL:
        return
    backend = dynamodb_models.DynamoDBBackend
    _ORIGINAL["make"] = UpdateExpressionParser.make
    UpdateExpressionParser.make = classmethod(functools.lru_cache(maxsize=512)(_ORIGINAL["make"].__func__))  # type: ignore[method-assign]
    _ORIGINAL["item_init"] = Item.__init__
    Item.__init__ = _item_init  # type: ignore[method-assign]
    _ORIGINAL.update(update_item=backend.update_item, put_item=Table.put_item, delete_item=Table.delete_item,
                     all_items=Table.all_items, query=Table.query, transact_write_items=backend.transact_write_items)
    backend.update_item = _update_item  # type: ignore[method-assign]
    backend.transact_write_items = _transact_write_items  # type: ignore[method-assign]
    Table.put_item = _put_item  # type: ignore[method-assign]
    Table.delete_item = _delete_item  # type: ignore[method-assign]
    Table.all_items = _all_items  # type: ignore[method-assign]
    Table.query = _query  # type: ignore[method-assign]


def remove() -> None:
    """Put moto's own methods back (the differential tests compare both)."""
    if not _ORIGINAL:
        return
    backend = dynamodb_models.DynamoDBBackend
    backend.update_item = _ORIGINAL["update_item"]  # type: ignore[method-assign]
    backend.transact_write_items = _ORIGINAL["transact_write_items"]  # type: ignore[method-assign]
    UpdateExpressionParser.make = _ORIGINAL["make"]  # type: ignore[method-assign]
    Item.__init__ = _ORIGINAL["item_init"]  # type: ignore[method-assign]
    for name in ("put_item", "delete_item", "all_items", "query"):
        setattr(Table, name, _ORIGINAL[name])
    _ORIGINAL.clear()
