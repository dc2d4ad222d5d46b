"""Send spooled report bodies to the API: one retry loop, one re-auth on 401, dead-letter on other 4xx.

Bodies are delivered oldest first from the spool (the current run's chunks were written there first). As soon
as the endpoint proves unreachable, the rest stays in the spool for the next run instead of each body waiting
out its own retries: a scheduled run must end well before the next one starts.
"""

import base64
import hashlib
import logging
from dataclasses import dataclass, field

import requests

from ..errors import ConfigError, CredentialError, ServiceError
from .auth import CognitoAuth
from .spool import DeadLetter, Spool
from .transport import RetryableResponse, RetryPolicy, describe_failure, parse_retry_after, retryable_status

log = logging.getLogger("slawatch_cli.delivery")


def checksum_sha256(body: bytes) -> str:
    """Base64 SHA-256 of the exact bytes (S3's x-amz-checksum-sha256): S3 Object Lock needs an integrity
    header, and it proves the body arrived intact. Not Content-MD5: edge-optimized APIs drop it."""
    return base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


@dataclass(slots=True)
class DeliveryStats:
    delivered: int = 0
    dead_lettered: int = 0
    deferred: int = 0  # still in the spool after this run
    keys: list[str] = field(default_factory=list)  # raw object keys the API answered with

    @property
    def failed(self) -> bool:
        return bool(self.dead_lettered or self.deferred)


class Deliverer:
    """POSTs report bodies with a bearer token; knows nothing about scanning."""

    def __init__(
        self,
        *,
        url: str,
        auth: CognitoAuth,
        session: requests.Session,
        timeout: float,
        retry: RetryPolicy,
        spool: Spool,
        dead_letter: DeadLetter,
    ) -> None:
        self.url = url
        self.auth = auth
        self.session = session
        self.timeout = timeout
        self.retry = retry
        self.spool = spool
        self.dead_letter = dead_letter

    def send(self, body: bytes) -> requests.Response:
        """Deliver one body: the final 2xx/4xx response, or an exception when the endpoint stays down."""
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "x-amz-checksum-sha256": checksum_sha256(body),
        }
        token = self.auth.access_token()
        reauthenticated = False
        attempt = 0

        def post(bearer: str) -> requests.Response:
            nonlocal attempt
            attempt += 1
            try:
                response = self.session.post(
                    self.url,
                    data=body,
                    headers={**headers, "Authorization": f"Bearer {bearer}"},
                    timeout=self.timeout,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                log.info("POST %s (%d bytes) attempt %d: %s", self.url, len(body), attempt, describe_failure(exc))
                raise
            log.info("POST %s (%d bytes) attempt %d: HTTP %d", self.url, len(body), attempt, response.status_code)
            return response

        def once() -> requests.Response:
            nonlocal token, reauthenticated
            response = post(token)
            if response.status_code == 401 and not reauthenticated:
                reauthenticated = True
                token = self.auth.reauthenticate()
                response = post(token)
            if response.status_code == 401:
                raise CredentialError(
                    "the API refused a freshly issued access token (401): is the user in the "
                    "scanners group and the app client the API's?"
                )
            if response.status_code == 403:
                # A valid login without the scanner role: the report is fine, the account is not. Keep it in the
                # spool (exit 30) as the PowerShell module does, rather than dead-lettering a good report.
                raise CredentialError(
                    "the API refused this login (403): add the user to the scanners group, then run again"
                )
            if response.status_code in (404, 405):
                # No such resource or method: the URL is wrong, not the report. Keep it spooled (exit 30).
                raise ConfigError(
                    f"the API answered HTTP {response.status_code} at {self.url}: check api.url (it must end in "
                    "/reports); the report stays in the spool"
                )
            if 300 <= response.status_code < 400:
                raise ConfigError(
                    f"api.url answered with a redirect (HTTP {response.status_code} to "
                    f"{response.headers.get('Location', '?')}); configure the final URL"
                )
            if retryable_status(response.status_code):
                raise RetryableResponse(
                    response.status_code,
                    parse_retry_after(response.headers.get("Retry-After")),
                    response.text[:500],
                )
            return response

        return self.retry.call(once)

    def deliver_spool(self) -> DeliveryStats:
        """Send every spooled body, oldest first; stop trying (not counting) once the endpoint is down."""
        stats = DeliveryStats()
        endpoint_down = False
        for entry in self.spool.pending():
            if endpoint_down:
                stats.deferred += 1
                continue
            try:
                body = self.spool.read(entry)
            except FileNotFoundError:
                continue
            response = self._attempt(entry.name, body, "stay in the spool for the next run")
            if response is None:
                endpoint_down = True
                stats.deferred += 1
            elif 200 <= response.status_code < 300:
                self.spool.remove(entry)  # removed before anything else can fail: never sent twice
                self._delivered(entry.name, response, stats)
            else:
                self._dead_letter(entry.name, body, response, stats)
                self.spool.remove(entry)
        return stats

    def deliver_unspooled(self, bodies: list[tuple[str, bytes]]) -> DeliveryStats:
        """The spool could not be written: send this run's bodies now. What cannot be sent goes to the dead-letter
        folder (the only place left on disk), or, if that fails too, is reported as lost in an error line."""
        stats = DeliveryStats()
        down = False
        for name, body in bodies:
            response = None if down else self._attempt(name, body, "cannot wait in the unwritable spool")
            down = response is None
            if response is not None and 200 <= response.status_code < 300:
                self._delivered(name, response, stats)
                continue
            try:
                if response is None:
                    path = self.dead_letter.add(name, body, 0, "not delivered: endpoint down and spool not writable")
                    stats.dead_lettered += 1
                    log.error("%s was not delivered; kept in %s (copy it into a writable spool to resend)", name, path)
                else:
                    self._dead_letter(name, body, response, stats)
            except OSError as exc:
                stats.deferred += 1
                log.error("REPORT LOST: %s could be neither delivered nor kept (%s)", name, exc.strerror or exc)
        return stats

    def _attempt(self, name: str, body: bytes, consequence: str) -> requests.Response | None:
        """The final response, or None (logged) once the endpoint proved down after the retries."""
        try:
            return self.send(body)
        except (RetryableResponse, requests.RequestException, ServiceError) as exc:
            reason = describe_failure(exc) if not isinstance(exc, ServiceError) else str(exc)
            log.error("delivery failed after retries (%s); %s and later reports %s", reason, name, consequence)
            return None

    def _delivered(self, name: str, response: requests.Response, stats: DeliveryStats) -> None:
        stats.delivered += 1
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        key = answer.get("key") if isinstance(answer, dict) else None
        if key:
            stats.keys.append(str(key))
        log.info("delivered %s as %s", name, key or f"HTTP {response.status_code}")

    def _dead_letter(self, name: str, body: bytes, response: requests.Response, stats: DeliveryStats) -> None:
        path = self.dead_letter.add(name, body, response.status_code, response.text)
        stats.dead_lettered += 1
        log.error(
            "the API refused %s with HTTP %d: %s; kept in %s",
            name,
            response.status_code,
            " ".join(response.text.split())[:1000],
            path,
        )
