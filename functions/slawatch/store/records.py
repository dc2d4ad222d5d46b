"""Report outcome records: what happened to each report, for auditors (accepted, rejected with reasons, failed)."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from slawatch import keys, retention
from slawatch.names import storable
from slawatch.normalise import ReportMeta
from slawatch.store.base import StoreBase, serialise
from slawatch.timestamps import format_timestamp

MAX_RECORD_BYTES = 300_000  # DynamoDB items stop at 400 KB; the rest is headroom for attribute overhead
MAX_PROBLEMS = 20
MAX_FOLDER_PROBLEMS = 100


class ReportRecords(StoreBase):
    """One outcome item per report; the latest wins, except that nothing replaces an accepted record."""

    def record_report(
        self,
        meta: ReportMeta,
        *,
        status: str,
        counts: dict[str, int] | None = None,
        problems: list[dict[str, str]] | None = None,
        folder_problems: list[dict[str, str]] | None = None,
    ) -> bool:
        """The report's outcome for auditors: accepted, rejected (with reasons) or failed; the latest wins,
        except that nothing replaces an accepted record (checked in the write itself, so a duplicate
        execution failing concurrently cannot). False when an accepted record was kept."""
        received = format_timestamp(meta.received_at)
        item: dict[str, Any] = {
            **keys.report_key(meta.report_id),
            **keys.report_index_keys(meta.report_id, received, received[:10]),
            "entityType": keys.ENTITY_REPORT,
            "reportId": meta.report_id,
            "receivedAt": received,
            "reportedAt": format_timestamp(meta.reported_at),
            "status": status,
            "source": meta.source,
            "counts": counts or {},
        }
        if meta.raw_key:
            item["reportKey"] = meta.raw_key
        expires = retention.expires_at(meta.received_at, self.retention_days)
        if expires is not None:
            item[retention.ATTRIBUTE] = expires
        if meta.scanner:
            item["scanner"] = meta.scanner
        budget = MAX_RECORD_BYTES - _size(item)
        for name, entries, most in (("problems", problems, MAX_PROBLEMS), ("folderProblems", folder_problems,
                                                                           MAX_FOLDER_PROBLEMS)):
            kept, budget = _within(entries or [], most, budget)
            item[name] = kept
            if len(entries or []) > len(kept):
                item[f"{name}Omitted"] = len(entries or []) - len(kept)
        request: dict[str, Any] = {"TableName": self.table_name, "Item": serialise(item)}
        if status != "accepted":
            request["ConditionExpression"] = "attribute_not_exists(pk) OR #status <> :accepted"
            request["ExpressionAttributeNames"] = {"#status": "status"}
            request["ExpressionAttributeValues"] = serialise({":accepted": "accepted"})
        try:
            self._call(lambda: self.client.put_item(**request))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def report_status(self, report_id: str) -> str | None:
        """The recorded outcome of a report (a strongly consistent read), or None before there is one."""
        response = self._call(
            lambda: self.client.get_item(
                TableName=self.table_name,
                Key=serialise(keys.report_key(report_id)),
                ConsistentRead=True,
                ProjectionExpression="#status",
                ExpressionAttributeNames={"#status": "status"},
            )
        )
        return response.get("Item", {}).get("status", {}).get("S")


def _within(entries: list[dict[str, str]], most: int, budget: int) -> tuple[list[dict[str, str]], int]:
    """The leading entries that fit in `budget` bytes (and `most` entries): bounded by bytes, since one
    folder name alone may be 32,767 characters of up to three UTF-8 bytes each."""
    kept: list[dict[str, str]] = []
    for entry in entries[:most]:
        size = _size(entry)
        if size > budget:
            break
        kept.append(entry)
        budget -= size
    return kept, budget


def _size(value: object) -> int:
    """An upper bound of the value's DynamoDB size: its UTF-8 JSON (names, values, quotes and separators)."""
    return len(json.dumps(storable(value), ensure_ascii=False).encode("utf-8"))
