"""moto 5.2.5's UpdateItem for the store's update expressions, without its generic machinery.

moto parses every update expression, deep-copies the AST and runs ten validator passes, one of them quadratic in
the number of clauses: ~60 ms for the store's 25-clause breach updates (benchmarks/local_stack_bench.py). Here
update expressions of the simple shape the store writes (`SET #a = :v`, `SET #a = if_not_exists(#a, :v)`,
`REMOVE #a`, `ADD #n :number`, top-level `#name` placeholders only, no name twice, no key attribute, no empty
string) are applied directly; every other expression, and every expression that would fail, goes to moto's own
code, so errors are moto's own. Parsed expressions are cached. Writes run under local/moto_dynamodb.py's LOCK and
keep its index maps current. tests/unit/test_moto_dynamodb.py compares patched and unpatched answers.

Before any of that, moto's TransactWriteItems handler walks each update's parse for its `#name` clauses, to check
the request's names are all used: for the store's breach update, ~100 nodes per action and a third of moto's time
per transaction. The walk of a cached parse (the same object every time) is kept, per parse and clause types;
a copy of a parse, or a parse whose children were replaced, is walked afresh.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import ConditionalCheckFailed
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.parsing.ast_nodes import Node
from moto.dynamodb.parsing.expressions import UpdateExpressionParser

from . import moto_dynamodb

_ORIGINAL: dict[str, Any] = {}

_NAME = r"#[A-Za-z0-9_]+"
_VALUE = r":[A-Za-z0-9_]+"
_SET_ACTION = re.compile(rf"\s*({_NAME})\s*=\s*(?:({_VALUE})|if_not_exists\(\s*({_NAME})\s*,\s*({_VALUE})\s*\))\s*")
_CLAUSES = re.compile(r"(SET|REMOVE|ADD)\s+(.*?)(?=\s+(?:SET|REMOVE|ADD)\s+|\s*$)", re.S)


_MEMO_SIZE = 2048
_parses: dict[int, Any] = {}  # id -> a parse the cached make returned (kept alive here, so ids are not reused)
_walks: dict[tuple[int, tuple[type, ...]], tuple[Any, list[Any]]] = {}  # -> (the children walked, the clauses)


def _make(cls: type, expression: str) -> Any:
    parse = _cached_make(cls, expression)
    if _parses.get(id(parse)) is not parse:
        if len(_parses) >= _MEMO_SIZE:
            _parses.clear()
            _walks.clear()
        _parses[id(parse)] = parse
    return parse


@functools.lru_cache(maxsize=512)
def _cached_make(cls: type, expression: str) -> Any:
    return _ORIGINAL["make"].__func__(cls, expression)


def _find_clauses(self: Any, clause_types: list[type]) -> list[Any]:
    if _parses.get(id(self)) is not self:
        return _ORIGINAL["find_clauses"](self, clause_types)
    key = (id(self), tuple(clause_types))
    walked = _walks.get(key)
    if walked is None or walked[0] is not self.children:
        walked = _walks[key] = (self.children, _ORIGINAL["find_clauses"](self, clause_types))
    return list(walked[1])


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


def _update_item(self: Any, table_name: str, key: dict[str, Any], update_expression: str,
                 expression_attribute_names: dict[str, Any], expression_attribute_values: dict[str, Any],
                 attribute_updates: dict[str, Any] | None = None, expected: dict[str, Any] | None = None,
                 condition_expression: str | None = None,
                 return_values_on_condition_check_failure: str | None = None) -> Item:
    args = (self, table_name, key, update_expression, expression_attribute_names, expression_attribute_values,
            attribute_updates, expected, condition_expression, return_values_on_condition_check_failure)
    with moto_dynamodb.LOCK:
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
            moto_dynamodb.changed(table, hash_value, range_value)


def apply() -> None:
    """Install the patch (idempotent; the caller serialises calls)."""
    if _ORIGINAL:
        return
    backend = dynamodb_models.DynamoDBBackend
    _ORIGINAL.update(make=UpdateExpressionParser.make, update_item=backend.update_item,
                     find_clauses=Node.find_clauses)
    UpdateExpressionParser.make = classmethod(_make)  # type: ignore[method-assign]
    Node.find_clauses = _find_clauses  # type: ignore[method-assign]
    backend.update_item = _update_item  # type: ignore[method-assign]


def remove() -> None:
    """Put moto's own methods back (the differential tests compare both)."""
    if not _ORIGINAL:
        return
    dynamodb_models.DynamoDBBackend.update_item = _ORIGINAL["update_item"]  # type: ignore[method-assign]
    UpdateExpressionParser.make = _ORIGINAL["make"]  # type: ignore[method-assign]
    Node.find_clauses = _ORIGINAL["find_clauses"]  # type: ignore[method-assign]
    _ORIGINAL.clear()
    _cached_make.cache_clear()
    _parses.clear()
    _walks.clear()
