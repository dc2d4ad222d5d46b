"""Reading a request body off the wire for the local gateway: Content-Length or chunked, bounded by size.

API Gateway reads chunked request bodies; the local gateway must too, rather than see an empty body and answer
"invalid body". A framing that cannot be read is refused with a status a client can act on.
"""

from __future__ import annotations

from typing import Any

from slawatch.api_events import MAX_BODY_BYTES


class BodyError(Exception):
    """The request's framing is unusable: no body can be read from it."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def read_body(headers: Any, stream: Any, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body by Content-Length or chunked transfer coding. Past `limit` only limit + 1 bytes are kept (the
    size check answers 413); a framing that cannot be read is a 400, an unknown transfer coding a 411."""
    coding = (headers.get("Transfer-Encoding") or "").strip().lower()
    if coding:
        if coding != "chunked":
            raise BodyError(411, f"Transfer-Encoding {coding!r} is not supported: send Content-Length or chunked")
        return _read_chunked(stream, limit)
    length = headers.get("Content-Length")
    if length is None:
        return b""
    if not length.strip().isdigit():
        raise BodyError(400, "Content-Length is not a number")
    size = int(length)
    body = stream.read(min(size, limit + 1))
    if size > limit:
        raise BodyError(413, f"request body is larger than {limit} bytes")
    return body


def _read_chunked(stream: Any, limit: int) -> bytes:
    body = bytearray()
    while True:
        line = stream.readline(1024).split(b";", 1)[0].strip()
        try:
            size = int(line, 16)
        except ValueError:
            raise BodyError(400, "malformed chunked body") from None
        if size == 0:
            while stream.readline(1024).strip():  # trailer fields, then the blank line
                pass
            return bytes(body)
        if len(body) + size > limit:
            raise BodyError(413, f"request body is larger than {limit} bytes")
        body += stream.read(size)
        if stream.read(2) != b"\r\n":
            raise BodyError(400, "malformed chunked body")
