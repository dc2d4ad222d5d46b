"""Incidents over HTTP on the local stack: reports POSTed as a scanner sends them, notifications read from the
stack's notifications.log, incidents read back through GET /incidents as a reader. Scan times are explicit in the
reports (incidents follow scannedAt), so the recovery window is exercised without waiting."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests

from local import stack as local_stack
from slawatch.archive import checksum_sha256
from tests.support.incident_reports import FOLDER, T0, at, outcome, scan

OTHER = "D:\\Inbound\\Statements"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[local_stack.LocalStack]:
    running = local_stack.start(state_dir=tmp_path_factory.mktemp("state"), echo=False)
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def send(stack, request: pytest.FixtureRequest):
    """POST /reports as a scanner login of this test's own: incidents are per (host, folder), so tests stay apart."""
    login = "fs-" + request.node.name.removeprefix("test_")[:40]
    token = stack.sign_in(login, stack.add_user(login, "scanner"))

    def deliver(body: dict) -> None:
        data = json.dumps(body).encode()
        answer = requests.post(f"{stack.api_url}/reports", data=data, timeout=30, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json",
            "x-amz-checksum-sha256": checksum_sha256(data)})
        assert answer.status_code == 200, answer.text

    deliver.login = login  # type: ignore[attr-defined]
    return deliver


@pytest.fixture(scope="module")
def reader(stack) -> str:
    return stack.sign_in("reader-ops", stack.add_user("reader-ops", "reader"))


def notes(stack, login: str) -> list[tuple[str, str]]:
    return [(n["event"], n["incident"].get("folder") or n["incident"]["kind"])
            for n in stack.notifier.sent() if n["incident"]["host"] == login]


def incidents(stack, reader: str, login: str, **params: str) -> list[dict]:
    answer = requests.get(f"{stack.api_url}/incidents", params=params, timeout=30,
                          headers={"Authorization": f"Bearer {reader}"})
    assert answer.status_code == 200, answer.text
    return [i for i in answer.json()["items"] if i["host"] == login]


def test_open_update_and_resolve_notify_once_each(stack, send, reader):
    send(scan(0, outcome(stuck=2), outcome(OTHER)))
    send(scan(5, outcome(stuck=3), outcome(OTHER)))
    (open_now,) = incidents(stack, reader, send.login)
    assert open_now["filesStuck"] == 3 and open_now["openedAt"] == at(0) and open_now["lastSeen"] == at(5)
    send(scan(10, outcome(), outcome(OTHER)))  # clean: recovering (recovery window 10 minutes)
    assert incidents(stack, reader, send.login)[0]["state"] == "recovering"
    send(scan(20, outcome(), outcome(OTHER)))
    assert incidents(stack, reader, send.login) == []
    (resolved,) = incidents(stack, reader, send.login, state="resolved", date=at(0)[:10])
    assert resolved["resolvedAt"] == at(10)
    assert notes(stack, send.login) == [("opened", FOLDER), ("resolved", FOLDER)]


def test_flapping_sends_one_open_and_one_resolve(stack, send, reader):
    for minutes, stuck in ((0, 1), (5, 0), (8, 1), (12, 0), (15, 1), (20, 0), (31, 0)):
        send(scan(minutes, outcome(stuck=stuck)))
    assert notes(stack, send.login) == [("opened", FOLDER), ("resolved", FOLDER)]
    (resolved,) = incidents(stack, reader, send.login, state="resolved", date=at(0)[:10])
    assert resolved["flaps"] == 2


def test_duplicates_and_reordering_leave_one_incident_and_one_notification(stack, send, reader):
    bodies = [scan(minutes, outcome(stuck=minutes + 1)) for minutes in (0, 5, 10)]
    deliveries = bodies + bodies  # every report twice, as re-deliveries and spool flushes do
    random.Random(7).shuffle(deliveries)
    for body in deliveries:
        send(body)
    (incident,) = incidents(stack, reader, send.login)
    assert (incident["openedAt"], incident["lastSeen"], incident["filesStuck"]) == (at(0), at(10), 11)
    assert notes(stack, send.login) == [("opened", FOLDER)]


def test_a_folder_removed_from_the_config_resolves(stack, send, reader):
    send(scan(0, outcome(stuck=1), outcome(OTHER)))
    send(scan(5, outcome(OTHER)))
    assert notes(stack, send.login) == [("opened", FOLDER), ("resolved", FOLDER)]


def test_an_original_shape_report_is_still_accepted_and_tracked(stack, send, reader):
    send({"sla_error": [{"folder": FOLDER, "sla": 20, "files": [{"filename": "a.csv", "creationDate": at(-60)}]}]})
    (incident,) = incidents(stack, reader, send.login)
    assert incident["filesStuck"] == 1 and incident["oldestFile"] == "a.csv"
    send({"sla_error": []})
    assert notes(stack, send.login) == [("opened", FOLDER), ("resolved", FOLDER)]


def test_a_silent_host_is_flagged_and_cleared_by_its_next_report(stack, send, reader):
    send(scan(0, outcome(), interval=5))
    assert incidents(stack, reader, send.login) == []
    later = T0 + timedelta(days=400)  # well past this host's 15 minutes, whatever the wall clock says
    stack.check_silence(now=later)
    (silent,) = incidents(stack, reader, send.login)
    assert silent["kind"] == "silent"
    stack.check_silence(now=later + timedelta(minutes=5))
    send(scan(60, outcome()))
    assert notes(stack, send.login) == [("opened", "silent"), ("resolved", "silent")]


def test_slawatch_status_as_a_process_shows_what_is_stuck_now(stack, send, tmp_path):
    send(scan(0, outcome(stuck=4, oldest_age=3 * 3600), outcome(OTHER)))
    login = "status-reader"
    environment = {**os.environ, "SLAWATCH_USERNAME": login, "SLAWATCH_PASSWORD": stack.add_user(login, "reader")}
    target = ["--api-url", stack.api_url, "--client-id", stack.client_id, "--auth-endpoint", stack.moto_url,
              "--host", send.login]
    slawatch = str(Path(sys.executable).with_name("slawatch"))

    def status(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - our own entry point, fixed arguments
            [slawatch, "status", *target, *extra], env=environment, capture_output=True, text=True, timeout=60,
            check=False)

    table = status()
    assert table.returncode == 0, table.stderr
    header, _, row = table.stdout.splitlines()[:3]
    for column in ("folder", "host", "openSince", "files", "oldestAge", "lastSeen"):
        assert column in header
    assert FOLDER in row and send.login in row and " 4 " in f" {row} " and at(0) in row
    assert "1 folder(s) stuck" in table.stderr
    as_json = status("--format", "json")
    (incident,) = json.loads(as_json.stdout)
    assert incident["filesStuck"] == 4 and incident["oldestAgeSeconds"] >= 3 * 3600
