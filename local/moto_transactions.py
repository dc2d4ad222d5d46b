"""moto 5.2.5's TransactWriteItems, rolling back from an undo log instead of copies of every table it touches.

moto deep-copies each table a transaction touches, once per call, to be able to roll back: with 100,000 items that
is seconds per 100-action call (benchmarks/local_stack_bench.py). Here the transaction keeps the state before the
call of the items it touches and restores exactly those on cancellation; the checks and errors are moto's, in
moto's order. Runs under local/moto_dynamodb.py's LOCK. tests/unit/test_moto_dynamodb.py compares patched and
unpatched answers, cancelled transactions included.
"""

from __future__ import annotations

import copy
from typing import Any

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models.dynamo_type import DynamoType

from . import moto_dynamodb

_ORIGINAL: dict[str, Any] = {}


def _transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    """moto's algorithm (same checks, same errors), rolling back from an undo log instead of table copies."""
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    with moto_dynamodb.LOCK:
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
    """Install the patch (idempotent; the caller serialises calls)."""
    if _ORIGINAL:
        return
    _ORIGINAL["transact_write_items"] = dynamodb_models.DynamoDBBackend.transact_write_items
    dynamodb_models.DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]


def remove() -> None:
    """Put moto's own method back (the differential tests compare both)."""
    if not _ORIGINAL:
        return
    dynamodb_models.DynamoDBBackend.transact_write_items = _ORIGINAL.pop("transact_write_items")  # type: ignore[method-assign]
