"""The raw report archive in S3: what auditors trust, so every object carries who sent it and when.

The bucket has Object Lock with a default retention, so every PutObject must carry an integrity header: S3's
x-amz-checksum-sha256 (SHA-256 works under FIPS policies and survives every API Gateway endpoint type).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Any

from slawatch.timestamps import format_timestamp

RAW_PREFIX = "raw"  # written by API Gateway; the workflow's EventBridge rule listens here
SYNC_PREFIX = "sync"  # written by the synchronous Lambda, which has already ingested the report itself


def archive_key(prefix: str, received_at: datetime, name: str) -> str:
    """Date-partitioned key: auditors and replays list one day with one prefix."""
    return f"{prefix}/{received_at:%Y/%m/%d}/{name}.json"


def checksum_sha256(body: bytes) -> str:
    """The x-amz-checksum-sha256 value of the exact bytes: base64 of the SHA-256 digest."""
    return base64.b64encode(hashlib.sha256(body).digest()).decode()


def put_report(
    client: Any,
    bucket: str,
    key: str,
    body: bytes,
    *,
    received_at: datetime,
    request_id: str | None,
    caller: str | None,
    source_ip: str | None = None,
) -> str:
    metadata = {"received-at": format_timestamp(received_at)}
    for name, value in (("request-id", request_id), ("caller", caller), ("source-ip", source_ip)):
        if value:
            metadata[name] = value.encode("ascii", "replace").decode()[:512]
    client.put_object(
        Bucket=bucket,
        Key=key,
        Body=body,
        ChecksumSHA256=checksum_sha256(body),
        ContentType="application/json",
        Metadata=metadata,
    )
    return key


def get_report(client: Any, bucket: str, key: str, version_id: str | None = None) -> tuple[bytes, dict[str, str]]:
    """The exact bytes and metadata of one archived report version."""
    request: dict[str, Any] = {"Bucket": bucket, "Key": key}
    if version_id:
        request["VersionId"] = version_id
    response = client.get_object(**request)
    return response["Body"].read(), response.get("Metadata", {})
