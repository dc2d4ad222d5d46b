"""Count what the local stack asks of AWS: requests per service and operation, DynamoDB units, Lambda time.

botocore event hooks on boto3's default session see every request a handler, the local gateway or moto's own
Step Functions interpreter sends (the session must be hooked before the stack creates its clients). Each
DynamoDB request also asks for ``ReturnConsumedCapacity`` and records what moto says; moto's figures are
placeholders, so units are computed from the items before and after each write (read through a separate,
unhooked client) by DynamoDB's documented rules (benchmarks/dynamo_units.py). Lambda invocations are counted
where the local stack runs the handlers (the workflow router and the gateway's proxy), with their duration.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3

from benchmarks import dynamo_units as units

HANDLER_PACKAGES = ("workflow", "ingest", "search", "pretoken", "incidents")
CAPACITY_OPERATIONS = {"PutItem", "UpdateItem", "DeleteItem", "GetItem", "Query", "TransactWriteItems",
                       "BatchWriteItem", "BatchGetItem", "TransactGetItems", "Scan"}
S3_GET_CLASS = {"GetObject", "HeadObject", "GetObjectTagging", "GetObjectVersion"}


@dataclass
class Tally:
    requests: Counter = field(default_factory=Counter)  # (service, operation, origin) -> n
    write_units: float = 0.0  # base table
    index_write_units: float = 0.0
    index_writes: int = 0
    read_units: float = 0.0
    moto_reported_units: float = 0.0
    lambda_invocations: Counter = field(default_factory=Counter)  # function -> n
    lambda_ms: Counter = field(default_factory=Counter)  # function -> billed ms (rounded up per call)
    lambda_aws_ms: Counter = field(default_factory=Counter)  # function -> ms of that spent waiting on AWS (moto)
    lambda_aws_calls: Counter = field(default_factory=Counter)  # function -> AWS requests it sent
    units_by_kind: Counter = field(default_factory=Counter)  # "breach" / "batch guard" / "report" / ... -> write units

    def service(self, name: str, *, exclude_origin: str | None = None) -> int:
        return sum(n for (s, _, o), n in self.requests.items() if s == name and o != exclude_origin)

    def operations(self, name: str) -> dict[str, int]:
        found: Counter = Counter()
        for (s, op, _), n in self.requests.items():
            if s == name:
                found[op] += n
        return dict(found)


class Meter:
    """Install once, before the local stack starts; ``measure()`` gives the tally of one block."""

    def __init__(self, indexes: list[units.Index], memory_mb: dict[str, int]):
        self.indexes = indexes
        self.memory_mb = memory_mb
        self.tally = Tally()
        self._lock = threading.Lock()
        self._peek_client: Any = None
        self._local = threading.local()  # per thread: ms and count of AWS requests sent by the running handler
        session = boto3._get_default_session()
        session.events.register("before-parameter-build", self._before)
        session.events.register("after-call", self._after)

    @contextmanager
    def measure(self) -> Iterator[Tally]:
        with self._lock:
            saved, self.tally = self.tally, Tally()
        try:
            yield self.tally
        finally:
            with self._lock:
                self.tally = saved

    # ------------------------------------------------------------------ hooks
    def _before(self, params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        service = model.service_model.service_name
        context["bench_origin"] = _origin()
        context["bench_started"] = time.perf_counter()
        if service == "dynamodb":
            if model.name in CAPACITY_OPERATIONS and "ReturnConsumedCapacity" in model.input_shape.members:
                params.setdefault("ReturnConsumedCapacity", "INDEXES")
            context["bench_before"] = self._items_before(model.name, params)
            context["bench_params"] = params

    def _after(self, http_response: Any, parsed: dict[str, Any], model: Any, context: dict[str, Any],
               **_: Any) -> None:
        service = model.service_model.service_name
        if "bench_started" in context:
            self._local.aws_ms = getattr(self._local, "aws_ms", 0.0) + (time.perf_counter() - context[
                "bench_started"]) * 1000
            self._local.aws_calls = getattr(self._local, "aws_calls", 0) + 1
        with self._lock:
            self.tally.requests[(service, model.name, context.get("bench_origin", "?"))] += 1
            if service == "dynamodb":
                self._dynamo_units(model.name, context.get("bench_params", {}), context.get("bench_before", {}),
                                   parsed)

    # ------------------------------------------------------------------ DynamoDB units
    def _peek(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        if self._peek_client is None:
            self._peek_client = boto3.session.Session().client(
                "dynamodb", endpoint_url=os.environ.get("AWS_ENDPOINT_URL"))
        return self._peek_client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")

    def _items_before(self, operation: str, params: dict[str, Any]) -> dict[int, Any]:
        return {n: self._peek(table, key) for n, (table, key, _) in enumerate(_writes(operation, params))}

    def _dynamo_units(self, operation: str, params: dict[str, Any], before: dict[int, Any],
                      parsed: dict[str, Any]) -> None:
        consumed = parsed.get("ConsumedCapacity")
        for entry in consumed if isinstance(consumed, list) else [consumed] if consumed else []:
            self.tally.moto_reported_units += float(entry.get("CapacityUnits") or 0)
        failed = "Error" in parsed
        transactional = operation == "TransactWriteItems"
        reasons = parsed.get("CancellationReasons") or []
        for n, (table, key, kind) in enumerate(_writes(operation, params)):
            old = before.get(n)
            if kind == "ConditionCheck":
                self.tally.write_units += units.write_units(units.item_size(old), 0, transactional=True)
                continue
            new = old if failed else self._peek(table, key)
            cost = units.write_units(units.item_size(old), units.item_size(new), transactional=transactional)
            self.tally.write_units += cost
            self.tally.units_by_kind[item_kind(key)] += cost
            if failed and not (reasons and str(reasons[n].get("Code")) == "None"):
                continue
            if not failed:
                for index in self.indexes:
                    for size in units.index_writes(old, new, index):
                        self.tally.index_writes += 1
                        self.tally.index_write_units += units.write_units(0, size)
                        self.tally.units_by_kind[item_kind(key) + " index"] += units.write_units(0, size)
        if operation == "GetItem":
            self.tally.read_units += units.get_units(units.item_size(parsed.get("Item")),
                                                     consistent=bool(params.get("ConsistentRead")))
        elif operation in ("Query", "Scan"):
            sizes = [units.item_size(item) for item in parsed.get("Items", [])]
            consistent = bool(params.get("ConsistentRead")) and "IndexName" not in params
            self.tally.read_units += units.query_units(sizes, consistent=consistent)
        elif operation == "BatchGetItem" and not failed:
            self.tally.read_units += _batch_get_units(params, parsed)

    # ------------------------------------------------------------------ Lambda
    def timed(self, function: str, handler: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a handler: one invocation and its billed duration (rounded up to 1 ms) per call."""

        @functools.wraps(handler)
        def invoke(event: Any, context: Any) -> Any:
            started = time.perf_counter()
            aws_ms, aws_calls = getattr(self._local, "aws_ms", 0.0), getattr(self._local, "aws_calls", 0)
            try:
                return handler(event, context)
            finally:
                elapsed_ms = int((time.perf_counter() - started) * 1000) + 1
                with self._lock:
                    self.tally.lambda_invocations[function] += 1
                    self.tally.lambda_ms[function] += elapsed_ms
                    self.tally.lambda_aws_ms[function] += getattr(self._local, "aws_ms", 0.0) - aws_ms
                    self.tally.lambda_aws_calls[function] += getattr(self._local, "aws_calls", 0) - aws_calls

        return invoke

    def gb_seconds(self, tally: Tally, *, aws_latency_ms: float | None = None) -> float:
        """GB-seconds at the template's memory sizes. With `aws_latency_ms`, the time the handler waited for moto
        is replaced by that latency per request: an estimate of the run time on Lambda against real AWS."""
        total = 0.0
        for fn, ms in tally.lambda_ms.items():
            if aws_latency_ms is not None:
                ms = max(1.0, ms - tally.lambda_aws_ms[fn]) + tally.lambda_aws_calls[fn] * aws_latency_ms
            total += ms / 1000 * self.memory_mb.get(fn, 128) / 1024
        return total


def _writes(operation: str, params: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    """(table, key, kind) of every item a write request touches, in request order."""
    if operation == "PutItem":
        return [(params["TableName"], _key_of(params["Item"]), "Put")]
    if operation in ("UpdateItem", "DeleteItem"):
        return [(params["TableName"], params["Key"], operation)]
    if operation == "TransactWriteItems":
        found = []
        for action in params.get("TransactItems", []):
            (kind, body), = action.items()
            key = _key_of(body["Item"]) if kind == "Put" else body["Key"]
            found.append((body["TableName"], key, kind))
        return found
    if operation == "BatchWriteItem":
        return [(table, _key_of(r["PutRequest"]["Item"]) if "PutRequest" in r else r["DeleteRequest"]["Key"], "Put")
                for table, requests in params.get("RequestItems", {}).items() for r in requests]
    return []


def _batch_get_units(params: dict[str, Any], parsed: dict[str, Any]) -> float:
    """Read units of one BatchGetItem: per table, the items it returned and the keys it found nothing for (the
    keys it left unprocessed cost nothing yet: they come back in the next call)."""
    total = 0.0
    for table, request in params.get("RequestItems", {}).items():
        items = parsed.get("Responses", {}).get(table, [])
        unprocessed = len(parsed.get("UnprocessedKeys", {}).get(table, {}).get("Keys", []))
        missing = max(0, len(request.get("Keys", [])) - unprocessed - len(items))
        total += units.batch_get_units([units.item_size(item) for item in items], missing,
                                       consistent=bool(request.get("ConsistentRead")))
    return total


def item_kind(key: dict[str, Any]) -> str:
    """What an item is, from its key (functions/slawatch/keys.py): breach, report, batch guard or its pk prefix."""
    pk = str(key.get("pk", {}).get("S", ""))
    sk = str(key.get("sk", {}).get("S", ""))
    if pk.startswith("BREACH#"):
        return "breach"
    if pk.startswith("REPORT#"):
        return "batch guard" if sk.startswith("BATCH#") else "report"
    return pk.split("#", 1)[0].lower() or "other"


def _key_of(item: dict[str, Any]) -> dict[str, Any]:
    return {name: item[name] for name in ("pk", "sk") if name in item}


def _origin() -> str:
    """Who sent a request: the innermost handler package or local module on the stack."""
    frame = sys._getframe(2)
    while frame is not None:
        module = str(frame.f_globals.get("__name__", ""))
        top = module.split(".")[0]
        if top in HANDLER_PACKAGES:
            return top
        if module == "local.gateway":
            return "api-gateway"
        if module.startswith("moto.stepfunctions"):
            return "stepfunctions"
        frame = frame.f_back
    return "other"
