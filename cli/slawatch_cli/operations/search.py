"""The search API client behind ``slawatch query``: query parameters, paging, sign-in target resolution.

Signs in as a *reader* (same Cognito flow as the scanner, credentials from the same environment variables),
sends the access token as Bearer, retries like delivery does and re-authenticates once on 401.
"""

import argparse
import datetime
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from slawatch.search_params import MAX_DAYS_BY_DATE, MAX_DAYS_BY_FOLDER

from ..errors import ConfigError, CredentialError, ServiceError, UsageError
from ..scanner.auth import CognitoAuth
from ..scanner.config import default_regional_endpoint, load_config
from ..scanner.targets import AwsTargets, region_from
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


def windows(first: datetime.date, last: datetime.date, max_days: int) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive ranges of at most ``max_days`` days covering first..last: what the API searches at once."""
    spans = []
    while first <= last:
        end = min(last, first + datetime.timedelta(days=max_days - 1))
        spans.append((first, end))
        first = end + datetime.timedelta(days=1)
    return spans


@dataclass(frozen=True, slots=True)
class BreachQuery:
    """The API's access patterns: breaches by affected date (the common one) or by folder over a date range, and
    report outcomes by date. A range longer than the API searches at once becomes several consecutive windows."""

    date: datetime.date | None = None
    to: datetime.date | None = None
    folder: str | None = None
    from_: datetime.date | None = None
    page_size: int | None = None
    kind: str = "breaches"

    def requests(self) -> list[dict[str, str]]:
        """One parameter set per window, in date order."""
        if self.kind == "reports":
            if self.date is None or self.from_ is not None or self.folder:
                raise UsageError("--kind reports takes --date D [--to D] (no --from, no --folder)")
            spans = self._spans(self.date, "--date", MAX_DAYS_BY_DATE)
            base: dict[str, str] = {}
        elif self.date is not None:
            if self.from_ is not None:
                raise UsageError("use either --date (by affected date) or --from with --folder (by folder)")
            spans = self._spans(self.date, "--date", MAX_DAYS_BY_DATE)
            base = {"folder": self.folder} if self.folder else {}
        elif self.from_ is not None:
            if not self.folder:
                raise UsageError("--from needs --folder (or query by --date)")
            spans = self._spans(self.from_, "--from", MAX_DAYS_BY_FOLDER)
            base = {"folder": self.folder}
        else:
            raise UsageError("say which breaches: --date D [--to D] [--folder F], or --folder F --from D [--to D]")
        if self.page_size:
            base["limit"] = str(self.page_size)
        start = "date" if self.date is not None else "from"
        found = []
        for first, last in spans:
            params = {start: first.isoformat(), **base}
            if self.to is not None or start == "from":
                params["to"] = last.isoformat()
            found.append(params)
        return found

    def _spans(
        self, first: datetime.date, flag: str, max_days: int
    ) -> list[tuple[datetime.date, datetime.date]]:
        last = self.to or first
        if last < first:
            raise UsageError(f"--to is before {flag}")
        return windows(first, last, max_days)


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

    def items(
        self, resource: str, params: Mapping[str, str], on_page: Callable[[int], None] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every item of every page; ``nextToken`` is passed back verbatim until the API returns null."""
        token: str | None = None
        seen_tokens: set[str] = set()
        for _ in range(MAX_PAGES):
            page = self._get(resource, {**params, **({"nextToken": token} if token else {})})
            items = page.get("items")
            if not isinstance(items, list):
                raise ServiceError(f"unexpected answer from {resource}: no items list")
            if on_page is not None:
                on_page(len(items))
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
    """What the API said, verbatim: its message and each problem (``path: message``) it listed."""
    try:
        payload = response.json()
    except ValueError:
        return " ".join(response.text.split())[:1000]
    if not isinstance(payload, dict):
        return str(payload)[:1000]
    text = str(payload.get("message") or payload.get("error") or "")
    problems = payload.get("problems")
    if isinstance(problems, list) and problems:
        listed = [
            f"{p.get('path')}: {p.get('message')}" if isinstance(p, dict) else str(p) for p in problems[:20]
        ]
        text = f"{text}: " + "; ".join(listed) if text else "; ".join(listed)
    return (text or str(payload))[:2000]


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
    region = region_from(args, environ)
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
