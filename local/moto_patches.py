"""Fixes for moto behaviour that makes local runs needlessly slow; applied by the tests and the local stack.

moto 5.2.5's DynamoDB `transact_write_items` deep-copies the whole table once per action (up to 100 times per
call) to be able to roll back. The rollback is needed, the repeated copies are not: this patch makes every copy
within one call return the first copy. tests/unit/test_moto_patches.py pins the behaviour on the pinned moto.
"""

from __future__ import annotations

import copy
import functools
import threading
from typing import Any

import moto.dynamodb.models as dynamodb_models

_applied = threading.Lock()
_state = {"done": False}


class _CopyOncePerCall:
    """Stands in for the `copy` module inside moto's DynamoDB models during one transaction."""

    def __init__(self) -> None:
        self._copies: dict[int, Any] = {}

    def deepcopy(self, value: Any, memo: Any = None) -> Any:
        key = id(value)
        if key not in self._copies:
            self._copies[key] = copy.deepcopy(value, memo)
        return self._copies[key]


def apply() -> None:
    """Idempotent: safe to call from every test session and every local stack start."""
    with _applied:
        if _state["done"]:
            return
        backend = dynamodb_models.DynamoDBBackend
        original = backend.transact_write_items
        lock = threading.Lock()

        @functools.wraps(original)
        def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
            with lock:  # the module attribute is swapped for the call; serialise concurrent transactions
                dynamodb_models.copy = _CopyOncePerCall()  # type: ignore[assignment]
                try:
                    return original(self, transact_items)
                finally:
                    dynamodb_models.copy = copy  # type: ignore[assignment]

        backend.transact_write_items = transact_write_items  # type: ignore[method-assign]
        _state["done"] = True
