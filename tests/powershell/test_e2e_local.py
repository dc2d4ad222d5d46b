"""The PowerShell scanner end to end over HTTP: `Invoke-SlaWatch.ps1`, started as the scheduled task starts it, on
pwsh against the local stack (Cognito, the API gateway, S3, the workflow and the table).

Off Windows the module reads the scanner's credentials as the Python scanner does (a 0600 KEY=VALUE file named by
SLAWATCH_CREDENTIALS_FILE, or the environment), and caches tokens in a 0600 file in the spool folder. An HTTP
front (tests/support/httpfront.py) between the scanner and Cognito / the API counts sign-ins and requests.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from slawatch import keys
from tests.support.httpfront import HttpFront
from tests.support.pwsh import require_pwsh
from tests.support.scanners import ENTRY_SCRIPT, run_powershell, scanner_environment, write_config
from tests.support.table import table_items

# Exit codes of the entry script (powershell/README.md, shared with the Python scanner).
PROBLEMS_DELIVERED, DELIVERY_FAILED, CONFIG_OR_CREDENTIAL = 10, 20, 30
OLD = 1_600_000_000  # 2020-09-13: far past any SLA


@pytest.fixture(scope="module")
def pwsh() -> str:
    return require_pwsh()


@pytest.fixture(scope="module")
def scanner(stack) -> dict[str, str]:
    return {"username": "ps-e2e-scanner", "password": stack.add_user("ps-e2e-scanner", "scanner")}


@pytest.fixture
def fronts(stack) -> Iterator[tuple[HttpFront, HttpFront]]:
    """(Cognito front, API front): pass-throughs that record every request."""
    with HttpFront(upstream=stack.moto_url) as cognito, HttpFront(upstream=stack.api_url.rsplit("/", 1)[0]) as api:
        yield cognito, api


def credentials_file(path: Path, username: str, password: str, mode: int = 0o600) -> Path:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    os.fchmod(descriptor, mode)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(f"# slawatch scanner login\nSLAWATCH_USERNAME={username}\nSLAWATCH_PASSWORD='{password}'\n")
    return path


def old_files(folder: Path, count: int, name_length: int = 60) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        path = folder / f"{index:04d}-{'x' * name_length}.csv"
        path.write_bytes(b"payload")
        os.utime(path, (OLD, OLD))
    return folder


def configure(stack, tmp_path: Path, fronts: tuple[HttpFront, HttpFront] | None = None,
              heartbeat: int | None = None, **api: Any) -> Path:
    config = stack.scanner_config([{"path": str(tmp_path / "inbound"), "slaMinutes": 20, "ageBasis": "lastWrite"}],
                                  tmp_path, api=api)
    if heartbeat is not None:
        config["scanner"] = {"heartbeatMinutes": heartbeat}
    if fronts:
        cognito, gateway = fronts
        config["auth"]["endpoint"] = cognito.url + "/"
        config["api"]["url"] = f"{gateway.url}/{stack.api_url.rsplit('/', 1)[1]}/reports"
    return write_config(tmp_path / "slawatch.json", config)


def run_id(stdout: str) -> str:
    found = re.search(r"SlaWatch: run (\S+) exit code", stdout)
    assert found, stdout
    return found.group(1)


def spooled(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "spool").glob("*.json"))


def accepted_chunks(stack, run: str) -> list[int]:
    """Chunk numbers of `run` the workflow recorded as accepted in the table (one record per delivered report)."""
    return sorted(int(item["scanner"]["chunkIndex"]) for item in table_items(stack)
                  if item.get("entityType") == keys.ENTITY_REPORT and item.get("scanner", {}).get("runId") == run
                  and item.get("status") == "accepted")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


def test_signs_in_once_splits_into_chunks_with_a_checksum_and_reuses_then_refreshes_the_token(
        pwsh, stack, scanner, fronts, tmp_path):
    cognito, api = fronts
    old_files(tmp_path / "inbound", 60)
    # heartbeatMinutes 0: every run here must reach the API (tests/local/test_heartbeat_local.py keeps them back).
    config = configure(stack, tmp_path, fronts, heartbeat=0, maxRequestBytes=4096)
    env = scanner_environment({"SLAWATCH_CREDENTIALS_FILE": str(credentials_file(
        tmp_path / "credentials", scanner["username"], scanner["password"]))})

    first = run_powershell(pwsh, config, env=env)
    assert first.returncode == PROBLEMS_DELIVERED, first.stdout + first.stderr
    posts = [seen for seen in api.seen if seen.method == "POST"]
    assert len(posts) > 1, "60 breaches in 4096-byte requests must need several chunks"
    assert cognito.flows() == ["USER_PASSWORD_AUTH"], "one sign-in serves every chunk of the run"
    for seen in posts:
        assert seen.headers["Content-Type"].startswith("application/json")
        checksum = {k.lower(): v for k, v in seen.headers.items()}["x-amz-checksum-sha256"]
        assert base64.b64decode(checksum) == hashlib.sha256(seen.body).digest()
        assert "content-md5" not in {k.lower() for k in seen.headers}
        assert len(seen.body) <= 4096
    assert accepted_chunks(stack, run_id(first.stdout)) == list(range(1, len(posts) + 1))
    assert spooled(tmp_path) == []
    cache = tmp_path / "spool" / "token-cache.ps.dat"
    assert cache.stat().st_mode & 0o777 == 0o600
    assert scanner["password"] not in cache.read_text(encoding="utf-8")

    second = run_powershell(pwsh, config, env=env)
    assert second.returncode == PROBLEMS_DELIVERED, second.stdout
    assert cognito.flows() == ["USER_PASSWORD_AUTH"], "the next run reuses the cached access token"

    record = json.loads(cache.read_text(encoding="utf-8"))
    record["expiresAt"] = 1_000  # long expired: the refresh token must be used, not the password
    cache.write_text(json.dumps(record), encoding="utf-8")
    third = run_powershell(pwsh, config, env=env)
    assert third.returncode == PROBLEMS_DELIVERED, third.stdout
    assert cognito.flows() == ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"]
    assert accepted_chunks(stack, run_id(third.stdout)) == list(range(1, len(posts) + 1))


def test_api_down_spools_the_report_and_the_next_run_delivers_it_exactly_once(pwsh, stack, scanner, tmp_path):
    old_files(tmp_path / "inbound", 3)
    env = scanner_environment({"SLAWATCH_USERNAME": scanner["username"], "SLAWATCH_PASSWORD": scanner["password"]})
    down = configure(stack, tmp_path)
    config = json.loads(down.read_text(encoding="utf-8"))
    config["api"]["url"] = f"http://127.0.0.1:{closed_port()}/local/reports"
    write_config(down, config)

    outage = run_powershell(pwsh, down, env=env)
    assert outage.returncode == DELIVERY_FAILED, outage.stdout + outage.stderr
    assert len(spooled(tmp_path)) == 1
    first_run = run_id(outage.stdout)

    back = run_powershell(pwsh, configure(stack, tmp_path), env=env)
    assert back.returncode == PROBLEMS_DELIVERED, back.stdout
    assert spooled(tmp_path) == []
    assert accepted_chunks(stack, first_run) == [1], "the spooled report reached the table exactly once"
    assert accepted_chunks(stack, run_id(back.stdout)) == [1]

    again = run_powershell(pwsh, configure(stack, tmp_path), env=env)
    assert again.returncode == PROBLEMS_DELIVERED
    assert accepted_chunks(stack, first_run) == [1], "a delivered report is never sent again"


def test_a_report_the_api_rejects_is_dead_lettered_and_the_rest_delivered(pwsh, stack, scanner, tmp_path):
    old_files(tmp_path / "inbound", 2)
    (tmp_path / "spool").mkdir()
    bad = tmp_path / "spool" / "20200101T000000000Z_old-version_00001-of-00001.json"
    bad.write_text(json.dumps({"sla_error": [{"folder": 42, "sla": "20", "files": {}}]}), encoding="utf-8")
    env = scanner_environment({"SLAWATCH_USERNAME": scanner["username"], "SLAWATCH_PASSWORD": scanner["password"]})

    result = run_powershell(pwsh, configure(stack, tmp_path), env=env)
    assert result.returncode == DELIVERY_FAILED, result.stdout + result.stderr
    dead = tmp_path / "dead-letter" / bad.name
    assert json.loads(dead.read_text(encoding="utf-8"))["sla_error"][0]["folder"] == 42
    assert (tmp_path / "dead-letter" / f"{bad.name}.response.txt").read_text(encoding="utf-8").startswith("HTTP 400")
    assert spooled(tmp_path) == []
    assert accepted_chunks(stack, run_id(result.stdout)) == [1], "a rejected report does not stop the others"


@pytest.mark.parametrize("login", ["wrong password", "reader without the scanner scope"])
def test_a_refused_login_is_a_credential_error_and_the_report_stays_spooled(pwsh, stack, scanner, fronts, tmp_path,
                                                                            login):
    cognito, api = fronts
    old_files(tmp_path / "inbound", 2)
    if login == "wrong password":
        username, password = scanner["username"], scanner["password"] + "-wrong"
    else:
        username = "ps-e2e-reader"
        password = stack.add_user(username, "reader")
    env = scanner_environment({"SLAWATCH_USERNAME": username, "SLAWATCH_PASSWORD": password})

    result = run_powershell(pwsh, configure(stack, tmp_path, fronts), env=env)
    assert result.returncode == CONFIG_OR_CREDENTIAL, result.stdout + result.stderr
    assert len(spooled(tmp_path)) == 1, "the report waits for a working credential"
    assert password not in result.stdout + result.stderr
    if login == "wrong password":
        assert cognito.flows() == ["USER_PASSWORD_AUTH"], "a refused password is never retried (lockout)"
        assert "NotAuthorizedException" in result.stdout
        assert api.seen == []
    else:
        assert [seen.method for seen in api.seen] == ["POST"]
        assert "403" in result.stdout


def test_a_credentials_file_others_can_read_is_refused(pwsh, stack, scanner, tmp_path):
    old_files(tmp_path / "inbound", 1)
    loose = credentials_file(tmp_path / "credentials", scanner["username"], scanner["password"], mode=0o644)
    result = run_powershell(pwsh, configure(stack, tmp_path),
                            env=scanner_environment({"SLAWATCH_CREDENTIALS_FILE": str(loose)}))
    assert result.returncode == CONFIG_OR_CREDENTIAL, result.stdout + result.stderr
    assert f"chmod 600 {loose}" in result.stdout
    assert len(spooled(tmp_path)) == 1


@pytest.mark.parametrize("source", ["one-time file", "standard input"])
def test_a_login_stored_without_a_prompt_is_what_the_task_signs_in_with(pwsh, stack, scanner, tmp_path, source):
    """The service-account / gMSA set-up: Set-SlaWatchCredential reads the login from a one-time file (deleted)
    or standard input; off Windows it writes the 0600 file that SLAWATCH_CREDENTIALS_FILE names."""
    old_files(tmp_path / "inbound", 1)
    login = f"SLAWATCH_USERNAME={scanner['username']}\nSLAWATCH_PASSWORD={scanner['password']}\n"
    once = tmp_path / "once.txt"
    store = tmp_path / "etc" / "credentials"
    module = ENTRY_SCRIPT.parent / "SlaWatch" / "SlaWatch.psd1"
    option = f"-FromFile '{once}'" if source == "one-time file" else "-FromStdin"
    once.write_text(login, encoding="utf-8")
    stored = subprocess.run(  # noqa: S603 - fixed command line
        [pwsh, "-NoProfile", "-NonInteractive", "-Command",
         f"Import-Module '{module}'; $null = Set-SlaWatchCredential {option} -Path '{store}' -Confirm:$false"],
        input=login if source == "standard input" else "", capture_output=True, text=True, timeout=120,
        env=scanner_environment(), check=False)
    assert stored.returncode == 0, stored.stdout + stored.stderr
    assert scanner["password"] not in stored.stdout + stored.stderr
    if source == "one-time file":
        assert not once.exists(), "the one-time file is deleted once read"
    assert store.stat().st_mode & 0o777 == 0o600

    result = run_powershell(pwsh, configure(stack, tmp_path),
                            env=scanner_environment({"SLAWATCH_CREDENTIALS_FILE": str(store)}))
    assert result.returncode == PROBLEMS_DELIVERED, result.stdout + result.stderr
    assert accepted_chunks(stack, run_id(result.stdout)) == [1]
