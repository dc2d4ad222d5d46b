"""`api.proxy` for both scanners, against a local forward proxy (tests/support/httpfront.py) in front of the local
stack: the configured proxy carries every request (Cognito and the API), the system proxy (HTTP_PROXY / NO_PROXY,
what requests and .NET read on Linux) is used by default, and "direct" ignores it.

The local stack speaks http, so the proxy sees absolute-form requests (HTTPS_PROXY is the same mechanism for https
URLs, where the proxy sees CONNECT instead).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.powershell.test_e2e_local import PROBLEMS_DELIVERED, accepted_chunks, old_files, run_id
from tests.support.httpfront import HttpFront
from tests.support.pwsh import require_pwsh
from tests.support.scanners import run_powershell, run_python, scanner_environment, write_config

SCANNERS = ["powershell", "python"]


@pytest.fixture(scope="module")
def login(stack) -> dict[str, str]:
    return {"SLAWATCH_USERNAME": "proxy-scanner", "SLAWATCH_PASSWORD": stack.add_user("proxy-scanner", "scanner")}


def scan(scanner: str, config: Path, env: dict[str, str]):
    if scanner == "powershell":
        return run_powershell(require_pwsh(), config, env=env)
    return run_python(config, env=env)


def configure(stack, tmp_path: Path, proxy: str | None) -> Path:
    old_files(tmp_path / "inbound", 2)
    config = stack.scanner_config([{"path": str(tmp_path / "inbound"), "slaMinutes": 20, "ageBasis": "lastWrite"}],
                                  tmp_path, api={"proxy": proxy} if proxy is not None else {})
    return write_config(tmp_path / "slawatch.json", config)


def dead_proxy() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def delivered(stack, result) -> None:
    assert result.returncode == PROBLEMS_DELIVERED, result.stdout + result.stderr
    if "SlaWatch: run" in result.stdout:  # the PowerShell entry script names its run; check the table too
        assert accepted_chunks(stack, run_id(result.stdout)) == [1]


@pytest.mark.parametrize("scanner", SCANNERS)
def test_the_configured_proxy_carries_cognito_and_the_api(stack, login, tmp_path, scanner):
    with HttpFront() as proxy:
        env = scanner_environment({**login, "HTTP_PROXY": dead_proxy(), "http_proxy": dead_proxy()})
        delivered(stack, scan(scanner, configure(stack, tmp_path, proxy.url), env))
    assert proxy.seen and all(seen.proxied for seen in proxy.seen)
    assert "USER_PASSWORD_AUTH" in proxy.flows(), "the sign-in went through the proxy"
    assert any(seen.url.endswith("/reports") and seen.method == "POST" for seen in proxy.seen)


@pytest.mark.parametrize("scanner", SCANNERS)
def test_by_default_the_system_proxy_is_used_and_no_proxy_bypasses_it(stack, login, tmp_path, scanner):
    with HttpFront() as proxy:
        env = scanner_environment({**login, "HTTP_PROXY": proxy.url, "http_proxy": proxy.url})
        delivered(stack, scan(scanner, configure(stack, tmp_path / "via", None), env))
        through = len(proxy.seen)
        bypass = {**env, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
        delivered(stack, scan(scanner, configure(stack, tmp_path / "bypass", None), bypass))
    assert through >= 2 and all(seen.proxied for seen in proxy.seen)
    assert len(proxy.seen) == through, "NO_PROXY: nothing went through the proxy"


@pytest.mark.parametrize("scanner", SCANNERS)
def test_direct_ignores_the_system_proxy(stack, login, tmp_path, scanner):
    env = scanner_environment({**login, "HTTP_PROXY": dead_proxy(), "http_proxy": dead_proxy()})
    delivered(stack, scan(scanner, configure(stack, tmp_path, "direct"), env))
