"""Cognito sign-in for the scanner and the query command, over plain HTTPS (no AWS SDK, no AWS credentials).

* ``InitiateAuth`` with ``USER_PASSWORD_AUTH`` is an unsigned POST, exactly what the PowerShell scanner sends.
* The **access token** is what the API's Cognito authorizer wants (it checks authorization scopes).
* Tokens are cached (0600, under the spool directory) and reused until 5 minutes before expiry, then renewed
  with ``REFRESH_TOKEN_AUTH``; the password is sent only when there is no usable refresh token.
* ``NotAuthorizedException`` on the password flow is never retried: repeated wrong passwords lock accounts.
  Any challenge (new password required, MFA) is a configuration error: a scheduled job cannot answer it.
* Secrets and tokens never reach a log line or an exception message.
"""

import hashlib
import json
import logging
import os
import stat
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from ..errors import ConfigError, CredentialError, ServiceError
from .spool import ensure_private_dir, write_private
from .transport import RetryableResponse, RetryPolicy, describe_failure, parse_retry_after

log = logging.getLogger("slawatch_cli.auth")

ENV_USERNAME = "SLAWATCH_USERNAME"
ENV_PASSWORD = "SLAWATCH_PASSWORD"  # noqa: S105 - the name of a variable, not a password
ENV_CREDENTIALS_FILE = "SLAWATCH_CREDENTIALS_FILE"
REFRESH_MARGIN_SECONDS = 300
_TARGET = "AWSCognitoIdentityProviderService.InitiateAuth"
_RETRYABLE_TYPES = {"TooManyRequestsException", "InternalErrorException", "LimitExceededException"}
_CONFIG_TYPES = {
    "ResourceNotFoundException",
    "InvalidParameterException",
    "InvalidUserPoolConfigurationException",
}


@dataclass(frozen=True, slots=True)
class Credentials:
    username: str
    password: str = field(repr=False)


def load_credentials(environ: Mapping[str, str] = os.environ) -> Credentials:
    """Credentials from ``$SLAWATCH_CREDENTIALS_FILE`` (0600, KEY=VALUE lines) or the environment.

    The file uses the same KEY=VALUE lines as a systemd ``EnvironmentFile=``, so one file serves both.
    """
    values: dict[str, str] = {}
    file_name = environ.get(ENV_CREDENTIALS_FILE)
    if file_name:
        values = _read_credentials_file(Path(file_name))
    username = values.get(ENV_USERNAME) or environ.get(ENV_USERNAME)
    password = values.get(ENV_PASSWORD) or environ.get(ENV_PASSWORD)
    if not username or not password:
        raise CredentialError(
            f"no credentials: set {ENV_USERNAME} and {ENV_PASSWORD}, or point {ENV_CREDENTIALS_FILE} at a 0600 file"
        )
    return Credentials(username, password)


def _read_credentials_file(path: Path) -> dict[str, str]:
    try:
        info = path.stat()
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CredentialError(f"cannot read credentials file {path}: {exc.strerror}") from None
    if os.name != "nt" and stat.S_IMODE(info.st_mode) & 0o077:
        raise CredentialError(f"credentials file {path} is readable by others; run: chmod 600 {path}")
    values: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip().removeprefix("export ").strip()] = value
    return values


class TokenCache:
    """A 0600 JSON file holding the current tokens for one (endpoint, client, user)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self, identity: str) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("identity") == identity else None

    def save(self, record: dict[str, Any]) -> None:
        try:
            ensure_private_dir(self.path.parent)
            write_private(self.path, json.dumps(record).encode("utf-8"))
        except OSError as exc:  # a cache that cannot be written only costs a sign-in per run
            log.warning("token cache %s not written: %s", self.path, exc.strerror or exc)


class CognitoAuth:
    """Hands out a valid access token, signing in or refreshing only when needed."""

    def __init__(
        self,
        *,
        endpoint: str,
        client_id: str,
        credentials: Credentials,
        session: requests.Session,
        timeout: float = 30,
        retry: RetryPolicy | None = None,
        cache: TokenCache | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.endpoint = endpoint
        self.client_id = client_id
        self.credentials = credentials
        self.session = session
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.cache = cache
        self.clock = clock
        digest = hashlib.sha256(f"{endpoint}\n{client_id}\n{credentials.username}".encode()).hexdigest()
        self._identity = digest[:32]
        self._record: dict[str, Any] | None = cache.load(self._identity) if cache else None
        self.sign_ins = 0  # counters for logs and tests
        self.refreshes = 0

    def access_token(self) -> str:
        """A token valid for at least five more minutes."""
        record = self._record
        if record and record.get("expiresAt", 0) - REFRESH_MARGIN_SECONDS > self.clock():
            return record["accessToken"]
        if record and record.get("refreshToken"):
            try:
                return self._refresh(record["refreshToken"])
            except CredentialError:
                log.info("refresh token refused; signing in again")
        return self._sign_in()

    def reauthenticate(self) -> str:
        """After a 401: the token was revoked or the clock lied; sign in with the password again."""
        self._record = None
        return self._sign_in()

    def _sign_in(self) -> str:
        self.sign_ins += 1
        result = self._initiate(
            "USER_PASSWORD_AUTH",
            {"USERNAME": self.credentials.username, "PASSWORD": self.credentials.password},
        )
        return self._store(result, refresh_token=result.get("RefreshToken"))

    def _refresh(self, refresh_token: str) -> str:
        self.refreshes += 1
        result = self._initiate("REFRESH_TOKEN_AUTH", {"REFRESH_TOKEN": refresh_token})
        return self._store(result, refresh_token=result.get("RefreshToken") or refresh_token)

    def _store(self, result: dict[str, Any], *, refresh_token: str | None) -> str:
        token = result.get("AccessToken")
        if not token:
            raise ServiceError("Cognito answered without an access token")
        record = {
            "identity": self._identity,
            "accessToken": token,
            "expiresAt": self.clock() + float(result.get("ExpiresIn", 3600)),
            "refreshToken": refresh_token,
        }
        self._record = record
        if self.cache:
            self.cache.save(record)
        return token

    def _initiate(self, flow: str, parameters: dict[str, str]) -> dict[str, Any]:
        body = json.dumps({"AuthFlow": flow, "ClientId": self.client_id, "AuthParameters": parameters})
        headers = {"X-Amz-Target": _TARGET, "Content-Type": "application/x-amz-json-1.1"}

        def attempt() -> dict[str, Any]:
            response = self.session.post(self.endpoint, data=body, headers=headers, timeout=self.timeout)
            return self._interpret(flow, response)

        try:
            return self.retry.call(attempt)
        except RetryableResponse as exc:
            raise ServiceError(
                f"Cognito sign-in failed after {self.retry.attempts} attempts ({exc.text or exc})"
            ) from None
        except requests.RequestException as exc:
            raise ServiceError(f"Cognito at {self.endpoint} unreachable: {describe_failure(exc)}") from None

    def _interpret(self, flow: str, response: requests.Response) -> dict[str, Any]:
        try:
            payload = response.json()
        except ValueError:
            payload = {}
        if not isinstance(payload, dict):
            payload = {}
        if response.status_code == 200:
            if payload.get("ChallengeName"):
                raise CredentialError(
                    f"Cognito asks user {self.credentials.username!r} to answer the "
                    f"{payload['ChallengeName']} challenge; a scheduled scanner cannot: "
                    "give the user a permanent password (slawatch users add)"
                )
            result = payload.get("AuthenticationResult")
            if not isinstance(result, dict):
                raise ServiceError("Cognito answered 200 without an AuthenticationResult")
            return result
        error_type = str(payload.get("__type", "")).rsplit("#", 1)[-1]
        message = str(payload.get("message") or payload.get("Message") or "")
        if response.status_code >= 500 or error_type in _RETRYABLE_TYPES:
            raise RetryableResponse(
                response.status_code,
                parse_retry_after(response.headers.get("Retry-After")),
                f"{error_type or 'HTTP ' + str(response.status_code)}",
            )
        if error_type in _CONFIG_TYPES:
            raise ConfigError(
                f"Cognito refused the request ({error_type}: {message}); check auth.clientId/region "
                "and that the app client allows USER_PASSWORD_AUTH"
            )
        if flow == "REFRESH_TOKEN_AUTH":
            raise CredentialError("refresh token refused")
        kind = error_type or f"HTTP {response.status_code}"
        raise CredentialError(
            f"Cognito refused the credentials of {self.credentials.username!r} ({kind}: {message}); "
            "not retried to avoid locking the account"
        )
