"""The breach store: idempotent, order-insensitive writes and Query-only reads on the single table.

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

import heapq
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from slawatch import keys
from slawatch.errors import StoreUnavailable
from slawatch.normalise import Breach, NormalisedReport, ReportMeta
from slawatch.pagination import InvalidToken, check_start_key, decode_token, encode_token
from slawatch.retry import backoff_delay
from slawatch.timestamps import format_timestamp

BREACHES_PER_TRANSACTION = 50  # two actions each; TransactWriteItems takes 100
TRANSIENT_CODES = {
    "ThrottlingError",
    "ThrottlingException",
    "ProvisionedThroughputExceeded",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "TransactionConflict",
    "TransactionConflictException",
    "TransactionInProgressException",
    "InternalServerError",
    "ServiceUnavailable",
}
NEWEST, OLDEST, BETWEEN = 0, 1, 2
_INDEX_KEYS = {keys.INDEX_BY_DAY: ("gsi1pk", "gsi1sk"), keys.INDEX_BY_FOLDER: ("gsi2pk", "gsi2sk")}
_HIDDEN = {"pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "firstSighting", "lastSighting", "entityType"}
_serialiser = TypeSerializer()
_deserialiser = TypeDeserializer()


@dataclass(frozen=True)
class WriteSummary:
    sightings_written: int
    duplicates_skipped: int


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_token: str | None


@dataclass(frozen=True)
class _Step:
    """One stretch of a query: the partitions to merge and the sort-key bounds within them."""

    index: str | None
    partitions: tuple[str, ...]
    low: str
    high: str


class BreachStore:
    def __init__(
        self,
        table_name: str,
        client: Any | None = None,
        *,
        shards: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_rounds: int = 12,
        base_delay: float = 0.05,
        max_delay: float = 5.0,
    ):
        self.table_name = table_name
        self.client = client or boto3.client("dynamodb")
        self.shards = shards or keys.day_shards()
        self._sleep = sleep
        self._max_rounds = max_rounds
        self._base_delay = base_delay
        self._max_delay = max_delay

    # ------------------------------------------------------------------ writes
    def record_breaches(self, report: NormalisedReport) -> WriteSummary:
        written = duplicates = 0
        breaches = list(report.breaches)
        for start in range(0, len(breaches), BREACHES_PER_TRANSACTION):
            w, d = self._write_batch(breaches[start : start + BREACHES_PER_TRANSACTION], report.meta)
            written += w
            duplicates += d
        return WriteSummary(written, duplicates)

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
            "problems": (problems or [])[:20],
            "folderProblems": (folder_problems or [])[:100],
        }
        if meta.raw_key:
            item["reportKey"] = meta.raw_key
        if meta.scanner:
            item["scanner"] = meta.scanner
        request: dict[str, Any] = {"TableName": self.table_name, "Item": _serialise(item)}
        if status != "accepted":
            request["ConditionExpression"] = "attribute_not_exists(pk) OR #status <> :accepted"
            request["ExpressionAttributeNames"] = {"#status": "status"}
            request["ExpressionAttributeValues"] = _serialise({":accepted": "accepted"})
        try:
            self._call(lambda: self.client.put_item(**request))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

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
                elif code not in TRANSIENT_CODES and not code.endswith("ThrottlingException"):
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
        guard = {
            "Put": {
                "TableName": self.table_name,
                "Item": _serialise(sighting),
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
            "folder": breach.folder,
            "folderId": breach.folder_id,
            "filename": breach.filename,
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
            **keys.breach_index_keys(
                breach.breach_id, breach.folder_id, breached_at, breach.affected_date, self.shards
            ),
        }

    # ------------------------------------------------------------------ reads
    def get_breach(self, breach_id: str) -> dict[str, Any] | None:
        response = self._call(
            lambda: self.client.get_item(TableName=self.table_name, Key=_serialise(keys.breach_key(breach_id)))
        )
        return _public(response["Item"]) if "Item" in response else None

    def report_status(self, report_id: str) -> str | None:
        """The recorded outcome of a report (a strongly consistent read), or None before there is one."""
        response = self._call(
            lambda: self.client.get_item(
                TableName=self.table_name,
                Key=_serialise(keys.report_key(report_id)),
                ConsistentRead=True,
                ProjectionExpression="#status",
                ExpressionAttributeNames={"#status": "status"},
            )
        )
        return response.get("Item", {}).get("status", {}).get("S")

    def sightings(self, breach_id: str) -> list[dict[str, Any]]:
        """Which reports carried a breach: the audit trail behind reportCount."""
        key = keys.breach_key(breach_id)["pk"]
        items = self._query_all(None, "pk", "sk", key, "REPORT#", "REPORT#~")
        return [_public(item) for item in items]

    def breaches_by_day(
        self,
        first_day: str,
        last_day: str | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
        token: str | None = None,
    ) -> Page:
        """Breaches whose affected date (UTC day of breachedAt) is in [first_day, last_day], oldest first."""
        days = _days(first_day, last_day or first_day)
        steps = [
            _Step(
                keys.INDEX_BY_DAY,
                tuple(keys.by_day_pk(day, shard) for shard in range(self.shards)),
                _low(day, since),
                _high(day, until),
            )
            for day in days
        ]
        query = {"kind": "day", "from": first_day, "to": last_day, "since": _opt(since), "until": _opt(until)}
        return self._page(steps, limit, token, query)

    def breaches_by_folder(
        self,
        folder_id: str,
        first_day: str,
        last_day: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
        token: str | None = None,
    ) -> Page:
        """One folder's breaches with affected dates in [first_day, last_day]: one partition, one Query."""
        step = _Step(
            keys.INDEX_BY_FOLDER, (keys.by_folder_pk(folder_id),), _low(first_day, since), _high(last_day, until)
        )
        query = {"kind": "folder", "folder": folder_id, "from": first_day, "to": last_day,
                 "since": _opt(since), "until": _opt(until)}
        return self._page([step], limit, token, query)

    def reports_by_day(self, first_day: str, last_day: str | None = None, *, limit: int = 100,
                       token: str | None = None) -> Page:
        """Report outcomes (accepted / rejected / failed) by the UTC day they were received."""
        steps = [
            _Step(keys.INDEX_BY_DAY, (keys.reports_by_day_pk(day),), _low(day, None), _high(day, None))
            for day in _days(first_day, last_day or first_day)
        ]
        return self._page(steps, limit, token, {"kind": "reports", "from": first_day, "to": last_day})

    def _page(self, steps: list[_Step], limit: int, token: str | None, query: dict[str, Any]) -> Page:
        step_no, cursors = 0, {}
        if token is not None:
            step_no, cursors = _read_state(decode_token(token, query), steps)
        found: list[dict[str, Any]] = []
        while step_no < len(steps) and len(found) < limit:
            taken, cursors = self._merge_step(steps[step_no], limit - len(found), cursors)
            found.extend(taken)
            if all(cursors.get(p) == "done" for p in steps[step_no].partitions):
                step_no, cursors = step_no + 1, {}
        next_token = encode_token(query, {"i": step_no, "c": cursors}) if step_no < len(steps) else None
        return Page([_public(item) for item in found], next_token)

    def _merge_step(
        self, step: _Step, want: int, cursors: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Read up to `want` items from each partition and merge them in sort-key order."""
        index_pk, index_sk = _INDEX_KEYS.get(step.index, ("pk", "sk"))
        if step.low > step.high:  # since/until exclude this day altogether
            return [], {partition: "done" for partition in step.partitions}
        results: dict[str, tuple[list[dict[str, Any]], bool]] = {}
        for partition in step.partitions:
            cursor = cursors.get(partition)
            if cursor == "done":
                continue
            request = _query_request(self.table_name, step, index_pk, index_sk, partition, want, cursor)
            response = self._call(lambda request=request: self.client.query(**request))
            results[partition] = (response.get("Items", []), "LastEvaluatedKey" in response)
        streams = [[(item[index_sk]["S"], p, n, item) for n, item in enumerate(items)]
                   for p, (items, _) in results.items()]
        # A partition that stopped early (DynamoDB's 1 MB page) may still hold items sorting before the other
        # partitions' later items: merge only up to the last key every unfinished partition has shown.
        bound = min((items[-1][index_sk]["S"] for items, more in results.values() if more and items), default=None)
        merged = heapq.merge(*streams, key=lambda e: e[:3])
        taken = [entry for _, entry in zip(range(want), merged, strict=False) if bound is None or entry[0] <= bound]
        new_cursors = dict(cursors)
        for partition, (items, more) in results.items():
            mine = [item for _, p, _, item in taken if p == partition]
            if len(mine) == len(items) and not more:
                new_cursors[partition] = "done"
            elif mine:
                new_cursors[partition] = {k: mine[-1][k]["S"] for k in ("pk", "sk", index_pk, index_sk)}
        return [item for *_, item in taken], new_cursors

    def _query_all(self, index: str | None, pk_name: str, sk_name: str, pk: str, low: str, high: str) -> list:
        step = _Step(index, (pk,), low, high)
        items: list[dict[str, Any]] = []
        cursor: Any = None
        while cursor != "done":
            request = _query_request(self.table_name, step, pk_name, sk_name, pk, 1000, cursor)
            response = self._call(lambda request=request: self.client.query(**request))
            items.extend(response.get("Items", []))
            last = response.get("LastEvaluatedKey")
            cursor = {k: v["S"] for k, v in last.items()} if last else "done"
        return items

    def _call(self, fn: Callable[[], Any]) -> Any:
        """Single-item calls: boto3's own retries plus ours, with backoff, on throttling."""
        for attempt in range(self._max_rounds):
            try:
                return fn()
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                if code not in TRANSIENT_CODES and not code.endswith("ThrottlingException"):
                    raise
            self._sleep(backoff_delay(attempt, self._base_delay, self._max_delay))
        raise StoreUnavailable(f"DynamoDB kept throttling after {self._max_rounds} tries")


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
        "Key": _serialise(key),
        "UpdateExpression": expression,
        "ConditionExpression": condition,
        "ExpressionAttributeNames": {**names, **used},
        "ExpressionAttributeValues": _serialise(values),
    }


def _query_request(
    table: str, step: _Step, index_pk: str, index_sk: str, partition: str, limit: int, cursor: Any
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "#pk = :pk AND #sk BETWEEN :low AND :high",
        "ExpressionAttributeNames": {"#pk": index_pk, "#sk": index_sk},
        "ExpressionAttributeValues": _serialise({":pk": partition, ":low": step.low, ":high": step.high}),
        "Limit": max(1, min(limit, 1000)),
    }
    if step.index:
        request["IndexName"] = step.index
    if isinstance(cursor, dict):
        request["ExclusiveStartKey"] = _serialise(cursor)
    return request


def _read_state(state: dict[str, Any], steps: list[_Step]) -> tuple[int, dict[str, Any]]:
    step_no, cursors = state.get("i"), state.get("c")
    if not isinstance(step_no, int) or not 0 <= step_no < len(steps) or not isinstance(cursors, dict):
        raise InvalidToken("nextToken is not a token returned by this API")
    step = steps[step_no]
    index_pk, index_sk = _INDEX_KEYS.get(step.index, ("pk", "sk"))
    for partition, cursor in cursors.items():
        if partition not in step.partitions:
            raise InvalidToken("nextToken is not a token returned by this API")
        if cursor != "done":
            check_start_key(cursor, index_pk=index_pk, index_sk=index_sk, partition=partition)
            if not step.low <= cursor[index_sk] <= step.high:  # DynamoDB would answer a ValidationException
                raise InvalidToken("nextToken is not a token returned by this API")
    return step_no, cursors


def _days(first: str, last: str) -> list[str]:
    start = datetime.strptime(first, "%Y-%m-%d")
    end = datetime.strptime(last, "%Y-%m-%d")
    return [(start + timedelta(days=n)).strftime("%Y-%m-%d") for n in range((end - start).days + 1)]


def _low(day: str, since: datetime | None) -> str:
    start = f"{day}T00:00:00.000Z"
    return max(start, format_timestamp(since)) if since else start


def _high(day: str, until: datetime | None) -> str:
    end = f"{day}T23:59:59.999Z~"  # "~" sorts after the "#<id>" suffix of every sort key of that instant
    return min(end, format_timestamp(until) + "~") if until else end


def _opt(value: datetime | None) -> str | None:
    return format_timestamp(value) if value else None


def _serialise(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _serialiser.serialize(v) for k, v in item.items()}


def _public(item: dict[str, Any]) -> dict[str, Any]:
    plain = {k: _plain(_deserialiser.deserialize(v)) for k, v in item.items() if k not in _HIDDEN}
    return dict(sorted(plain.items()))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set):
        return sorted(_plain(v) for v in value)
    return value


def iter_pages(fetch: Callable[[str | None], Page]) -> Iterable[dict[str, Any]]:
    """Follow nextToken until the last page (CLI and demo)."""
    token: str | None = None
    while True:
        page = fetch(token)
        yield from page.items
        token = page.next_token
        if not token:
            return
