"""Delivery end to end through ``run_scan``: spool and flush, retries, dead letters, chunks, exit codes.

The local fake API fails, then recovers; the assertions are the promises of the design: nothing lost, nothing
sent twice after a successful delivery, the spool drained oldest first.
"""

import io
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from slawatch_cli.errors import ConfigError, CredentialError, ExitCode
from slawatch_cli.scanner.run import ScanOptions, Seams, run_scan
from slawatch_cli.scanner.spool import Spool
from tests.cli.cli_fakes import FakeBackend, Scripted

NS = 1_000_000_000
ENV = {"SLAWATCH_USERNAME": "scanner-1", "SLAWATCH_PASSWORD": "correct horse"}


@pytest.fixture
def inbound(tmp_path: Path) -> Path:
    """A folder with one file an hour old and one fresh file."""
    folder = tmp_path / "inbound"
    folder.mkdir()
    now = time.time_ns()
    for name, age in (("late.csv", 3600), ("fresh.csv", 60)):
        path = folder / name
        path.write_bytes(b"data")
        os.utime(path, ns=(now - age * NS, now - age * NS))
    return folder


@pytest.fixture
def config(write_config: Callable[..., Path], backend: FakeBackend, inbound: Path) -> Callable[..., Path]:
    def make(sla: int = 20, **blocks: Any) -> Path:
        api = {"url": backend.report_url, "maxRequestBytes": blocks.pop("max_request_bytes", 5_242_880)}
        auth = {"region": "eu-west-1", "clientId": "client", "endpoint": backend.cognito_url}
        folders = [{"path": str(inbound), "slaMinutes": sla, "ageBasis": "lastWrite"}]
        blocks.setdefault("scanner", {"heartbeatMinutes": 0})  # these tests mean "send every scan" (test_heartbeat)
        return write_config(folders, api=api, auth=auth, **blocks)

    return make


class Run:
    """One scanner run with recorded sleeps and captured stderr."""

    def __init__(self, config_path: Path, environ: dict[str, str] | None = None) -> None:
        self.sleeps: list[float] = []
        self.stderr = io.StringIO()
        self.stdout = io.StringIO()
        self.seams = Seams(
            sleep=self.sleeps.append,
            environ=ENV if environ is None else environ,
            stdout=self.stdout,
            stderr=self.stderr,
        )
        self.code = run_scan(ScanOptions(str(config_path), workers=1), self.seams)


def spooled(tmp_path: Path) -> list[Path]:
    return [e.path for e in Spool(tmp_path / "state" / "spool", max_files=999, max_bytes=10**9).pending()]


def folders_in(body: bytes) -> list[str]:
    return [f["folder"] for f in json.loads(body)["sla_error"]]


def test_breach_delivered_exit_10(
    config: Callable[..., Path], backend: FakeBackend, tmp_path: Path, inbound: Path
) -> None:
    run = Run(config())
    assert run.code == ExitCode.PROBLEMS
    (body,) = backend.accepted
    report = json.loads(body)
    assert report["sla_error"][0]["folder"] == str(inbound)
    assert [f["filename"] for f in report["sla_error"][0]["files"]] == ["late.csv"]
    (request,) = backend.reports()
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert request.headers["x-amz-checksum-sha256"]  # the fake API verifies it against the bytes
    assert "content-md5" not in request.headers  # MD5 is refused on FIPS hosts and dropped by edge APIs
    assert spooled(tmp_path) == []
    assert "1 report(s) delivered (exit 10)" in run.stderr.getvalue()


def test_clean_run_sends_a_heartbeat_exit_0(config: Callable[..., Path], backend: FakeBackend) -> None:
    assert Run(config(sla=120)).code == ExitCode.OK
    (body,) = backend.accepted
    assert json.loads(body)["sla_error"] == []


def test_token_cache_spares_the_next_run_a_sign_in(config: Callable[..., Path], backend: FakeBackend) -> None:
    path = config()
    Run(path)
    Run(path)
    assert backend.auth_flows == ["USER_PASSWORD_AUTH"]
    assert len(backend.accepted) == 2


def test_fails_then_recovers_within_the_retries(config: Callable[..., Path], backend: FakeBackend) -> None:
    backend.report_script.extend([Scripted(503, {"message": "down"}), Scripted(500, {"message": "oops"})])
    run = Run(config(delivery={"maxAttempts": 3, "baseDelaySeconds": 1, "maxDelaySeconds": 8}))
    assert run.code == ExitCode.PROBLEMS
    assert len(backend.reports()) == 3 and len(backend.accepted) == 1
    assert len(run.sleeps) == 2 and run.sleeps[0] <= 1 and run.sleeps[1] <= 2  # full jitter, capped growth


def test_retry_after_is_honoured(config: Callable[..., Path], backend: FakeBackend) -> None:
    backend.report_script.append(Scripted(429, {"message": "slow down"}, {"Retry-After": "3"}))
    run = Run(config(delivery={"maxAttempts": 3, "baseDelaySeconds": 1, "maxDelaySeconds": 30}))
    assert run.code == ExitCode.PROBLEMS and run.sleeps == [3.0]


def test_spool_then_flush_nothing_lost_nothing_twice(
    config: Callable[..., Path], backend: FakeBackend, tmp_path: Path
) -> None:
    path = config()
    backend.report_script.extend([Scripted(503, {})] * 3)  # maxAttempts = 3: the first run gives up
    first = Run(path)
    assert first.code == ExitCode.DELIVERY_FAILED
    assert backend.accepted == [] and len(spooled(tmp_path)) == 1
    assert "waiting in the spool" in first.stderr.getvalue()
    first_body = spooled(tmp_path)[0].read_bytes()

    second = Run(path)  # the API is back
    assert second.code == ExitCode.PROBLEMS
    assert len(backend.accepted) == 2
    assert backend.accepted[0] == first_body  # the spool goes first, byte-identical
    assert json.loads(backend.accepted[0])["scanner"]["runId"] != json.loads(backend.accepted[1])["scanner"]["runId"]
    assert spooled(tmp_path) == []

    Run(path)
    assert len(backend.accepted) == 3  # nothing from earlier runs is sent again
    assert len({json.loads(b)["scanner"]["runId"] for b in backend.accepted}) == 3


def test_endpoint_down_spools_every_chunk_without_waiting_for_each(
    config: Callable[..., Path], backend: FakeBackend, tmp_path: Path, inbound: Path
) -> None:
    now = time.time_ns()
    for n in range(60):
        path = inbound / f"old-{n:03d}-{'x' * 80}.csv"
        path.write_bytes(b"")
        os.utime(path, ns=(now - 7200 * NS, now - 7200 * NS))
    backend.report_script.extend([Scripted(502, {})] * 3)
    run = Run(config(max_request_bytes=4096))
    assert run.code == ExitCode.DELIVERY_FAILED
    chunks = spooled(tmp_path)
    assert len(chunks) > 2
    assert len(backend.reports()) == 3  # one chunk tried maxAttempts times; the rest waits
    assert Run(config(max_request_bytes=4096)).code == ExitCode.PROBLEMS
    names = [e["filename"] for b in backend.accepted for f in json.loads(b)["sla_error"] for e in f["files"]]
    assert len(names) == 2 * 61 and len(set(names)) == 61  # two runs, each file once per run
    for body in backend.accepted:
        assert len(body) <= 4096


def test_client_error_goes_to_the_dead_letter_folder(
    config: Callable[..., Path], backend: FakeBackend, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    backend.report_script.append(Scripted(400, {"message": "Invalid request body: sla_error[0].sla"}))
    run = Run(config())
    assert run.code == ExitCode.DELIVERY_FAILED
    dead = tmp_path / "state" / "dead-letter"
    (body_file,) = dead.glob("report-*.json")
    response = (dead / f"{body_file.name}.response.txt").read_text(encoding="utf-8")
    assert response.startswith("HTTP 400\n") and "sla_error[0].sla" in response
    assert json.loads(body_file.read_bytes())["sla_error"]
    assert spooled(tmp_path) == []
    assert "HTTP 400" in caplog.text and "sla_error[0].sla" in caplog.text  # the response body is logged
    assert len(backend.reports()) == 1  # a 4xx is not retried


def test_one_reauth_on_401_then_credential_error(
    config: Callable[..., Path], backend: FakeBackend, tmp_path: Path
) -> None:
    path = config()
    Run(path)  # caches a token
    backend.revoke_all()  # token revoked server-side: 401, re-auth, success
    assert Run(path).code == ExitCode.PROBLEMS
    assert backend.auth_flows == ["USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"]

    backend.report_script.extend([Scripted(401, {}), Scripted(401, {})])
    with pytest.raises(CredentialError, match="401"):
        Run(path)
    assert len(spooled(tmp_path)) == 1  # the report waits for fixed credentials


def test_403_wrong_role_is_a_credential_error_and_the_report_is_kept(
    config: Callable[..., Path], backend: FakeBackend, tmp_path: Path
) -> None:
    backend.report_script.append(Scripted(403, {"message": "this login may not call this method"}))
    with pytest.raises(CredentialError, match="403"):
        Run(config())
    assert len(spooled(tmp_path)) == 1
    assert not list(tmp_path.rglob("*.response.txt"))  # nothing dead-lettered


def test_wrong_api_url_404_is_a_configuration_error_and_the_report_is_kept(
    config: Callable[..., Path], backend: FakeBackend, tmp_path: Path
) -> None:
    backend.report_script.append(Scripted(404, {"message": "no such resource or method"}))
    with pytest.raises(ConfigError, match=r"check api\.url"):
        Run(config())
    assert len(spooled(tmp_path)) == 1
    assert not list(tmp_path.rglob("*.response.txt"))


def test_wrong_password_exit_30_report_kept(config: Callable[..., Path], backend: FakeBackend, tmp_path: Path) -> None:
    with pytest.raises(CredentialError):
        Run(config(), environ={"SLAWATCH_USERNAME": "scanner-1", "SLAWATCH_PASSWORD": "nope"})
    assert backend.auth_flows == ["USER_PASSWORD_AUTH"]
    assert len(spooled(tmp_path)) == 1


def test_unreachable_api_spools(
    write_config: Callable[..., Path],
    inbound: Path,
    backend: FakeBackend,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    dead = FakeBackend()
    dead.server.server_close()
    path = write_config(
        [{"path": str(inbound), "slaMinutes": 20, "ageBasis": "lastWrite"}],
        api={"url": dead.report_url},
        auth={"region": "eu-west-1", "clientId": "c", "endpoint": backend.cognito_url},
    )
    run = Run(path)
    assert run.code == ExitCode.DELIVERY_FAILED
    assert len(run.sleeps) == 2 and len(spooled(tmp_path)) == 1
    assert "connection failed" in caplog.text


def test_spool_is_bounded_and_says_so(
    config: Callable[..., Path], backend: FakeBackend, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = config(spool={"directory": str(tmp_path / "state" / "spool"), "maxFiles": 2})
    for _ in range(3):
        backend.report_script.extend([Scripted(503, {})] * 3)
        assert Run(path).code == ExitCode.DELIVERY_FAILED
    assert len(spooled(tmp_path)) == 2
    assert "SPOOL FULL: dropped undelivered report" in caplog.text


def test_another_run_holding_the_spool(config: Callable[..., Path], backend: FakeBackend, tmp_path: Path) -> None:
    path = config()
    spool = Spool(tmp_path / "state" / "spool", max_files=10, max_bytes=10**6)
    with spool.exclusive() as owner:
        assert owner
        assert Run(path).code == ExitCode.DELIVERY_FAILED
    assert backend.reports() == [] and len(spooled(tmp_path)) == 1
    assert Run(path).code == ExitCode.PROBLEMS and len(backend.accepted) == 2


def test_redirect_is_a_configuration_error(config: Callable[..., Path], backend: FakeBackend) -> None:
    backend.report_script.append(Scripted(302, {}, {"Location": "https://elsewhere/"}))
    with pytest.raises(Exception, match="redirect") as caught:
        Run(config())
    assert getattr(caught.value, "exit_code", None) == ExitCode.CONFIG


def _unwritable_spool(tmp_path: Path) -> dict[str, str]:
    """A spool directory below a regular file: nothing can be created there, whoever runs the test (even root)."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    return {"directory": str(blocker / "spool"), "deadLetterDirectory": str(tmp_path / "state" / "dead-letter")}


def test_unwritable_spool_sends_the_report_directly_with_a_warning(
    config: Callable[..., Path], backend: FakeBackend, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    run = Run(config(spool=_unwritable_spool(tmp_path)))
    assert run.code == ExitCode.PROBLEMS
    (body,) = backend.accepted
    assert folders_in(body) and "SPOOL NOT WRITABLE" in caplog.text and "not-a-dir" in caplog.text


def test_unwritable_spool_and_api_down_keeps_the_report_in_the_dead_letter_folder(
    config: Callable[..., Path], backend: FakeBackend, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    backend.report_script.extend([Scripted(503, {})] * 3)
    run = Run(config(spool=_unwritable_spool(tmp_path)))
    assert run.code == ExitCode.DELIVERY_FAILED
    (kept,) = (tmp_path / "state" / "dead-letter").glob("report-*.json")
    assert folders_in(kept.read_bytes()) and "not delivered" in caplog.text


def test_nothing_writable_at_all_says_the_report_is_lost(
    config: Callable[..., Path], backend: FakeBackend, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    backend.report_script.extend([Scripted(503, {})] * 3)
    spool = _unwritable_spool(tmp_path)
    spool["deadLetterDirectory"] = spool["directory"] + "-dead"
    assert Run(config(spool=spool)).code == ExitCode.DELIVERY_FAILED
    assert "REPORT LOST" in caplog.text
