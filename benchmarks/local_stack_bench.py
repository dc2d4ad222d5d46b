"""Local stack under real sizes: a 50,000-file report and a 10 MB one through the whole workflow, queries meanwhile.

Starts the local stack in this process (free ports, no snapshots), posts each report through the local API as a
scanner does, and measures the time from POST to the execution leaving RUNNING, while a reader queries
`GET /breaches` every half second (latency of each answer). Before the DynamoDB patches in local/moto_dynamodb.py
a 2,000-file report took 164 s (moto's per-transaction table copies, quadratic update-expression validation and
whole-table Query scans); a 50,000-file one did not finish within 18 minutes.

Measured so far (2 shared cores, load average 10-25 from other jobs, 2026-12-01): the store's writes alone, in
process against patched moto, 5,000 breaches in 17 s of CPU (~3 ms per breach, from 60 ms before the patches);
a full 50,000-file run through the stack did not finish within 20 minutes on that overloaded machine and has not
yet been measured on an idle one: run this module there before quoting a figure.
Not a test: `python -m benchmarks.run --only local_stack_bench` or `python -m benchmarks.local_stack_bench`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from benchmarks.common import Options, Section, table

TITLE = "Local stack: big reports through the workflow, queries meanwhile"
SIZES = (("50,000 files", 50_000, 10), ("10 MB report", 0, 1))


def report(files: int, folders: int, now: datetime, target_bytes: int = 0) -> bytes:
    """A report of `files` breaching files over `folders` folders (or as many as fit in `target_bytes`)."""
    def entry(i: int) -> dict[str, str]:
        stamp = (now - timedelta(hours=2, seconds=i % 7200)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return {"filename": f"INVOICE-{i:07d}-padded-name-to-look-like-real-files.csv", "creationDate": stamp}
    if target_bytes:
        files = target_bytes // len(json.dumps(entry(0)).encode()) - 20
    names = [entry(i) for i in range(files)]
    body = {"sla_error": [{"folder": f"/srv/inbound/queue-{j:02d}", "sla": 20, "files": names[j::folders]}
                          for j in range(folders)]}
    return json.dumps(body).encode()


def measure(files: int, folders: int, target_bytes: int = 0) -> dict[str, Any]:
    from local import stack as local_stack

    with tempfile.TemporaryDirectory(prefix="slawatch-bench-local-") as state:
        return _measure(local_stack.start(state_dir=Path(state), echo=False), files, folders, target_bytes)


def _measure(stack: Any, files: int, folders: int, target_bytes: int) -> dict[str, Any]:
    try:
        scanner = stack.sign_in("bench-scanner", stack.add_user("bench-scanner", "scanner"))
        reader = stack.sign_in("bench-reader", stack.add_user("bench-reader", "reader"))
        now = datetime.now(UTC)
        body = report(files, folders, now, target_bytes)
        md5 = base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode()
        latencies: list[float] = []
        done = threading.Event()

        def query() -> None:
            url = f"{stack.api_url}/breaches?date={(now - timedelta(days=1)):%Y-%m-%d}&to={now:%Y-%m-%d}"
            while not done.wait(0.5):
                started = time.monotonic()
                requests.get(url, headers={"Authorization": reader}, timeout=60).raise_for_status()
                latencies.append(time.monotonic() - started)

        started = time.monotonic()
        answer = requests.post(f"{stack.api_url}/reports", data=body, timeout=60, headers={
            "Authorization": f"Bearer {scanner}", "Content-Type": "application/json", "Content-MD5": md5})
        answer.raise_for_status()
        reader_thread = threading.Thread(target=query, daemon=True)
        reader_thread.start()
        (execution,) = stack.wait_for_workflows(timeout=1800)
        elapsed = time.monotonic() - started
        done.set()
        reader_thread.join()
        files_sent = sum(len(f["files"]) for f in json.loads(body)["sla_error"])
        return {"files": files_sent, "bytes": len(body), "status": execution["status"], "seconds": elapsed,
                "queries": len(latencies), "query_median": statistics.median(latencies) if latencies else 0.0,
                "query_max": max(latencies) if latencies else 0.0}
    finally:
        stack.close()


def run(options: Options) -> Section:
    rows, data = [], {}
    for label, files, folders in SIZES:
        result = measure(files, folders, target_bytes=10 * 1024 * 1024 - 4096 if not files else 0)
        data[label] = result
        rows.append([label, f"{result['files']:,}", f"{result['bytes'] / 1e6:.1f} MB", result["status"],
                     f"{result['seconds']:.0f} s", result["queries"], f"{result['query_median'] * 1000:.0f} ms",
                     f"{result['query_max'] * 1000:.0f} ms"])
    body = table(["report", "files", "size", "execution", "POST to done", "queries meanwhile", "median", "max"],
                 rows)
    return Section(TITLE, body, data=data)


def main(argv: list[str] | None = None) -> int:
    section = run(Options())
    print(section.body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
