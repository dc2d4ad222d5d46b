"""Fixes for moto behaviour that makes local runs needlessly slow; applied by the tests and the local stack.

Each module fixes one cost of moto 5.2.5 without changing what moto answers, says in its docstring what it
measured, and has a test comparing patched and unpatched answers (tests/unit/test_moto_*.py):
- local/moto_dynamodb.py: whole-table scans for every Query (and the lock and index maps the next two share);
- local/moto_updates.py: a quadratic update-expression validator, and a walk of each update's parse per action;
- local/moto_transactions.py: table copies per transaction;
- local/moto_query.py (called by moto_dynamodb): every Query page walking its whole partition;
- local/moto_dynamodb_sort.py: index Queries sorting their candidates by comparing DynamoType objects;
- local/moto_expressions.py: every condition expression parsed afresh, twice per transaction action;
- local/moto_wire.py: the generic serializer looking up all ten members of every item attribute value, and the
  parser dispatching every key and value of a request's maps by shape;
- local/moto_dispatch.py: the server listing its package directory, under a lock, for every request.
tests/unit/test_moto_patches.py pins the moto version they were written for.
"""

from __future__ import annotations

import threading

from . import (
    moto_dispatch,
    moto_dynamodb,
    moto_dynamodb_sort,
    moto_expressions,
    moto_transactions,
    moto_updates,
    moto_wire,
)

_applied = threading.Lock()
PATCHES = (moto_dynamodb, moto_updates, moto_transactions, moto_dynamodb_sort, moto_expressions, moto_wire,
           moto_dispatch)


def apply() -> None:
    """Idempotent: safe to call from every test session and every local stack start."""
    with _applied:
        for patch in PATCHES:
            patch.apply()
