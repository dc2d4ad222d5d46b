"""A tiny HTTP front for tests: a forward proxy (absolute-form requests, CONNECT tunnels) or a pass-through to one
upstream, recording what went through so a test can count sign-ins, refreshes and proxied requests.

It binds 127.0.0.1 on a free port and runs in a thread; use it as a context manager so it always stops.
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import requests

_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authorization", "proxy-connection", "te", "trailer",
               "transfer-encoding", "upgrade", "host", "content-length", "accept-encoding"}


@dataclass
class Seen:
    """One request that went through: how it arrived and, for Cognito, which flow it asked for."""

    method: str
    url: str
    proxied: bool  # absolute-form or CONNECT: the client used us as its proxy
    target: str | None = None  # X-Amz-Target
    flow: str | None = None  # InitiateAuth AuthFlow
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass
class HttpFront:
    upstream: str | None = None  # pass-through target for origin-form requests; None: proxy only
    seen: list[Seen] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def flows(self) -> list[str]:
        return [s.flow for s in self.seen if s.flow]

    def __enter__(self) -> HttpFront:
        front = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_CONNECT(self) -> None:
                host, _, port = self.path.rpartition(":")
                front.seen.append(Seen("CONNECT", self.path, True))
                upstream = socket.create_connection((host, int(port)), timeout=30)
                self.send_response(200, "Connection established")
                self.end_headers()
                sockets = [self.connection, upstream]
                while True:
                    readable, _, _ = select.select(sockets, [], [], 30)
                    if not readable:
                        break
                    for ready in readable:
                        data = ready.recv(65536)
                        if not data:
                            upstream.close()
                            self.close_connection = True
                            return
                        (upstream if ready is self.connection else self.connection).sendall(data)

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                proxied = self.path.startswith(("http://", "https://"))
                if proxied:
                    url = self.path
                elif front.upstream:
                    url = front.upstream.rstrip("/") + self.path
                else:
                    self.send_error(400, "not a proxy request")
                    return
                seen = Seen(self.command, url, proxied, self.headers.get("X-Amz-Target"), headers=dict(self.headers),
                            body=body)
                if seen.target and body:
                    with contextlib.suppress(ValueError):
                        seen.flow = json.loads(body).get("AuthFlow")
                front.seen.append(seen)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                headers["Host"] = urlsplit(url).netloc
                try:
                    answer = requests.request(self.command, url, data=body, headers=headers, timeout=60,
                                              allow_redirects=False, proxies={"http": None, "https": None})
                except requests.RequestException:
                    self.send_error(502, "upstream unreachable")
                    return
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in _HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
