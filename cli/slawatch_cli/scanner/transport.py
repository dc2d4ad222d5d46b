"""HTTP plumbing shared by delivery, auth and query: what is worth retrying and how long to wait.

Retried: network failures, timeouts, 408, 429 and 5xx. Not retried: TLS verification failures (a retry cannot
fix a certificate) and every other 4xx (the request itself is wrong).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TypeVar

import requests

from slawatch.retry import retry_call

from .. import __version__
from .proxy import session_for

T = TypeVar("T")
USER_AGENT = f"slawatch-cli/{__version__}"


class RetryableResponse(Exception):
    """A response that says "try again later"; carries the server's Retry-After hint."""

    def __init__(self, status: int, retry_after: float | None, text: str = "") -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after
        self.text = text


def retryable_status(status: int) -> bool:
    return status in (408, 429) or 500 <= status <= 599


def is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, RetryableResponse):
        return True
    if isinstance(exc, requests.exceptions.SSLError):
        return False
    return isinstance(
        exc,
        requests.exceptions.ConnectionError | requests.exceptions.Timeout | requests.exceptions.ChunkedEncodingError,
    )


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


def retry_after_hint(exc: BaseException) -> float | None:
    return exc.retry_after if isinstance(exc, RetryableResponse) else None


def describe_failure(exc: BaseException) -> str:
    """A short, secret-free description of why a request failed (no headers, no bodies)."""
    if isinstance(exc, RetryableResponse):
        return f"HTTP {exc.status}"
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS verification failed"
    if isinstance(exc, requests.exceptions.Timeout):
        return "timed out"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "connection failed"
    return type(exc).__name__


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """The configured ``delivery`` block plus an injectable sleep (tests run in milliseconds)."""

    attempts: int = 5
    base_delay: float = 2.0
    max_delay: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def call(self, fn: Callable[[], T]) -> T:
        return retry_call(
            fn,
            should_retry=is_retryable,
            attempts=self.attempts,
            base_delay=self.base_delay,
            max_delay=self.max_delay,
            sleep=self.sleep,
            delay_hint=retry_after_hint,
        )


def new_session(proxy: str | None = None) -> requests.Session:
    """A session with our User-Agent and the `api.proxy` choice (None: the system proxy, see proxy.py)."""
    session = session_for(proxy)
    session.headers["User-Agent"] = USER_AGENT
    return session
