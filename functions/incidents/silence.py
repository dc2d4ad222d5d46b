"""Scheduled (EventBridge Scheduler): flag every scanner host that has gone quiet for longer than its threshold.

The schedule's event time is the check's "now", so a delayed or repeated invocation judges the same instant.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from incidents import notifier, store
from slawatch.incident_service import check_silence
from slawatch.lambda_context import accepts_any_context
from slawatch.observability import count, make_logger, make_metrics, make_tracer
from slawatch.timestamps import TimestampError, parse_timestamp

logger = make_logger()
metrics = make_metrics()
tracer = make_tracer()


@accepts_any_context
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: Any, context: LambdaContext) -> dict[str, Any]:
    now = _event_time(event)
    notified = check_silence(store(), notifier(), now)
    count(metrics, "SilentHostsFlagged", len(notified))
    gauges = store().open_counts()
    count(metrics, "OpenIncidents", gauges["open"])
    count(metrics, "RecoveringIncidents", gauges["recovering"])
    count(metrics, "SilentHosts", gauges["silent"])
    logger.info("silence check", extra={"at": now.isoformat(), "notified": notified})
    return {"checkedAt": now.isoformat(), "notified": notified}


def _event_time(event: Any) -> datetime:
    text = event.get("time") if isinstance(event, dict) else None
    try:
        return parse_timestamp(text) if isinstance(text, str) else datetime.now(UTC)
    except TimestampError:
        return datetime.now(UTC)
