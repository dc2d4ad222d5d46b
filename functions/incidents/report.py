"""EventBridge target: every report archived under raw/, heartbeat/ or sync/ updates the incidents.

Clean scans (heartbeat/, the bulk of traffic) come here straight from the S3 event, never through the Standard
workflow, so telling that a folder recovered costs one small Lambda call, one Query and usually one write.
A report the contract rejects changes nothing here (the workflow records the rejection of raw/ reports).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from incidents import notifier, settings, store
from slawatch import ingest
from slawatch.errors import ReportRejected
from slawatch.incident_service import apply_report
from slawatch.lambda_context import accepts_any_context
from slawatch.observability import count, make_logger, make_metrics, make_tracer
from workflow import RawObject, read_raw

logger = make_logger()
metrics = make_metrics()
tracer = make_tracer()


@accepts_any_context
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: Any, context: LambdaContext) -> dict[str, Any]:
    ref = _object(event)
    raw = read_raw(ref)
    logger.append_keys(reportKey=ref.key, reportId=raw.report_id)
    try:
        normalised = ingest.prepare(raw.body, received_at=raw.received_at, caller=raw.caller, raw_key=ref.key)
    except ReportRejected as exc:
        logger.info("report rejected: incidents unchanged", extra={"problems": len(exc.problems)})
        return {"status": "rejected"}
    applied = apply_report(json.loads(raw.body), normalised.meta, store(), notifier(), settings(), datetime.now(UTC))
    count(metrics, "IncidentChanges", applied.changes)
    count(metrics, "IncidentNotifications", len(applied.notified))
    logger.info("incidents updated", extra={"changes": applied.changes, "notified": applied.notified})
    return {"status": "applied", "changes": applied.changes, "notified": applied.notified}


def _object(event: Any) -> RawObject:
    """The S3 Object Created event as EventBridge delivers it; anything else is a wiring bug."""
    detail = event.get("detail") if isinstance(event, dict) else None
    if not isinstance(detail, dict):
        raise ValueError("expected an EventBridge S3 Object Created event")
    version = detail.get("object", {}).get("version-id")
    return RawObject(detail["bucket"]["name"], detail["object"]["key"], version if isinstance(version, str) else None)
