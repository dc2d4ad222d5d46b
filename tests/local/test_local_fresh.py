"""`slawatch local --fresh` as a user runs it: a state directory holding data, then a clean start that still works."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from local.stack import free_port
from tests.support.local_process import SLAWATCH, Running, exports, query_until, slawatch

pytestmark = pytest.mark.slow


def _scan(state: Path, name: str) -> None:
    """A file past its SLA in the stack's watched folder, delivered by the Python scanner as demo-scanner."""
    config = json.loads((state / "scanner-config.json").read_text(encoding="utf-8"))
    stale = Path(config["folders"][0]["path"]) / name
    stale.write_text("sat too long\n", encoding="utf-8")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    password = json.loads((state / "users.json").read_text(encoding="utf-8"))["demo-scanner"]
    scan = slawatch("scan", "--config", str(state / "scanner-config.json"),
                    env={"SLAWATCH_USERNAME": "demo-scanner", "SLAWATCH_PASSWORD": password})
    assert scan.returncode == 10, scan.stderr
    stale.unlink()


def test_fresh_discards_the_kept_state_and_starts_clean(tmp_path):
    state = tmp_path / "state"
    api_port, moto_port = free_port(), free_port()
    command = [str(SLAWATCH), "local"]
    first = Running(state, api_port, moto_port, command=command)
    try:
        first.wait_ready()
        _scan(state, "OLD-0001.csv")
        env = exports(state / "env.sh")
        query_until(env, "OLD-0001.csv")
        added = slawatch("users", "add", "ops-reader", "--role", "reader", env=env)
        assert added.returncode == 0, added.stderr
        old_logins = json.loads((state / "users.json").read_text(encoding="utf-8"))
    finally:
        first.stop(signal.SIGTERM)
    assert (state / "state" / "dynamodb.jsonl").stat().st_size > 0  # there was data to discard

    second = Running(state, api_port, moto_port, command=[*command, "--fresh"])
    try:
        second.wait_ready()
        env = exports(state / "env.sh")
        logins = json.loads((state / "users.json").read_text(encoding="utf-8"))
        assert logins.keys() == old_logins.keys() and logins != old_logins  # demo users made anew
        users = slawatch("users", "list", "--format", "json", env=env)
        assert users.returncode == 0 and "ops-reader" not in users.stdout, users.stdout + users.stderr
        _scan(state, "NEW-0001.csv")
        found = query_until(env, "NEW-0001.csv")
        assert "OLD-0001.csv" not in found
        assert "started again" not in second.output  # nothing was left to resume
    finally:
        stopped_in = second.stop(signal.SIGTERM)
    assert stopped_in < 5, f"SIGTERM took {stopped_in:.1f} s"
