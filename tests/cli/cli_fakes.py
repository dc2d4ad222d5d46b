"""Test doubles for the CLI: a local HTTP server playing Cognito, the report API and the search API.

One stdlib ``ThreadingHTTPServer`` on 127.0.0.1 with scripted answers, so delivery, auth and query are tested
over real sockets exactly as they run in production (requests, headers, bodies), without any network access.
"""

import base64
import hashlib
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Scripted:
    """A canned HTTP answer."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


class FakeBackend:
    """Cognito (``POST /cognito/``), report API (``POST /prod/reports``) and search API (``GET /prod/...``)."""

    def __init__(self) -> None:
        self.users: dict[str, str] = {"scanner-1": "correct horse"}
        self.challenge: str | None = None
        self.expires_in = 3600
        self.cognito_script: deque[Scripted] = deque()  # consumed before normal Cognito behaviour
        self.report_script: deque[Scripted] = deque()  # consumed before the default 200
        self.pages: dict[str, Scripted] = {}  # nextToken ("" for the first page) -> answer for GET
        self.get_script: deque[Scripted] = deque()
        self.valid_tokens: set[str] = set()
        self.refresh_tokens: dict[str, str] = {}
        self.requests: list[Received] = []
        self.accepted: list[bytes] = []  # report bodies answered with 2xx
        self.auth_flows: list[str] = []
        self._counter = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> "FakeBackend":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def cognito_url(self) -> str:
        return f"{self.base}/cognito/"

    @property
    def report_url(self) -> str:
        return f"{self.base}/prod/reports"

    def revoke_all(self) -> None:
        self.valid_tokens.clear()

    def reports(self) -> list[Received]:
        return [r for r in self.requests if r.method == "POST" and r.path.endswith("/reports")]

    # ------------------------------------------------------------------ behaviour
    def _issue(self) -> dict[str, Any]:
        with self._lock:
            self._counter += 1
            access = f"access-{self._counter}"
            self.valid_tokens.add(access)
        return {"AccessToken": access, "ExpiresIn": self.expires_in, "IdToken": "id", "TokenType": "Bearer"}

    def _cognito(self, request: Received) -> Scripted:
        if request.headers.get("x-amz-target") != "AWSCognitoIdentityProviderService.InitiateAuth":
            return Scripted(400, {"__type": "UnknownOperationException"})
        if request.headers.get("content-type") != "application/x-amz-json-1.1":
            return Scripted(400, {"__type": "SerializationException"})
        payload = json.loads(request.body)
        flow = payload["AuthFlow"]
        self.auth_flows.append(flow)
        if self.cognito_script:
            return self.cognito_script.popleft()
        params = payload["AuthParameters"]
        if flow == "USER_PASSWORD_AUTH":
            if self.users.get(params["USERNAME"]) != params["PASSWORD"]:
                return Scripted(400, {"__type": "NotAuthorizedException", "message": "Incorrect username or password."})
            if self.challenge:
                return Scripted(200, {"ChallengeName": self.challenge, "Session": "s", "ChallengeParameters": {}})
            result = self._issue()
            refresh = f"refresh-{self._counter}"
            self.refresh_tokens[refresh] = params["USERNAME"]
            result["RefreshToken"] = refresh
            return Scripted(200, {"AuthenticationResult": result})
        if flow == "REFRESH_TOKEN_AUTH":
            if params["REFRESH_TOKEN"] not in self.refresh_tokens:
                return Scripted(400, {"__type": "NotAuthorizedException", "message": "Invalid Refresh Token"})
            return Scripted(200, {"AuthenticationResult": self._issue()})
        return Scripted(400, {"__type": "InvalidParameterException", "message": flow})

    def _authorised(self, request: Received) -> bool:
        header = request.headers.get("authorization", "")
        return header.startswith("Bearer ") and header[7:] in self.valid_tokens

    def _report(self, request: Received) -> Scripted:
        if not self._authorised(request):
            return Scripted(401, {"message": "Unauthorized"})
        expected = base64.b64encode(hashlib.sha256(request.body).digest()).decode()
        if request.headers.get("x-amz-checksum-sha256") != expected:
            return Scripted(400, {"message": "the body does not match its x-amz-checksum-sha256 header"})
        if request.headers.get("content-type") != "application/json; charset=utf-8":
            return Scripted(415, {"message": "wrong content type"})
        answer = self.report_script.popleft() if self.report_script else None
        if answer is None:
            with self._lock:
                self._counter += 1
                rid = f"req-{self._counter}"
            answer = Scripted(200, {"reportId": rid, "key": f"raw/2026/11/28/{rid}.json"})
        if 200 <= answer.status < 300:
            self.accepted.append(request.body)
        return answer

    def _search(self, request: Received) -> Scripted:
        if not self._authorised(request):
            return Scripted(401, {"message": "Unauthorized"})
        if self.get_script:
            return self.get_script.popleft()
        token = request.query.get("nextToken", [""])[0]
        return self.pages.get(token, Scripted(400, {"message": f"unknown nextToken {token!r}"}))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        backend = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
                return

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                request = Received(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                backend.requests.append(request)
                if parts.path.startswith("/cognito"):
                    answer = backend._cognito(request)
                elif self.command == "POST":
                    answer = backend._report(request)
                else:
                    answer = backend._search(request)
                data = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
                self.send_response(answer.status)
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = _serve
            do_POST = _serve

        return Handler
