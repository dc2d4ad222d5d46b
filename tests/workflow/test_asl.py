"""Static checks of statemachine/ingest.asl.json: asl-validator, the retry and catch policy on every task,
state data that carries references only, and agreement with template.yaml when the template declares it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from typing import Any

import pytest

from local.lambda_router import INGEST_ASL, ROOT, WORKFLOW_FUNCTIONS, load_definition, shrink_retries
from local.template import resources

LAMBDA_ERRORS = {"Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
                 "Lambda.TooManyRequestsException"}
PLACEHOLDERS = {f"{logical_id}Arn" for logical_id in WORKFLOW_FUNCTIONS}
# The only JSONPaths a task may read: references to the raw object and small results of earlier tasks.
ALLOWED_PATHS = {
    "$.detail.bucket.name", "$.detail.object.key", "$.detail.object['version-id']",
    "$.normalised.documentKey", "$.validation.reportId", "$.validation.problems", "$.error.Error",
}


def _asl() -> dict[str, Any]:
    return json.loads(INGEST_ASL.read_text(encoding="utf-8"))


def _tasks() -> dict[str, dict[str, Any]]:
    return {name: state for name, state in _asl()["States"].items() if state["Type"] == "Task"}


def _paths(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k.endswith(".$")]
        return found + [p for k, v in value.items() if not k.endswith(".$") for p in _paths(v)]
    return []


def test_asl_validator_accepts_the_definition() -> None:
    if shutil.which("npx") is None:
        pytest.skip("npx is not installed")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["npx", "--no-install", "asl-validator", "--json-path", str(INGEST_ASL.relative_to(ROOT))],  # noqa: S607
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_substitutions_are_exactly_the_four_function_arns() -> None:
    assert set(re.findall(r"\$\{([A-Za-z0-9_]+)\}", INGEST_ASL.read_text(encoding="utf-8"))) == PLACEHOLDERS


@pytest.mark.parametrize("name", sorted(_tasks()))
def test_every_task_retries_service_errors_and_throttling_with_jittered_backoff(name: str) -> None:
    retriers = _tasks()[name]["Retry"]
    covered = {error for retrier in retriers for error in retrier["ErrorEquals"]}
    assert covered >= LAMBDA_ERRORS | {"StoreUnavailable"}
    assert "States.ALL" not in covered  # a bug or a bad report must not be retried
    for retrier in retriers:
        assert retrier["JitterStrategy"] == "FULL"
        assert retrier["BackoffRate"] >= 2 and 1 <= retrier["IntervalSeconds"] <= retrier["MaxDelaySeconds"]
        assert 3 <= retrier["MaxAttempts"] <= 10


@pytest.mark.parametrize("name", sorted(_tasks()))
def test_every_task_catches_everything_and_ends_in_record_failed_then_fail(name: str) -> None:
    (catcher,) = _tasks()[name]["Catch"]
    assert catcher["ErrorEquals"] == ["States.ALL"]
    states = _asl()["States"]
    if name == "RecordFailed":
        assert catcher["Next"] == "IngestFailed" and catcher["ResultPath"] != "$.error"  # keep the first error
        assert states["RecordFailed"]["Next"] == "IngestFailed"
    else:
        assert catcher["Next"] == "RecordFailed" and catcher["ResultPath"] == "$.error"
    assert states["IngestFailed"]["Type"] == "Fail"


@pytest.mark.parametrize("name", sorted(_tasks()))
def test_tasks_pass_references_and_keep_results_small(name: str) -> None:
    task = _tasks()[name]
    assert task["Resource"] == "arn:aws:states:::lambda:invoke"
    assert set(_paths(task["Parameters"]["Payload"])) <= ALLOWED_PATHS
    assert "ResultSelector" in task  # never the whole invocation response
    assert task["ResultPath"] not in ("$", None)  # results sit beside the event, never replace it


def test_a_rejected_report_ends_in_success_and_the_failure_records_only_the_error_name() -> None:
    states = _asl()["States"]
    assert states["IsValid"]["Default"] == "RecordRejected"
    assert states[states["RecordRejected"]["Next"]]["Type"] == "Succeed"
    payload = states["RecordFailed"]["Parameters"]["Payload"]
    assert payload["status"] == "failed" and payload["error.$"] == "$.error.Error"
    assert "$.error.Cause" not in json.dumps(payload)


def test_shrunk_retries_keep_everything_but_the_waits() -> None:
    definition = shrink_retries(_asl(), seconds=1)
    for retrier in (r for state in definition["States"].values() for r in state.get("Retry", [])):
        assert (retrier["IntervalSeconds"], retrier["MaxDelaySeconds"], retrier["BackoffRate"]) == (1, 1, 1.0)
        assert retrier["MaxAttempts"] >= 3


def test_every_placeholder_must_be_substituted() -> None:
    with pytest.raises(KeyError, match="RecordOutcomeFunctionArn"):
        load_definition(INGEST_ASL, {p: "arn" for p in PLACEHOLDERS - {"RecordOutcomeFunctionArn"}})


def test_template_wires_this_definition_to_the_workflow_functions() -> None:
    machines = resources("AWS::Serverless::StateMachine")
    if "IngestStateMachine" not in machines:
        pytest.skip("template.yaml does not declare IngestStateMachine yet")
    props = machines["IngestStateMachine"]["Properties"]
    assert props["DefinitionUri"] == "statemachine/ingest.asl.json"
    assert props.get("Type", "STANDARD") == "STANDARD"
    substitutions = props["DefinitionSubstitutions"]
    assert set(substitutions) == PLACEHOLDERS
    functions = resources("AWS::Serverless::Function")
    for logical_id, handler in WORKFLOW_FUNCTIONS.items():
        assert functions[logical_id]["Properties"]["Handler"] == handler
        assert substitutions[f"{logical_id}Arn"] == {"Fn::GetAtt": [logical_id, "Arn"]}
