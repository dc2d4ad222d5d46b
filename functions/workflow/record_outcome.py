"""Workflow task for the unhappy paths: record a report as rejected (with its problems) or failed (with the
error name only; the cause stays in the execution history), and tag the raw object version with the outcome.

An accepted record is never overwritten: if a duplicate delivery of an already accepted report fails, the
report stays accepted (and its raw object is tagged so).
"""

from __future__ import annotations

import re
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from slawatch.lambda_context import accepts_any_context
from slawatch.observability import count, make_logger, make_metrics, make_tracer
from workflow import breach_store, raw_object, read_raw, tag_outcome

logger = make_logger()
metrics = make_metrics()
tracer = make_tracer()
MAX_PROBLEMS = 20
_ERROR_NAME = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
_METRIC = {"rejected": "ReportsRejected", "failed": "ReportsFailed"}


@accepts_any_context
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: Any, context: LambdaContext) -> dict[str, Any]:
    ref = raw_object(event)
    status = event.get("status")
    if status not in _METRIC:
        raise ValueError("status must be rejected or failed")
    raw = read_raw(ref)
    report_id = raw.report_id
    logger.append_keys(reportId=report_id, reportKey=ref.key, requestId=raw.request_id)
    store = breach_store()
    if store.report_status(report_id) == "accepted":
        tag_outcome(ref, "accepted")
        logger.warning("report already accepted: outcome not overwritten", extra={"outcome": status})
        return {"status": "accepted", "recorded": False}
    if status == "rejected":
        problems = problems_from(event.get("problems"))
    else:
        problems = [{"path": "$", "message": f"ingest failed: {error_name(event.get('error'))}"}]
    if not store.record_report(raw.meta(), status=status, counts={"bytes": len(raw.body)}, problems=problems):
        tag_outcome(ref, "accepted")  # accepted by a concurrent execution between the check and the write
        logger.warning("report accepted meanwhile: outcome not overwritten", extra={"outcome": status})
        return {"status": "accepted", "recorded": False}
    count(metrics, _METRIC[status])
    tag_outcome(ref, status)
    logger.info("report outcome recorded", extra={"outcome": status, "problems": len(problems)})
    return {"status": status, "recorded": True}


def problems_from(value: Any) -> list[dict[str, str]]:
    """The validate task's problems, re-checked: only {path, message} strings reach the report record."""
    problems = []
    for entry in value if isinstance(value, list) else []:
        if not isinstance(entry, dict):
            continue
        path, message = entry.get("path"), entry.get("message")
        if isinstance(path, str) and isinstance(message, str):
            problems.append({"path": path[:500], "message": message[:500]})
    return problems[:MAX_PROBLEMS] or [{"path": "$", "message": "report rejected"}]


def error_name(value: Any) -> str:
    """An error name such as StoreUnavailable or States.Timeout; anything else is not echoed."""
    return value if isinstance(value, str) and _ERROR_NAME.fullmatch(value) else "UnknownError"
