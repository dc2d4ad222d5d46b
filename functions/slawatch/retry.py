"""The one retry helper: exponential backoff with full jitter and a cap, used wherever we call a service."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def backoff_delay(attempt: int, base: float, cap: float, rng: Callable[[], float] = random.random) -> float:
    """Full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2**attempt)]."""
    return rng() * min(cap, base * (2**attempt))


def retry_call(
    fn: Callable[[], T],
    *,
    should_retry: Callable[[Exception], bool],
    attempts: int = 6,
    base_delay: float = 0.05,
    max_delay: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
    delay_hint: Callable[[Exception], float | None] | None = None,
) -> T:
    """Call fn until it succeeds, it raises something not retryable, or attempts run out (then re-raise).

    delay_hint lets a caller honour a server's Retry-After: its value, when given, replaces the jittered delay
    (still capped by max_delay).
    """
    for attempt in range(attempts):
        try:
            return fn()
        except Exception as exc:
            if attempt == attempts - 1 or not should_retry(exc):
                raise
            hinted = delay_hint(exc) if delay_hint else None
            delay = min(max_delay, hinted) if hinted is not None else backoff_delay(attempt, base_delay, max_delay)
            sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover
