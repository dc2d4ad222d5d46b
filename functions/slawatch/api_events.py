"""Reading API Gateway / function URL events and writing proxy responses, defensively.

Events arrive in three shapes: a REST API proxy event, an HTTP API v2 or function URL event, or a direct
invocation whose event is the report itself. Headers or body may be missing or null; header names may be in
any case. None of that may turn into a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from slawatch.depth import TooDeep, check_depth
from slawatch.errors import Problem, ReportRejected, ReportTooLarge
from slawatch.names import json_text

MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's own limit (POST /reports); larger gets 413 there too
SYNC_MAX_BODY_BYTES = 6 * 1024 * 1024  # Lambda's synchronous payload limit: POST /reports/sync and direct calls
_HTTP_MARKERS = ("requestContext", "httpMethod", "routeKey", "rawPath", "headers", "body", "isBase64Encoded")


class UnsupportedMediaType(ReportRejected):
    status_code = 415


@dataclass(frozen=True)
class Request:
    body: bytes
    headers: dict[str, str]
    request_id: str | None
    caller: str | None
    source_ip: str | None
    direct: bool  # invoked with the report as the event, not through an HTTP front door


def read_request(event: Any, max_bytes: int = MAX_BODY_BYTES) -> Request:
    """The body bytes and the caller's identity; raises ReportRejected (4xx) for anything unusable, and
    ReportTooLarge (413) past `max_bytes`."""
    if not isinstance(event, dict) or "sla_error" in event or not any(m in event for m in _HTTP_MARKERS):
        return Request(_checked_size(_direct_body(event), max_bytes), {}, None, None, None, direct=True)
    headers = lower_headers(event.get("headers"))
    _check_content_type(headers.get("content-type"))
    context = event.get("requestContext") if isinstance(event.get("requestContext"), dict) else {}
    return Request(
        body=_body_bytes(event, max_bytes),
        headers=headers,
        request_id=_str(context.get("requestId")),
        caller=caller_from(context),
        source_ip=_str((context.get("identity") or {}).get("sourceIp") if isinstance(context.get("identity"), dict)
                       else (context.get("http") or {}).get("sourceIp") if isinstance(context.get("http"), dict)
                       else None),
        direct=False,
    )


def lower_headers(headers: Any) -> dict[str, str]:
    if not isinstance(headers, dict):
        return {}
    return {str(k).lower(): str(v) for k, v in headers.items() if v is not None}


def caller_from(context: dict[str, Any]) -> str | None:
    """The authenticated user name: REST Cognito authorizer claims, or HTTP API JWT claims."""
    authorizer = context.get("authorizer")
    if not isinstance(authorizer, dict):
        return None
    claims = authorizer.get("claims")
    if not isinstance(claims, dict) and isinstance(authorizer.get("jwt"), dict):
        claims = authorizer["jwt"].get("claims")
    if not isinstance(claims, dict):
        return None
    return _str(claims.get("username") or claims.get("cognito:username") or claims.get("sub"))


def parse_json_body(body: bytes) -> Any:
    """Decode UTF-8 and parse JSON; every failure is a user error with a message a person can act on."""
    if not body.strip():
        raise ReportRejected([Problem("$", "request body is empty: send the report as a JSON object")])
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReportRejected([Problem("$", f"request body is not valid UTF-8 (byte {exc.start})")]) from None
    try:
        value = json.loads(text, parse_constant=_reject_constant)
        check_depth(value)
    except json.JSONDecodeError as exc:
        message = f"request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise ReportRejected([Problem("$", message)]) from None
    except RecursionError:
        raise ReportRejected([Problem("$", str(TooDeep()))]) from None
    except ValueError as exc:  # TooDeep, NaN / Infinity, integers past Python's digit limit
        raise ReportRejected([Problem("$", f"request body is not valid JSON: {str(exc)[:100]}")]) from None
    if not isinstance(value, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(value), "a number")
        raise ReportRejected([Problem("$", f"the report must be a JSON object, got {kind}")])
    return value


def response(status_code: int, payload: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
    """A proxy response whose body is valid UTF-8 JSON even when it echoes names with lone surrogates."""
    headers = {"Content-Type": "application/json", "Cache-Control": "no-store"}
    if request_id:
        headers["X-Request-Id"] = request_id
    return {"statusCode": status_code, "headers": headers, "body": json_text(payload)}


def _direct_body(event: Any) -> bytes:
    """A direct invocation's event is the report: its JSON bytes, or a problem a person can act on."""
    try:
        check_depth(event)
        return json_text(event).encode("utf-8")
    except TooDeep as exc:
        raise ReportRejected([Problem("$", str(exc))]) from None
    except (TypeError, ValueError):
        return b""  # not JSON-serialisable: parse_json_body answers "request body is empty"


def _body_bytes(event: dict[str, Any], max_bytes: int) -> bytes:
    body = event.get("body")
    if body is None:
        raise ReportRejected([Problem("$", "request body is missing: send the report as a JSON object")])
    if isinstance(body, dict | list):  # a test harness passing the parsed body
        return _checked_size(_direct_body(body), max_bytes)
    if not isinstance(body, str):
        raise ReportRejected([Problem("$", "request body must be a JSON text")])
    if event.get("isBase64Encoded") is True:
        if len(body) > max_bytes * 4 // 3 + 4:
            raise ReportTooLarge([Problem("$", f"request body is larger than {max_bytes} bytes")])
        try:
            return _checked_size(base64.b64decode(body, validate=True), max_bytes)
        except (binascii.Error, ValueError):
            raise ReportRejected([Problem("$", "isBase64Encoded is true but the body is not valid base64")]) from None
    try:
        raw = body.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates cannot have come from valid UTF-8 on the wire
        raise ReportRejected([Problem("$", "request body is not valid UTF-8")]) from None
    return _checked_size(raw, max_bytes)


def _checked_size(body: bytes, max_bytes: int) -> bytes:
    if len(body) > max_bytes:
        raise ReportTooLarge([Problem("$", f"request body is {len(body)} bytes; the limit is {max_bytes}")])
    return body


def _check_content_type(content_type: str | None) -> None:
    if content_type is None:
        return
    media = content_type.split(";", 1)[0].strip().lower()
    if media and media != "application/json" and not media.endswith("+json"):
        message = f"Content-Type {media!r} is not supported: send application/json"
        raise UnsupportedMediaType([Problem("$.headers.Content-Type", message)])


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
