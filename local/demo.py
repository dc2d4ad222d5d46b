"""`make demo`: the whole pipeline on this machine, end to end, as an operator would see it.

1. starts the local stack (moto as AWS, the template-driven gateway as API Gateway, the real workflow);
2. creates a scanner login and a reader login in the (local) Cognito user pool;
3. builds a small file tree whose files have sat for a while, and a scanner configuration for it;
4. runs `slawatch scan` twice (nothing changed, so the second run is kept back: scanner.heartbeatMinutes; it is
   delivered before run 3, the first change, so every file that left has an exact last sighting: reportCount 2);
5. shows the gateway refusing an invalid report and a reader trying to upload;
6. runs `slawatch query` by affected date, by folder, and lists the report outcomes;
7. incidents: the first scan opened one per tripped folder (notifications printed, and appended to
   notifications.log in the stack's state directory), `slawatch status` shows what is stuck now, the files are
   archived and the missing share appears, the next scan recovers every folder: one resolve notification each.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for extra in ("functions", "cli"):
    if str(ROOT / extra) not in sys.path:
        sys.path.insert(0, str(ROOT / extra))

import requests  # noqa: E402

from local import stack as local_stack  # noqa: E402
from slawatch.archive import checksum_sha256  # noqa: E402
from slawatch.store import BreachStore  # noqa: E402
from slawatch_cli.main import main as slawatch  # noqa: E402

# (folder, SLA minutes, extra config, files as (relative name, minutes since last write))
TREE = [
    ("inbound/payments", 20, {}, [("PAY-0001.csv", 95), ("PAY-0002.csv", 45), ("PAY-0003.csv", 5)]),
    ("inbound/statements", 240, {"recurse": True, "exclude": ["*.tmp"]},
     [("2026/STMT-A.pdf", 300), ("2026/STMT-B.tmp", 600), ("STMT-C.pdf", 30)]),
    ("exchange/outbound", 60, {"include": ["*.xml"]}, [("Überweisung-請求書.xml", 120), ("readme.txt", 900)]),
    ("inbound/missing-share", 20, {}, None),  # never created: reported with status "missing"
]
EXPECTED_BREACHES = 4  # PAY-0001, PAY-0002, 2026/STMT-A.pdf, Überweisung-請求書.xml


def banner(text: str) -> None:
    print(f"\n=== {text}", flush=True)


@contextlib.contextmanager
def login(username: str, password: str) -> Iterator[None]:
    """Credentials the way the scanners read them: from the environment, never the config or argv."""
    saved = {k: os.environ.get(k) for k in ("SLAWATCH_USERNAME", "SLAWATCH_PASSWORD")}
    os.environ.update(SLAWATCH_USERNAME=username, SLAWATCH_PASSWORD=password)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def build_tree(root: Path, now: datetime) -> list[dict[str, object]]:
    folders: list[dict[str, object]] = []
    for relative, sla, extra, files in TREE:
        folder = root / relative
        for name, minutes in files or []:
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"demo file {name}\n", encoding="utf-8")
            stamp = (now - timedelta(minutes=minutes)).timestamp()
            os.utime(path, (stamp, stamp))
        # On Linux a file's creation time is not available: the demo judges age by last write.
        folders.append({"path": str(folder), "slaMinutes": sla, "ageBasis": "lastWrite", **extra})
    return folders


def show_refusals(stack: local_stack.LocalStack, scanner: tuple[str, str], reader: tuple[str, str]) -> None:
    bad = json.dumps({"sla_error": [{"folder": "D:\\In", "sla": "20", "files": []}]}).encode()
    for who, (username, password), body in (("scanner, invalid report", scanner, bad),
                                            ("reader, valid report", reader, b'{"sla_error": []}')):
        answer = requests.post(f"{stack.api_url}/reports", data=body, timeout=10, headers={
            "Authorization": f"Bearer {stack.sign_in(username, password)}",
            "Content-Type": "application/json", "x-amz-checksum-sha256": checksum_sha256(body)})
        print(f"POST /reports as {who}: HTTP {answer.status_code} {answer.text}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="slawatch-demo-") as work:
        # Resolve on the first clean scan: the demo cannot wait the stack's 10-minute recovery window.
        stack = local_stack.start(state_dir=Path(work) / "stack", environment={"INCIDENT_RECOVERY_MINUTES": "0"})
        try:
            return _run(stack, Path(work))
        finally:
            stack.close()


def _run(stack: local_stack.LocalStack, work: Path) -> int:
    now = datetime.now(UTC)
    today, yesterday = now.strftime("%Y-%m-%d"), (now - timedelta(days=1)).strftime("%Y-%m-%d")
    scanner = ("demo-fs01", stack.add_user("demo-fs01", "scanner"))
    reader = ("demo-reader", stack.add_user("demo-reader", "reader"))
    folders = build_tree(work / "files", now)
    config = work / "slawatch.json"
    config.write_text(json.dumps(stack.scanner_config(folders, work / "state"), indent=2))
    print(f"local stack: API {stack.api_url}  (Cognito, S3, DynamoDB, Step Functions: moto)")
    print(f"scanner config: {config}")
    assert stack.notifier is not None
    print(f"incident notifications: printed below and appended to {stack.notifier.path}")

    codes = []
    for run in (1, 2):
        banner(f"slawatch scan, run {run} (exit 10 = breaches found; run 1 opens the incidents; run 2, unchanged,"
               " is kept back until the next change)")
        with login(*scanner):
            codes.append(slawatch(["scan", "--config", str(config)]))
        print(f"exit code {codes[-1]}")
        statuses = [e["status"] for e in stack.wait_for_workflows()]
        print(f"workflow executions: {statuses}")
    opened = [n["event"] for n in stack.notifier.sent()]

    banner("the edge refuses what it must (nothing is stored)")
    show_refusals(stack, scanner, reader)

    with login(*reader):
        banner(f"slawatch query --date {yesterday} --to {today}   (by affected date)")
        slawatch(["query", "--config", str(config), "--date", yesterday, "--to", today])
        payments = str(folders[0]["path"])
        banner(f"slawatch query --folder {payments} --from {yesterday} --to {today}")
        slawatch(["query", "--config", str(config), "--folder", payments, "--from", yesterday, "--to", today])
        banner(f"slawatch query --kind reports --date {today}   (report outcomes for auditors)")
        slawatch(["query", "--config", str(config), "--kind", "reports", "--date", today])
        banner("slawatch status   (what is stuck right now)")
        slawatch(["status", "--config", str(config)])

    banner("the processes catch up: stuck files archived, the missing share mounted; slawatch scan, run 3")
    recover(folders, now)
    with login(*scanner):
        codes.append(slawatch(["scan", "--config", str(config)]))
    print(f"exit code {codes[-1]} (0 = every folder clean)")
    with login(*reader):
        banner("slawatch status")
        slawatch(["status", "--config", str(config)])
    events = [n["event"] for n in stack.notifier.sent()]

    found = BreachStore(stack.table).breaches_by_day(yesterday, today, limit=500).items
    counts = sorted(b["reportCount"] for b in found)
    tripped = EXPECTED_BREACHES  # payments, statements, outbound, and the missing share
    ok = (codes == [10, 10, 0] and len(found) == EXPECTED_BREACHES and counts == [2] * EXPECTED_BREACHES
          and opened == ["opened"] * tripped and events == ["opened"] * tripped + ["resolved"] * tripped)
    result = f"FAILED: exit codes {codes}, breaches {len(found)} {counts}, notifications {events}"
    banner("demo " + ("passed" if ok else result))
    return 0 if ok else 1


def recover(folders: list[dict[str, object]], now: datetime) -> None:
    """What the archiving processes do once they run again: every file past its SLA leaves its folder."""
    for folder in folders:
        path = Path(str(folder["path"]))
        path.mkdir(parents=True, exist_ok=True)
        cutoff = (now - timedelta(minutes=int(str(folder["slaMinutes"])))).timestamp()
        for file in [p for p in path.rglob("*") if p.is_file() and p.stat().st_mtime < cutoff]:
            print(f"archived {file.relative_to(path.parent)}")
            file.unlink()


if __name__ == "__main__":
    raise SystemExit(main())
