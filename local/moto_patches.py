"""Fixes for moto behaviour that makes local runs needlessly slow; applied by the tests and the local stack.

moto 5.2.5's DynamoDB copies whole tables for every transaction, parses every update expression with a
quadratic validator and scans the whole table for every Query: local/moto_dynamodb.py replaces those three
costs without changing what moto answers (see its docstring), and local/moto_responses.py writes its items out
without walking the service model once per attribute value. tests/unit/test_moto_patches.py pins the moto
version and tests/unit/test_moto_dynamodb.py compares patched and unpatched answers.
"""

from __future__ import annotations

import threading

from . import moto_dynamodb, moto_responses

_applied = threading.Lock()


def apply() -> None:
    """Idempotent: safe to call from every test session and every local stack start."""
    with _applied:
        moto_dynamodb.apply()
        moto_responses.apply()
