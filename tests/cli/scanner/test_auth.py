"""Cognito rules: token reuse and refresh, one re-auth on 401, NotAuthorized never retried, challenge = exit 30.

Runs against the local fake Cognito over real HTTP, with the exact headers a PowerShell client would send.
"""

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer

from slawatch_cli.errors import ConfigError, CredentialError, ExitCode, ServiceError
from slawatch_cli.scanner.auth import CognitoAuth, Credentials, TokenCache, load_credentials
from slawatch_cli.scanner.transport import RetryPolicy
from tests.cli.cli_fakes import FakeBackend, Scripted

GOOD = Credentials("scanner-1", "correct horse")


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def make_auth(
    backend: FakeBackend,
    tmp_path: Path,
    clock: Clock | None = None,
    credentials: Credentials = GOOD,
    sleeps: list[float] | None = None,
) -> CognitoAuth:
    recorded = sleeps if sleeps is not None else []
    return CognitoAuth(
        endpoint=backend.cognito_url,
        client_id="client",
        credentials=credentials,
        session=requests.Session(),
        retry=RetryPolicy(attempts=3, base_delay=0.01, max_delay=5, sleep=recorded.append),
        cache=TokenCache(tmp_path / "spool" / "token-cache.json"),
        clock=clock or Clock(),
    )


def test_token_is_reused_within_a_run_and_across_runs(backend: FakeBackend, tmp_path: Path) -> None:
    clock = Clock()
    first = make_auth(backend, tmp_path, clock)
    token = first.access_token()
    assert first.access_token() == token
    second = make_auth(backend, tmp_path, clock)  # next run: token read from the cache file
    assert second.access_token() == token
    assert backend.auth_flows == ["USER_PASSWORD_AUTH"]
    cache = tmp_path / "spool" / "token-cache.json"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert "correct horse" not in cache.read_text()


def test_refresh_five_minutes_before_expiry(backend: FakeBackend, tmp_path: Path) -> None:
    clock = Clock()
    auth = make_auth(backend, tmp_path, clock)
    first = auth.access_token()
    clock.now += 3600 - 301  # still more than 5 minutes left
    assert auth.access_token() == first
    clock.now += 2  # inside the 5-minute margin
    renewed = make_auth(backend, tmp_path, clock).access_token()
    assert renewed != first
    assert backend.auth_flows == ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"]


def test_refused_refresh_token_falls_back_to_the_password(backend: FakeBackend, tmp_path: Path) -> None:
    clock = Clock()
    make_auth(backend, tmp_path, clock).access_token()
    backend.refresh_tokens.clear()
    clock.now += 4000
    make_auth(backend, tmp_path, clock).access_token()
    assert backend.auth_flows == ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH", "USER_PASSWORD_AUTH"]


def test_not_authorized_is_never_retried(backend: FakeBackend, tmp_path: Path) -> None:
    sleeps: list[float] = []
    auth = make_auth(backend, tmp_path, credentials=Credentials("scanner-1", "wrong"), sleeps=sleeps)
    with pytest.raises(CredentialError) as caught:
        auth.access_token()
    assert caught.value.exit_code == ExitCode.CONFIG
    assert "NotAuthorizedException" in str(caught.value) and "wrong" not in str(caught.value)
    assert backend.auth_flows == ["USER_PASSWORD_AUTH"] and sleeps == []


def test_challenge_is_a_configuration_error(backend: FakeBackend, tmp_path: Path) -> None:
    backend.challenge = "NEW_PASSWORD_REQUIRED"
    with pytest.raises(CredentialError, match="NEW_PASSWORD_REQUIRED"):
        make_auth(backend, tmp_path).access_token()


def test_bad_client_is_a_configuration_error(backend: FakeBackend, tmp_path: Path) -> None:
    backend.cognito_script.append(Scripted(400, {"__type": "ResourceNotFoundException", "message": "no client"}))
    with pytest.raises(ConfigError, match=r"auth\.clientId"):
        make_auth(backend, tmp_path).access_token()


def test_throttling_and_5xx_are_retried_with_retry_after(backend: FakeBackend, tmp_path: Path) -> None:
    backend.cognito_script.extend(
        [
            Scripted(400, {"__type": "TooManyRequestsException"}, {"Retry-After": "2"}),
            Scripted(503, {"message": "busy"}),
        ]
    )
    sleeps: list[float] = []
    assert make_auth(backend, tmp_path, sleeps=sleeps).access_token().startswith("access-")
    assert sleeps[0] == 2 and len(sleeps) == 2


def test_cognito_down_is_a_service_error(tmp_path: Path) -> None:
    dead = FakeBackend()
    dead.server.server_close()  # nothing listens on that port any more
    auth = make_auth(dead, tmp_path)
    with pytest.raises(ServiceError, match="unreachable"):
        auth.access_token()


def test_reauthenticate_signs_in_again(backend: FakeBackend, tmp_path: Path) -> None:
    auth = make_auth(backend, tmp_path)
    first = auth.access_token()
    assert auth.reauthenticate() != first
    assert backend.auth_flows == ["USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"]


def test_cache_of_another_user_is_ignored(backend: FakeBackend, tmp_path: Path) -> None:
    backend.users["scanner-2"] = "pw2"
    make_auth(backend, tmp_path).access_token()
    make_auth(backend, tmp_path, credentials=Credentials("scanner-2", "pw2")).access_token()
    assert backend.auth_flows == ["USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"]


def test_secrets_never_reach_the_log(backend: FakeBackend, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    auth = make_auth(backend, tmp_path)
    token = auth.access_token()
    auth.reauthenticate()
    assert token not in caplog.text and "correct horse" not in caplog.text
    assert "correct horse" not in repr(GOOD)  # the dataclass repr hides the password


def test_credentials_from_environment_and_file(tmp_path: Path) -> None:
    assert load_credentials({"SLAWATCH_USERNAME": "u", "SLAWATCH_PASSWORD": "p"}) == Credentials("u", "p")
    with pytest.raises(CredentialError, match="no credentials"):
        load_credentials({})
    file = tmp_path / "cred.env"
    file.write_text("# scanner\nSLAWATCH_USERNAME=fs01\nexport SLAWATCH_PASSWORD='p=w d'\n", encoding="utf-8")
    os.chmod(file, 0o600)
    assert load_credentials({"SLAWATCH_CREDENTIALS_FILE": str(file)}) == Credentials("fs01", "p=w d")
    os.chmod(file, 0o644)
    with pytest.raises(CredentialError, match="chmod 600"):
        load_credentials({"SLAWATCH_CREDENTIALS_FILE": str(file)})


@pytest.fixture(scope="module")
def moto_cognito() -> Iterator[tuple[str, str, str]]:
    """moto in server mode: real RS256 tokens, answered over HTTP like the real Cognito endpoint."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}/"
    cognito = boto3.client("cognito-idp", endpoint_url=url, region_name="eu-west-1")
    pool = cognito.create_user_pool(PoolName="slawatch-auth-test")["UserPool"]["Id"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool,
        ClientName="scanner",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    cognito.admin_create_user(UserPoolId=pool, Username="fs01", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool, Username="fs01", Password="Sl4watch-perm!", Permanent=True)
    cognito.admin_create_user(
        UserPoolId=pool, Username="fresh", MessageAction="SUPPRESS", TemporaryPassword="Sl4watch-temp!"
    )
    yield url, client, pool
    server.stop()


def moto_auth(url: str, client: str, credentials: Credentials, tmp_path: Path, clock: Clock) -> CognitoAuth:
    return CognitoAuth(
        endpoint=url,
        client_id=client,
        credentials=credentials,
        session=requests.Session(),
        retry=RetryPolicy(attempts=2, base_delay=0, max_delay=0, sleep=lambda _: None),
        cache=TokenCache(tmp_path / "token-cache.json"),
        clock=clock,
    )


def test_raw_initiate_auth_against_moto_cognito(moto_cognito: tuple[str, str, str], tmp_path: Path) -> None:
    url, client, _ = moto_cognito
    clock = Clock()
    auth = moto_auth(url, client, Credentials("fs01", "Sl4watch-perm!"), tmp_path, clock)
    token = auth.access_token()
    assert token.count(".") == 2  # a JWT
    clock.now += 3600
    assert auth.access_token().count(".") == 2 and auth.refreshes == 1 and auth.sign_ins == 1
    with pytest.raises(CredentialError, match="NotAuthorizedException"):
        moto_auth(url, client, Credentials("fs01", "wrong"), tmp_path / "x", clock).access_token()
    with pytest.raises(CredentialError, match="NEW_PASSWORD_REQUIRED"):
        moto_auth(url, client, Credentials("fresh", "Sl4watch-temp!"), tmp_path / "y", clock).access_token()
