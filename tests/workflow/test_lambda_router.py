"""Pins local.lambda_router's seam in moto: if an upgrade moves LambdaSimpleBackend.invoke or changes how Step
Functions reads a function error, these fail instead of the workflow tests silently running moto's echo."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import moto
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.awslambda_simple.models import LambdaSimpleBackend

from local import lambda_router
from local.lambda_router import MOTO_CONFIG, create_function, execution_role, route_lambdas, wait_for_execution


class StoreUnavailable(Exception):
    """Same class name as the domain's, which is all Step Functions sees."""


@pytest.fixture
def moto_lambda() -> Iterator[str]:
    with mock_aws(config=MOTO_CONFIG):
        yield execution_role()


def _invoke(name: str, payload: Any) -> tuple[dict[str, Any], Any]:
    response = boto3.client("lambda").invoke(FunctionName=name, Payload=json.dumps(payload).encode())
    return response, json.loads(response["Payload"].read())


def test_moto_is_the_version_the_seam_was_written_for() -> None:
    assert moto.__version__ == lambda_router.MOTO_VERSION, "re-check local/lambda_router.py against this moto"


def test_a_routed_function_runs_the_handler_with_a_lambda_context(moto_lambda: str) -> None:
    arn = create_function("echo", "tests.echo", moto_lambda, timeout=10)
    seen: list[Any] = []

    def handler(event: Any, context: Any) -> Any:
        seen.append((event, context.function_name, context.invoked_function_arn, context.aws_request_id,
                     context.get_remaining_time_in_millis()))
        return {"got": event["n"] + 1}

    with route_lambdas({"echo": handler}):
        response, by_name = _invoke("echo", {"n": 1})
        _, by_arn = _invoke(arn, {"n": 2})

    assert by_name == {"got": 2} and by_arn == {"got": 3}
    assert "FunctionError" not in response
    (event, name, invoked_arn, request_id, remaining), _ = seen
    assert event == {"n": 1} and name == "echo" and invoked_arn == arn and request_id
    assert 0 < remaining <= 10_000


def test_an_exception_is_an_unhandled_function_error_named_by_its_class(moto_lambda: str) -> None:
    create_function("boom", "tests.boom", moto_lambda)

    def handler(event: Any, context: Any) -> Any:
        raise StoreUnavailable("DynamoDB kept throttling")

    with route_lambdas({"boom": handler}):
        response, payload = _invoke("boom", {})

    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "StoreUnavailable"
    assert payload["errorMessage"] == "DynamoDB kept throttling"


def test_unrouted_and_unknown_functions_behave_as_moto_does(moto_lambda: str) -> None:
    create_function("plain", "tests.plain", moto_lambda)
    with route_lambdas({"other": lambda event, context: None}):
        response = boto3.client("lambda").invoke(FunctionName="plain", Payload=b'{"a": 1}')
        assert response["Payload"].read() == b'{"a": 1}'  # moto's simple backend echoes
        with pytest.raises(ClientError, match="ResourceNotFound"):
            _invoke("missing", {})


def test_the_patch_is_removed_when_the_last_block_ends(moto_lambda: str) -> None:
    original = LambdaSimpleBackend.invoke
    with route_lambdas({"a": lambda e, c: 1}):
        with route_lambdas({"b": lambda e, c: 2}):
            assert LambdaSimpleBackend.invoke is not original
        assert LambdaSimpleBackend.invoke is not original
    assert LambdaSimpleBackend.invoke is original


def test_routing_refuses_a_moto_that_would_run_lambda_in_docker() -> None:
    # Explicit: another suite's leftover moto configuration must not decide this test.
    docker = {"lambda": {"use_docker": True}}
    routes = {"x": lambda e, c: None}
    with mock_aws(config=docker), pytest.raises(RuntimeError, match="use_docker"), route_lambdas(routes):
        pass


def test_step_functions_retries_and_catches_on_the_error_name(moto_lambda: str) -> None:
    arn = create_function("flaky", "tests.flaky", moto_lambda)
    definition = {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": arn, "Payload": {"n.$": "$.n"}},
                "ResultSelector": {"value.$": "$.Payload"},
                "Retry": [{"ErrorEquals": ["StoreUnavailable"], "IntervalSeconds": 1, "MaxAttempts": 1,
                           "MaxDelaySeconds": 1, "JitterStrategy": "FULL"}],
                "Catch": [{"ErrorEquals": ["StoreUnavailable"], "ResultPath": "$.error", "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }
    sfn = boto3.client("stepfunctions")
    machine = sfn.create_state_machine(name="probe", definition=json.dumps(definition), roleArn=moto_lambda)
    calls: list[int] = []

    def handler(event: Any, context: Any) -> Any:
        calls.append(event["n"])
        if len(calls) <= event["n"]:
            raise StoreUnavailable("throttled")
        return "ok"

    with route_lambdas({"flaky": handler}):
        once = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], name="fails-once",
                                   input=json.dumps({"n": 1}))
        retried = wait_for_execution(once["executionArn"])
        calls.clear()
        always = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], name="fails-always",
                                     input=json.dumps({"n": 5}))
        caught = wait_for_execution(always["executionArn"])

    assert retried["status"] == "SUCCEEDED" and json.loads(retried["output"]) == {"value": "ok"}
    assert caught["status"] == "SUCCEEDED" and len(calls) == 2  # first try + one retry, then Catch
    assert json.loads(caught["output"])["error"]["Error"] == "StoreUnavailable"
