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
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from local.stack import free_port
from tests.support.local_process import ROOT, Running, exports, query_until, slawatch

pytestmark = pytest.mark.slow


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
