"""``slawatch scan`` as a user meets it: -v explains a quiet result, one JSON document, summaries as JSON,
the default config location, near-miss config keys, a file given as a folder, the scanner's own schema check."""

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from slawatch_cli.errors import ConfigError, ExitCode
from slawatch_cli.main import main
from slawatch_cli.scanner import birthtime
from slawatch_cli.scanner.config import config_path, default_config_path
from slawatch_cli.scanner.report import ScannerMeta
from slawatch_cli.scanner.run import ScanOptions, Seams, run_scan
from tests.cli.cli_fakes import FakeBackend
from tests.cli.process import process_env, run_slawatch, slawatch_command

NS = 1_000_000_000
HOURS_3 = 3 * 3600


@pytest.fixture
def touched(tmp_path: Path) -> Path:
    """What the newcomer did: files made now, with ``touch -d '3 hours ago'``."""
    folder = tmp_path / "inbound"
    folder.mkdir()
    for name in ("a.csv", "b.csv"):
        path = folder / name
        path.write_bytes(b"x")
        past = time.time_ns() - HOURS_3 * NS
        os.utime(path, ns=(past, past))
    return folder


def test_birth_time_is_the_creation_not_the_touched_time(touched: Path) -> None:
    born = birthtime.birth_time_ns(str(touched / "a.csv"))
    if born is None:
        pytest.skip("this file system keeps no birth time")
    assert abs(born - time.time_ns()) < 60 * NS  # created a moment ago, whatever touch -d said
    assert os.lstat(touched / "a.csv").st_mtime_ns < born - HOURS_3 * NS // 2
    assert birthtime.birth_time_ns(str(touched / "missing")) is None


def test_verbose_explains_a_quiet_result_per_folder(
    write_config: Callable[..., Path], touched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config([{"path": str(touched), "slaMinutes": 60}])  # ageBasis defaults to creation
    assert main(["scan", "--config", str(config), "--dry-run", "-v"]) == ExitCode.OK
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if f"folder {touched}:" in x)
    assert "age basis creation (" in line and "2 file(s) seen" in line and "0 past the 60-minute SLA" in line
    assert "oldest 0m" in line or "status-change" in line
    assert "2 more would be by last write time" in line  # the hint that answers "why 0 breaches?"


def test_verbose_by_last_write_reports_the_oldest_age(
    write_config: Callable[..., Path], touched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config([{"path": str(touched), "slaMinutes": 60, "ageBasis": "lastWrite"}])
    assert main(["scan", "--config", str(config), "--dry-run", "-v"]) == ExitCode.PROBLEMS
    assert "oldest 3h 00m; 2 past the 60-minute SLA" in capsys.readouterr().err


def test_dry_run_is_one_json_document_even_when_chunked(
    write_config: Callable[..., Path], touched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for index in range(60):
        path = touched / f"file-with-a-long-name-{index:03d}-{'x' * 60}.csv"
        path.write_bytes(b"")
        os.utime(path, ns=(time.time_ns() - HOURS_3 * NS,) * 2)
    config = write_config(
        [{"path": str(touched), "slaMinutes": 60, "ageBasis": "lastWrite"}],
        api={"url": "https://x.example/v1/reports", "maxRequestBytes": 4096},
    )
    assert main(["scan", "--config", str(config), "--dry-run"]) == ExitCode.PROBLEMS
    captured = capsys.readouterr()
    report = json.loads(captured.out)  # one document, or this raises
    assert len(report["sla_error"][0]["files"]) == 62
    assert "would be sent as" in captured.err
    assert main(["scan", "--config", str(config), "--dry-run", "--format", "jsonl"]) == ExitCode.PROBLEMS
    lines = capsys.readouterr().out.splitlines()
    chunks = [json.loads(line) for line in lines]
    assert len(chunks) > 1 and sum(len(c["sla_error"][0]["files"]) for c in chunks) == 62
    assert [c["scanner"]["chunkIndex"] for c in chunks] == list(range(1, len(chunks) + 1))


def test_summary_as_json_on_stdout(
    write_config: Callable[..., Path],
    touched: Path,
    backend: FakeBackend,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SLAWATCH_USERNAME", "scanner-1")
    monkeypatch.setenv("SLAWATCH_PASSWORD", "correct horse")
    config = write_config(
        [{"path": str(touched), "slaMinutes": 60, "ageBasis": "lastWrite"}],
        api={"url": backend.report_url},
        auth={"region": "eu-west-1", "clientId": "c", "endpoint": backend.cognito_url},
    )
    assert main(["scan", "--config", str(config), "--format", "json"]) == ExitCode.PROBLEMS
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["breaches"] == 2 and summary["delivered"] == 1 and summary["exitCode"] == 10
    assert summary["keys"] and "slawatch scan:" not in captured.err


def test_default_config_location_after_option_and_environment(tmp_path: Path) -> None:
    assert config_path("given.json", {"SLAWATCH_CONFIG": "env.json"}) == Path("given.json")
    assert config_path(None, {"SLAWATCH_CONFIG": "env.json"}) == Path("env.json")
    assert default_config_path({}, windows=False) == Path("/etc/slawatch/config.json")
    windows = default_config_path({"ProgramData": "D:\\ProgramData"}, windows=True)
    assert windows.parts[-2:] == ("SlaWatch", "config.json") and str(windows).startswith("D:\\ProgramData")
    if not Path("/etc/slawatch/config.json").exists():
        with pytest.raises(ConfigError, match=r"create /etc/slawatch/config\.json"):
            config_path(None, {})


def test_a_mistyped_key_gets_a_suggestion(write_config: Callable[..., Path], tmp_path: Path) -> None:
    config = write_config([{"path": str(tmp_path), "slaMinute": 20}], spol={})
    with pytest.raises(ConfigError) as caught:
        run_scan(ScanOptions(str(config), dry_run=True))
    message = str(caught.value)
    assert 'folders[0].slaMinute: is not a known setting (did you mean "slaMinutes"?)' in message
    assert 'spol: is not a known setting (did you mean "spool"?)' in message
    config = write_config([{"path": str(tmp_path), "slaMinutes": 20, "age_basis": "creation"}])
    with pytest.raises(ConfigError, match='did you mean "ageBasis"'):
        run_scan(ScanOptions(str(config), dry_run=True))


def test_a_file_given_as_a_folder_is_called_not_a_directory(
    write_config: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    afile = tmp_path / "payments.csv"
    afile.write_text("x", encoding="utf-8")
    config = write_config([{"path": str(afile), "slaMinutes": 20}])
    assert main(["scan", "--config", str(config), "--dry-run"]) == ExitCode.PROBLEMS
    captured = capsys.readouterr()
    assert json.loads(captured.out)["sla_error"][0]["status"] == "missing"  # the contract's word for it
    assert "is not a directory" in captured.err and "is missing" not in captured.err


def test_a_report_breaking_the_schema_is_named_and_not_sent(
    write_config: Callable[..., Path],
    touched: Path,
    backend: FakeBackend,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    config = write_config(
        [{"path": str(touched), "slaMinutes": 60, "ageBasis": "lastWrite"}],
        api={"url": backend.report_url},
        auth={"region": "eu-west-1", "clientId": "c", "endpoint": backend.cognito_url},
    )
    seams = Seams(
        sleep=lambda _: None,
        environ={"SLAWATCH_USERNAME": "scanner-1", "SLAWATCH_PASSWORD": "correct horse"},
        meta=ScannerMeta("fs01", "0.1.0", "2026-11-28T09:00:00", "run-1"),  # no zone: the contract refuses it
    )
    assert run_scan(ScanOptions(str(config)), seams) == ExitCode.DELIVERY_FAILED
    assert backend.reports() == []
    assert "$.scanner.scannedAt" in caplog.text
    (kept,) = (tmp_path / "state" / "dead-letter").glob("report-*.json.response.txt")
    assert "$.scanner.scannedAt" in kept.read_text(encoding="utf-8")


def test_scan_help_as_a_process_lists_its_own_exit_codes() -> None:
    done = run_slawatch("scan", "--help")
    assert done.returncode == 0
    assert "10  report(s) with breaches" in done.stdout and "130 interrupted" in done.stdout
    assert "/etc/slawatch/config.json" in done.stdout


def test_ctrl_c_exits_130_and_the_spooled_report_stays(write_config: Callable[..., Path], touched: Path) -> None:
    """As a process: a scan waiting on an API that never answers is interrupted; the next run has its report."""
    with socket.socket() as silent:  # accepts connections (backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        config = write_config(
            [{"path": str(touched), "slaMinutes": 60, "ageBasis": "lastWrite"}],
            api={"url": f"{url}/v1/reports", "timeoutSeconds": 60},
            auth={"region": "eu-west-1", "clientId": "c", "endpoint": f"{url}/"},
        )
        spool = config.parent / "state" / "spool"
        env = {**os.environ, "SLAWATCH_USERNAME": "u", "SLAWATCH_PASSWORD": "p", **process_env()}
        scan = subprocess.Popen(  # noqa: S603 - our own console script
            [*slawatch_command(), "scan", "--config", str(config)], env=env, stderr=subprocess.PIPE, text=True
        )
        deadline = time.monotonic() + 30
        while not list(spool.glob("report-*.json")) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # now waiting for the sign-in answer
        scan.send_signal(signal.SIGINT)
        _, err = scan.communicate(timeout=30)
    assert scan.returncode == ExitCode.INTERRUPTED == 130
    assert "slawatch scan: interrupted" in err and "Traceback" not in err
    assert len(list(spool.glob("report-*.json"))) == 1
