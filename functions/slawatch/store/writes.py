"""Breach writes: idempotent and order-insensitive.

Each (breach, report) pair is written once, in a transaction with the breach update:
  - a sighting item `attribute_not_exists` guard makes a re-delivered report a no-op for that breach;
  - the breach update takes one of three forms, chosen by condition, so that firstReported is the minimum
    and lastReported the maximum of all sightings whatever order reports arrive in:
      NEWEST   item missing, or this sighting later than lastSighting: set every descriptive attribute
      OLDEST   this sighting earlier than firstSighting: move first* back
      BETWEEN  otherwise: only count it.
BatchWriteItem cannot carry conditions or updates, so writes use TransactWriteItems (50 breaches a call);
cancellation reasons tell, per item, whether a guard failed (move on) or DynamoDB throttled (back off).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from slawatch import keys, retention
from slawatch.errors import StoreUnavailable
from slawatch.names import exact_if_needed, readable
from slawatch.normalise import Breach, NormalisedReport, ReportMeta
from slawatch.retry import backoff_delay
from slawatch.store.base import TRANSIENT_CODES, StoreBase, is_transient, serialise
from slawatch.timestamps import format_timestamp

BREACHES_PER_TRANSACTION = 50  # two actions each; TransactWriteItems takes 100
NEWEST, OLDEST, BETWEEN = 0, 1, 2


@dataclass(frozen=True)
class WriteSummary:
    sightings_written: int
    duplicates_skipped: int


class BreachWrites(StoreBase):
    """Each (breach, report) pair written once, in a transaction with the breach update."""

    def record_breaches(self, report: NormalisedReport) -> WriteSummary:
        written = duplicates = 0
        breaches = list(report.breaches)
        for start in range(0, len(breaches), BREACHES_PER_TRANSACTION):
            w, d = self._write_batch(breaches[start : start + BREACHES_PER_TRANSACTION], report.meta)
            written += w
            duplicates += d
        return WriteSummary(written, duplicates)

    def _write_batch(self, batch: list[Breach], meta: ReportMeta) -> tuple[int, int]:
        pending = [(breach, NEWEST) for breach in batch]
        duplicates = 0
        for attempt in range(self._max_rounds):
            actions = [a for breach, form in pending for a in self._actions(breach, form, meta)]
            try:
                self.client.transact_write_items(TransactItems=actions)
                return len(pending), duplicates
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                if code == "TransactionCanceledException":
                    reasons = exc.response.get("CancellationReasons") or []
                    pending, dropped, transient = _after_cancellation(pending, reasons)
                    duplicates += dropped
                    if not pending:
                        return 0, duplicates
                    if not transient:
                        continue  # only guards failed: retry at once with the next update form
                elif not is_transient(code):
                    raise
            self._sleep(backoff_delay(attempt, self._base_delay, self._max_delay))
        raise StoreUnavailable(f"DynamoDB did not accept {len(pending)} breach writes after {self._max_rounds} tries")

    def _actions(self, breach: Breach, form: int, meta: ReportMeta) -> list[dict[str, Any]]:
        sighting = {
            **keys.sighting_key(breach.breach_id, meta.report_id),
            "entityType": keys.ENTITY_SIGHTING,
            "reportId": meta.report_id,
            "reportedAt": format_timestamp(meta.reported_at),
        }
        if meta.raw_key:
            sighting["reportKey"] = meta.raw_key
        expires = retention.expires_at(meta.received_at, retention.sighting_days(self.retention_days))
        if expires is not None:
            sighting[retention.ATTRIBUTE] = expires
        guard = {
            "Put": {
                "TableName": self.table_name,
                "Item": serialise(sighting),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        return [guard, {"Update": self._breach_update(breach, form, meta)}]

    def _breach_update(self, breach: Breach, form: int, meta: ReportMeta) -> dict[str, Any]:
        reported = format_timestamp(meta.reported_at)
        if form == NEWEST:
            values = self._descriptive(breach, meta)
            set_now = {k: v for k, v in values.items() if v is not None}
            remove = [k for k, v in values.items() if v is None]
            keep_first = {"firstReported": reported, "firstSighting": meta.sighting, "firstReportId": meta.report_id}
            if meta.raw_key:
                keep_first["firstReportKey"] = meta.raw_key
            condition = "attribute_not_exists(#pk) OR #lastSighting < :sighting"
        elif form == OLDEST:
            set_now = {"firstReported": reported, "firstSighting": meta.sighting, "firstReportId": meta.report_id}
            set_now["firstReportKey"] = meta.raw_key
            remove = [] if meta.raw_key else ["firstReportKey"]
            set_now = {k: v for k, v in set_now.items() if v is not None}
            keep_first = {}
            condition = "#firstSighting > :sighting"
        else:
            set_now, remove, keep_first = {}, [], {}
            condition = "attribute_exists(#pk)"
        return _update_expression(
            table=self.table_name,
            key=keys.breach_key(breach.breach_id),
            set_now=set_now,
            set_if_missing=keep_first,
            remove=remove,
            condition=condition,
            condition_names={"#pk": "pk", "#lastSighting": "lastSighting", "#firstSighting": "firstSighting"},
            condition_values={":sighting": meta.sighting} if form != BETWEEN else {},
        )

    def _descriptive(self, breach: Breach, meta: ReportMeta) -> dict[str, Any]:
        """Attributes the newest sighting decides; None means remove, so the result never depends on order."""
        breached_at = format_timestamp(breach.breached_at)
        return {
            "entityType": keys.ENTITY_BREACH,
            "breachId": breach.breach_id,
            "folder": readable(breach.folder),
            "folderExact": exact_if_needed(breach.folder),
            "folderId": breach.folder_id,
            "filename": readable(breach.filename),
            "filenameExact": exact_if_needed(breach.filename),
            "sla": breach.sla_minutes,
            "creationDate": format_timestamp(breach.created_at),
            "breachedAt": breached_at,
            "affectedDate": breach.affected_date,
            "ageBasis": breach.age_basis,
            "lastWriteDate": format_timestamp(breach.last_write_at) if breach.last_write_at else None,
            "sizeBytes": breach.size_bytes,
            "source": meta.source,
            "lastReported": format_timestamp(meta.reported_at),
            "lastSighting": meta.sighting,
            "lastReportId": meta.report_id,
            "lastReportKey": meta.raw_key,
            retention.ATTRIBUTE: retention.expires_at(meta.reported_at, self.retention_days),
            **keys.breach_index_keys(
                breach.breach_id, breach.folder_id, breached_at, breach.affected_date, self.shards
            ),
        }


def _after_cancellation(
    pending: list[tuple[Breach, int]], reasons: list[dict[str, Any]]
) -> tuple[list[tuple[Breach, int]], int, bool]:
    """Per breach: a failed sighting guard means already counted; a failed update guard means try the next form."""
    if len(reasons) != 2 * len(pending):
        return pending, 0, True  # no usable reasons: back off and resend everything (the guards keep it safe)
    kept: list[tuple[Breach, int]] = []
    duplicates = 0
    transient = False
    for n, (breach, form) in enumerate(pending):
        guard, update = (str(reasons[2 * n + k].get("Code") or "None") for k in (0, 1))
        if guard == "ConditionalCheckFailed":
            duplicates += 1
        elif update == "ConditionalCheckFailed":
            if form == BETWEEN:
                raise StoreUnavailable("breach item vanished during an update")
            kept.append((breach, form + 1))
        elif guard in TRANSIENT_CODES or update in TRANSIENT_CODES:
            transient = True
            kept.append((breach, form))
        elif guard == "None" and update == "None":
            kept.append((breach, form))
        else:
            raise StoreUnavailable(f"DynamoDB refused a breach write: {guard}/{update}")
    return kept, duplicates, transient


def _update_expression(
    *,
    table: str,
    key: dict[str, str],
    set_now: dict[str, Any],
    set_if_missing: dict[str, Any],
    remove: list[str],
    condition: str,
    condition_names: dict[str, str],
    condition_values: dict[str, Any],
) -> dict[str, Any]:
    names: dict[str, str] = {}
    values: dict[str, Any] = {":one": 1, **condition_values}
    clauses: list[str] = []
    for n, (attr, value) in enumerate(set_now.items()):
        names[f"#s{n}"] = attr
        values[f":s{n}"] = value
        clauses.append(f"#s{n} = :s{n}")
    for n, (attr, value) in enumerate(set_if_missing.items()):
        names[f"#f{n}"] = attr
        values[f":f{n}"] = value
        clauses.append(f"#f{n} = if_not_exists(#f{n}, :f{n})")
    expression = ("SET " + ", ".join(clauses) + " ") if clauses else ""
    if remove:
        for n, attr in enumerate(remove):
            names[f"#r{n}"] = attr
        expression += "REMOVE " + ", ".join(f"#r{n}" for n in range(len(remove))) + " "
    names["#count"] = "reportCount"
    expression += "ADD #count :one"
    used = {k: v for k, v in condition_names.items() if k in condition}
    return {
        "TableName": table,
        "Key": serialise(key),
        "UpdateExpression": expression,
        "ConditionExpression": condition,
        "ExpressionAttributeNames": {**names, **used},
        "ExpressionAttributeValues": serialise(values),
    }
