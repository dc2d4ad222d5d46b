"""Configuration: the shared schema validates, errors name the field, defaults come from the schema."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from slawatch_cli.errors import ConfigError, ExitCode
from slawatch_cli.main import main
from slawatch_cli.scanner.config import load_config, parse_config
from tests.cli.cli_vectors import REPO

BASE: dict[str, Any] = {
    "api": {"url": "https://x.execute-api.eu-west-1.amazonaws.com/prod/reports"},
    "auth": {"region": "eu-west-1", "clientId": "abc"},
    "folders": [{"path": "/srv/in", "slaMinutes": 20}],
}


def parse(document: dict[str, Any], tmp_path: Path) -> Any:
    return parse_config(document, source=tmp_path / "c.json")


def with_folders(*folders: dict[str, Any]) -> dict[str, Any]:
    return {**BASE, "folders": list(folders)}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            with_folders(
                {"path": "/a", "slaMinutes": 20}, {"path": "/b", "slaMinutes": 20}, {"path": "/c", "slaMinutes": 0}
            ),
            "folders[2].slaMinutes: must be an integer between 1 and 10080",
        ),
        (with_folders({"path": "/a", "slaMinutes": "20"}), "folders[0].slaMinutes: must be an integer between"),
        (with_folders({"path": "/a"}), "folders[0].slaMinutes: is required"),
        (
            with_folders({"path": "/a", "slaMinutes": 20, "ageBasis": "modified"}),
            "folders[0].ageBasis: must be one of creation, lastWrite, newest",
        ),
        (
            with_folders({"path": "/a", "slaMinutes": 20, "slaMinute": 5}),
            "folders[0].slaMinute: is not a known setting",
        ),
        (with_folders({"path": "/a", "slaMinutes": 20, "recurse": "yes"}), "folders[0].recurse: must be true or false"),
        (with_folders({"path": "", "slaMinutes": 20}), "folders[0].path: must not be empty"),
        (with_folders(), "folders: must list at least 1 item(s)"),
        ({**BASE, "api": {"url": "http://example.com/reports"}}, "api.url: must be an https:// URL"),
        ({**BASE, "auth": {"region": "Ireland", "clientId": "abc"}}, "auth.region: must be an AWS region"),
        (  # the password is POSTed to this endpoint: never in clear text over the network
            {**BASE, "auth": {"region": "eu-west-1", "clientId": "abc", "endpoint": "http://cognito.example.com/"}},
            "auth.endpoint: must be an https:// URL",
        ),
        ({**BASE, "auth": {"region": "eu-west-1"}}, "auth.clientId: is required"),
        (
            {**BASE, "api": {"url": "https://x/reports", "maxRequestBytes": 20_000_000}},
            "api.maxRequestBytes: must be an integer between 4096 and 10000000",
        ),
        ({**BASE, "spool": {"maxFiles": 0}}, "spool.maxFiles: must be an integer of at least 1"),
        ({**BASE, "defaults": {"timeBudgetSeconds": 0}}, "defaults.timeBudgetSeconds: must be a number of at least 1"),
        ({**BASE, "password": "x"}, "password: is not a known setting"),
        ({k: v for k, v in BASE.items() if k != "auth"}, "auth: is required"),
        (
            {**BASE, "scanner": {"heartbeatMinutes": 90}},
            "scanner.heartbeatMinutes: must be an integer between 0 and 60 (0 sends every scan; otherwise at least "
            "the scan interval)",
        ),
        ({**BASE, "scanner": {"heartbeatMinutes": -1}}, "scanner.heartbeatMinutes: must be an integer between 0"),
        (
            {**BASE, "scanner": {"heartbeat_minutes": 5}},
            'scanner.heartbeat_minutes: is not a known setting (did you mean "heartbeatMinutes"?)',
        ),
    ],
)
def test_errors_name_the_field(document: dict[str, Any], message: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(document, tmp_path)
    assert message in str(caught.value)
    assert caught.value.exit_code == ExitCode.CONFIG
    assert "\n" not in str(caught.value)


def test_all_problems_are_listed_at_once(tmp_path: Path) -> None:
    document = with_folders({"path": "/a", "slaMinutes": 0}, {"path": "/b", "slaMinutes": 20, "maxFiles": 0})
    with pytest.raises(ConfigError) as caught:
        parse(document, tmp_path)
    assert "folders[0].slaMinutes" in str(caught.value)
    assert "folders[1].maxFiles" in str(caught.value)


def test_defaults_come_from_the_schema_then_the_config_defaults(tmp_path: Path) -> None:
    document = {
        **BASE,
        "defaults": {"recurse": True, "exclude": ["*.tmp"]},
        "folders": [{"path": "/a", "slaMinutes": 20}, {"path": "/b", "slaMinutes": 30, "recurse": False}],
    }
    config = parse(document, tmp_path)
    first, second = config.folders
    assert (first.recurse, first.exclude, first.include, first.age_basis) == (True, ("*.tmp",), ("*",), "creation")
    assert (first.max_files, first.time_budget_seconds, first.include_hidden) == (100000, 120.0, False)
    assert second.recurse is False
    assert config.api.max_request_bytes == 5242880 and config.api.timeout_seconds == 30
    assert (config.delivery.max_attempts, config.delivery.base_delay_seconds) == (5, 2.0)
    assert config.spool.max_files == 500
    assert config.heartbeat_minutes == 15
    assert parse({**BASE, "scanner": {"heartbeatMinutes": 0}}, tmp_path).heartbeat_minutes == 0
    assert config.auth.endpoint == "https://cognito-idp.eu-west-1.amazonaws.com/"


def test_relative_paths_resolve_against_the_config_file(tmp_path: Path) -> None:
    document = {**BASE, "folders": [{"path": "inbound", "slaMinutes": 20}], "spool": {"directory": "state/spool"}}
    config = parse(document, tmp_path)
    assert config.folders[0].path == "inbound"  # reported as configured
    assert config.folders[0].scan_path == str(tmp_path.resolve() / "inbound")
    assert config.spool.directory == tmp_path.resolve() / "state" / "spool"
    assert config.spool.dead_letter_directory == tmp_path.resolve() / "state" / "dead-letter"


def test_windows_paths_are_refused_on_linux(tmp_path: Path) -> None:
    document = {**BASE, "folders": [{"path": "D:\\Inbound", "slaMinutes": 20}], "spool": {"directory": "C:\\x"}}
    with pytest.raises(ConfigError) as caught:
        parse(document, tmp_path)
    assert "folders[0].path" in str(caught.value) and "spool.directory" in str(caught.value)


def test_the_committed_example_is_valid_against_the_schema() -> None:
    """The example is a Windows config: only the Linux path check may object to it."""
    with pytest.raises(ConfigError) as caught:
        load_config(REPO / "config" / "slawatch.example.json")
    assert "Windows path" in str(caught.value)
    assert "must be" not in str(caught.value) and "is required" not in str(caught.value)


def test_unreadable_or_broken_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"api": ', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"not valid JSON \(line 1"):
        load_config(broken)


def test_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(BASE).encode())
    assert load_config(path).folders[0].sla_minutes == 20


def test_cli_reports_a_bad_config_in_one_line(
    write_config: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config([{"path": "/a", "slaMinutes": 99999}])
    assert main(["scan", "--config", str(config), "--dry-run"]) == ExitCode.CONFIG
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "folders[0].slaMinutes: must be an integer between 1 and 10080" in err
    assert "Traceback" not in err
