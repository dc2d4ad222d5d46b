"""Send on change, heartbeat otherwise: the state digest (shared vectors), the decision, and whole runs against the
fake backend with the clock moved by ``--as-of`` (the scan's scannedAt is the decision's clock)."""

import io
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from slawatch_cli.errors import ExitCode
from slawatch_cli.scanner.heartbeat import NS_PER_MINUTE, ScanState, StateStore, decide, state_digest
from slawatch_cli.scanner.run import ScanOptions, Seams, run_scan
from slawatch_cli.timeutil import parse_instant
from tests.cli.cli_fakes import FakeBackend, Scripted
from tests.cli.cli_vectors import REPO

VECTORS = json.loads((REPO / "tests" / "vectors" / "state-digest-vectors.json").read_text(encoding="utf-8"))
ENV = {"SLAWATCH_USERNAME": "scanner-1", "SLAWATCH_PASSWORD": "correct horse"}
T0 = parse_instant("2026-11-28T12:00:00Z")
MINUTE = NS_PER_MINUTE


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"])
def test_state_digest_vectors(vector: dict[str, Any]) -> None:
    assert state_digest(vector["report"]) == vector["digest"]


def test_digest_vectors_differ_unless_they_say_so() -> None:
    by_name = {v["name"]: v["digest"] for v in VECTORS["vectors"]}
    for vector in VECTORS["vectors"]:
        if "sameAs" in vector:
            assert vector["digest"] == by_name[vector["sameAs"]]
    own = [v["digest"] for v in VECTORS["vectors"] if "sameAs" not in v]
    assert len(set(own)) == len(own)


def state(digest: str = "d", *, sent: int = T0, since: int | None = None) -> ScanState:
    return ScanState(digest, since if since is not None else sent, sent)


@pytest.mark.parametrize(
    ("saved", "now", "heartbeat", "waiting", "send", "reason"),
    [
        (None, T0, 15, False, True, "first"),
        (state("other"), T0 + MINUTE, 15, False, True, "changed"),
        (state(), T0 + 5 * MINUTE, 15, False, False, "unchanged"),
        (state(), T0 + 14 * MINUTE, 15, False, False, "unchanged"),
        (state(), T0 + 15 * MINUTE - 31 * 10**9, 15, False, False, "unchanged"),
        (state(), T0 + 15 * MINUTE - 30 * 10**9, 15, False, True, "heartbeat"),  # a run started a little early
        (state(), T0 + 40 * MINUTE, 15, False, True, "heartbeat"),
        (state(), T0 - MINUTE, 15, False, True, "heartbeat"),  # the clock went back
        (state(), T0 + 5 * MINUTE, 0, False, True, "every scan"),
        (state(), T0 + 5 * MINUTE, 15, True, True, "spool waiting"),
    ],
)
def test_decision(saved: ScanState | None, now: int, heartbeat: int, waiting: bool, send: bool, reason: str) -> None:
    decision = decide(saved, "d", now, heartbeat, spool_waiting=waiting)
    assert (decision.send, decision.reason) == (send, reason)
    assert decision.send_kept_first == (reason in ("first", "changed"))


def test_kept_back_message_names_since_and_due() -> None:
    decision = decide(state(sent=T0 + 15 * MINUTE, since=T0), "d", T0 + 20 * MINUTE, 15)
    assert decision.message() == "unchanged since 12:00 UTC, not sent; heartbeat due at 12:30 UTC"


def test_store_writes_state_0600_and_replaces_the_kept_scan(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "spool")
    assert store.load() is None
    store.save(ScanState("abc", T0, T0 + MINUTE))
    assert store.load() == ScanState("abc", T0, T0 + MINUTE)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    store.keep([b"one", b"two"])
    store.keep([b"three"])
    assert [p.read_bytes() for p in store.kept()] == [b"three"]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in store.kept())
    store.path.write_text("{not json", encoding="utf-8")
    assert store.load() is None  # an unreadable state sends the scan


# ------------------------------------------------------------------------------------------------ whole runs


@pytest.fixture
def inbound(tmp_path: Path) -> Path:
    folder = tmp_path / "inbound"
    folder.mkdir()
    old = (T0 - 120 * MINUTE) // 10**9
    for name in ("late.csv", "later.csv"):
        (folder / name).write_bytes(b"x")
        os.utime(folder / name, (old, old))
    return folder


@pytest.fixture
def config(write_config: Callable[..., Path], backend: FakeBackend, inbound: Path) -> Callable[..., Path]:
    def make(heartbeat: int | None = None) -> Path:
        blocks: dict[str, Any] = {
            "api": {"url": backend.report_url},
            "auth": {"region": "eu-west-1", "clientId": "client", "endpoint": backend.cognito_url},
        }
        if heartbeat is not None:
            blocks["scanner"] = {"heartbeatMinutes": heartbeat}
        return write_config([{"path": str(inbound), "slaMinutes": 20, "ageBasis": "lastWrite"}], **blocks)

    return make


def scan(path: Path, minutes: float, *, output: str = "text") -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    seams = Seams(sleep=lambda _: None, environ=ENV, stdout=stdout, stderr=stderr)
    code = run_scan(ScanOptions(str(path), as_of_ns=T0 + int(minutes * MINUTE), output=output), seams)
    return code, stdout.getvalue(), stderr.getvalue()


def names(body: bytes) -> list[str]:
    return sorted(f["filename"] for entry in json.loads(body)["sla_error"] for f in entry["files"])


def scanned_at(body: bytes) -> str:
    return json.loads(body)["scanner"]["scannedAt"]


def test_unchanged_scan_is_not_sent_but_exits_as_a_sent_one(config: Callable[..., Path], backend: FakeBackend) -> None:
    path = config()
    assert scan(path, 0)[0] == ExitCode.PROBLEMS
    code, _, stderr = scan(path, 5)
    assert code == ExitCode.PROBLEMS  # breaches are still there: 10, as if sent
    assert "unchanged since 12:00 UTC, not sent; heartbeat due at 12:15 UTC" in stderr
    assert "breaching file(s)" in stderr
    assert len(backend.accepted) == 1
    assert json.loads(backend.accepted[0])["scanner"]["heartbeatMinutes"] == 15


def test_a_change_sends_the_last_unchanged_scan_first(
    config: Callable[..., Path], backend: FakeBackend, inbound: Path
) -> None:
    path = config()
    scan(path, 0)
    scan(path, 5)
    scan(path, 10)  # kept back, replacing the scan of 12:05
    (inbound / "late.csv").unlink()
    assert scan(path, 15)[0] == ExitCode.PROBLEMS
    assert [scanned_at(b) for b in backend.accepted] == [
        "2026-11-28T12:00:00.000Z", "2026-11-28T12:10:00.000Z", "2026-11-28T12:15:00.000Z"]
    assert [names(b) for b in backend.accepted] == [["late.csv", "later.csv"]] * 2 + [["later.csv"]]
    assert not StateStore(path.parent / "state" / "spool").kept()


def test_heartbeat_after_the_interval_sends_the_current_scan_only(
    config: Callable[..., Path], backend: FakeBackend
) -> None:
    path = config()
    scan(path, 0)
    scan(path, 5)
    code, stdout, _ = scan(path, 15, output="json")
    assert code == ExitCode.PROBLEMS
    assert json.loads(stdout)["unchanged"] is None and json.loads(stdout)["delivered"] == 1
    assert [scanned_at(b) for b in backend.accepted] == ["2026-11-28T12:00:00.000Z", "2026-11-28T12:15:00.000Z"]
    _, stdout, _ = scan(path, 20, output="json")  # the heartbeat restarted the clock
    assert json.loads(stdout)["unchanged"].endswith("heartbeat due at 12:30 UTC")
    assert len(backend.accepted) == 2


def test_heartbeat_zero_sends_every_scan(config: Callable[..., Path], backend: FakeBackend) -> None:
    path = config(heartbeat=0)
    for minutes in (0, 5, 10):
        scan(path, minutes)
    assert len(backend.accepted) == 3


def test_a_failed_delivery_means_the_next_scan_is_sent(config: Callable[..., Path], backend: FakeBackend) -> None:
    path = config()
    backend.report_script.extend([Scripted(503, {"message": "down"})] * 3)
    assert scan(path, 0)[0] == ExitCode.DELIVERY_FAILED
    assert scan(path, 5)[0] == ExitCode.PROBLEMS  # the spooled report and this one: nothing lost
    assert [scanned_at(b) for b in backend.accepted] == ["2026-11-28T12:00:00.000Z", "2026-11-28T12:05:00.000Z"]
    scan(path, 10)
    assert len(backend.accepted) == 2  # now the state is known to the backend: kept back


def test_dry_run_neither_reads_nor_writes_the_state(config: Callable[..., Path], backend: FakeBackend) -> None:
    path = config()
    stdout, stderr = io.StringIO(), io.StringIO()
    seams = Seams(environ=ENV, stdout=stdout, stderr=stderr)
    assert run_scan(ScanOptions(str(path), as_of_ns=T0, dry_run=True), seams) == ExitCode.PROBLEMS
    assert not (path.parent / "state" / "spool" / "heartbeat").exists()
    assert json.loads(stdout.getvalue())["scanner"]["heartbeatMinutes"] == 15
