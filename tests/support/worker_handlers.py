"""Handlers for tests/local/test_lambda_workers.py, imported by handler string inside a worker process."""

from __future__ import annotations

import os
import signal
from typing import Any


class StoreUnavailable(Exception):
    """Named like slawatch.errors.StoreUnavailable: the state machine's Retry matches on the class name only."""


def echo(event: Any, context: Any) -> dict[str, Any]:
    """What the worker saw: the event, the context's name and remaining time, its pid and a setting."""
    return {"event": event, "function": context.function_name, "remaining": context.get_remaining_time_in_millis(),
            "pid": os.getpid(), "setting": os.environ.get("WORKER_TEST_SETTING")}


def unavailable(event: Any, context: Any) -> None:
    raise StoreUnavailable(f"no table for {event['report']}")


def die(event: Any, context: Any) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def hang(event: Any, context: Any) -> None:
    signal.pause()
