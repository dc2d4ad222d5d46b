"""Workflow task 1: is the raw report acceptable? Size, JSON, schema and timestamps, exactly as the sync path.

Returns `{"valid", "reportId", "problems"}` (at most 20 problems, each message capped) and never raises for a
bad report: a rejected report is a user error and the state machine records it; only internal errors raise.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from slawatch import ingest
from slawatch.api_events import MAX_BODY_BYTES
from slawatch.errors import Problem, ReportRejected
from slawatch.lambda_context import accepts_any_context
from slawatch.observability import count, make_logger, make_metrics, make_tracer
from workflow import raw_object, read_raw

logger = make_logger()
metrics = make_metrics()
tracer = make_tracer()
MAX_PROBLEMS = 20  # the report record keeps 20; the state data stays small
MAX_MESSAGE = 500


@accepts_any_context
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: Any, context: LambdaContext) -> dict[str, Any]:
    ref = raw_object(event)
    raw = read_raw(ref)
    count(metrics, "ReportsReceived")
    logger.append_keys(reportId=raw.report_id, reportKey=ref.key, requestId=raw.request_id)
    problems = check(raw.body, raw.received_at, raw.caller, ref.key)
    logger.info("report validated",
                extra={"valid": not problems, "problems": len(problems), "bytes": len(raw.body)})
    return {
        "valid": not problems,
        "reportId": raw.report_id,
        "problems": [
            {"path": p.path[:MAX_MESSAGE], "message": p.message[:MAX_MESSAGE]}
            for p in problems[:MAX_PROBLEMS]
        ],
    }


def check(body: bytes, received_at: Any, caller: str | None, key: str) -> list[Problem]:
    """Every problem of the report, empty when valid (the same rules as the synchronous ingest)."""
    if len(body) > MAX_BODY_BYTES:
        return [Problem("$", f"report is {len(body)} bytes; the limit is {MAX_BODY_BYTES}")]
    try:
        ingest.prepare(body, received_at=received_at, caller=caller, raw_key=key)
    except ReportRejected as rejected:
        return list(rejected.problems)
    return []
