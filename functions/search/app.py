"""GET /breaches, GET /reports and GET /incidents: the search API for readers (Powertools REST event handler).

Thin on purpose: slawatch.search_params turns the query string into a checked search (or a 400 naming every
bad parameter), the breach store runs it as Query calls and pages it with opaque tokens, and this module turns
the outcome into an HTTP answer and metrics. API Gateway already requires the `slawatch/breaches.read` scope;
the check here is defence in depth against a method wired without its authorizer.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from slawatch.api_events import caller_from, response
from slawatch.incident_store import IncidentPage, IncidentStore
from slawatch.lambda_context import accepts_any_context
from slawatch.observability import count, count_by, count_response, make_logger, make_metrics, make_tracer
from slawatch.pagination import InvalidToken
from slawatch.search_params import (
    InvalidQuery,
    parse_breach_search,
    parse_incident_search,
    parse_report_search,
    query_values,
)
from slawatch.store import BreachStore, Page

logger = make_logger()
metrics = make_metrics()
tracer = make_tracer()
app = APIGatewayRestResolver()

FUNCTION = "Search"
READ_SCOPE = "slawatch/breaches.read"
# Direct invocation (sam local invoke, no API Gateway in front) carries no authorizer context. It is refused
# unless this variable is exactly "1"; template.yaml never sets it.
LOCAL_BYPASS = "ALLOW_UNAUTHENTICATED_LOCAL"


class Forbidden(Exception):
    """The caller is authenticated but may not search (or no authorizer vouched for the caller at all)."""


@app.get("/breaches")
@tracer.capture_method(capture_response=False)
def search_breaches() -> Response:
    _require_reader()
    search = parse_breach_search(_params())
    store = _store(os.environ["TABLE_NAME"])
    window = {"since": search.since, "until": search.until, "limit": search.limit, "token": search.token}
    if search.folder_id:  # a key-conditioned Query on the folder's partition, not a filter over days
        page = store.breaches_by_folder(search.folder_id, search.first_day, search.last_day, **window)
    else:
        page = store.breaches_by_day(search.first_day, search.last_day, **window)
    return _found(search.kind, page)


@app.get("/reports")
@tracer.capture_method(capture_response=False)
def search_reports() -> Response:
    _require_reader()
    search = parse_report_search(_params())
    page = _store(os.environ["TABLE_NAME"]).reports_by_day(
        search.first_day, search.last_day, limit=search.limit, token=search.token
    )
    return _found(search.kind, page)


@app.get("/incidents")
@tracer.capture_method(capture_response=False)
def search_incidents() -> Response:
    _require_reader()
    search = parse_incident_search(_params())
    incidents = _incident_store(os.environ["TABLE_NAME"])
    if search.state == "resolved":
        page = incidents.resolved_incidents(list(search.days), limit=search.limit, token=search.token)
    else:
        page = incidents.open_incidents(limit=search.limit, token=search.token)
    return _found(search.kind, page)


@app.exception_handler(InvalidQuery)
def _invalid_query(exc: InvalidQuery) -> Response:
    logger.info("search rejected", extra={"problems": [p.path for p in exc.problems]})
    return _json(400, {"message": "invalid query parameters", "problems": [p.as_dict() for p in exc.problems]})


@app.exception_handler(InvalidToken)
def _invalid_token(exc: InvalidToken) -> Response:
    logger.info("page token rejected")
    message = str(exc)  # written by slawatch.pagination / the store for callers; never echoes the token
    return _json(
        400,
        {
            "message": "invalid query parameters",
            "problems": [{"path": "query.nextToken", "message": message}],
        },
    )


@app.exception_handler(Forbidden)
def _forbidden(exc: Forbidden) -> Response:
    logger.warning("search refused: caller lacks the read scope", extra={"caller": _caller()})
    return _json(
        403,
        {
            "message": f"this API needs the {READ_SCOPE} scope: sign in as a member of the readers "
            "group and send the access token"
        },
    )


@app.exception_handler(Exception)
def _internal(exc: Exception) -> Response:
    # Internals stay in the log; the caller gets a request id to quote.
    logger.exception("internal error while searching")
    return _json(500, {"message": "internal error; retry later and quote the request id if it persists"})


@app.not_found
def _not_found(exc: Exception) -> Response:
    return _json(404, {"message": "no such resource: use GET /breaches, GET /reports or GET /incidents"})


@accepts_any_context
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: Any, context: LambdaContext) -> dict[str, Any]:
    count(metrics, "SearchRequests")
    request_id = getattr(context, "aws_request_id", None)
    try:
        if _is_rest_event(event):
            result = app.resolve(event, context)
        else:
            message = "the search function takes API Gateway REST proxy requests"
            result = response(400, {"message": message, "requestId": request_id}, request_id)
    except Exception:  # the resolver itself failed (a malformed event): still no internals in the answer
        logger.exception("internal error outside the routes")
        body = {"message": "internal error; retry later", "requestId": request_id}
        result = response(500, body, request_id)
    count_response(int(result.get("statusCode", 500)), FUNCTION)
    return _single_value_headers(result)


def _single_value_headers(result: dict[str, Any]) -> dict[str, Any]:
    """The resolver answers REST events with multiValueHeaders; slawatch APIs answer with plain headers."""
    multi = result.pop("multiValueHeaders", None)
    if isinstance(multi, dict):
        result["headers"] = {**{k: v[-1] for k, v in multi.items() if v}, **(result.get("headers") or {})}
    return result


def _is_rest_event(event: Any) -> bool:
    return isinstance(event, dict) and isinstance(event.get("httpMethod"), str) and isinstance(event.get("path"), str)


@functools.cache
def _store(table_name: str) -> BreachStore:
    """One client per execution environment: connection set-up is paid once, not on every search."""
    return BreachStore(table_name)


@functools.cache
def _incident_store(table_name: str) -> IncidentStore:
    return IncidentStore(table_name)


def _params() -> dict[str, list[str]]:
    raw = app.current_event.raw_event
    return query_values(raw.get("queryStringParameters"), raw.get("multiValueQueryStringParameters"))


def _request_context() -> dict[str, Any]:
    context = app.current_event.raw_event.get("requestContext")
    return context if isinstance(context, dict) else {}


def _require_reader() -> None:
    authorizer = _request_context().get("authorizer")
    if not isinstance(authorizer, dict) or not authorizer:
        if os.environ.get(LOCAL_BYPASS) == "1":
            logger.warning(f"no authorizer context; allowed because {LOCAL_BYPASS}=1")
            return
        raise Forbidden
    claims = authorizer.get("claims")
    scope = claims.get("scope") if isinstance(claims, dict) else None
    # An access token always carries `scope` (space-separated); no scope at all means an ID token or no
    # Cognito authorizer, neither of which proves the read role.
    if not isinstance(scope, str) or READ_SCOPE not in scope.split():
        raise Forbidden


def _caller() -> str | None:
    return caller_from(_request_context())


def _request_id() -> str | None:
    request_id = _request_context().get("requestId")
    if isinstance(request_id, str) and request_id:
        return request_id
    return getattr(app.lambda_context, "aws_request_id", None)


def _found(kind: str, page: Page | IncidentPage) -> Response:
    count_by("Searches", Kind=kind)
    logger.info(
        "search answered",
        extra={"kind": kind, "count": len(page.items), "more": bool(page.next_token), "caller": _caller()},
    )
    return _json(200, {"items": page.items, "count": len(page.items), "nextToken": page.next_token})


def _json(status: int, payload: dict[str, Any]) -> Response:
    """The proxy response of every slawatch API (JSON, no-store, X-Request-Id) as a resolver Response."""
    request_id = _request_id()
    body = payload if status == 200 else {**payload, "requestId": request_id}
    built = response(status, body, request_id)
    return Response(status_code=built["statusCode"], headers=built["headers"], body=built["body"])
