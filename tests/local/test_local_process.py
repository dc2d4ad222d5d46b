"""`make local` and `make demo` as a user starts them: processes, free ports, a temporary state directory.

One stack is started, used through its printed config and exports (scan, query, users add), stopped with Ctrl-C
(SIGINT to the process group, as a terminal sends it), started again on the same state (same config, same data,
same users) and stopped with SIGTERM; each stop must finish within 5 seconds.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from local.foreground import READY
from local.stack import free_port

ROOT = Path(__file__).resolve().parents[2]
SLAWATCH = Path(sys.executable).with_name("slawatch")
pytestmark = pytest.mark.slow


class Running:
    """`make local` in its own process group, its output collected by a thread."""

    def __init__(self, state: Path, api_port: int, moto_port: int) -> None:
        env = {**os.environ, "SLAWATCH_LOCAL_API_PORT": str(api_port), "SLAWATCH_LOCAL_MOTO_PORT": str(moto_port),
               "SLAWATCH_LOCAL_STATE_DIR": str(state)}
        self.process = subprocess.Popen(["make", "--no-print-directory", "local"], cwd=ROOT, env=env, text=True,  # noqa: S607
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while READY not in self.output:
            assert self.process.poll() is None, f"make local exited early:\n{self.output}"
            assert time.monotonic() < deadline, f"not ready after {timeout} s:\n{self.output}"
            time.sleep(0.2)

    def stop(self, sig: int) -> float:
        started = time.monotonic()
        assert self.process.poll() is None, f"make local exited by itself:\n{self.output}"
        os.killpg(self.process.pid, sig)
        try:
            code = self.process.wait(timeout=15)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
        # make itself dies of the signal (or reports it, exit 2); the stack's own clean stop is its last line.
        assert code in (0, 2, -sig) and self.output.rstrip().endswith("stopped"), self.output
        return time.monotonic() - started


def exports(path: Path) -> dict[str, str]:
    """The variables env.sh exports, as `source env.sh` would set them."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("export "):
            for assignment in line.removeprefix("export ").split(" "):
                name, _, value = assignment.partition("=")
                values[name] = value
    return values


def slawatch(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SLAWATCH_"))}
    return subprocess.run([str(SLAWATCH), *args], env={**clean, **env}, capture_output=True, text=True,  # noqa: S603
                          timeout=120, check=False)


def query_until(env: dict[str, str], needle: str, timeout: float = 120) -> str:
    today = datetime.now(UTC)
    days = ("--date", (today - timedelta(days=1)).strftime("%Y-%m-%d"), "--to", today.strftime("%Y-%m-%d"))
    deadline = time.monotonic() + timeout
    while True:
        answer = slawatch("query", *days, "--format", "json", env=env)
        if answer.returncode == 0 and needle in answer.stdout:
            return answer.stdout
        assert time.monotonic() < deadline, f"{needle} not found: {answer.returncode} {answer.stdout} {answer.stderr}"
        time.sleep(1)


def test_make_local_starts_serves_restarts_and_stops(tmp_path):
    state = tmp_path / "state"
    api_port, moto_port = free_port(), free_port()
    first = Running(state, api_port, moto_port)
    try:
        first.wait_ready()
        for name in ("scanner-config.json", "env.sh", "users.json"):
            assert stat.S_IMODE((state / name).stat().st_mode) == 0o600, name
        config = json.loads((state / "scanner-config.json").read_text(encoding="utf-8"))
        assert config["api"]["url"] == f"http://127.0.0.1:{api_port}/local/reports"
        env, logins = exports(state / "env.sh"), json.loads((state / "users.json").read_text(encoding="utf-8"))
        for printed in ((state / "scanner-config.json").read_text(encoding="utf-8"),
                        (state / "env.sh").read_text(encoding="utf-8"), *logins.values()):
            assert printed in first.output

        watched = Path(config["folders"][0]["path"])
        stale = watched / "STALE-0001.csv"
        stale.write_text("sat too long\n", encoding="utf-8")
        old = time.time() - 3600
        os.utime(stale, (old, old))
        scan = slawatch("scan", "--config", str(state / "scanner-config.json"),
                        env={"SLAWATCH_USERNAME": "demo-scanner", "SLAWATCH_PASSWORD": logins["demo-scanner"]})
        assert scan.returncode == 10, scan.stderr
        assert "STALE-0001.csv" in query_until(env, "STALE-0001.csv")

        added = slawatch("users", "add", "ops-reader", "--role", "reader", env=env)
        assert added.returncode == 0, added.stderr
        ops_password = added.stdout.strip().splitlines()[-1]
    finally:
        stopped_in = first.stop(signal.SIGINT)
    assert stopped_in < 5, f"Ctrl-C took {stopped_in:.1f} s"

    second = Running(state, api_port, moto_port)
    try:
        second.wait_ready()
        assert json.loads((state / "scanner-config.json").read_text(encoding="utf-8")) == config
        assert json.loads((state / "users.json").read_text(encoding="utf-8")) == logins
        as_ops = {**env, "SLAWATCH_USERNAME": "ops-reader", "SLAWATCH_PASSWORD": ops_password}
        assert "STALE-0001.csv" in query_until(as_ops, "STALE-0001.csv", timeout=30)  # data and user kept
        reports = slawatch("query", "--kind", "reports", "--date", datetime.now(UTC).strftime("%Y-%m-%d"),
                           "--format", "json", env=env)
        assert reports.returncode == 0 and "accepted" in reports.stdout, reports.stderr
    finally:
        stopped_in = second.stop(signal.SIGTERM)
    assert stopped_in < 5, f"SIGTERM took {stopped_in:.1f} s"


def test_make_demo_runs_as_a_process():
    demo = subprocess.run(["make", "--no-print-directory", "demo"], cwd=ROOT, capture_output=True, text=True,  # noqa: S607
                          timeout=600, check=False)
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    assert demo.stdout.rstrip().endswith("demo passed")
