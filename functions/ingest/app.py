"""POST /reports/sync and direct invocation: ingest one report in one call and answer 200 / 4xx / 500.

Thin on purpose: the domain package does the work; this module turns outcomes into HTTP answers and metrics.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from slawatch import archive
from slawatch.api_events import SYNC_MAX_BODY_BYTES, read_request, response
from slawatch.errors import ReportRejected
from slawatch.ingest import Archiver, ingest
from slawatch.lambda_context import accepts_any_context
from slawatch.observability import count, count_response, make_logger, make_metrics, make_tracer
from slawatch.store import BreachStore
from slawatch.timestamps import now_utc

logger = make_logger()
metrics = make_metrics()
tracer = make_tracer()
FUNCTION = "SyncIngest"


@accepts_any_context
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: Any, context: LambdaContext) -> dict[str, Any]:
    request_id = getattr(context, "aws_request_id", None)
    try:
        return _handle(event, request_id)
    except Exception:
        # Internals stay in the log; the caller gets a request id to quote.
        logger.exception("internal error while ingesting a report")
        count(metrics, "ReportsFailed")
        return _answer(500, {"message": "internal error, the report was not stored; retry later",
                             "requestId": request_id}, request_id)


def _handle(event: Any, lambda_request_id: str | None) -> dict[str, Any]:
    received_at = now_utc()
    count(metrics, "ReportsReceived")
    request_id = lambda_request_id
    try:
        request = read_request(event, SYNC_MAX_BODY_BYTES)
        request_id = request.request_id or lambda_request_id
        store = BreachStore(os.environ["TABLE_NAME"])
        result = ingest(
            request.body,
            store,
            received_at=received_at,
            caller=request.caller,
            archive=_archiver(request, request_id, received_at),
        )
    except ReportRejected as rejected:
        count(metrics, "ReportsRejected")
        logger.info("report rejected", extra={"problems": len(rejected.problems)})
        body = {"message": "report rejected", "problems": [p.as_dict() for p in rejected.problems],
                "requestId": request_id}
        return _answer(rejected.status_code, body, request_id)
    count(metrics, "ReportsAccepted")
    count(metrics, "BreachesWritten", result.written.sightings_written)
    logger.info("report accepted", extra=result.counts())
    return _answer(200, {**result.summary(), "requestId": request_id}, request_id)


def _archiver(request: Any, request_id: str | None, received_at: Any) -> Archiver | None:
    bucket = os.environ.get("RAW_BUCKET")
    if not bucket:
        return None
    client = boto3.client("s3")

    def store_raw(body: bytes, report_id: str) -> str:
        key = archive.archive_key(archive.SYNC_PREFIX, received_at, report_id)
        return archive.put_report(client, bucket, key, body, received_at=received_at, request_id=request_id,
                                  caller=request.caller, source_ip=request.source_ip)

    return store_raw


def _answer(status: int, body: dict[str, Any], request_id: str | None) -> dict[str, Any]:
    count_response(status, FUNCTION)
    return response(status, body, request_id)
