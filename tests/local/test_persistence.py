"""A restart keeps the executions of both workflows, and finishes on the right machine those a stop interrupted."""

from __future__ import annotations

import base64
import hashlib
import json

import requests

from local import stack as local_stack
from tests.support.reports import EVENTS

VALID = (EVENTS / "report-valid.json").read_bytes()


def _post(stack: local_stack.LocalStack, token: str) -> None:
    answer = requests.post(f"{stack.api_url}/reports", data=VALID, timeout=30, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json",
        "x-amz-checksum-sha256": base64.b64encode(hashlib.sha256(VALID).digest()).decode()})
    assert answer.status_code == 200, answer.text


def test_an_interrupted_express_execution_is_resumed_on_the_express_machine(tmp_path):
    stack = local_stack.start(state_dir=tmp_path, persist=True, echo=False)
    try:
        _post(stack, stack.sign_in("scanner-fs01", stack.add_user("scanner-fs01", "scanner")))
        (finished,) = stack.wait_for_workflows()
        assert finished["stateMachineArn"] == stack.express_state_machine_arn
    finally:
        stack.close()
    snapshot = tmp_path / "state" / "executions.json"
    records = json.loads(snapshot.read_text())
    (record,) = records
    assert record["stateMachineArn"] == finished["stateMachineArn"]
    record["status"], record["stopDate"] = "RUNNING", None  # as if the stack had stopped during the execution
    snapshot.write_text(json.dumps(records))

    stack = local_stack.start(state_dir=tmp_path, persist=True, echo=False)
    try:
        assert stack.resumed == [f"{record['name']}-resumed"]
        states = {(e["name"], e["stateMachineArn"]): e["status"] for e in stack.wait_for_workflows()}
        assert states == {(record["name"], stack.express_state_machine_arn): "ABORTED",
                          (f"{record['name']}-resumed", stack.express_state_machine_arn): "SUCCEEDED"}
    finally:
        stack.close()


def test_a_snapshot_from_before_the_express_machine_restores_onto_the_standard_one(tmp_path):
    state = tmp_path / "state"
    stack = local_stack.start(state_dir=tmp_path, persist=True, echo=False)
    stack.close()
    old = {"name": "old-run", "executionArn": "arn:aws:states:eu-west-1:123456789012:execution:IngestStateMachine:"
           "old-run", "input": "{}", "status": "SUCCEEDED", "startDate": "2026-11-28T12:00:00+00:00",
           "stopDate": "2026-11-28T12:00:05+00:00", "output": None, "error": None, "cause": None}
    (state / "executions.json").write_text(json.dumps([old]))
    stack = local_stack.start(state_dir=tmp_path, persist=True, echo=False)
    try:
        (restored,) = stack.executions()
        assert restored["name"] == "old-run" and restored["stateMachineArn"] == stack.state_machine_arn
    finally:
        stack.close()
