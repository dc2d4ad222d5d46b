"""Workflow task 3: write the breaches through the breach store, record the accepted outcome and tag the raw
object.

Idempotent: a report whose record already says accepted (a duplicate S3 event, a re-sent report, a redrive
after the record was written) is not written again; a report interrupted half-way is written again safely,
because the store's sighting guards skip every breach this report already counted. DynamoDB throttling that
outlasts the store's own backoff raises StoreUnavailable, which the state machine retries.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from slawatch import documents, ingest
from slawatch.lambda_context import accepts_any_context
from slawatch.observability import count, make_logger, make_metrics, make_tracer
from workflow import breach_store, raw_object, s3, tag_outcome, work_bucket

logger = make_logger()
metrics = make_metrics()
tracer = make_tracer()


@accepts_any_context
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: Any, context: LambdaContext) -> dict[str, Any]:
    ref = raw_object(event)
    document_key = event.get("documentKey")
    if not isinstance(document_key, str) or not document_key.startswith(f"{documents.PREFIX}/"):
        raise ValueError("task input needs the documentKey written by normalise")
    body = s3().get_object(Bucket=work_bucket(), Key=document_key)["Body"].read()
    normalised = documents.loads(body)
    report_id = normalised.meta.report_id
    logger.append_keys(reportId=report_id, reportKey=ref.key)
    store = breach_store()
    if store.report_status(report_id) == "accepted":
        count(metrics, "DuplicateReports")
        tag_outcome(ref, "accepted")
        logger.info("report already accepted: nothing written")
        return {"status": "accepted", "duplicate": True, "counts": {"breaches": len(normalised.breaches)}}
    result = ingest.write(normalised, store)
    count(metrics, "ReportsAccepted")
    count(metrics, "BreachesWritten", result.written.sightings_written)
    tag_outcome(ref, "accepted")
    counts = result.counts()
    logger.info("report accepted", extra=counts)
    return {
        "status": "accepted",
        "duplicate": False,
        "counts": {
            "breaches": counts["breaches"],
            "sightingsWritten": counts["sightingsWritten"],
            "alreadyRecorded": counts["alreadyRecorded"],
        },
    }
