"""The command line itself: help with an example everywhere, one-line errors, exit codes through ``main``."""

import argparse
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from slawatch_cli.commands import COMMANDS
from slawatch_cli.commands.common import Parser
from slawatch_cli.errors import ExitCode
from slawatch_cli.main import main
from slawatch_cli.scanner import run as scan_run
from tests.cli.cli_fakes import FakeBackend

NS = 1_000_000_000
COMMAND_LINES = [
    ["scan"], ["status"], ["query"], ["replay"], ["redrive"], ["users"], ["users", "add"], ["users", "list"]
]


def test_top_level_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("scan", "status", "query", "replay", "redrive", "users"):
        assert f"    {command}" in out
    assert "exit codes" in out and "130" in out


@pytest.mark.parametrize("command", COMMAND_LINES, ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "example" in out and "slawatch " + " ".join(command) in out


@pytest.mark.parametrize(
    "argv",
    [
        ["scan", "--bogus"],
        ["nonsense"],
        ["scan", "--as-of", "yesterday"],
        ["users", "add", "x", "--role", "god"],
        ["query", "--date", "28/11/2026"],
        [],
    ],
)
def test_usage_errors_are_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error:" in err and "Traceback" not in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("slawatch ")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    inbound = tmp_path / "inbound"
    inbound.mkdir()
    for name, age in (("old.csv", 7200), ("new.csv", 0)):
        path = inbound / name
        path.write_bytes(b"1234")
        moment = time.time_ns() - age * NS
        os.utime(path, ns=(moment, moment))
    return inbound


def test_dry_run_prints_the_report_and_sends_nothing(
    write_config: Callable[..., Path],
    folder: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    report_validator: object,
) -> None:
    config = write_config([{"path": str(folder), "slaMinutes": 60, "ageBasis": "lastWrite"}])
    assert main(["scan", "--config", str(config), "--dry-run"]) == ExitCode.PROBLEMS
    report = json.loads(capsys.readouterr().out)
    assert [f["filename"] for f in report["sla_error"][0]["files"]] == ["old.csv"]
    assert report["sla_error"][0]["files"][0]["sizeBytes"] == 4
    assert not (tmp_path / "state").exists()  # no spool, no token cache, no network

    # --as-of: what would have breached three hours from now (both files; new.csv is 3 h old by then)
    later = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3 * 3600))
    assert main(["scan", "--config", str(config), "--dry-run", "--as-of", later]) == ExitCode.PROBLEMS
    report = json.loads(capsys.readouterr().out)
    assert [f["filename"] for f in report["sla_error"][0]["files"]] == ["old.csv", "new.csv"]
    assert report["scanner"]["scannedAt"].startswith(later[:19])

    earlier = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3 * 3600))
    assert main(["scan", "--config", str(config), "--dry-run", "--as-of", earlier]) == ExitCode.OK


def test_exit_codes_through_main(
    write_config: Callable[..., Path],
    folder: Path,
    backend: FakeBackend,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    def config(sla: int) -> str:
        return str(
            write_config(
                [{"path": str(folder), "slaMinutes": sla, "ageBasis": "lastWrite"}],
                api={"url": backend.report_url},
                auth={"region": "eu-west-1", "clientId": "c", "endpoint": backend.cognito_url},
                log={"directory": str(tmp_path / "logs")},
            )
        )

    monkeypatch.delenv("SLAWATCH_USERNAME", raising=False)
    monkeypatch.delenv("SLAWATCH_PASSWORD", raising=False)
    monkeypatch.delenv("SLAWATCH_CREDENTIALS_FILE", raising=False)
    assert main(["scan", "--config", config(60), "-q"]) == ExitCode.CONFIG  # no credentials
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no credentials" in err

    monkeypatch.setenv("SLAWATCH_USERNAME", "scanner-1")
    monkeypatch.setenv("SLAWATCH_PASSWORD", "correct horse")
    assert main(["scan", "--config", config(60), "-q"]) == ExitCode.PROBLEMS  # spooled one + this one delivered
    assert len(backend.accepted) == 2
    assert main(["scan", "--config", config(600), "-q"]) == ExitCode.OK
    log = (tmp_path / "logs" / "slawatch.log").read_text(encoding="utf-8")
    assert f"folder {folder}: age basis lastWrite (last write time); 2 file(s) seen; oldest 2h 00m; 0 past" in log
    assert "correct horse" not in log and "access-" not in log
    assert "no credentials" in log  # the failed run's one line is in the log file too

    monkeypatch.setenv("SLAWATCH_PASSWORD", "wrong")
    backend.revoke_all()
    (tmp_path / "state" / "spool" / "token-cache.json").unlink()
    assert main(["scan", "--config", config(60), "-q"]) == ExitCode.CONFIG
    assert "NotAuthorizedException" in capsys.readouterr().err


def test_unexpected_errors_are_one_line_without_traceback(
    write_config: Callable[..., Path],
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config([{"path": str(folder), "slaMinutes": 60}])

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(scan_run, "chunk_report", boom)
    monkeypatch.delenv("SLAWATCH_DEBUG", raising=False)
    assert main(["scan", "--config", str(config), "--dry-run"]) == ExitCode.UNEXPECTED
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "RuntimeError: disk on fire" in err and "Traceback" not in err
    monkeypatch.setenv("SLAWATCH_DEBUG", "1")
    assert main(["scan", "--config", str(config), "--dry-run"]) == ExitCode.UNEXPECTED
    assert "Traceback" in capsys.readouterr().err


def test_missing_config_option(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SLAWATCH_CONFIG", raising=False)
    assert main(["scan"]) == ExitCode.CONFIG
    assert "pass --config" in capsys.readouterr().err


def test_every_command_module_follows_the_command_contract() -> None:
    """main builds the parser from COMMANDS only: each module names itself and wires its own ``run``."""
    for command in COMMANDS:
        assert isinstance(command.NAME, str) and isinstance(command.HELP, str) and callable(command.run)
        subparsers = Parser(prog="t").add_subparsers(dest="command", parser_class=Parser)
        parser = command.register(subparsers)
        assert isinstance(parser, argparse.ArgumentParser) and parser.get_default("run") is command.run
    assert len({command.NAME for command in COMMANDS}) == len(COMMANDS)
