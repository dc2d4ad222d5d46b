"""api.proxy in the Python scanner: the configured choice beats the environment; None leaves requests to it."""

from __future__ import annotations

import json

import pytest

from slawatch_cli.errors import ConfigError
from slawatch_cli.scanner.config import load_config
from slawatch_cli.scanner.transport import new_session

URL = "https://api.example.test/prod/reports"


@pytest.fixture
def environment_proxy(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://env-proxy.test:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)


def proxies(session) -> dict:
    return session.merge_environment_settings(URL, {}, None, None, None)["proxies"]


def test_by_default_the_environment_proxy_is_used(environment_proxy):
    assert proxies(new_session()) == {"https": "http://env-proxy.test:3128"}


def test_no_proxy_bypasses_the_environment_proxy(environment_proxy, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "api.example.test")
    assert "https" not in proxies(new_session())


def test_direct_ignores_the_environment(environment_proxy):
    assert proxies(new_session("direct")) == {}


def test_a_configured_proxy_wins_over_the_environment(environment_proxy):
    assert proxies(new_session("http://configured.test:8080")) == {"http": "http://configured.test:8080",
                                                                    "https": "http://configured.test:8080"}


@pytest.mark.parametrize("proxy", ["http://user:secret@proxy.test:8080", "socks5://proxy.test:1080", "proxy.test"])
def test_the_schema_refuses_proxies_with_credentials_or_other_schemes(tmp_path, proxy):
    config = tmp_path / "c.json"
    document = {"api": {"url": URL, "proxy": proxy}, "auth": {"region": "eu-west-1", "clientId": "c"},
                "folders": [{"path": "/tmp", "slaMinutes": 20}]}
    config.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"api\.proxy"):
        load_config(config)
