"""A local API Gateway that behaves as template.yaml declares: moto neither enforces Cognito authorizers nor
executes S3 integrations, so the local stack brings its own front door.

Everything it enforces is read from the template's OpenAPI `DefinitionBody`: the routes, each method's
Cognito scopes, request validators, required headers, the body model, the integration (direct S3 PutObject or
a Lambda proxy to a named function) and the JSON of the gateway responses. The Pre Token Generation trigger,
which moto does not run, is emulated with the trigger's own `scopes_for(groups)`.
tests/local/test_gateway.py checks that this gateway answers the way the template says API Gateway will.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from botocore.exceptions import ClientError
from jsonschema import Draft4Validator

from pretoken.app import scopes_for
from slawatch import archive
from slawatch.api_events import MAX_BODY_BYTES
from slawatch.archive import checksum_sha256
from slawatch.depth import TooDeep, check_depth
from slawatch.names import json_text

from .http_body import BodyError, read_body
from .openapi import describe
from .tokens import TokenVerifier

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
__all__ = ["Answer", "LocalGateway", "Route", "TokenVerifier", "routes_from_template", "serve"]
CHECKSUM_HEADER = "x-amz-checksum-sha256"  # S3's integrity header that Object Lock accepts (instead of Content-MD5)
LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024  # a synchronous invocation's event, as Lambda measures it
logger = logging.getLogger(__name__)
_FUNCTION_IN_URI = re.compile(r"functions/\$\{(?P<logical>[A-Za-z0-9]+)\.Arn\}/invocations")


@dataclass(frozen=True)
class Route:
    path: str
    method: str
    scopes: tuple[str, ...]
    integration: str  # "s3" or "lambda"
    function: str | None  # logical id of the proxied function
    validate_body: bool
    required_headers: tuple[str, ...]
    body_model: dict[str, Any] | None


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def routes_from_template(template: Mapping[str, Any], api: str = "ReportApi") -> dict[tuple[str, str], Route]:
    body = template["Resources"][api]["Properties"]["DefinitionBody"]
    validators = body.get("x-amazon-apigateway-request-validators", {})
    schemas = body.get("components", {}).get("schemas", {})
    routes: dict[tuple[str, str], Route] = {}
    for path, methods in body["paths"].items():
        for method, spec in methods.items():
            integration = spec["x-amazon-apigateway-integration"]
            uri = _text(integration["uri"])
            proxied = _FUNCTION_IN_URI.search(uri)
            validator = validators.get(spec.get("x-amazon-apigateway-request-validator", ""), {})
            content = spec.get("requestBody", {}).get("content", {}).get("application/json", {})
            model_ref = content.get("schema", {}).get("$ref", "")
            routes[(method.upper(), path)] = Route(
                path=path,
                method=method.upper(),
                scopes=tuple(scope for entry in spec.get("security", []) for scope in next(iter(entry.values()))),
                integration="lambda" if integration["type"] == "aws_proxy" else "s3",
                function=proxied["logical"] if proxied else None,
                validate_body=bool(validator.get("validateRequestBody")),
                required_headers=tuple(
                    p["name"] for p in spec.get("parameters", []) if p.get("in") == "header" and p.get("required")
                ),
                body_model=schemas.get(model_ref.rsplit("/", 1)[-1]) if model_ref else None,
            )
    return routes


def gateway_responses(template: Mapping[str, Any], api: str = "ReportApi") -> dict[str, dict[str, Any]]:
    return template["Resources"][api]["Properties"]["DefinitionBody"].get("x-amazon-apigateway-gateway-responses", {})


class LocalGateway:
    def __init__(
        self,
        template: Mapping[str, Any],
        *,
        verifier: TokenVerifier,
        handlers: Mapping[str, Handler],
        s3_client: Any,
        raw_bucket: str,
        on_object_created: Callable[[str, str, int, str | None], None],
        stage: str = "local",
    ):
        self.routes = routes_from_template(template)
        self.definition = template["Resources"]["ReportApi"]["Properties"]["DefinitionBody"]
        self.public_url = ""  # set by serve(): where clients reach this gateway, stage included
        self.responses = gateway_responses(template)
        self.verifier = verifier
        self.handlers = dict(handlers)
        self.s3 = s3_client
        self.raw_bucket = raw_bucket
        self.on_object_created = on_object_created
        self.stage = stage
        self._validators = {key: Draft4Validator(r.body_model) for key, r in self.routes.items() if r.body_model}

    # ------------------------------------------------------------------ one request
    def handle(self, method: str, target: str, headers: Mapping[str, str] | Iterable[tuple[str, str]], body: bytes,
               source_ip: str) -> Answer:
        """One request as API Gateway answers it. `headers` may repeat a name (pairs, as they came on the wire).
        Any failure in here is a 500 that carries the request id, as API Gateway's DEFAULT_5XX does."""
        request_id = str(uuid.uuid4())
        try:
            return self._handle(method, target, _header_pairs(headers), body, source_ip, request_id)
        except Exception:
            logger.exception("local gateway failed (request %s)", request_id)
            return self._gateway("DEFAULT_5XX", 500, request_id)

    def _handle(self, method: str, target: str, pairs: list[tuple[str, str]], body: bytes, source_ip: str,
                request_id: str) -> Answer:
        split = urlsplit(target)
        path = "/" + split.path.strip("/").removeprefix(self.stage).strip("/")
        lowered = {k.lower(): v for k, v in pairs}  # the last value of a repeated header, as API Gateway keeps
        if method.upper() == "GET" and path == "/openapi.json":  # local only: the deployed API has get-export
            return Answer(200, describe(self.definition, f"{self.public_url}"))
        route = self.routes.get((method.upper(), path.rstrip("/") or "/"))
        if route is None:
            return self._gateway("MISSING_AUTHENTICATION_TOKEN", 404, request_id)
        if sum(1 for k, _ in pairs if k.lower() == "authorization") > 1:
            return self._gateway("UNAUTHORIZED", 401, request_id)  # which token would the authorizer check?
        claims = self.verifier.claims(lowered.get("authorization"))
        if claims is None:
            return self._gateway("UNAUTHORIZED", 401, request_id)
        granted = set(str(claims.get("scope", "")).split()) | set(scopes_for(list(claims.get("cognito:groups", []))))
        claims = {**claims, "scope": " ".join(sorted(granted))}  # what the Pre Token Generation trigger issues
        if route.scopes and not granted.intersection(route.scopes):
            return self._gateway("ACCESS_DENIED", 403, request_id)
        if len(body) > MAX_BODY_BYTES:
            return self._gateway("REQUEST_TOO_LARGE", 413, request_id)
        if route.integration == "s3":
            return self._to_s3(route, lowered, body, claims, source_ip, request_id)
        return self._to_lambda(route, method, path, split.query, pairs, body, claims, source_ip, request_id)

    def _to_s3(self, route: Route, headers: Mapping[str, str], body: bytes, claims: dict[str, Any],
               source_ip: str, request_id: str) -> Answer:
        media = headers.get("content-type", "application/json").split(";")[0].strip().lower()
        if route.body_model is not None and media != "application/json":
            return self._gateway("UNSUPPORTED_MEDIA_TYPE", 415, request_id)
        missing = [h for h in route.required_headers if not headers.get(h.lower())]
        if missing:
            message = f"Missing required request parameters: [{', '.join(missing)}]"
            return self._gateway("BAD_REQUEST_PARAMETERS", 400, request_id, message=message)
        try:
            report = strict_json(body)
        except ValueError as exc:
            return self._gateway("BAD_REQUEST_BODY", 400, request_id, validation=f"Invalid request body: {exc}")
        if route.validate_body and (route.method, route.path) in self._validators:
            errors = sorted(self._validators[(route.method, route.path)].iter_errors(report), key=str)
            if errors:
                text = "[" + ", ".join(e.message[:300] for e in errors[:10]) + "]"
                return self._gateway("BAD_REQUEST_BODY", 400, request_id, validation=text)
        if headers.get(CHECKSUM_HEADER) != checksum_sha256(body):  # S3's BadDigest, through the integration's 400
            message = f"the body does not match its {CHECKSUM_HEADER} header"
            return Answer(400, {"message": message, "requestId": request_id})
        received = datetime.now(UTC)
        prefix = "heartbeat" if isinstance(report, dict) and report.get("sla_error") == [] else archive.RAW_PREFIX
        key = archive.archive_key(prefix, received, request_id)
        try:
            self.s3.put_object(
                Bucket=self.raw_bucket, Key=key, Body=body, ContentType="application/json",
                ChecksumSHA256=headers[CHECKSUM_HEADER],
                Metadata={"request-id": request_id, "caller": str(claims.get("username", "")),
                          "source-ip": source_ip, "received-at": received.strftime("%Y-%m-%dT%H:%M:%SZ")},
            )
        except ClientError:
            return Answer(503, {"message": "storage unavailable, retry later", "requestId": request_id})
        head = self.s3.head_object(Bucket=self.raw_bucket, Key=key)
        self.on_object_created(self.raw_bucket, key, len(body), head.get("VersionId"))
        return Answer(200, {"reportId": request_id, "requestId": request_id, "key": key})

    def _to_lambda(self, route: Route, method: str, path: str, query: str, pairs: list[tuple[str, str]],
                   body: bytes, claims: dict[str, Any], source_ip: str, request_id: str) -> Answer:
        try:
            text = body.decode("utf-8") if body else None
        except UnicodeDecodeError:  # never hand the function an altered body (U+FFFD in place of the bytes)
            return Answer(400, {"message": "request body is not valid UTF-8", "requestId": request_id})
        multi_query = _multi(parse_qsl(query, keep_blank_values=True))
        multi_headers = _multi(pairs)
        event = {
            "resource": route.path, "path": path, "httpMethod": method.upper(),
            # API Gateway REST: the last value of each name, and every value in the multi-value maps.
            "headers": {k: v[-1] for k, v in multi_headers.items()},
            "multiValueHeaders": multi_headers,
            "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} or None,
            "multiValueQueryStringParameters": multi_query or None,
            "requestContext": {
                "resourcePath": route.path, "httpMethod": method.upper(), "stage": self.stage,
                "requestId": request_id, "identity": {"sourceIp": source_ip},
                # API Gateway hands the authorizer's claims to the function as strings.
                "authorizer": {"claims": {k: v if isinstance(v, str) else json.dumps(v) for k, v in claims.items()}},
            },
            "body": text,
            "isBase64Encoded": False,
        }
        if len(json_text(event).encode("utf-8")) > LAMBDA_PAYLOAD_BYTES:
            message = "request larger than a Lambda invocation takes (6 MB): send large reports to POST /reports"
            return Answer(413, {"message": message, "requestId": request_id})
        handler = self.handlers[route.function or ""]
        result = handler(event, _Context(request_id, route.function or "function"))
        return Answer(int(result["statusCode"]), json.loads(result.get("body") or "null") or {},
                      {k: str(v) for k, v in (result.get("headers") or {}).items()})

    def _gateway(self, kind: str, status: int, request_id: str, *, message: str = "", validation: str = "") -> Answer:
        """The JSON the template's gateway response for `kind` renders (with its $context values filled in)."""
        template = self.responses.get(kind, {}).get("responseTemplates", {}).get("application/json", "{}")
        text = (template.replace("$context.requestId", request_id)
                .replace("$context.error.validationErrorString", json.dumps(validation.replace('"', "'"))[1:-1])
                .replace("$context.error.messageString", json.dumps(message or kind.replace("_", " ").lower())))
        return Answer(int(self.responses.get(kind, {}).get("statusCode", status)), json.loads(text))


@dataclass
class _Context:
    aws_request_id: str
    function_name: str
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:local"

    def get_remaining_time_in_millis(self) -> int:
        return 29_000


def _text(value: Any) -> str:
    """The string inside a !Sub (the template keeps intrinsic functions as dicts)."""
    if isinstance(value, dict):
        inner = value.get("Fn::Sub", "")
        return inner if isinstance(inner, str) else str(inner[0])
    return str(value)


def strict_json(body: bytes) -> Any:
    """The body as API Gateway's JSON validator reads it: strict UTF-8, no NaN / Infinity, bounded nesting."""
    try:
        value = json.loads(body.decode("utf-8"), parse_constant=_no_constants)
        check_depth(value)
    except UnicodeDecodeError as exc:
        raise ValueError(f"not valid UTF-8 (byte {exc.start})") from None
    except RecursionError:
        raise ValueError(str(TooDeep())) from None
    return value


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _header_pairs(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(headers.items()) if isinstance(headers, Mapping) else [(str(k), str(v)) for k, v in headers]


def _multi(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name, []).append(value)
    return values


def serve(gateway: LocalGateway, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """Start the gateway on a background thread; the caller shuts it down."""

    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            try:
                body = read_body(self.headers, self.rfile)
                answer = gateway.handle(self.command, self.path, self.headers.items(), body, self.client_address[0])
            except BodyError as exc:
                self.close_connection = True  # the rest of the stream is not a request
                answer = Answer(exc.status, {"message": str(exc), "requestId": str(uuid.uuid4())})
            except Exception:  # the real gateway answers 5xx with a request id, never drops the connection
                logger.exception("local gateway failed outside a request")
                answer = Answer(500, {"message": "internal error, retry later", "requestId": str(uuid.uuid4())})
            payload = json_text(answer.body).encode("utf-8")
            self.send_response(answer.status)
            for name, value in {"Content-Type": "application/json", **answer.headers}.items():
                if name.lower() not in ("content-length", "connection"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer((host, port), RequestHandler)
    gateway.public_url = f"http://{host}:{server.server_address[1]}/{gateway.stage}"
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="slawatch-local-gateway", daemon=True).start()
    return server
