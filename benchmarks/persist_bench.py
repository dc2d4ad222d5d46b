"""Peak memory of the ingest workflow's steps for a 10 MB report, each step in a process of its own, as on Lambda.

The report is as large as `POST /reports` takes (just under 10 MiB) and shaped like a scanner's: 20 folders with
long UTF-8 Windows paths, tens of thousands of breaching files with long non-ASCII names, every optional field
filled. It is archived in the local stack's raw bucket with the metadata the API writes, then the four Lambda
tasks of statemachine/ingest.asl.json run one after another against the stack's moto server, each in a fresh
Python process (`benchmarks/lambda_process.py`: the handler string from template.yaml, a Lambda-like context):
Validate, Normalise (writes the normalised document to the work bucket), RecordOutcome (here recording the
report failed, which reads the raw report as on the unhappy path) and Persist (writes every breach). Measured per
step: the process's peak resident set (VmHWM, the figure Lambda's `Max Memory Used` reports), the peak after the
imports alone (the runtime's share), and, in a second run of all four steps on an emptied table, the tracemalloc
peak of the handler call (Python allocations only; tracing makes the call slower and bigger, so it never shares a
run with the resident-set figure). One run each: memory peaks are counts of bytes, not timings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, Options, Section, log, table, write_measured

TITLE = "Persist step: peak memory for a 10 MB report"
GOAL_MB = 512
FOLDERS = 20
SLA_MINUTES = 30
STEPS = (  # (state in the ASL, function logical id in template.yaml)
    ("Validate", "ValidateReportFunction"),
    ("Normalise", "NormaliseReportFunction"),
    ("RecordFailed", "RecordOutcomeFunction"),
    ("Persist", "PersistBreachesFunction"),
)


def folder_path(n: int) -> str:
    return ("D:\\Freigaben\\Geschäftsbereich Finanzen & Controlling\\Kreditorenbuchhaltung\\Eingangsrechnungen "
            f"(elektronisch)\\Übergabe an das Archivsystem – bitte nicht löschen\\Mandant {n:03d} – Zürich/Genève")


def file_entry(n: int, now: datetime) -> dict[str, Any]:
    created = now - timedelta(minutes=SLA_MINUTES + 5 + n % 600, seconds=n % 60)
    stamp = created.strftime("%Y-%m-%dT%H:%M:%S.") + f"{n % 1000:03d}Z"
    return {"filename": f"Rechnung_{n:07d}_Müller-Lüdenscheidt_Straße_Çağrı_Ærø_Škoda_Zahlungsavis_2026-11.pdf",
            "creationDate": stamp, "lastWriteDate": stamp, "sizeBytes": 120_000 + n}


def build_report(max_bytes: int, now: datetime) -> tuple[bytes, int]:
    """The largest scanner-shaped report under `max_bytes` bytes: (body, number of breaching files)."""
    per_file = len(json.dumps(file_entry(0, now), ensure_ascii=False).encode("utf-8")) + 2
    files = max_bytes // per_file
    while True:
        body = _report(files, now)
        if len(body) <= max_bytes:
            return body, files
        files -= max(1, (len(body) - max_bytes) // per_file)


def _report(files: int, now: datetime) -> bytes:
    entries = [file_entry(n, now) for n in range(files)]
    sla_error = [{"folder": folder_path(f), "sla": SLA_MINUTES, "status": "ok", "ageBasis": "creation",
                  "fileCount": len(entries[f::FOLDERS]) + 100, "truncated": False, "files": entries[f::FOLDERS]}
                 for f in range(FOLDERS)]
    scanner = {"host": "fileserver-01.corp.example", "version": "bench", "scannedAt": now.strftime(
        "%Y-%m-%dT%H:%M:%S.000Z"), "runId": str(uuid.uuid4()), "intervalMinutes": 5}
    return json.dumps({"sla_error": sla_error, "scanner": scanner}, ensure_ascii=False).encode("utf-8")


def handlers() -> dict[str, tuple[str, int]]:
    """Logical id -> (handler string, MemorySize) from template.yaml."""
    from local.template import load_template, resources

    default = int(load_template().get("Globals", {}).get("Function", {}).get("MemorySize", 128))
    return {name: (r["Properties"]["Handler"], int(r["Properties"].get("MemorySize", default)))
            for name, r in resources("AWS::Serverless::Function").items()}


def step_event(ref: dict[str, Any], state: str, previous: dict[str, Any]) -> dict[str, Any]:
    """The Payload the state machine's Parameters build for each task."""
    if state == "Persist":
        return {**ref, "documentKey": previous["Normalise"]["documentKey"]}
    if state == "RecordFailed":
        return {**ref, "status": "failed", "error": "States.Timeout"}
    return dict(ref)


def run_step(handler: str, event: dict[str, Any], memory_mb: int, *, trace: bool) -> dict[str, Any]:
    argv = [sys.executable, "-m", "benchmarks.lambda_process", handler, "--memory-mb", str(memory_mb)]
    done = subprocess.run([*argv, *(["--tracemalloc"] if trace else [])], input=json.dumps(event), text=True,
                          capture_output=True, cwd=REPO, env=dict(os.environ), check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith('{"result"')]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{handler} failed (exit {done.returncode}): {(done.stderr or done.stdout)[-2000:]}")
    return json.loads(lines[-1])


def run(options: Options) -> Section:
    import boto3

    from local import stack as local_stack
    from local.template import table_definition
    from slawatch import archive
    from slawatch.api_events import MAX_BODY_BYTES

    now = datetime.now(UTC).replace(microsecond=0)
    body, files = build_report(min(MAX_BODY_BYTES, int(options.persist_megabytes * 2**20)), now)
    log(f"persist: report of {len(body):,} bytes, {files:,} breaching files")
    workdir = tempfile.TemporaryDirectory(prefix="slawatch-bench-persist-")
    # the handlers run here, measured one by one: no workers
    stack = local_stack.start(retry_seconds=1, echo=False, state_dir=Path(workdir.name), workers=0)
    runs: dict[str, dict[str, dict[str, Any]]] = {"plain": {}, "traced": {}}
    try:
        s3, dynamodb = boto3.client("s3"), boto3.client("dynamodb")
        key = archive.archive_key(archive.RAW_PREFIX, now, str(uuid.uuid4()))
        archive.put_report(s3, stack.raw_bucket, key, body, received_at=now, request_id=str(uuid.uuid4()),
                           caller="fileserver-01")
        version = s3.head_object(Bucket=stack.raw_bucket, Key=key).get("VersionId")
        ref = {"bucket": stack.raw_bucket, "key": key, "versionId": version}
        functions = handlers()
        for mode in ("plain", "traced"):
            if mode == "traced":  # the same work again: an empty table, so Persist writes every breach again
                dynamodb.delete_table(TableName=stack.table)
                dynamodb.create_table(TableName=stack.table, **table_definition())
            answers: dict[str, Any] = {}
            for state, function in STEPS:
                handler, memory = functions[function]
                log(f"persist: {mode} {state} ({handler})")
                outcome = run_step(handler, step_event(ref, state, answers), memory, trace=mode == "traced")
                answers[state] = outcome["result"]
                log(f"persist: {mode} {state}: peak RSS {outcome['vmhwm_kib'] / 1024:.0f} MiB, tracemalloc "
                    f"{(outcome['tracemalloc_peak_bytes'] or 0) / 2**20:.0f} MiB, {outcome['seconds']:.0f} s")
                runs[mode][state] = {**outcome, "function": function, "memory_mb": memory}
    finally:
        stack.close()
        workdir.cleanup()
    persisted = runs["plain"]["Persist"]["result"]
    if persisted.get("status") != "accepted" or persisted["counts"]["sightingsWritten"] != files:
        raise RuntimeError(f"Persist did not write every breach: {persisted}")
    measured = summarise(runs, len(body), files)
    write_measured("persist", measured)
    return Section(TITLE, render(measured), [], measured)


def summarise(runs: dict[str, dict[str, dict[str, Any]]], report_bytes: int, files: int) -> dict[str, Any]:
    steps = {}
    for state, _ in STEPS:
        plain, traced = runs["plain"][state], runs["traced"][state]
        steps[state] = {"function": plain["function"], "memory_mb": plain["memory_mb"],
                        "peak_rss_mib": plain["vmhwm_kib"] / 1024,
                        "after_imports_mib": plain["after_imports_kib"] / 1024,
                        "tracemalloc_peak_mib": (traced["tracemalloc_peak_bytes"] or 0) / 2**20,
                        "seconds": plain["seconds"], "seconds_traced": traced["seconds"]}
    return {"report_bytes": report_bytes, "breaching_files": files, "folders": FOLDERS, "goal_mb": GOAL_MB,
            "steps": steps}


def render(measured: dict[str, Any]) -> str:
    goal = measured["goal_mb"]
    rows = [[state, s["function"], f"{s['memory_mb']:,}", f"{s['peak_rss_mib']:.0f}", f"{s['after_imports_mib']:.0f}",
             f"{s['tracemalloc_peak_mib']:.0f}", f"{s['seconds']:.1f}",
             "yes" if s["peak_rss_mib"] < goal else "**no**"]
            for state, s in measured["steps"].items()]
    worst = max(measured["steps"].items(), key=lambda kv: kv[1]["peak_rss_mib"])
    verdict = "every step stays under" if worst[1]["peak_rss_mib"] < goal else "not every step stays under"
    return "\n".join([
        __doc__.split("\n\n", 1)[1].strip(), "",
        f"Report: {measured['report_bytes']:,} bytes, {measured['breaching_files']:,} breaching files in "
        f"{measured['folders']} folders.", "",
        table(["step", "function", "MemorySize (MB)", "peak RSS (MiB)", "of which imports (MiB)",
               "tracemalloc peak of the call (MiB)", "run time (s, local)", f"under {goal} MB"], rows), "",
        f"Goal: under {goal} MB (Lambda's MB are MiB) for the persist step; {verdict} it. The largest is {worst[0]} at "
        f"{worst[1]['peak_rss_mib']:.0f} MiB against the template's {worst[1]['memory_mb']:,} MB. Run times are "
        "against moto on shared cores and only say the steps finished.",
    ])
