"""Send on change, heartbeat otherwise, as a user sees it: each scanner started as a process (`slawatch scan`, and
`Invoke-SlaWatch.ps1` as the scheduled task starts it) against the local stack, counting the report records the
workflow wrote for that scanner's login. Time passes by moving the state file's `sentAt` back, not by sleeping.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from slawatch import keys
from slawatch.timestamps import parse_timestamp
from tests.support.pwsh import require_pwsh
from tests.support.scanners import run_powershell, run_python, scanner_environment, write_config
from tests.support.table import table_items

OLD = 1_600_000_000  # 2020-09-13: far past any SLA
PROBLEMS = 10

Runner = Callable[[Path], subprocess.CompletedProcess[str]]


def scanned(stack, login: str) -> list[datetime]:
    """scannedAt of every report the workflow accepted from this login, in scan order."""
    return sorted(parse_timestamp(str(item["reportedAt"])) for item in table_items(stack)
                  if item.get("entityType") == keys.ENTITY_REPORT and item.get("source") == login)


def last_reported(stack, folder: Path, filename: str) -> datetime:
    (breach,) = [item for item in table_items(stack) if item.get("entityType") == keys.ENTITY_BREACH
                 and item.get("filename") == filename and str(folder) in str(item.get("folder", ""))]
    return parse_timestamp(str(breach["lastReported"]))


@pytest.fixture(params=["python", "powershell"])
def runner(request, stack, tmp_path: Path) -> tuple[str, Runner]:
    login = f"hb-{request.param}-{os.urandom(3).hex()}"
    env = scanner_environment({"SLAWATCH_USERNAME": login, "SLAWATCH_PASSWORD": stack.add_user(login, "scanner")})
    if request.param == "python":
        return login, lambda config: run_python(config, env=env)
    pwsh = require_pwsh()
    return login, lambda config: run_powershell(pwsh, config, env=env)


def configure(stack, root: Path, **scanner: Any) -> Path:
    inbound = root / "inbound"
    inbound.mkdir(parents=True, exist_ok=True)
    for name in ("late.csv", "later.csv"):
        (inbound / name).write_bytes(b"x")
        os.utime(inbound / name, (OLD, OLD))
    config = stack.scanner_config([{"path": str(inbound), "slaMinutes": 20, "ageBasis": "lastWrite"}], root)
    if scanner:
        config["scanner"] = scanner
    return write_config(root / "slawatch.json", config)


def output(run: subprocess.CompletedProcess[str]) -> str:
    return run.stdout + run.stderr


def test_an_unchanged_scan_is_not_sent_a_change_sends_the_last_unchanged_one_first(stack, runner, tmp_path):
    login, scan = runner
    config = configure(stack, tmp_path)
    first = scan(config)
    assert first.returncode == PROBLEMS, output(first)
    second = scan(config)
    assert second.returncode == PROBLEMS, output(second)  # breaches still there: the code of a sent scan
    assert "not sent; heartbeat due at" in output(second)
    assert len(scanned(stack, login)) == 1, "the unchanged second scan was sent"

    third = scan(config)
    kept = json.loads((tmp_path / "spool" / "heartbeat" / "unchanged-000001.json").read_text(encoding="utf-8"))
    assert "not sent" in output(third)
    (tmp_path / "inbound" / "late.csv").unlink()
    change = scan(config)
    assert change.returncode == PROBLEMS, output(change)
    reports = scanned(stack, login)
    kept_at = parse_timestamp(kept["scanner"]["scannedAt"])
    assert len(reports) == 3 and reports[1] == kept_at, "the last unchanged scan goes first"
    # The file that left has its exact last sighting: the third scan, the last one that saw it.
    assert last_reported(stack, tmp_path / "inbound", "late.csv") == kept_at
    assert list((tmp_path / "spool" / "heartbeat").glob("unchanged-*")) == []


def test_a_heartbeat_goes_out_once_heartbeat_minutes_have_passed(stack, runner, tmp_path):
    login, scan = runner
    config = configure(stack, tmp_path, heartbeatMinutes=10)
    assert scan(config).returncode == PROBLEMS
    assert "heartbeat due at" in output(scan(config))
    state_path = tmp_path / "spool" / "heartbeat" / "state.json"
    state = json.loads(state_path.read_text(encoding="utf-8"))
    state["sentAt"] = "2020-01-01T00:00:00.000Z"  # ten minutes and more ago
    state_path.write_text(json.dumps(state), encoding="utf-8")
    heartbeat = scan(config)
    assert heartbeat.returncode == PROBLEMS and "not sent" not in output(heartbeat), output(heartbeat)
    assert len(scanned(stack, login)) == 2
    assert json.loads(state_path.read_text(encoding="utf-8"))["since"] == state["since"], "unchanged since then"


def test_heartbeat_minutes_zero_sends_every_scan(stack, runner, tmp_path):
    login, scan = runner
    config = configure(stack, tmp_path, heartbeatMinutes=0)
    for _ in range(2):
        assert scan(config).returncode == PROBLEMS
    assert len(scanned(stack, login)) == 2


def test_both_scanners_keep_the_same_state_digest_for_the_same_tree(stack, tmp_path):
    pwsh = require_pwsh()
    env = scanner_environment({"SLAWATCH_USERNAME": "hb-parity", "SLAWATCH_PASSWORD": stack.add_user("hb-parity",
                                                                                                    "scanner")})
    configure(stack, tmp_path / "tree")
    document = json.loads((tmp_path / "tree" / "slawatch.json").read_text(encoding="utf-8"))
    digests = []
    for name, run in (("python", lambda c: run_python(c, env=env)), ("powershell", lambda c: run_powershell(pwsh, c,
                                                                                                          env=env))):
        spool = tmp_path / name
        config = {**document, "spool": {"directory": str(spool / "spool"), "deadLetterDirectory": str(spool / "dead")}}
        result = run(write_config(tmp_path / f"{name}.json", config))
        assert result.returncode == PROBLEMS, output(result)
        digests.append(json.loads((spool / "spool" / "heartbeat" / "state.json").read_text(encoding="utf-8"))["digest"])
    assert digests[0] == digests[1]
