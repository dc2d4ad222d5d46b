"""Ingest, counted rather than timed: what one report asks of AWS, on the local stack, through the front door.

Reports are real scanner output (``slawatch scan --dry-run`` on a generated tree of 20 folders, so the report
shape follows the scanner and the contract), POSTed over HTTP to the local gateway with a scanner's access token,
exactly as a file server sends them; the stack then runs what the template wires (S3 archive, the Step Functions
workflow and its Lambdas, DynamoDB). Scenarios: a clean scan (nothing past the SLA), the first report of new
breaches, a repeat report of the same breaches five minutes later, and the same bytes delivered twice; each with 1
and with 20 breaching files in one folder, so the fixed cost per report and the marginal cost per breach separate:
per breach = (20-file figure - 1-file figure) / 19. Counts are exact. Lambda GB-seconds are the template's memory
size times the handlers' run time, twice: as measured here (an upper bound: moto answers slowly on two shared
cores) and as estimated for Lambda (the time spent waiting for moto replaced by 10 ms per AWS request); the cost
model uses the estimate.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import requests

from benchmarks import dynamo_units
from benchmarks.common import Options, Section, log, median, table, write_measured
from benchmarks.counting import Meter, Tally
from slawatch.archive import checksum_sha256

TITLE = "Ingest: requests, units and items per report"
FOLDERS = 20
SLA_MINUTES = 60
SCAN_INTERVAL_S = 300
AWS_LATENCY_MS = 10.0  # a request to S3 or DynamoDB from Lambda in the same region (typical single digits to 10s)
SCENARIOS = ("clean", "first", "repeat", "resend", "sync-clean", "sync-first", "sync-repeat")


def function_memory() -> dict[str, int]:
    """MemorySize of every function in the template (Globals as the default)."""
    from local.template import load_template, resources

    default = int(load_template().get("Globals", {}).get("Function", {}).get("MemorySize", 128))
    return {name: int(r["Properties"].get("MemorySize", default))
            for name, r in resources("AWS::Serverless::Function").items()}


@contextmanager
def metered_stack(meter: Meter) -> Iterator[Any]:
    """The local stack with every Lambda handler (workflow router, gateway proxy and the incident function the
    emulated EventBridge rule calls for every archived report) timed by the meter."""
    from incidents import report as incident_report
    from local import gateway, lambda_router
    from local import stack as local_stack

    original_init = gateway.LocalGateway.__init__
    original_incident = incident_report.lambda_handler

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.handlers = {name: meter.timed(name, handler) for name, handler in self.handlers.items()}

    gateway.LocalGateway.__init__ = init  # type: ignore[method-assign]
    incident_report.lambda_handler = meter.timed("IncidentReportFunction", original_incident)
    try:
        try:
            stack = local_stack.start(retry_seconds=1, workers=0)  # the meter hooks this process's requests
        finally:
            gateway.LocalGateway.__init__ = original_init  # type: ignore[method-assign]
        try:
            with lambda_router._lock:
                for name, handler in list(lambda_router._routes.items()):
                    lambda_router._routes[name] = meter.timed(name, handler)
            yield stack
        finally:
            stack.close()
    finally:
        incident_report.lambda_handler = original_incident


class Harness:
    """Scanner trees, the scanner's dry run, the POST, and the workflow executions it started."""

    def __init__(self, stack: Any, work: Path):
        self.stack = stack
        self.work = work
        password = stack.add_user("bench-scanner", "scanner")
        self.token = stack.sign_in("bench-scanner", password)
        self.sfn = boto3.client("stepfunctions")
        self.seen: set[str] = set()
        self.peek = boto3.session.Session().client("dynamodb", endpoint_url=stack.moto_url)

    def tree(self, name: str, breaching: int) -> Path:
        """20 folders of 20 files; `breaching` files of the first folder last written 6 h ago."""
        root = self.work / name
        now = time.time()
        for f in range(FOLDERS):
            folder = root / f"folder-{f:02d}"
            folder.mkdir(parents=True)
            for n in range(20):
                path = folder / f"file-{n:02d}.csv"
                path.write_bytes(b"")
                moment = now - 6 * 3600 if (f == 0 and n < breaching) else now
                os.utime(path, (moment, moment))
        return root

    def scan(self, root: Path, as_of: float) -> list[bytes]:
        import json

        config = {
            "api": {"url": f"{self.stack.api_url}/reports"},
            "auth": {"region": self.stack.region, "clientId": self.stack.client_id},
            "spool": {"directory": str(self.work / "spool")},
            "folders": [{"path": str(p), "slaMinutes": SLA_MINUTES, "ageBasis": "lastWrite"}
                        for p in sorted(root.iterdir())],
        }
        path = root.with_suffix(".json")
        path.write_text(json.dumps(config))
        script = Path(sys.executable).parent / "slawatch"
        argv = [str(script)] if script.exists() else [sys.executable, "-m", "slawatch_cli.main"]
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(as_of))
        done = subprocess.run([*argv, "scan", "--config", str(path), "--dry-run", "--as-of", stamp, "-q"],
                              capture_output=True, check=False)
        decoder, text, at, bodies = json.JSONDecoder(), done.stdout.decode("utf-8"), 0, []
        while True:
            while at < len(text) and text[at].isspace():
                at += 1
            if at >= len(text):
                return bodies
            document, at = decoder.raw_decode(text, at)
            bodies.append(json.dumps(document, ensure_ascii=False).encode("utf-8"))

    def post(self, body: bytes, path: str = "/reports") -> None:
        answer = requests.post(f"{self.stack.api_url}{path}", data=body, timeout=30, headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
            "x-amz-checksum-sha256": checksum_sha256(body)})
        if answer.status_code != 200:
            raise RuntimeError(f"POST {path} answered {answer.status_code}: {answer.text[:200]}")
        self.stack.wait_for_workflows()

    def transitions(self) -> int:
        """State transitions of the executions started since the last call (StateEntered events)."""
        total = 0
        for execution in self.stack.executions():  # both machines: Standard and Express run one definition
            if execution["executionArn"] in self.seen:
                continue
            self.seen.add(execution["executionArn"])
            history = self.sfn.get_execution_history(executionArn=execution["executionArn"], maxResults=1000)
            total += sum(1 for e in history["events"] if e["type"].endswith("StateEntered"))
        return total

    def items(self) -> tuple[int, int]:
        """(items, billed storage bytes) in the table, read with an unmetered client."""
        count = size = 0
        indexes = dynamo_units.template_indexes()
        for page in self.peek.get_paginator("scan").paginate(TableName=self.stack.table):
            for item in page["Items"]:
                count += 1
                size += dynamo_units.storage_bytes(item, indexes)
        return count, size


def figures(meter: Meter, tally: Tally, transitions: int, items: int, storage: int,
            report_bytes: int) -> dict[str, float]:
    s3 = tally.operations("s3")
    put_class = sum(n for op, n in s3.items() if op not in ("GetObject", "HeadObject", "GetObjectTagging"))
    get_class = sum(n for op, n in s3.items() if op in ("GetObject", "GetObjectTagging"))
    head_by_workflow = sum(n for (s, op, o), n in tally.requests.items() if s == "s3" and op == "HeadObject"
                           and o != "api-gateway")  # the local gateway's own HEAD is emulation only
    return {
        "api_requests": 1,
        "sfn_executions": 1 if transitions else 0,
        "sfn_transitions": transitions,
        "lambda_invocations": sum(tally.lambda_invocations.values()),
        "lambda_gb_seconds": meter.gb_seconds(tally, aws_latency_ms=AWS_LATENCY_MS),
        "lambda_gb_seconds_local": meter.gb_seconds(tally),
        "s3_put_class": put_class,
        "s3_get_class": get_class + head_by_workflow,
        "dynamodb_requests": tally.service("dynamodb"),
        "write_units": tally.write_units,
        "index_writes": tally.index_writes,
        "index_write_units": tally.index_write_units,
        "read_units": tally.read_units,
        "moto_reported_units": tally.moto_reported_units,
        "items_created": items,
        "storage_bytes_added": storage,
        "report_bytes": report_bytes,
        "lambda_ms": sum(max(1.0, ms - tally.lambda_aws_ms[fn]) + tally.lambda_aws_calls[fn] * AWS_LATENCY_MS
                         for fn, ms in tally.lambda_ms.items()),
        **{f"write_units_{kind.replace(' ', '_')}": value for kind, value in tally.units_by_kind.items()},
    }


def run(options: Options) -> Section:
    meter = Meter(dynamo_units.template_indexes(), function_memory())
    work = Path(tempfile.mkdtemp(prefix="slawatch-ingest-bench-"))
    results: dict[str, dict[int, list[dict[str, float]]]] = {s: {1: [], 20: []} for s in SCENARIOS}
    try:
        with metered_stack(meter) as stack:
            harness = Harness(stack, work)
            for attempt in range(options.repeats):
                for breaching in (1, 20):
                    log(f"ingest: round {attempt + 1}, {breaching} breaching file(s)")
                    root = harness.tree(f"r{attempt}-b{breaching}", breaching)
                    clean = harness.tree(f"r{attempt}-b{breaching}-clean", 0)
                    as_of = time.time()
                    plan = [("clean", harness.scan(clean, as_of)), ("first", harness.scan(root, as_of)),
                            ("repeat", harness.scan(root, as_of + SCAN_INTERVAL_S))]
                    plan.append(("resend", plan[-1][1]))
                    synced = harness.tree(f"r{attempt}-b{breaching}-sync", breaching)
                    plan += [("sync-clean", harness.scan(clean, as_of)), ("sync-first", harness.scan(synced, as_of)),
                             ("sync-repeat", harness.scan(synced, as_of + SCAN_INTERVAL_S))]
                    for scenario, bodies in plan:
                        before_items, before_size = harness.items()
                        harness.transitions()
                        with meter.measure() as tally:
                            for body in bodies:
                                harness.post(body, "/reports/sync" if scenario.startswith("sync") else "/reports")
                            transitions = harness.transitions()
                        after_items, after_size = harness.items()
                        results[scenario][breaching].append(
                            figures(meter, tally, transitions, after_items - before_items, after_size - before_size,
                                    sum(len(b) for b in bodies)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    measured = summarise(results)
    write_measured("ingest", measured)
    return Section(TITLE, render(measured), [], measured)


def summarise(results: dict[str, dict[int, list[dict[str, float]]]]) -> dict[str, Any]:
    """Medians per scenario and batch size, then split into per report (fixed) and per breach (marginal)."""
    out: dict[str, Any] = {"scan_interval_seconds": SCAN_INTERVAL_S, "scenarios": {}}
    for scenario, by_size in results.items():
        names = sorted({k for runs in by_size.values() for r in runs for k in r})
        med = {size: {k: median([r.get(k, 0.0) for r in runs]) for k in names} for size, runs in by_size.items()}
        per_breach = {k: (med[20][k] - med[1][k]) / 19 for k in med[1]}
        fixed = {k: med[1][k] - per_breach[k] for k in med[1]}
        out["scenarios"][scenario] = {"one_breach": med[1], "twenty_breaches": med[20], "per_report": fixed,
                                      "per_breach": per_breach}
    return out


LABELS = {
    "api_requests": "API Gateway requests",
    "sfn_transitions": "Step Functions state transitions",
    "lambda_invocations": "Lambda invocations",
    "lambda_gb_seconds": "Lambda GB-seconds (estimate: handler time, AWS waits at 10 ms a request)",
    "lambda_gb_seconds_local": "Lambda GB-seconds (local run time against moto, upper bound)",
    "s3_put_class": "S3 PUT-class requests (PUT, tagging)",
    "s3_get_class": "S3 GET-class requests (GET, HEAD, get tagging)",
    "dynamodb_requests": "DynamoDB requests",
    "write_units": "DynamoDB write units, table (computed)",
    "index_writes": "GSI entry writes",
    "index_write_units": "DynamoDB write units, GSIs (computed)",
    "read_units": "DynamoDB read units (computed)",
    "moto_reported_units": "units moto reported (placeholders)",
    "items_created": "items created",
    "storage_bytes_added": "table + index bytes added (billed size)",
    "report_bytes": "report bytes (raw archive)",
}


def render(measured: dict[str, Any]) -> str:
    scenarios = measured["scenarios"]
    header = ["per report, median", "clean scan", "first: 1 file", "first: 20 files", "repeat: 1", "repeat: 20",
              "same bytes again: 20"]
    labels = {k: v for k, v in LABELS.items() if k in scenarios["clean"]["one_breach"]}  # older measurements
    rows = []
    for key, label in labels.items():
        cells = [scenarios["clean"]["one_breach"][key], scenarios["first"]["one_breach"][key],
                 scenarios["first"]["twenty_breaches"][key], scenarios["repeat"]["one_breach"][key],
                 scenarios["repeat"]["twenty_breaches"][key], scenarios["resend"]["twenty_breaches"][key]]
        rows.append([label, *(_fmt(c) for c in cells)])
    split = [[label, _fmt(scenarios["first"]["per_report"][key]), _fmt(scenarios["first"]["per_breach"][key]),
              _fmt(scenarios["repeat"]["per_report"][key]), _fmt(scenarios["repeat"]["per_breach"][key])]
             for key, label in labels.items() if key != "moto_reported_units"]
    sync = [[label, *(_fmt(scenarios[n][size][key]) for n, size in (("sync-clean", "one_breach"),
                                                                   ("sync-first", "twenty_breaches"),
                                                                   ("sync-repeat", "twenty_breaches")))]
            for key, label in labels.items()]
    kinds = sorted({k for n in ("first", "repeat") for k in scenarios[n]["per_breach"] if k.startswith("write_units_")})
    by_kind = [[k.removeprefix("write_units_").replace("_", " "), _fmt(scenarios["first"]["per_breach"].get(k, 0.0)),
                _fmt(scenarios["repeat"]["per_breach"].get(k, 0.0))] for k in kinds]
    return "\n".join([
        __doc__.split("\n\n", 1)[1].strip(), "",
        table(header, rows), "",
        "The synchronous path (`POST /reports/sync`, one Lambda call), same reports:", "",
        table(["per report, median", "clean scan", "first: 20 files", "repeat: 20 files"], sync), "",
        "Write units per breach by item written (the GSI entries are the breach item's index copies):", "",
        table(["item", "first report", "repeat report"], by_kind), "",
        "Split into the fixed part of a report and the marginal part of each breach it carries:", "",
        table(["", "first: per report", "first: per breach", "repeat: per report", "repeat: per breach"], split),
        "",
        "Write and read units are computed from the items before and after each request by DynamoDB's documented "
        "rules (benchmarks/dynamo_units.py), because moto's ConsumedCapacity is a placeholder (its figure is shown "
        "for comparison). EventBridge: S3's Object Created events on the default bus are AWS service events, free.",
    ])


def _fmt(value: float) -> str:
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.0f}"
