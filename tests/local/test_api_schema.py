"""Robustness: schemathesis against the API's OpenAPI description, served by the local gateway.

The description is generated from template.yaml's OpenAPI body (local/openapi.py), so what is checked is what
API Gateway imports. Every operation gets generated requests, valid and invalid (bodies from the report schema,
random query strings, wrong headers), sent over HTTP with a real access token; every answer must be no 5xx, a
documented status, a JSON body matching the documented schema. Half of the report uploads carry a correct
x-amz-checksum-sha256, so generated reports also go through to S3 and the workflow. Examples are bounded (hypothesis
derandomised, MAX_EXAMPLES per operation and mode, positive and negative) to keep `make test` within about
a minute here.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import boto3
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from local import stack as local_stack
from local.template import api_operations

MAX_EXAMPLES = 25
# No 5xx, and every answer as described. Not "positive data accepted": the description types query parameters
# as free strings (API Gateway validates only their presence), so a schema-valid `date=abc` is rightly a 400.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]


@pytest.fixture(scope="module")
def robot_token(stack: local_stack.LocalStack) -> str:
    """One login in both groups, so a single token may call every operation."""
    password = stack.add_user("robot", "scanner")
    boto3.client("cognito-idp").admin_add_user_to_group(UserPoolId=stack.user_pool_id, Username="robot",
                                                        GroupName="readers")
    return stack.sign_in("robot", password)


@pytest.fixture(scope="module")
def api_schema(stack: local_stack.LocalStack) -> Any:
    return schemathesis.openapi.from_url(f"{stack.api_url}/openapi.json")


def test_description_is_served_and_generated_from_the_template(stack: local_stack.LocalStack) -> None:
    document = requests.get(f"{stack.api_url}/openapi.json", timeout=10).json()
    served = {(m.upper(), p) for p, item in document["paths"].items() for m in item}
    assert served == set(api_operations())
    assert "x-amazon-apigateway-integration" not in json.dumps(document)
    assert document["servers"] == [{"url": stack.api_url}]
    assert set(document["paths"]["/reports"]["post"]["responses"]) >= {"200", "400", "401", "403", "413", "415"}


def _with_checksum(case: Any) -> None:
    """A correct x-amz-checksum-sha256 on about half the uploads (chosen by the body hash: reproducible)."""
    if not (case.method == "POST" and case.path == "/reports" and isinstance(case.body, dict)):
        return
    if hash(json.dumps(case.body, sort_keys=True, default=str)) % 2:
        return
    try:  # the exact bytes requests sends for json=
        body = json.dumps(case.body, allow_nan=False).encode("utf-8")
    except ValueError:
        return
    case.headers = {**(case.headers or {}),
                    "x-amz-checksum-sha256": base64.b64encode(hashlib.sha256(body).digest()).decode()}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("operation", sorted(api_operations()), ids=lambda o: f"{o[0]} {o[1]}")
def test_api_answers_as_described(operation: tuple[str, str], mode: GenerationMode, api_schema: Any,
                                  robot_token: str) -> None:
    method, path = operation
    strategy = api_schema[path][method].as_strategy(generation_mode=mode)

    @given(case=strategy)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def answers_as_described(case: Any) -> None:
        _with_checksum(case)
        case.call_and_validate(headers={"Authorization": f"Bearer {robot_token}"}, timeout=30, checks=CHECKS)

    answers_as_described()
