"""A moto account holding what template.yaml deploys for the workflow: the table (from the template), the raw
and work buckets, the four Lambda functions routed to the real handlers, and the state machine from the real
ASL (retry intervals shrunk to 1 s because moto sleeps for real)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError
from moto import mock_aws

import workflow
from local.lambda_router import MOTO_CONFIG, LocalWorkflow, deploy_workflow, route_lambdas, wait_for_execution
from local.template import table_definition
from slawatch import archive, keys
from slawatch.store import BreachStore
from tests.conftest import TABLE

RAW_BUCKET = "slawatch-test-raw"
WORK_BUCKET = "slawatch-test-work"
REGION = "eu-west-1"
RECEIVED = datetime(2026, 11, 28, 12, 0, 0, 123000, tzinfo=UTC)
_deserialise = TypeDeserializer().deserialize


@dataclass(frozen=True)
class RawRef:
    key: str
    version_id: str
    size: int


@dataclass
class Stack:
    deployed: LocalWorkflow
    s3: Any = field(default_factory=lambda: boto3.client("s3"))
    ddb: Any = field(default_factory=lambda: boto3.client("dynamodb"))
    sfn: Any = field(default_factory=lambda: boto3.client("stepfunctions"))

    def put_raw(self, body: bytes, *, received_at: datetime = RECEIVED, caller: str = "scanner-fs01") -> RawRef:
        """What the API Gateway S3 integration writes: a date-partitioned key named by request id, metadata."""
        request_id = str(uuid.uuid4())
        key = archive.archive_key(archive.RAW_PREFIX, received_at, request_id)
        archive.put_report(self.s3, RAW_BUCKET, key, body, received_at=received_at, request_id=request_id,
                           caller=caller, source_ip="198.51.100.7")
        version = self.s3.head_object(Bucket=RAW_BUCKET, Key=key)["VersionId"]
        return RawRef(key, version, len(body))

    def run(self, ref: RawRef, name: str | None = None) -> dict[str, Any]:
        """Start an execution on the S3 'Object Created' event of ref and wait for it to end."""
        started = self.sfn.start_execution(
            stateMachineArn=self.deployed.state_machine_arn,
            name=name or f"run-{uuid.uuid4()}",
            input=json.dumps(object_created_event(ref)),
        )
        return wait_for_execution(started["executionArn"], timeout=60)

    def history(self, execution: dict[str, Any]) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        token = None
        while True:
            page = self.sfn.get_execution_history(executionArn=execution["executionArn"],
                                                  **({"nextToken": token} if token else {}))
            events.extend(page["events"])
            token = page.get("nextToken")
            if not token:
                return events

    def items(self) -> list[dict[str, Any]]:
        found, start = [], None
        while True:
            page = self.ddb.scan(TableName=TABLE, **({"ExclusiveStartKey": start} if start else {}))
            found.extend({k: _deserialise(v) for k, v in item.items()} for item in page["Items"])
            start = page.get("LastEvaluatedKey")
            if not start:
                return sorted(found, key=lambda i: (i["pk"], i["sk"]))

    def breaches(self) -> list[dict[str, Any]]:
        return [i for i in self.items() if i["sk"] == "BREACH"]

    def batch_guards(self) -> list[dict[str, Any]]:
        return [i for i in self.items() if i["pk"].startswith("REPORT#") and i["sk"].startswith("BATCH#")]

    def report_record(self, report_id: str) -> dict[str, Any] | None:
        key = {k: {"S": v} for k, v in keys.report_key(report_id).items()}
        item = self.ddb.get_item(TableName=TABLE, Key=key).get("Item")
        return {k: _deserialise(v) for k, v in item.items()} if item else None

    def outcome_tag(self, ref: RawRef) -> str | None:
        tags = self.s3.get_object_tagging(Bucket=RAW_BUCKET, Key=ref.key, VersionId=ref.version_id)["TagSet"]
        return {t["Key"]: t["Value"] for t in tags}.get(workflow.OUTCOME_TAG)


def object_created_event(ref: RawRef, bucket: str = RAW_BUCKET) -> dict[str, Any]:
    """The EventBridge event S3 sends for a new object (detail-type 'Object Created')."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": "123456789012",
        "time": "2026-11-28T12:00:00Z",
        "region": REGION,
        "resources": [f"arn:aws:s3:::{bucket}"],
        "detail": {
            "version": "0",
            "bucket": {"name": bucket},
            "object": {"key": ref.key, "size": ref.size, "etag": "0" * 32, "version-id": ref.version_id,
                       "sequencer": "00617F08299329D189"},
            "request-id": "N4N7GDK58NMKJ12R",
            "requester": "123456789012",
            "source-ip-address": "198.51.100.7",
            "reason": "PutObject",
        },
    }


class ThrottlingClient:
    """A DynamoDB client whose TransactWriteItems of batch `from_batch` and later (the batch guard's number) is
    throttled `failures` times (None: until `failures` is changed), then passes again. By batch, not by call
    order: the store writes a report's batches several at a time."""

    def __init__(self, real: Any, failures: int | None, from_batch: int = 0):
        self._real = real
        self.failures = failures
        self.from_batch = from_batch
        self.throttled = 0
        self._lock = threading.Lock()

    def transact_write_items(self, **kwargs: Any) -> Any:
        guard = kwargs["TransactItems"][0]["Put"]["Item"]["sk"]["S"]  # BATCH#<number>, first in every batch
        with self._lock:
            throttle = int(guard.removeprefix("BATCH#")) >= self.from_batch and (
                self.failures is None or self.throttled < self.failures)
            self.throttled += throttle
        if throttle:
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"},
                               "ResponseMetadata": {"HTTPStatusCode": 400}}, "TransactWriteItems")
        return self._real.transact_write_items(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def fast_store(client: Any, max_rounds: int = 3) -> Callable[[], BreachStore]:
    """A breach store factory with no backoff sleeps and few rounds, so StoreUnavailable comes quickly."""
    return lambda: BreachStore(TABLE, client=client, sleep=lambda _s: None, max_rounds=max_rounds)


@pytest.fixture
def stack(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    with mock_aws(config=MOTO_CONFIG):
        boto3.client("dynamodb").create_table(TableName=TABLE, **table_definition())
        s3 = boto3.client("s3")
        for bucket in (RAW_BUCKET, WORK_BUCKET):
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_versioning(Bucket=RAW_BUCKET, VersioningConfiguration={"Status": "Enabled"})
        environment = {"TABLE_NAME": TABLE, "WORK_BUCKET": WORK_BUCKET, "RAW_BUCKET": RAW_BUCKET}
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        workflow.s3.cache_clear()
        workflow.dynamodb.cache_clear()
        deployed = deploy_workflow(environment=environment, retry_seconds=1)
        with route_lambdas(deployed.handlers):
            yield Stack(deployed)
        workflow.s3.cache_clear()
        workflow.dynamodb.cache_clear()
