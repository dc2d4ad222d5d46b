"""The ingest workflow's Lambda tasks (statemachine/ingest.asl.json): validate, normalise, persist and
record_outcome.

Every task receives references to one raw report version (bucket, key, versionId), never its contents, and
returns small results, so the state data stays far below Step Functions' 256 KB whatever the report's size.
This module holds what the tasks share: reading the raw object and its audit metadata, the clients, the report
record lookup that makes duplicates cheap, and the outcome tag auditors see on the raw object.

Idempotency: the report id is the SHA-256 of the raw bytes, so a duplicate S3 event, a re-sent report or a
redrive is the same report. The breach store's sighting guards make every breach write safe to repeat, and the
report record, written last by persist, marks a report as done: persist skips a report already accepted, and a
later failure or rejection never overwrites an accepted record.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

import boto3

from slawatch import archive, keys
from slawatch.normalise import ReportMeta
from slawatch.store import BreachStore
from slawatch.timestamps import TimestampError, parse_timestamp

OUTCOME_TAG = "slawatch-outcome"
OUTCOMES = ("accepted", "rejected", "failed")


@dataclass(frozen=True)
class RawObject:
    """The one raw report version a workflow execution is about."""

    bucket: str
    key: str
    version_id: str | None


@dataclass(frozen=True)
class RawReport:
    ref: RawObject
    body: bytes
    received_at: datetime
    caller: str | None
    request_id: str | None

    @property
    def report_id(self) -> str:
        return keys.report_id(self.body)

    def meta(self) -> ReportMeta:
        """Who sent it and when, for a report whose body could not be normalised (rejected or failed)."""
        return ReportMeta(
            report_id=self.report_id,
            received_at=self.received_at,
            reported_at=self.received_at,
            source=self.caller or "unknown",
            raw_key=self.ref.key,
        )


def raw_object(event: Any) -> RawObject:
    """The task input built by the state machine's Parameters; anything else is a bug, not a user error."""
    if not isinstance(event, dict):
        raise ValueError("task input must be an object with bucket, key and versionId")
    bucket, key, version = event.get("bucket"), event.get("key"), event.get("versionId")
    if not isinstance(bucket, str) or not bucket or not isinstance(key, str) or not key:
        raise ValueError("task input needs bucket and key")
    if version is not None and not isinstance(version, str):
        raise ValueError("versionId must be a string")
    return RawObject(bucket, key, version or None)


@cache
def s3() -> Any:
    return boto3.client("s3")


@cache
def dynamodb() -> Any:
    return boto3.client("dynamodb")


def breach_store() -> BreachStore:
    return BreachStore(os.environ["TABLE_NAME"], client=dynamodb())


def work_bucket() -> str:
    return os.environ["WORK_BUCKET"]


def read_raw(ref: RawObject) -> RawReport:
    """The exact bytes of the version the event named, with the metadata the API wrote on it."""
    body, metadata = archive.get_report(s3(), ref.bucket, ref.key, ref.version_id)
    received_at = parse_received_at(metadata.get("received-at"))
    if received_at is None:  # not written through our API: the object's own time is the next best thing
        request: dict[str, Any] = {"Bucket": ref.bucket, "Key": ref.key}
        if ref.version_id:
            request["VersionId"] = ref.version_id
        received_at = s3().head_object(**request)["LastModified"].astimezone(UTC)
    caller, request_id = metadata.get("caller") or None, metadata.get("request-id") or None
    return RawReport(ref, body, received_at, caller, request_id)


def parse_received_at(text: str | None) -> datetime | None:
    """ISO 8601 (slawatch.archive), epoch milliseconds ($context.requestTimeEpoch) or the CLF form of
    $context.requestTime (28/Nov/2026:09:00:00 +0000); None when absent or unreadable."""
    if not text:
        return None
    text = text.strip()
    try:
        if re.fullmatch(r"\d{13}", text):
            return datetime.fromtimestamp(int(text) / 1000, tz=UTC)
        if re.fullmatch(r"\d{2}/[A-Za-z]{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}", text):
            return datetime.strptime(text, "%d/%b/%Y:%H:%M:%S %z").astimezone(UTC)
        return parse_timestamp(text)
    except (TimestampError, ValueError, OverflowError, OSError):
        return None


def tag_outcome(ref: RawObject, status: str) -> None:
    """Mark the raw object version with its outcome, keeping any other tags (tags are outside Object Lock)."""
    if status not in OUTCOMES:
        raise ValueError(f"unknown outcome {status!r}")
    request: dict[str, Any] = {"Bucket": ref.bucket, "Key": ref.key}
    if ref.version_id:
        request["VersionId"] = ref.version_id
    tags = [t for t in s3().get_object_tagging(**request).get("TagSet", []) if t["Key"] != OUTCOME_TAG]
    tags.append({"Key": OUTCOME_TAG, "Value": status})
    s3().put_object_tagging(**request, Tagging={"TagSet": tags})
