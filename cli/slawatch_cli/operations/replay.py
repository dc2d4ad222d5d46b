"""``slawatch replay``: start the workflow again for archived raw reports, e.g. after a bug fix.

Safe to repeat: each execution is named from the object's key, version and a label, and Step Functions refuses
a second execution with the same name (standard workflows, 90 days), so running the same replay twice starts
nothing new; the workflow's writes are idempotent anyway. Use another ``--label`` to replay the same objects
again later. The execution input is the EventBridge "Object Created" event the workflow normally receives.
"""

import hashlib
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TextIO

from botocore.exceptions import ClientError

from ..errors import UsageError
from ..progress import Progress
from ..scanner.targets import aws_errors, error_code

log = logging.getLogger("slawatch_cli.replay")

RAW_PREFIX = "raw/"
MAX_DAYS = 400
_LABEL = re.compile(r"^[A-Za-z0-9_-]{1,30}$")


@dataclass(frozen=True, slots=True)
class RawObject:
    key: str
    version_id: str | None  # None when the bucket is not versioned
    size: int


@dataclass(slots=True)
class ReplaySummary:
    listed: int = 0
    started: int = 0
    already: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)


def days(first: date, last: date) -> list[date]:
    if last < first:
        raise UsageError("--to is before --from")
    count = (last - first).days + 1
    if count > MAX_DAYS:
        raise UsageError(f"{count} days is more than {MAX_DAYS}; replay a shorter range at a time")
    return [first + timedelta(days=n) for n in range(count)]


def day_prefix(day: date, prefix: str = "") -> str:
    """``raw/YYYY/MM/DD/`` plus an optional prefix of the object name within the day."""
    return f"{RAW_PREFIX}{day:%Y/%m/%d}/{prefix}"


def list_raw_objects(s3: Any, bucket: str, day: date, prefix: str = "") -> Iterator[RawObject]:
    """Current versions under one day's prefix (a deleted object's older versions are not replayed)."""
    paginator = s3.get_paginator("list_object_versions")
    with aws_errors(f"list s3://{bucket}/{day_prefix(day, prefix)}"):
        for page in paginator.paginate(Bucket=bucket, Prefix=day_prefix(day, prefix)):
            for version in page.get("Versions", []):
                if not version.get("IsLatest", True) or version["Key"].endswith("/"):
                    continue
                vid = version.get("VersionId")
                yield RawObject(version["Key"], None if vid in (None, "null") else vid, int(version.get("Size", 0)))


def execution_name(obj: RawObject, label: str = "replay") -> str:
    """Deterministic, valid (<= 80 chars of [A-Za-z0-9_-]) and unique per key + version + label."""
    digest = hashlib.sha256(f"{label}\n{obj.key}\n{obj.version_id or ''}".encode()).hexdigest()
    return f"{label}-{digest[:40]}"


def object_created_event(bucket: str, obj: RawObject) -> dict[str, Any]:
    """The EventBridge "Object Created" event shape the state machine starts from."""
    detail_object: dict[str, Any] = {"key": obj.key, "size": obj.size}
    if obj.version_id:
        detail_object["version-id"] = obj.version_id
    return {
        "version": "0",
        "detail-type": "Object Created",
        "source": "aws.s3",
        "detail": {"bucket": {"name": bucket}, "object": detail_object},
    }


def replay(
    *,
    s3: Any,
    sfn: Any,
    bucket: str,
    state_machine_arn: str,
    first: date,
    last: date,
    prefix: str = "",
    label: str = "replay",
    dry_run: bool = False,
    out: TextIO,
    err: TextIO,
) -> ReplaySummary:
    if not _LABEL.match(label):
        raise UsageError("--label must be 1-30 letters, digits, '-' or '_'")
    summary = ReplaySummary()
    objects: list[RawObject] = []
    for day in days(first, last):
        objects.extend(list_raw_objects(s3, bucket, day, prefix))
    summary.listed = len(objects)
    if dry_run:
        for obj in objects:
            version = f" (version {obj.version_id})" if obj.version_id else ""
            out.write(f"would start {execution_name(obj, label)} for s3://{bucket}/{obj.key}{version}\n")
        return summary
    progress = Progress(len(objects), "replay", err)
    for obj in objects:
        name = execution_name(obj, label)
        try:
            sfn.start_execution(
                stateMachineArn=state_machine_arn,
                name=name,
                input=json.dumps(object_created_event(bucket, obj), separators=(",", ":")),
            )
            summary.started += 1
        except ClientError as exc:
            code = error_code(exc)
            if code == "ExecutionAlreadyExists":
                summary.already += 1
            elif code in ("StateMachineDoesNotExist", "InvalidArn", "AccessDeniedException"):
                with aws_errors("start execution"):
                    raise
            else:
                summary.failed += 1
                summary.failures.append(f"{obj.key}: {code}")
                log.warning("replay of %s failed: %s", obj.key, code)
        progress.advance(f"started {summary.started} existing {summary.already} failed {summary.failed}")
    progress.close()
    return summary
