"""The real ASL executed by moto, its tasks served by the real handlers: every path a report can take.

Accepted, rejected (a user error: the execution succeeds), throttled then retried, failed (then run again),
a report far larger than Step Functions' 256 KB state limit, and duplicate deliveries.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import workflow
from slawatch import keys
from tests.support.reports import EVENTS, encode, folder, report
from tests.workflow.conftest import Stack, ThrottlingClient, fast_store

# A task that raises before counting anything flushes no metrics; Powertools warns, which is expected here.
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning")
HAPPY_PATH = ["Validate", "IsValid", "Normalise", "Persist", "Accepted"]


def _body(name: str) -> bytes:
    return (EVENTS / name).read_bytes()


def _states_entered(stack: Stack, execution: dict[str, Any]) -> list[str]:
    return [e["stateEnteredEventDetails"]["name"] for e in stack.history(execution) if "stateEnteredEventDetails" in e]


def _task_errors(stack: Stack, execution: dict[str, Any]) -> list[str]:
    return [e["taskFailedEventDetails"]["error"] for e in stack.history(execution) if e["type"] == "TaskFailed"]


def _report_of(files: int, name_length: int = 60) -> bytes:
    """One folder with `files` distinct breaching files; long names stand for deep recursive scans."""
    names = [(f"{n:06d}-".ljust(name_length, "x") + ".csv", "2026-11-27T08:00:00.000Z") for n in range(files)]
    return encode(report(folder(r"D:\Inbound\Payments", 30, *names), scanned_at="2026-11-28T09:00:00.000Z"))


def test_valid_report_is_accepted(stack: Stack, capsys: pytest.CaptureFixture[str]) -> None:
    body = _body("report-valid.json")
    ref = stack.put_raw(body)

    execution = stack.run(ref, name="accepted")

    assert execution["status"] == "SUCCEEDED", execution
    assert _states_entered(stack, execution) == HAPPY_PATH
    output = json.loads(execution["output"])
    assert output["validation"] == {"valid": True, "reportId": keys.report_id(body), "problems": []}
    assert output["persisted"]["counts"] == {"breaches": 3, "sightingsWritten": 3, "alreadyRecorded": 0}
    assert {b["filename"] for b in stack.breaches()} == {
        "PAY-20261128-0001.csv", "PAY-20261128-0002.csv", "Überweisung-請求書.xml"}
    assert all(b["reportCount"] == 1 and b["source"] == "scanner-fs01" for b in stack.breaches())
    record = stack.report_record(keys.report_id(body))
    assert record["status"] == "accepted"
    assert record["receivedAt"] == "2026-11-28T12:00:00.123Z"  # the object's received-at metadata
    assert record["reportKey"] == ref.key
    assert record["counts"]["breaches"] == 3
    assert record["folderProblems"] == [{"folder": "D:\\Inbound\\Statements", "status": "missing"}]
    assert stack.outcome_tag(ref) == "accepted"
    document = stack.s3.get_object(Bucket="slawatch-test-work", Key=output["normalised"]["documentKey"])
    assert document["ContentLength"] > 0
    emf = capsys.readouterr().out
    for metric in ("ReportsReceived", "ReportsAccepted", "BreachesWritten"):
        assert f'"Name": "{metric}"' in emf or f'"Name":"{metric}"' in emf, metric
    assert "ScannerReports" not in emf  # no metric per scanner host (docs/cost.md)


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (_body("invalid-missing-sla.json"), "$.sla_error[0]"),
        (b"this is not JSON", "$"),
        (b"[]", "$"),
    ],
    ids=["schema", "not-json", "not-an-object"],
)
def test_invalid_report_is_rejected_and_the_execution_succeeds(stack: Stack, body: bytes, path: str) -> None:
    ref = stack.put_raw(body)

    execution = stack.run(ref, name="rejected")

    assert execution["status"] == "SUCCEEDED", execution  # a user error is not a failed execution
    assert _states_entered(stack, execution) == ["Validate", "IsValid", "RecordRejected", "Rejected"]
    record = stack.report_record(keys.report_id(body))
    assert record["status"] == "rejected"
    assert record["problems"] and all(p["path"].startswith(path) for p in record["problems"])
    assert record["source"] == "scanner-fs01"
    assert record["reportKey"] == ref.key
    assert stack.breaches() == [] and stack.batch_guards() == []
    assert stack.outcome_tag(ref) == "rejected"


def test_throttled_store_is_retried_by_the_state_machine(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    # The store gives up after 3 throttled rounds (StoreUnavailable); the state machine retries the task.
    client = ThrottlingClient(workflow.dynamodb(), failures=4)
    monkeypatch.setattr("workflow.persist.breach_store", fast_store(client, max_rounds=3))
    body = _body("report-valid.json")
    ref = stack.put_raw(body)

    execution = stack.run(ref, name="throttled")

    assert execution["status"] == "SUCCEEDED", execution
    assert _task_errors(stack, execution) == ["StoreUnavailable"]
    assert client.throttled == 4
    assert [b["reportCount"] for b in stack.breaches()] == [1, 1, 1]  # no duplicate writes
    assert len(stack.batch_guards()) == 1
    assert stack.report_record(keys.report_id(body))["status"] == "accepted"


def test_persistent_failure_fails_the_execution_and_a_rerun_completes_it(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 150 breaches take two transactions: the first (99) goes through, the second is throttled for good.
    body = _report_of(150)
    client = ThrottlingClient(workflow.dynamodb(), failures=None, from_batch=1)
    monkeypatch.setattr("workflow.persist.breach_store", fast_store(client, max_rounds=2))
    ref = stack.put_raw(body)

    failed = stack.run(ref, name="failed")

    assert failed["status"] == "FAILED", failed
    assert _states_entered(stack, failed)[-2:] == ["RecordFailed", "IngestFailed"]
    assert _task_errors(stack, failed) == ["StoreUnavailable"] * 6  # first try + MaxAttempts 5
    assert failed.get("error", "StoreUnavailable") == "StoreUnavailable"
    record = stack.report_record(keys.report_id(body))
    assert record["status"] == "failed"
    assert record["problems"] == [{"path": "$", "message": "ingest failed: StoreUnavailable"}]
    assert "DynamoDB" not in json.dumps(record, default=str)  # the error name only, never the cause text
    assert stack.outcome_tag(ref) == "failed"
    assert len(stack.breaches()) == 99  # the first transaction landed before the throttling

    client.failures = 0  # DynamoDB recovers; ops start the execution again (moto has no redrive)
    rerun = stack.run(ref, name="failed-rerun")

    assert rerun["status"] == "SUCCEEDED", rerun
    persisted = json.loads(rerun["output"])["persisted"]
    assert persisted["counts"] == {"breaches": 150, "sightingsWritten": 51, "alreadyRecorded": 99}
    assert len(stack.breaches()) == 150
    assert all(b["reportCount"] == 1 for b in stack.breaches())  # the 99 written before were not re-counted
    assert [g["sk"] for g in stack.batch_guards()] == ["BATCH#00000", "BATCH#00001"]
    assert stack.report_record(keys.report_id(body))["status"] == "accepted"
    assert stack.outcome_tag(ref) == "accepted"


def test_error_that_is_not_transient_goes_straight_to_record_failed(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("workflow.normalise.work_bucket", lambda: "slawatch-no-such-bucket")
    body = _body("report-valid.json")
    ref = stack.put_raw(body)

    execution = stack.run(ref, name="bug")

    assert execution["status"] == "FAILED"
    assert _task_errors(stack, execution) == ["NoSuchBucket"]  # not retried
    assert _states_entered(stack, execution) == ["Validate", "IsValid", "Normalise", "RecordFailed", "IngestFailed"]
    assert stack.report_record(keys.report_id(body))["problems"][0]["message"] == "ingest failed: NoSuchBucket"
    assert stack.breaches() == []


def test_report_larger_than_the_state_limit_goes_through_in_the_same_transitions(stack: Stack) -> None:
    # 280 KB: past the 256 KB state limit. Few, long-named files rather than thousands of short ones only
    # because moto spends about a second per 50-breach transaction (the workflow itself does not care).
    small = stack.run(stack.put_raw(_body("report-valid.json")), name="small")
    body = _report_of(80, name_length=3500)
    assert len(body) > 256 * 1024
    ref = stack.put_raw(body)

    execution = stack.run(ref, name="large")

    assert execution["status"] == "SUCCEEDED", execution
    assert len(stack.history(execution)) == len(stack.history(small))  # transitions do not grow with size
    largest_state = max(len(e.get("stateExitedEventDetails", {}).get("output", ""))
                        for e in stack.history(execution))
    assert largest_state < 4096  # references and counts only
    assert len(stack.breaches()) == 80 + 3
    assert stack.report_record(keys.report_id(body))["counts"]["sightingsWritten"] == 80


def test_the_same_event_twice_leaves_the_table_identical(stack: Stack) -> None:
    ref = stack.put_raw(_body("report-valid.json"))
    first = stack.run(ref, name="first")
    after_first = stack.items()

    second = stack.run(ref, name="second")

    assert first["status"] == second["status"] == "SUCCEEDED"
    assert json.loads(second["output"])["persisted"]["duplicate"] is True
    assert stack.items() == after_first


def test_a_resent_report_is_recognised_by_its_content(stack: Stack) -> None:
    body = _body("report-valid.json")
    first = stack.put_raw(body, caller="scanner-fs01")
    stack.run(first, name="original")
    after_first = stack.items()
    again = stack.put_raw(body, caller="scanner-fs01")  # the scanner retried after a lost response

    execution = stack.run(again, name="resent")

    assert execution["status"] == "SUCCEEDED"
    assert stack.items() == after_first
    assert stack.outcome_tag(again) == "accepted"


def test_a_failing_duplicate_never_downgrades_an_accepted_report(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = _body("report-valid.json")
    ref = stack.put_raw(body)
    stack.run(ref, name="accepted")
    after_first = stack.items()
    monkeypatch.setattr("workflow.normalise.work_bucket", lambda: "slawatch-no-such-bucket")

    duplicate = stack.run(ref, name="duplicate-fails")

    assert duplicate["status"] == "FAILED"  # the execution did fail and stays redrivable...
    assert stack.items() == after_first  # ...but the report's record still says accepted
    assert stack.outcome_tag(ref) == "accepted"


def test_hostile_but_valid_report_is_accepted_whole(stack: Stack) -> None:
    # Lone surrogates in names (PowerShell's \udXXX escapes), a huge but storable size, and twenty unreadable
    # folders with 32,767-character names: every breach lands, and the record fits by saying what it left out.
    odd = folder("D:\\In\udc81", 20, ("odd\ud800.csv", "2026-11-28T08:00:00Z"), ("plain.csv", "2026-11-28T08:00:00Z"))
    odd["files"][1]["sizeBytes"] = 2**63 - 1
    gone = [{"folder": f"E:\\{n:03}" + "é" * 32_760, "sla": 20, "files": [], "status": "unreadable"}
            for n in range(20)]
    body = encode(report(odd, *gone))
    ref = stack.put_raw(body)

    execution = stack.run(ref, name="hostile")

    assert execution["status"] == "SUCCEEDED", execution
    assert _states_entered(stack, execution) == HAPPY_PATH
    assert {b["filename"] for b in stack.breaches()} == {"odd\ufffd.csv", "plain.csv"}
    assert {b.get("filenameExact") for b in stack.breaches()} == {'"odd\\ud800.csv"', None}
    record = stack.report_record(keys.report_id(body))
    assert record["status"] == "accepted"
    assert record["folderProblemsOmitted"] == 20 - len(record["folderProblems"]) > 0
