"""Breach writes: idempotent and order-insensitive, about two write units a breach.

A report's breaches are sorted by breach id and written 99 at a time, each batch in one TransactWriteItems with
a guard item for (report, batch number):
  - the guard's `attribute_not_exists` makes a batch already written (a retry, a redrive, a replay) a no-op,
    so no breach is counted twice, for the price of one small item per 99 breaches instead of one per breach;
  - each breach update takes one of three forms, chosen by condition, so that firstReported is the minimum
    and lastReported the maximum of all sightings whatever order reports arrive in (ordered by reportedAt,
    the report id breaking ties):
      NEWEST   item missing, or this sighting later than the last one: set every descriptive attribute
      OLDEST   this sighting earlier than the first one: move first* back
      BETWEEN  otherwise: only count it.
BatchWriteItem cannot carry conditions or updates, hence transactions; cancellation reasons tell, per item,
whether a guard failed (already written: move on) or DynamoDB throttled (back off). The batches of a report are
the same on every run because they depend only on its breach ids and BREACHES_PER_TRANSACTION: change that
constant only when no report is part-way written (no workflow execution failed in the last GUARD_DAYS days).
A report's batches go BATCHES_IN_FLIGHT at a time, in any order: a report cut off part-way has some batches
written, not necessarily the first ones, and a rerun writes exactly the others.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
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

BREACHES_PER_TRANSACTION = 99  # one update each plus the batch guard: TransactWriteItems takes 100 actions
# A big report's batches are written this many at a time: each batch is guarded on its own and no two batches
# touch the same breach, so their order does not matter, and a report of 50,000 breaches (506 batches) waits
# for DynamoDB's round trips a quarter as long. boto3's client pools 10 connections.
BATCHES_IN_FLIGHT = 4
NEWEST, OLDEST, BETWEEN = 0, 1, 2
_LATER = "#lastReported < :reported OR (#lastReported = :reported AND #lastReportId < :report)"
_EARLIER = "#firstReported > :reported OR (#firstReported = :reported AND #firstReportId > :report)"


@dataclass(frozen=True)
class WriteSummary:
    sightings_written: int
    duplicates_skipped: int


class BreachWrites(StoreBase):
    """Each (breach, report) pair counted once: a report's breaches in guarded batches of 99."""

    def record_breaches(self, report: NormalisedReport) -> WriteSummary:
        """Every batch, up to BATCHES_IN_FLIGHT at once; the first batch that fails stops the rest."""
        breaches = sorted(report.breaches, key=lambda breach: breach.breach_id)
        batches = [breaches[start : start + BREACHES_PER_TRANSACTION]
                   for start in range(0, len(breaches), BREACHES_PER_TRANSACTION)]
        if not batches:
            return WriteSummary(0, 0)
        if len(batches) == 1:
            return WriteSummary(*self._write_batch(0, batches[0], report.meta))
        with ThreadPoolExecutor(max_workers=min(BATCHES_IN_FLIGHT, len(batches))) as pool:
            futures = [pool.submit(self._write_batch, number, batch, report.meta)
                       for number, batch in enumerate(batches)]
            try:
                results = [future.result() for future in futures]
            except BaseException:
                for future in futures:
                    future.cancel()  # batches not started yet; a rerun writes them (the guards skip the rest)
                raise
        return WriteSummary(sum(w for w, _ in results), sum(d for _, d in results))

    def _write_batch(self, number: int, batch: list[Breach], meta: ReportMeta) -> tuple[int, int]:
        pending = [(breach, NEWEST) for breach in batch]
        guard = self._guard(number, len(batch), meta)
        for attempt in range(self._max_rounds):
            actions = [guard, *({"Update": self._breach_update(breach, form, meta)} for breach, form in pending)]
            try:
                self.client.transact_write_items(TransactItems=actions)
                return len(pending), 0
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                if code == "TransactionCanceledException":
                    reasons = exc.response.get("CancellationReasons") or []
                    if _guard_failed(reasons):
                        return 0, len(batch)  # this batch of this report is written already
                    pending, transient = _after_cancellation(pending, reasons)
                    if not transient:
                        continue  # only update conditions failed: retry at once with the next forms
                elif not is_transient(code):
                    raise
            self._sleep(backoff_delay(attempt, self._base_delay, self._max_delay))
        raise StoreUnavailable(f"DynamoDB did not accept {len(pending)} breach writes after {self._max_rounds} tries")

    def _guard(self, number: int, size: int, meta: ReportMeta) -> dict[str, Any]:
        """The batch's guard item: kept GUARD_DAYS, as long as a redrive or retry can write the batch again."""
        item: dict[str, Any] = {**keys.batch_guard_key(meta.report_id, number), "entityType": keys.ENTITY_BATCH,
                                "reportId": meta.report_id, "breaches": size}
        expires = retention.expires_at(meta.received_at, retention.guard_days(self.retention_days))
        if expires is not None:
            item[retention.ATTRIBUTE] = expires
        return {"Put": {"TableName": self.table_name, "Item": serialise(item),
                        "ConditionExpression": "attribute_not_exists(pk)"}}

    def _breach_update(self, breach: Breach, form: int, meta: ReportMeta) -> dict[str, Any]:
        reported = format_timestamp(meta.reported_at)
        first = {"firstReported": reported, "firstReportId": meta.report_id, "firstReportKey": meta.raw_key}
        if form == NEWEST:
            values = self._descriptive(breach, meta)
            set_now = {k: v for k, v in values.items() if v is not None}
            remove = [k for k, v in values.items() if v is None]
            keep_first = {k: v for k, v in first.items() if v is not None}
            condition = f"attribute_not_exists(#pk) OR {_LATER}"
        elif form == OLDEST:
            set_now = {k: v for k, v in first.items() if v is not None}
            remove = [k for k, v in first.items() if v is None]
            keep_first = {}
            condition = _EARLIER
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
            condition_names={"#pk": "pk", "#lastReported": "lastReported", "#lastReportId": "lastReportId",
                             "#firstReported": "firstReported", "#firstReportId": "firstReportId"},
            condition_values={":reported": reported, ":report": meta.report_id} if form != BETWEEN else {},
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
            "lastReportId": meta.report_id,
            "lastReportKey": meta.raw_key,
            retention.ATTRIBUTE: retention.expires_at(meta.reported_at, self.retention_days),
            **keys.breach_index_keys(
                breach.breach_id, breach.folder_id, breached_at, breach.affected_date, self.shards
            ),
        }


def _guard_failed(reasons: list[dict[str, Any]]) -> bool:
    return bool(reasons) and reasons[0].get("Code") == "ConditionalCheckFailed"


def _after_cancellation(
    pending: list[tuple[Breach, int]], reasons: list[dict[str, Any]]
) -> tuple[list[tuple[Breach, int]], bool]:
    """Per breach, after a cancellation the guard did not cause: a failed condition means try the next form."""
    if len(reasons) != 1 + len(pending):
        return pending, True  # no usable reasons: back off and resend everything (the guard keeps it safe)
    kept: list[tuple[Breach, int]] = []
    transient = str(reasons[0].get("Code") or "None") in TRANSIENT_CODES
    for (breach, form), reason in zip(pending, reasons[1:], strict=True):
        code = str(reason.get("Code") or "None")
        if code == "ConditionalCheckFailed":
            if form == BETWEEN:
                raise StoreUnavailable("breach item vanished during an update")
            kept.append((breach, form + 1))
        elif code in TRANSIENT_CODES:
            transient = True
            kept.append((breach, form))
        elif code == "None":
            kept.append((breach, form))
        else:
            raise StoreUnavailable(f"DynamoDB refused a breach write: {code}")
    guard = str(reasons[0].get("Code") or "None")
    if guard not in TRANSIENT_CODES and guard != "None":
        raise StoreUnavailable(f"DynamoDB refused a batch guard: {guard}")
    return kept, transient


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
