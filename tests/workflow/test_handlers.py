"""The workflow handlers' own rules, called directly: receive time, size limit, what reaches the record."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import workflow
from local.lambda_router import LocalLambdaContext
from slawatch import keys
from tests.support.reports import EVENTS
from tests.workflow.conftest import RAW_BUCKET, Stack
from workflow import record_outcome, validate

CONTEXT = LocalLambdaContext("handler-test", "arn:aws:lambda:eu-west-1:123456789012:function:handler-test")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-28T12:00:00.123Z", datetime(2026, 11, 28, 12, 0, 0, 123000, tzinfo=UTC)),
        ("1795867200123", datetime(2026, 11, 28, 12, 0, 0, 123000, tzinfo=UTC)),  # $context.requestTimeEpoch
        ("28/Nov/2026:13:00:00 +0100", datetime(2026, 11, 28, 12, 0, tzinfo=UTC)),  # $context.requestTime
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_received_at_metadata_forms(text: str | None, expected: datetime | None) -> None:
    assert workflow.parse_received_at(text) == expected


def test_an_object_without_received_at_uses_its_last_modified_time(stack: Stack) -> None:
    key = "raw/2026/11/28/no-metadata.json"
    stack.s3.put_object(Bucket=RAW_BUCKET, Key=key, Body=b'{"sla_error": []}')
    version = stack.s3.head_object(Bucket=RAW_BUCKET, Key=key)["VersionId"]

    raw = workflow.read_raw(workflow.RawObject(RAW_BUCKET, key, version))

    assert raw.received_at == stack.s3.head_object(Bucket=RAW_BUCKET, Key=key)["LastModified"]
    assert raw.caller is None and raw.meta().source == "unknown"


def test_a_report_over_the_size_limit_is_rejected_without_parsing(stack: Stack,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validate, "MAX_BODY_BYTES", 100)
    body = (EVENTS / "report-valid.json").read_bytes()
    ref = stack.put_raw(body)

    result = validate.lambda_handler({"bucket": RAW_BUCKET, "key": ref.key, "versionId": ref.version_id}, CONTEXT)

    assert result["valid"] is False and result["reportId"] == keys.report_id(body)
    assert result["problems"] == [{"path": "$", "message": f"report is {len(body)} bytes; the limit is 100"}]


def test_validate_returns_at_most_twenty_problems(stack: Stack) -> None:
    files = ",".join('{"filename": "f", "creationDate": "no zone"}' for _ in range(50))
    ref = stack.put_raw(f'{{"sla_error": [{{"folder": "/x", "sla": 20, "files": [{files}]}}]}}'.encode())

    result = validate.lambda_handler({"bucket": RAW_BUCKET, "key": ref.key, "versionId": ref.version_id}, CONTEXT)

    assert result["valid"] is False and len(result["problems"]) == 20


def test_only_well_formed_problems_and_error_names_reach_the_record() -> None:
    problems = [{"path": "$.a", "message": "m"}, {"path": 1}, "text", {"path": "$.b", "message": "x" * 900}]
    assert record_outcome.problems_from(problems) == [{"path": "$.a", "message": "m"},
                                                      {"path": "$.b", "message": "x" * 500}]
    assert record_outcome.problems_from(None) == [{"path": "$", "message": "report rejected"}]
    assert record_outcome.error_name("States.Timeout") == "States.Timeout"
    assert record_outcome.error_name("boom: secret cause text") == "UnknownError"


@pytest.mark.parametrize("event", [None, [], {}, {"bucket": "b"}, {"bucket": "b", "key": "k", "versionId": 3}])
def test_task_input_without_references_is_an_internal_error(event: object) -> None:
    with pytest.raises(ValueError, match=r"bucket|versionId|task input"):
        workflow.raw_object(event)


def test_a_failure_racing_an_acceptance_leaves_the_report_accepted(stack: Stack,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # The failing duplicate execution read "no record yet"; the other execution's acceptance lands before its write.
    body = (EVENTS / "report-valid.json").read_bytes()
    ref = stack.put_raw(body)
    event = {"bucket": RAW_BUCKET, "key": ref.key, "versionId": ref.version_id}
    store = workflow.breach_store()
    store.record_report(workflow.read_raw(workflow.RawObject(RAW_BUCKET, ref.key, ref.version_id)).meta(),
                        status="accepted")
    with monkeypatch.context() as patched:
        patched.setattr(type(store), "report_status", lambda self, report_id: None)
        result = record_outcome.lambda_handler({**event, "status": "failed", "error": "StoreUnavailable"}, CONTEXT)

    assert result == {"status": "accepted", "recorded": False}
    assert workflow.breach_store().report_status(keys.report_id(body)) == "accepted"
    tags = stack.s3.get_object_tagging(Bucket=RAW_BUCKET, Key=ref.key, VersionId=ref.version_id)["TagSet"]
    assert {"Key": "slawatch-outcome", "Value": "accepted"} in tags


class StubContext:
    function_name = "slawatch-validate"


@pytest.mark.parametrize("context", [StubContext(), None], ids=["stub", "none"])
def test_workflow_tasks_take_any_context(stack: Stack, context: object) -> None:
    key = "raw/2026/11/28/stub-context.json"
    stack.s3.put_object(Bucket=RAW_BUCKET, Key=key, Body=b'{"sla_error": []}')
    version = stack.s3.head_object(Bucket=RAW_BUCKET, Key=key)["VersionId"]
    event = {"bucket": RAW_BUCKET, "key": key, "versionId": version}
    assert validate.lambda_handler(event, context)["valid"] is True
    assert record_outcome.lambda_handler({**event, "status": "failed", "error": "X"}, context)["recorded"] is True
