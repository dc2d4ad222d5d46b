"""Local stack under real sizes: a 50,000-file report and a 10 MB one through the whole workflow, queries meanwhile.

Everything as a user runs it: `slawatch local` in its own process (free ports, a fresh state directory,
snapshots on), a generated tree of files past their SLA, and the Python scanner (`slawatch scan`) delivering its
report over HTTP with the demo scanner's login, as a file server does: the gateway archives it in S3, the emulated
EventBridge rule starts the Step Functions workflow, its Lambdas write DynamoDB. Measured: the time from the
scanner's start until the execution has SUCCEEDED, and the part of it after the scanner exited (its POST answers
once the report is archived and the incidents updated), the CPU seconds of the stack's process and its workers
over that time (the machine is shared: CPU seconds say more than wall time), the load average, then the time to
page every breach back through `GET /breaches`; meanwhile a reader sends `GET /breaches` by date and by folder
every half second (latency of each answer). One run per size (a run takes minutes): compare figures measured on
the same day.

Before the patches in local/moto_dynamodb_sort.py, moto_expressions.py, moto_wire.py and moto_dispatch.py (only
local/moto_dynamodb.py), the 50,000-file run had not reached SUCCEEDED after 25.7 minutes (1,025 CPU seconds of the
stack process, load average 7 to 8), and on a 5,000-file run the by-date queries meanwhile took 4.9 s (median) and
9.1 s (max); docs/local.md says where the time goes now.
Not a test: `python -m benchmarks.run --only local_stack_bench` or `python -m benchmarks.local_stack_bench`.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import requests

from benchmarks.common import Options, Section, log, run_process, table

TITLE = "Local stack: big reports through the workflow, queries meanwhile"
SLA_MINUTES = 20
AGE_SECONDS = 3 * 3600  # the files were last written 3 h before the tree was made
MAX_REQUEST_BYTES = 10_000_000  # the scanner's largest request (api.maxRequestBytes): one report, one request
SCANNER_TIMEOUT_SECONDS = 120  # the stack's config says 10; a loaded 2-core machine can take longer for 10 MB
READY = "slawatch local stack ready"


@dataclass(frozen=True)
class Case:
    label: str
    files: int
    folders: int
    name_length: int  # characters per file name: the 10 MB report's names are long paths' worth


CASES = (Case("50,000 files", 50_000, 10, 24), Case("10 MB report", 36_000, 10, 160))


def _name(i: int, length: int) -> str:
    stem = f"INV-{i:07d}-ACME-SETTLEMENT-REMITTANCE-ADVICE-EUR-BATCH"
    return (stem * (1 + length // len(stem)))[: length - 4] + ".csv"


def ensure_tree(base: Path, case: Case) -> tuple[Path, float]:
    """`case.files` empty files over `case.folders` folders, all last written AGE_SECONDS before generation (kept
    for later runs); returns the root and that instant."""
    root = base / f"local-stack-{case.files}-{case.name_length}"
    marker = root / ".slawatch-bench.json"
    if marker.exists():
        return root, json.loads(marker.read_text())["written"]
    written = time.time() - AGE_SECONDS
    for f in range(case.folders):
        (root / f"queue-{f:02d}").mkdir(parents=True, exist_ok=True)
    for i in range(case.files):
        path = root / f"queue-{i % case.folders:02d}" / _name(i, case.name_length)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o644))
        os.utime(path, (written, written))
    marker.write_text(json.dumps({"written": written}))
    return root, written


def _slawatch() -> list[str]:
    script = Path(sys.executable).parent / "slawatch"
    return [str(script)] if script.exists() else [sys.executable, "-m", "slawatch_cli.main"]


def _cpu_seconds(pid: int) -> float:
    """The CPU seconds of the stack's process and of its children still running (the workflow's workers)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # a process that ended meanwhile
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return total


@dataclass
class Stack:
    process: subprocess.Popen[str]
    state: Path
    env: dict[str, str]  # what env.sh exports

    def sign_in(self, username: str) -> str:
        password = json.loads((self.state / "users.json").read_text())[username]
        answer = requests.post(self.env["SLAWATCH_AUTH_ENDPOINT"] + "/", timeout=30, headers={
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
            "Content-Type": "application/x-amz-json-1.1"}, data=json.dumps({
                "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": self.env["SLAWATCH_CLIENT_ID"],
                "AuthParameters": {"USERNAME": username, "PASSWORD": password}}))
        answer.raise_for_status()
        return answer.json()["AuthenticationResult"]["AccessToken"]


@contextmanager
def local_stack(state: Path) -> Iterator[Stack]:
    """`slawatch local` on free ports, until it prints that it is ready; SIGTERM at the end."""
    process = subprocess.Popen([*_slawatch(), "local", "--state-dir", str(state), "--api-port", "0",
                                "--moto-port", "0", "--fresh"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if READY in line:
                break
        else:
            raise RuntimeError(f"slawatch local exited ({process.wait()}) before it was ready")
        threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # type: ignore[union-attr]
        env = dict(line.removeprefix("export ").split("=", 1) for line in (state / "env.sh").read_text().splitlines()
                   if line.startswith("export ") and " " not in line.removeprefix("export "))
        yield Stack(process, state, env)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Reader:
    """GET /breaches by date and by folder, alternately, every half second, while the report is persisted."""

    def __init__(self, stack: Stack, day: str, folder: str) -> None:
        self.token = stack.sign_in("demo-reader")
        self.urls = {"by date": f"{stack.env['SLAWATCH_API_URL']}/breaches?date={day}",
                     "by folder": f"{stack.env['SLAWATCH_API_URL']}/breaches?folder={folder}&from={day}&to={day}"}
        self.latencies: dict[str, list[float]] = {kind: [] for kind in self.urls}
        self.failures = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        n = 0
        while not self._done.wait(0.5):
            kind = list(self.urls)[n % 2]
            n += 1
            started = time.monotonic()
            try:
                ok = requests.get(self.urls[kind], headers={"Authorization": self.token}, timeout=120).ok
            except requests.RequestException:
                ok = False
            self.latencies[kind].append(time.monotonic() - started)
            self.failures += 0 if ok else 1

    def __enter__(self) -> Reader:
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._done.set()
        self._thread.join()


def search_back(stack: Stack, token: str, day: str, folders: list[str]) -> tuple[int, int]:
    """(breaches, pages) of the day, paged through GET /breaches?folder=... 500 at a time, folder by folder.

    By folder, not by date: a by-date page merges the day's four shards, reading four times what it returns."""
    found = pages = 0
    for folder in folders:
        url, params = f"{stack.env['SLAWATCH_API_URL']}/breaches", {"folder": folder, "from": day, "to": day,
                                                                      "limit": "500"}
        while True:
            answer = requests.get(url, params=params, headers={"Authorization": token}, timeout=300)
            answer.raise_for_status()
            body = answer.json()
            found, pages = found + len(body["items"]), pages + 1
            if not body.get("nextToken"):
                break
            params["nextToken"] = body["nextToken"]
    return found, pages


def wait_for_executions(stack: Stack, timeout: float = 3600) -> list[dict[str, Any]]:
    """Every execution, once none is RUNNING (a scanner that timed out and re-sent starts a second, harmless one)."""
    sfn = boto3.client("stepfunctions", endpoint_url=stack.env["AWS_ENDPOINT_URL"], region_name="eu-west-1",
                       aws_access_key_id="local", aws_secret_access_key="local")  # noqa: S106 - moto's dummy keys
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        executions = sfn.list_executions(stateMachineArn=stack.env["SLAWATCH_STATE_MACHINE_ARN"])["executions"]
        if executions and all(e["status"] != "RUNNING" for e in executions):
            return executions
        time.sleep(1.0)
    raise TimeoutError(f"the execution was still running after {timeout} s")


def measure(case: Case, tree_dir: Path) -> dict[str, Any]:
    root, written = ensure_tree(tree_dir, case)
    day = (datetime.fromtimestamp(written, UTC) + timedelta(minutes=SLA_MINUTES)).strftime("%Y-%m-%d")
    with tempfile.TemporaryDirectory(prefix="slawatch-bench-local-") as work, local_stack(Path(work)) as stack:
        config = json.loads((stack.state / "scanner-config.json").read_text())
        config["api"].update(maxRequestBytes=MAX_REQUEST_BYTES, timeoutSeconds=SCANNER_TIMEOUT_SECONDS)
        config["folders"] = [{"path": str(p), "slaMinutes": SLA_MINUTES, "ageBasis": "lastWrite"}
                             for p in sorted(root.glob("queue-*"))]
        (stack.state / "bench-config.json").write_text(json.dumps(config))
        password = json.loads((stack.state / "users.json").read_text())["demo-scanner"]
        env = {**os.environ, "SLAWATCH_USERNAME": "demo-scanner", "SLAWATCH_PASSWORD": password}
        load_before, cpu_before = os.getloadavg(), _cpu_seconds(stack.process.pid)
        with Reader(stack, day, config["folders"][0]["path"]) as reader:
            started = time.monotonic()
            scan = run_process([*_slawatch(), "scan", "--config", str(stack.state / "bench-config.json"), "-q"],
                               env=env)
            executions = wait_for_executions(stack)
            persisted = time.monotonic() - started
        cpu = _cpu_seconds(stack.process.pid) - cpu_before
        load_after = os.getloadavg()
        started = time.monotonic()
        found, pages = search_back(stack, stack.sign_in("demo-reader"), day, [f["path"] for f in config["folders"]])
        searched = time.monotonic() - started
    latencies = {kind: {"n": len(v), "median": statistics.median(v) if v else 0.0, "max": max(v, default=0.0)}
                 for kind, v in reader.latencies.items()}
    return {"files": case.files, "report_bytes": _report_bytes(root, case), "scanner_exit": scan.returncode,
            "scanner_seconds": scan.wall, "status": "/".join(sorted({e["status"] for e in executions})),
            "executions": len(executions), "seconds": persisted, "stack_cpu": cpu,
            "load_before": load_before, "load_after": load_after, "found": found, "pages": pages,
            "search_seconds": searched, "queries": latencies, "query_failures": reader.failures}


def _report_bytes(root: Path, case: Case) -> int:
    """The size of the report body the scanner sent (its dry run prints the same report)."""
    config = {"api": {"url": "http://127.0.0.1:9/reports", "maxRequestBytes": MAX_REQUEST_BYTES},
              "auth": {"region": "eu-west-1", "clientId": "bench"},
              "folders": [{"path": str(p), "slaMinutes": SLA_MINUTES, "ageBasis": "lastWrite"}
                          for p in sorted(root.glob("queue-*"))]}
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(config, file)
        file.flush()
        done = subprocess.run([*_slawatch(), "scan", "--config", file.name, "--dry-run", "--format", "jsonl", "-q"],
                              capture_output=True, check=False)
    bodies = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return sum(len(json.dumps(b, ensure_ascii=False, separators=(",", ":")).encode()) for b in bodies)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def run(options: Options) -> Section:
    rows, data = [], {}
    for case in CASES:
        log(f"  local stack: {case.label}")
        result = measure(case, options.tree_dir)
        log(f"  {json.dumps(result)}")
        data[case.label] = result
        q = result["queries"]
        rows.append([
            case.label, f"{result['files']:,}", f"{result['report_bytes'] / 1e6:.1f} MB",
            f"{result['executions']} {result['status']}",
            f"{result['seconds']:.0f} s", f"{result['seconds'] - result['scanner_seconds']:.0f} s",
            f"{result['stack_cpu']:.0f} s",
            " / ".join(f"{v:.1f}" for v in (*result["load_before"][:1], *result["load_after"][:1])),
            f"{result['found']:,} in {result['pages']} pages, {result['search_seconds']:.0f} s",
            f"{q['by date']['n']}: {_ms(q['by date']['median'])} / {_ms(q['by date']['max'])}",
            f"{q['by folder']['n']}: {_ms(q['by folder']['median'])} / {_ms(q['by folder']['max'])}",
        ])
    body = table(["report", "files", "body", "executions", "scan start to SUCCEEDED", "after the scanner exited",
                  "stack CPU (with workers)",
                  "load avg before / after", "all searchable", "by date meanwhile: n, median / max",
                  "by folder meanwhile"], rows)
    return Section(TITLE, body, data=data)


def main(argv: list[str] | None = None) -> int:
    print(run(Options()).body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
