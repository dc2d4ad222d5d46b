"""Differential tests of the local stack's moto patches (local/moto_*.py): the same steps with and without one."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any


def patched_and_plain(patch: ModuleType, run: Callable[[], Any]) -> tuple[Any, Any]:
    """`run()` with `patch` applied, then with it removed (and applied again after, whatever happened)."""
    patched = run()
    patch.remove()
    try:
        plain = run()
    finally:
        patch.apply()
    return patched, plain
