"""Any context object works: the Lambda runtime passes a full LambdaContext, but a direct invocation from a test
harness may pass a stub with only `function_name`, or None. Powertools' `inject_lambda_context` reads
`memory_limit_in_mb`, `invoked_function_arn` and `aws_request_id` before the handler runs and would raise
AttributeError (a 500 before any of our error handling); `accepts_any_context` completes the context first.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_DEFAULTS: dict[str, Any] = {
    "function_name": "slawatch",
    "memory_limit_in_mb": 128,
    "invoked_function_arn": "arn:aws:lambda:local:000000000000:function:slawatch",
}


@dataclass(frozen=True)
class CompleteContext:
    """The attributes Powertools reads, taken from the given context where it has them (of the right type)."""

    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    aws_request_id: str
    original: Any = None

    def get_remaining_time_in_millis(self) -> int:
        remaining = getattr(self.original, "get_remaining_time_in_millis", None)
        if callable(remaining):
            try:
                return int(remaining())
            except Exception:  # noqa: S110 - a stub's clock is not worth a 500
                pass
        return 30_000


def complete_context(context: Any) -> Any:
    """The context itself when it has every attribute Powertools reads, else a CompleteContext. A missing
    request id gets a fresh one, so even a stub-invoked 500 carries an id to quote."""
    if all(hasattr(context, name) for name in (*_DEFAULTS, "aws_request_id", "get_remaining_time_in_millis")):
        return context
    values = {}
    for name, default in _DEFAULTS.items():
        value = getattr(context, name, None)
        values[name] = value if isinstance(value, type(default)) and value else default
    request_id = getattr(context, "aws_request_id", None)
    values["aws_request_id"] = request_id if isinstance(request_id, str) and request_id else str(uuid.uuid4())
    return CompleteContext(**values, original=context)


def accepts_any_context(handler: Callable[[Any, Any], Any]) -> Callable[..., Any]:
    """Outermost decorator of every Lambda handler: `handler(event)` and `handler(event, stub)` work too."""

    @functools.wraps(handler)
    def wrapper(event: Any, context: Any = None) -> Any:
        return handler(event, complete_context(context))

    return wrapper
