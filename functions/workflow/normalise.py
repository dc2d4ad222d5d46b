"""Workflow task 2: normalise the validated report and write it to the work bucket for persist.

The normalised report can be many megabytes, so it travels as `normalised/<reportId>.json` in the WorkBucket
(slawatch.documents); the state data gets only its key and counts. Re-running writes the same document again.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from slawatch import documents, ingest
from slawatch.lambda_context import accepts_any_context
from slawatch.observability import make_logger, make_tracer
from workflow import raw_object, read_raw, s3, work_bucket

logger = make_logger()
tracer = make_tracer()  # no metrics of its own: validate and persist count reports


@accepts_any_context
@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: Any, context: LambdaContext) -> dict[str, Any]:
    ref = raw_object(event)
    raw = read_raw(ref)
    # Validate said yes to these same bytes; a ReportRejected here would be a bug and fails the execution.
    normalised = ingest.prepare(raw.body, received_at=raw.received_at, caller=raw.caller, raw_key=ref.key)
    report_id = normalised.meta.report_id
    logger.append_keys(reportId=report_id, reportKey=ref.key, requestId=raw.request_id)
    key = documents.document_key(report_id)
    body = documents.dumps(normalised)
    s3().put_object(Bucket=work_bucket(), Key=key, Body=body, ContentType="application/json")
    counts = {
        "folders": len(normalised.folders),
        "files": normalised.files_in_report,
        "breaches": len(normalised.breaches),
    }
    logger.info("report normalised", extra={"documentKey": key, **counts})
    return {"documentKey": key, "reportId": report_id, "counts": counts}
