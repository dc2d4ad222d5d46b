"""Shared fixtures: fake AWS credentials, a moto table built from template.yaml, a fake Lambda context."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import boto3
import pytest
from moto import mock_aws

from local import moto_patches
from local.template import table_definition

# Never let a test reach real AWS, whatever the developer's shell has set.
os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SECURITY_TOKEN="testing",
    AWS_SESSION_TOKEN="testing",
    AWS_DEFAULT_REGION="eu-west-1",
    POWERTOOLS_TRACE_DISABLED="1",
    POWERTOOLS_SERVICE_NAME="slawatch-test",
    POWERTOOLS_METRICS_NAMESPACE="SlaWatch",
)
os.environ.pop("AWS_PROFILE", None)
moto_patches.apply()

TABLE = "slawatch-test-breaches"


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def table(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    boto3.client("dynamodb").create_table(TableName=TABLE, **table_definition())
    monkeypatch.setenv("TABLE_NAME", TABLE)
    return TABLE


@pytest.fixture
def dynamodb(table: str):
    return boto3.client("dynamodb")


@dataclass
class FakeLambdaContext:
    function_name: str = "slawatch-test"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:slawatch-test"
    aws_request_id: str = "c6af9ac6-7b61-11e6-9a41-93e812345678"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


@pytest.fixture
def lambda_context() -> FakeLambdaContext:
    return FakeLambdaContext()
