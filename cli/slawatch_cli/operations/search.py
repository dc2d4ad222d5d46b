"""The search API client behind ``slawatch query``: query parameters, paging, sign-in target resolution.

Signs in as a *reader* (same Cognito flow as the scanner, credentials from the same environment variables),
sends the access token as Bearer, retries like delivery does and re-authenticates once on 401.
"""

import argparse
import datetime
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from ..errors import ConfigError, CredentialError, ServiceError
from ..scanner.auth import CognitoAuth
from ..scanner.config import default_regional_endpoint, load_config
from ..scanner.targets import AwsTargets
from ..scanner.transport import (
    RetryableResponse,
    RetryPolicy,
    describe_failure,
    parse_retry_after,
    retryable_status,
)

log = logging.getLogger("slawatch_cli.query")

BREACH_COLUMNS = (
    "affectedDate",
    "folder",
    "filename",
    "sla",
    "creationDate",
    "breachedAt",
    "reportCount",
    "lastReported",
)
REPORT_COLUMNS = ("receivedAt", "status", "source", "counts", "folderProblems", "problems", "reportKey")
MAX_PAGES = 10_000


def api_base(url: str) -> str:
    """The search API's base: the report URL without its trailing ``/reports`` or slash."""
    base = url.rstrip("/")
    return base.removesuffix("/reports")


@dataclass(frozen=True, slots=True)
class BreachQuery:
    """The API's two access patterns: by affected date (the common one), or by folder over a date range."""

    date: datetime.date | None = None
    to: datetime.date | None = None
    folder: str | None = None
    from_: datetime.date | None = None
    limit: int | None = None

    def params(self) -> dict[str, str]:
        if self.date is not None:
            if self.from_ is not None:
                raise ConfigError("use either --date (by affected date) or --from with --folder (by folder)")
            params = {"date": self.date.isoformat()}
            if self.to is not None:
                if self.to < self.date:
                    raise ConfigError("--to is before --date")
                params["to"] = self.to.isoformat()
            if self.folder:
                params["folder"] = self.folder
        elif self.from_ is not None:
            if not self.folder:
                raise ConfigError("--from needs --folder (or query by --date)")
            end = self.to or self.from_
            if end < self.from_:
                raise ConfigError("--to is before --from")
            params = {"folder": self.folder, "from": self.from_.isoformat(), "to": end.isoformat()}
        else:
            raise ConfigError("say which breaches: --date D [--to D] [--folder F], or --folder F --from D [--to D]")
        if self.limit:
            params["limit"] = str(self.limit)
        return params


class SearchClient:
    def __init__(
        self,
        base_url: str,
        *,
        auth: CognitoAuth,
        session: requests.Session,
        retry: RetryPolicy,
        timeout: float = 30,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.session = session
        self.retry = retry
        self.timeout = timeout

    def items(self, resource: str, params: Mapping[str, str]) -> Iterator[dict[str, Any]]:
        """Every item of every page; ``nextToken`` is passed back verbatim until the API returns null."""
        token: str | None = None
        seen_tokens: set[str] = set()
        for _ in range(MAX_PAGES):
            page = self._get(resource, {**params, **({"nextToken": token} if token else {})})
            items = page.get("items")
            if not isinstance(items, list):
                raise ServiceError(f"unexpected answer from {resource}: no items list")
            yield from items
            token = page.get("nextToken")
            if not token:
                return
            if token in seen_tokens:
                raise ServiceError(f"{resource}: the API returned the same nextToken twice")
            seen_tokens.add(token)
        raise ServiceError(f"{resource}: more than {MAX_PAGES} pages; narrow the query")

    def _get(self, resource: str, params: Mapping[str, str]) -> dict[str, Any]:
        url = f"{self.base_url}/{resource}"
        bearer = self.auth.access_token()
        reauthenticated = False

        def once() -> requests.Response:
            nonlocal bearer, reauthenticated
            response = self._send(url, params, bearer)
            if response.status_code == 401 and not reauthenticated:
                reauthenticated = True
                bearer = self.auth.reauthenticate()
                response = self._send(url, params, bearer)
            if retryable_status(response.status_code):
                raise RetryableResponse(response.status_code, parse_retry_after(response.headers.get("Retry-After")))
            return response

        try:
            response = self.retry.call(once)
        except (RetryableResponse, requests.RequestException) as exc:
            raise ServiceError(f"search API {url} unavailable: {describe_failure(exc)}") from None
        status = response.status_code
        if status in (401, 403):
            raise CredentialError(f"search API refused the reader (HTTP {status}): is the user in the readers group?")
        if 400 <= status < 500:
            raise ConfigError(f"search API rejected the query (HTTP {status}): {_message(response)}")
        if status != 200:
            raise ServiceError(f"search API answered HTTP {status}")
        try:
            payload = response.json()
        except ValueError:
            raise ServiceError("search API answered with something that is not JSON") from None
        if not isinstance(payload, dict):
            raise ServiceError("search API answered with an unexpected JSON shape")
        return payload

    def _send(self, url: str, params: Mapping[str, str], bearer: str) -> requests.Response:
        return self.session.get(url, params=params, headers={"Authorization": f"Bearer {bearer}"}, timeout=self.timeout)


def _message(response: requests.Response) -> str:
    try:
        payload = response.json()
    except ValueError:
        return " ".join(response.text.split())[:300]
    if isinstance(payload, dict):
        return str(payload.get("message") or payload.get("error") or payload)[:300]
    return str(payload)[:300]


@dataclass(frozen=True, slots=True)
class SearchTarget:
    api_base: str
    client_id: str
    auth_endpoint: str


def resolve_target(args: argparse.Namespace, environ: Mapping[str, str]) -> SearchTarget:
    """Option, else environment, else ``--config`` (a scanner config), else the stack's Outputs."""
    api_url = args.api_url or environ.get("SLAWATCH_API_URL")
    client_id = args.client_id or environ.get("SLAWATCH_CLIENT_ID")
    endpoint = args.auth_endpoint or environ.get("SLAWATCH_AUTH_ENDPOINT")
    region = args.region or environ.get("SLAWATCH_REGION") or environ.get("AWS_REGION")
    if args.config:
        config = load_config(args.config)
        api_url = api_url or config.api.url
        client_id = client_id or config.auth.client_id
        endpoint = endpoint or config.auth.endpoint
    if not (api_url and client_id):
        targets = AwsTargets(args, environ)
        api_url = api_url or targets.get("ApiUrl")
        client_id = client_id or targets.get("UserPoolClientId")
        region = region or targets.region
    if not endpoint:
        if not region:
            raise ConfigError("no region for Cognito: pass --region, --auth-endpoint or --config")
        endpoint = default_regional_endpoint(region)
    return SearchTarget(api_base(api_url), client_id, endpoint)


def reader_client(
    args: argparse.Namespace, environ: Mapping[str, str], retry: RetryPolicy, session: requests.Session
) -> SearchClient:
    """A signed-in search client for the reader commands (``query``, ``status``)."""
    from ..scanner.auth import load_credentials

    target = resolve_target(args, environ)
    auth = CognitoAuth(
        endpoint=target.auth_endpoint,
        client_id=target.client_id,
        credentials=load_credentials(environ),
        session=session,
        retry=retry,
    )
    return SearchClient(target.api_base, auth=auth, session=session, retry=retry)
