"""GET /breaches and GET /reports through the Lambda handler against a moto table built from template.yaml.

Data is seeded through the real ingest path (prepare + write), so these tests also pin the contract between
what ingest stores and what search finds.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import boto3
import pytest

from search import app as search_app
from slawatch.normalise import ReportMeta
from slawatch.store import BreachStore
from tests.search.conftest import (
    API_REQUEST_ID,
    OUTBOUND,
    PAYMENTS,
    POSIX_LOWER,
    POSIX_UPPER,
    at,
    rest_event,
    row,
)

DAY = "2026-11-28"


def rows(answer: Any) -> list[tuple[str, str, str]]:
    return [row(item) for item in answer.body["items"]]


def walk(call: Any, path: str, params: dict[str, str]) -> list[dict[str, Any]]:
    """Follow nextToken to the last page, asserting each page is a 200 of at most `limit` items."""
    items: list[dict[str, Any]] = []
    token = None
    for _ in range(1000):
        answer = call(path, {**params, **({"nextToken": token} if token else {})})
        assert answer.status == 200, answer.body
        assert answer.body["count"] == len(answer.body["items"]) <= int(params.get("limit", "100"))
        items += answer.body["items"]
        token = answer.body["nextToken"]
        if token is None:
            return items
    raise AssertionError("pagination did not end")


# --- by affected date ---
def test_by_date_returns_that_days_breaches_in_breach_order(call, seeded):
    answer = call(params={"date": DAY})

    assert answer.status == 200
    assert set(answer.body) == {"items", "count", "nextToken"}
    assert sorted(rows(answer)) == seeded.expected(days=(DAY,))
    assert [r[0] for r in rows(answer)] == sorted(r[0] for r in rows(answer))
    assert answer.body["count"] == 28
    assert answer.body["nextToken"] is None
    assert all(item["affectedDate"] == DAY for item in answer.body["items"])


def test_items_are_the_store_view_without_key_attributes(call, seeded):
    item = call(params={"date": DAY, "limit": "1"}).body["items"][0]

    assert not {"pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"} & set(item)
    assert {"breachId", "folder", "filename", "sla", "creationDate", "breachedAt", "reportCount"} <= set(item)


def test_by_date_over_several_days(call, seeded):
    answer = call(params={"date": "2026-11-27", "to": "2026-11-29"})

    assert sorted(rows(answer)) == seeded.expected(days=("2026-11-27", DAY, "2026-11-29"))
    assert [r[0] for r in rows(answer)] == sorted(r[0] for r in rows(answer))
    assert answer.body["count"] == 3 + 28 + 3


def test_by_date_within_a_time_range(call, seeded):
    since, until = "2026-11-28T02:00:00.000Z", "2026-11-28T10:00:00.000Z"
    answer = call(params={"date": DAY, "since": "2026-11-28T03:00:00+01:00", "until": until})

    assert sorted(rows(answer)) == seeded.expected(days=(DAY,), since=since, until=until)
    assert 0 < answer.body["count"] < 28


def test_by_date_narrowed_by_folder(call, seeded):
    answer = call(params={"date": DAY, "folder": OUTBOUND})

    assert rows(answer) == seeded.expected(days=(DAY,), folders=(OUTBOUND,))
    assert [item["filename"] for item in answer.body["items"]] == ["Überweisung-請求書.xml", "big.zip"]


def test_folder_spelt_another_way_finds_the_same_breaches(call, seeded):
    canonical = call(params={"date": "2026-11-27", "to": "2026-11-29", "folder": PAYMENTS})
    respelt = call(params={"date": "2026-11-27", "to": "2026-11-29", "folder": "d:/inbound/payments/"})
    long_form = call(params={"date": "2026-11-27", "to": "2026-11-29", "folder": "\\\\?\\D:\\INBOUND\\payments"})

    assert canonical.body["count"] == 30
    assert canonical.body["items"] == respelt.body["items"] == long_form.body["items"]


def test_posix_folders_stay_case_sensitive(call, seeded):
    upper = call(params={"date": DAY, "folder": POSIX_UPPER}).body["items"]
    lower = call(params={"date": DAY, "folder": POSIX_LOWER}).body["items"]

    assert [i["folder"] for i in upper] == [POSIX_UPPER]
    assert [i["folder"] for i in lower] == [POSIX_LOWER]


def test_unknown_folder_or_empty_day_is_an_empty_page(call, seeded):
    assert call(params={"date": DAY, "folder": "E:\\Nothing"}).body == {
        "items": [],
        "count": 0,
        "nextToken": None,
    }
    assert call(params={"date": "2026-12-25"}).body == {"items": [], "count": 0, "nextToken": None}


# --- by folder ---
def test_by_folder_over_a_range(call, seeded):
    answer = call(params={"folder": "D:\\Inbound\\Payments", "from": "2026-11-01", "to": "2026-11-30"})

    assert answer.status == 200
    assert rows(answer) == seeded.expected(days=("2026-11-27", DAY, "2026-11-29"), folders=(PAYMENTS,))
    assert answer.body["count"] == 30


def test_by_folder_from_alone_is_one_day(call, seeded):
    answer = call(params={"folder": PAYMENTS, "from": "2026-11-29"})

    assert [item["filename"] for item in answer.body["items"]] == [
        "PAY-NEW-0.csv",
        "PAY-NEW-1.csv",
        "PAY-NEW-2.csv",
    ]


def test_by_folder_honours_since_and_until(call, seeded):
    answer = call(
        params={"folder": OUTBOUND, "from": "2026-11-01", "to": "2026-11-30", "since": "2026-11-28T12:00:00Z"}
    )

    assert [item["filename"] for item in answer.body["items"]] == ["big.zip"]


# --- pagination ---
def test_day_breaches_fill_every_shard(seeded, table):
    """The pagination test below is only meaningful if the day really is spread over all ByDay shards."""
    items = boto3.client("dynamodb").scan(TableName=table)["Items"]
    shards = {i["gsi1pk"]["S"] for i in items if i.get("gsi1pk", {}).get("S", "").startswith(f"DAY#{DAY}#")}

    assert shards == {f"DAY#{DAY}#{n}" for n in range(4)}


def test_walking_one_page_at_a_time_gives_every_breach_once_in_order(call, seeded):
    items = walk(call, "/breaches", {"date": DAY, "limit": "1"})

    found = [row(i) for i in items]
    assert len({i["breachId"] for i in items}) == len(items) == 28
    assert sorted(found) == seeded.expected(days=(DAY,))
    assert [r[0] for r in found] == sorted(r[0] for r in found)  # breachedAt order merged across the shards


@pytest.mark.parametrize("limit", ["5", "500"])
def test_walking_pages_over_several_days(call, seeded, limit):
    items = walk(call, "/breaches", {"date": "2026-11-27", "to": "2026-11-29", "limit": limit})

    found = [row(i) for i in items]
    assert len({i["breachId"] for i in items}) == len(items) == 34
    assert sorted(found) == seeded.expected(days=("2026-11-27", DAY, "2026-11-29"))
    assert [r[0] for r in found] == sorted(r[0] for r in found)  # breachedAt order across shards and days


def test_walking_pages_by_folder(call, seeded):
    items = walk(call, "/breaches", {"folder": PAYMENTS, "from": "2026-11-27", "to": "2026-11-29", "limit": "3"})

    assert [row(i) for i in items] == seeded.expected(days=("2026-11-27", DAY, "2026-11-29"), folders=(PAYMENTS,))


def test_a_token_does_not_carry_over_to_another_query(call, seeded):
    token = call(params={"date": DAY, "limit": "1"}).body["nextToken"]
    assert token

    for params in (
        {"date": "2026-11-27", "limit": "1"},
        {"date": DAY, "to": "2026-11-29", "limit": "1"},
        {"date": DAY, "folder": PAYMENTS, "limit": "1"},
        {"date": DAY, "since": "2026-11-28T01:00:00Z", "limit": "1"},
    ):
        answer = call(params={**params, "nextToken": token})
        assert answer.status == 400, params
        assert answer.body["problems"][0]["path"] == "query.nextToken"
    assert call("/reports", {"date": DAY, "nextToken": token}).status == 400


def test_the_same_query_with_another_limit_may_continue(call, seeded):
    token = call(params={"date": DAY, "limit": "5"}).body["nextToken"]

    assert call(params={"date": DAY, "limit": "50", "nextToken": token}).status == 200


def _decode(token: str) -> dict[str, Any]:
    return json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))


def _encode(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _edit_partition(payload: dict[str, Any]) -> dict[str, Any]:
    """Point a cursor at another folder's partition while keeping the query fingerprint."""
    cursors = payload["s"]["c"]
    name, cursor = next((p, c) for p, c in cursors.items() if isinstance(c, dict))
    other = "FOLDER#" + "0" * 40
    cursors[other] = {**cursor, "gsi2pk": other}
    del cursors[name]
    return payload


def _edit_start_key(payload: dict[str, Any]) -> dict[str, Any]:
    cursors = payload["s"]["c"]
    name = next(p for p, c in cursors.items() if isinstance(c, dict))
    cursors[name]["gsi2pk"] = "FOLDER#" + "f" * 40  # start key outside the partition it claims
    return payload


def _edit_step(payload: dict[str, Any]) -> dict[str, Any]:
    payload["s"]["i"] = 99
    return payload


def _edit_extra_key(payload: dict[str, Any]) -> dict[str, Any]:
    cursors = payload["s"]["c"]
    name = next(p for p, c in cursors.items() if isinstance(c, dict))
    cursors[name]["evil"] = "x"
    return payload


@pytest.mark.parametrize("edit", [_edit_partition, _edit_start_key, _edit_step, _edit_extra_key])
def test_an_edited_token_is_a_400(call, seeded, edit):
    params = {"folder": PAYMENTS, "from": "2026-11-27", "to": "2026-11-29", "limit": "2"}
    token = call(params=params).body["nextToken"]

    answer = call(params={**params, "nextToken": _encode(edit(_decode(token)))})

    assert answer.status == 400
    assert answer.body["problems"] == [{"path": "query.nextToken", "message": answer.body["problems"][0]["message"]}]
    assert answer.body["requestId"] == API_REQUEST_ID


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "%%%",
        "eyJ2IjoxfQ",  # {"v":1}
        _encode({"v": 1, "q": "0" * 16, "s": {"i": 0, "c": {}}}),
        _encode({"v": 2, "q": "x", "s": {}}),
        base64.urlsafe_b64encode(b"[1,2,3]").decode(),
        "A" * 9000,
    ],
)
def test_a_malformed_or_forged_token_is_a_400(call, seeded, token):
    answer = call(params={"date": DAY, "nextToken": token})

    assert answer.status == 400
    assert answer.body["problems"][0]["path"] == "query.nextToken"
    assert token[:50] not in json.dumps(answer.body)  # the token is not echoed back


def test_a_truncated_token_is_a_400(call, seeded):
    token = call(params={"date": DAY, "limit": "1"}).body["nextToken"]

    assert call(params={"date": DAY, "limit": "1", "nextToken": token[:-6]}).status == 400


# --- bad parameters ---
@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/breaches", {}, "date"),
        ("/breaches", {"date": "28/11/2026"}, "date"),
        ("/breaches", {"date": "2026-02-30"}, "date"),
        ("/breaches", {"date": ""}, "date"),
        ("/breaches", {"date": "٢٠٢٦-١١-٢٨"}, "date"),
        ("/breaches", {"date": "0999-12-31"}, "date"),
        ("/breaches", {"date": DAY, "to": "2026-11-27"}, "to"),
        ("/breaches", {"date": DAY, "to": "2026-12-29"}, "to"),  # 32 days
        ("/breaches", {"date": DAY, "to": "soon"}, "to"),
        ("/breaches", {"to": DAY}, "date"),
        ("/breaches", {"date": DAY, "from": DAY, "folder": PAYMENTS}, "from"),
        ("/breaches", {"from": DAY}, "folder"),
        ("/breaches", {"folder": PAYMENTS, "from": "2026-01-01", "to": "2027-01-02"}, "to"),  # 367 days
        ("/breaches", {"folder": PAYMENTS, "from": "2026-01-01", "to": "2025-12-31"}, "to"),
        ("/breaches", {"folder": PAYMENTS, "from": "yesterday"}, "from"),
        ("/breaches", {"date": DAY, "folder": ""}, "folder"),
        ("/breaches", {"date": DAY, "folder": "x" * 32_768}, "folder"),
        ("/breaches", {"date": DAY, "since": "2026-11-28T10:00:00"}, "since"),  # no zone
        ("/breaches", {"date": DAY, "since": "10am"}, "since"),
        ("/breaches", {"date": DAY, "until": "2026-13-01T00:00:00Z"}, "until"),
        (
            "/breaches",
            {"date": DAY, "since": "2026-11-28T10:00:00Z", "until": "2026-11-28T09:00:00Z"},
            "until",
        ),
        ("/breaches", {"date": DAY, "since": "0999-01-01T00:00:00Z"}, "since"),
        ("/breaches", {"date": DAY, "limit": "0"}, "limit"),
        ("/breaches", {"date": DAY, "limit": "501"}, "limit"),
        ("/breaches", {"date": DAY, "limit": "-1"}, "limit"),
        ("/breaches", {"date": DAY, "limit": "ten"}, "limit"),
        ("/breaches", {"date": DAY, "limit": "1.5"}, "limit"),
        ("/breaches", {"date": DAY, "limit": "١٠"}, "limit"),
        ("/breaches", {"date": DAY, "limit": ""}, "limit"),
        ("/breaches", {"date": DAY, "nextToken": ""}, "nextToken"),
        ("/breaches", {"date": DAY, "limt": "5"}, "limt"),
        ("/breaches", {"date": DAY, "Date": DAY}, "Date"),
        ("/breaches", {"date": DAY, "NextToken": "x"}, "NextToken"),
        ("/reports", {}, "date"),
        ("/reports", {"date": DAY, "folder": PAYMENTS}, "folder"),
        ("/reports", {"date": DAY, "since": "2026-11-28T10:00:00Z"}, "since"),
        ("/reports", {"date": DAY, "to": "2026-12-29"}, "to"),
        ("/reports", {"date": DAY, "limit": "1000"}, "limit"),
        ("/reports", {"date": "today"}, "date"),
    ],
)
def test_every_bad_parameter_is_a_400_naming_it(call, path, params, name):
    answer = call(path, params)

    assert answer.status == 400, answer.body
    assert answer.body["message"] == "invalid query parameters"
    assert f"query.{name}" in [p["path"] for p in answer.body["problems"]]
    assert all(p["message"] for p in answer.body["problems"])
    assert answer.body["requestId"] == API_REQUEST_ID
    assert answer.headers["X-Request-Id"] == API_REQUEST_ID


def test_all_problems_are_reported_at_once(call):
    answer = call(params={"date": "x", "limit": "0", "since": "y", "colour": "blue"})

    assert sorted(p["path"] for p in answer.body["problems"]) == [
        "query.colour",
        "query.date",
        "query.limit",
        "query.since",
    ]


def test_a_repeated_parameter_is_a_400(call):
    answer = call(multi={"date": [DAY, "2026-11-29"]})

    assert answer.status == 400
    assert answer.body["problems"][0]["path"] == "query.date"
    assert "2 times" in answer.body["problems"][0]["message"]


def test_ranges_at_the_limit_are_accepted(call, table):
    assert call(params={"date": "2026-11-01", "to": "2026-12-01"}).status == 200  # 31 days
    assert call(params={"folder": PAYMENTS, "from": "2024-01-01", "to": "2024-12-31"}).status == 200  # 366 days
    assert call(params={"date": DAY, "limit": "500"}).status == 200
    assert call(params={"date": DAY, "limit": "001"}).status == 200


def test_date_with_folder_uses_the_by_date_range_limit(call):
    answer = call(params={"date": "2026-01-01", "to": "2026-03-01", "folder": PAYMENTS})

    assert answer.status == 400
    assert answer.body["problems"][0]["path"] == "query.to"


def test_a_bad_value_is_not_echoed_when_long(call):
    answer = call(params={"date": "<script>" + "x" * 500})

    assert "x" * 100 not in json.dumps(answer.body)


# --- authorisation ---
@pytest.mark.parametrize(
    "scope",
    [
        "aws.cognito.signin.user.admin slawatch/reports.write",
        "aws.cognito.signin.user.admin",
        "slawatch/breaches.readx",
        "",
        None,  # claims without a scope: an ID token, which proves no role
    ],
)
def test_a_caller_without_the_read_scope_is_a_403(call, seeded, scope):
    answer = call(params={"date": DAY}, scope=scope)

    assert answer.status == 403
    assert "items" not in answer.body
    assert answer.body["requestId"] == API_REQUEST_ID


def test_reports_listing_also_needs_the_read_scope(call, seeded):
    assert call("/reports", {"date": DAY}, scope="slawatch/reports.write").status == 403


def test_the_scope_is_checked_before_the_parameters(call):
    assert call(params={"date": "garbage"}, scope="slawatch/reports.write").status == 403


def test_no_authorizer_context_is_refused_by_default(call, seeded, monkeypatch):
    monkeypatch.delenv("ALLOW_UNAUTHENTICATED_LOCAL", raising=False)
    assert call(params={"date": DAY}, authorizer=False).status == 403

    monkeypatch.setenv("ALLOW_UNAUTHENTICATED_LOCAL", "true")  # only exactly "1" opens it
    assert call(params={"date": DAY}, authorizer=False).status == 403


def test_no_authorizer_context_is_allowed_for_explicit_local_runs(call, seeded, monkeypatch):
    monkeypatch.setenv("ALLOW_UNAUTHENTICATED_LOCAL", "1")

    assert call(params={"date": DAY}, authorizer=False).body["count"] == 28
    # The switch never overrides a real authorizer's verdict.
    assert call(params={"date": DAY}, scope="slawatch/reports.write").status == 403


# --- report outcomes ---
def test_reports_listing_shows_outcomes_by_received_day(call, seeded, table):
    store = BreachStore(table)
    rejected = ReportMeta(
        report_id="f" * 40,
        received_at=at("2026-11-28T15:00:00Z"),
        reported_at=at("2026-11-28T15:00:00Z"),
        source="scanner-fs03",
        raw_key="raw/2026/11/28/req-3.json",
    )
    store.record_report(rejected, status="rejected", problems=[{"path": "$.sla_error", "message": "missing"}])

    answer = call("/reports", {"date": DAY})

    assert answer.status == 200
    assert [(i["source"], i["status"]) for i in answer.body["items"]] == [
        ("scanner-fs01", "accepted"),
        ("scanner-lnx01", "accepted"),
        ("scanner-fs03", "rejected"),
    ]
    assert answer.body["items"][0]["counts"]["breaches"] == 14
    assert answer.body["items"][2]["problems"] == [{"path": "$.sla_error", "message": "missing"}]
    both = walk(call, "/reports", {"date": DAY, "to": "2026-11-29", "limit": "1"})
    assert [i["receivedAt"][:10] for i in both] == [DAY, DAY, DAY, "2026-11-29"]


# --- errors ---
def test_a_missing_table_is_a_500_without_internals(call, seeded, monkeypatch):
    monkeypatch.setenv("TABLE_NAME", "no-such-table-xyz")

    answer = call(params={"date": DAY})

    assert answer.status == 500
    text = json.dumps(answer.body)
    for leak in ("no-such-table-xyz", "ResourceNotFound", "Traceback", "botocore", "Query"):
        assert leak not in text
    assert answer.body["requestId"] == API_REQUEST_ID
    assert answer.headers["X-Request-Id"] == API_REQUEST_ID


def test_an_unexpected_error_is_a_500_without_its_message(call, monkeypatch):
    class Broken:
        def breaches_by_day(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("secret internal detail /var/task/slawatch/store.py")

    monkeypatch.setattr(search_app, "_store", lambda name: Broken())

    answer = call(params={"date": DAY})

    assert answer.status == 500
    assert set(answer.body) == {"message", "requestId"}
    assert "secret" not in answer.body["message"]


def test_an_unknown_path_is_a_404(call):
    answer = call("/folders", {"date": DAY})

    assert answer.status == 404
    assert answer.body["requestId"] == API_REQUEST_ID


@pytest.mark.parametrize("event", [None, [], "GET /breaches", {"sla_error": []}, {"httpMethod": "GET"}])
def test_a_non_rest_event_is_a_400(aws, lambda_context, event):
    result = search_app.lambda_handler(event, lambda_context)

    assert result["statusCode"] == 400
    assert result["headers"]["X-Request-Id"] == lambda_context.aws_request_id


def test_null_query_maps_are_a_400_not_a_crash(call):
    event = rest_event("/breaches", None)
    event["queryStringParameters"] = event["multiValueQueryStringParameters"] = None

    assert call(event=event).status == 400


# --- response shape, metrics ---
def test_response_headers(call, seeded):
    answer = call(params={"date": DAY, "limit": "2"})

    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["X-Request-Id"] == API_REQUEST_ID


def test_the_sample_events_work(table, lambda_context):
    for name in ("apigw-search-by-date.json", "apigw-search-by-folder.json"):
        with open(f"events/{name}", encoding="utf-8") as handle:
            result = search_app.lambda_handler(json.load(handle), lambda_context)
        assert result["statusCode"] == 200, name


def _emf(output: str) -> list[dict[str, Any]]:
    blobs = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    return [b for b in blobs if "_aws" in b]


def test_metrics_count_responses_by_status_and_searches_by_kind(call, seeded, capsys):
    capsys.readouterr()
    call(params={"date": DAY})
    call(params={"folder": PAYMENTS, "from": DAY})
    call(params={"date": "nope"})
    call(params={"date": DAY}, scope="slawatch/reports.write")

    blobs = _emf(capsys.readouterr().out)
    statuses = [b["StatusCode"] for b in blobs if "Responses" in b]
    kinds = [b["Kind"] for b in blobs if "Searches" in b]
    assert statuses == ["200", "200", "400", "403"]
    assert all(b["Function"] == "Search" for b in blobs if "Responses" in b)
    assert kinds == ["byDay", "byFolder"]
    assert sum(1 for b in blobs if "SearchRequests" in b) == 4
    assert all(b["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "SlaWatch" for b in blobs)


def test_an_event_the_resolver_cannot_read_is_a_clean_500(aws, lambda_context):
    event = rest_event("/breaches", {"date": DAY})
    event["headers"] = "not a map"  # API Gateway never sends this; a broken test harness might

    result = search_app.lambda_handler(event, lambda_context)

    assert result["statusCode"] == 500
    assert json.loads(result["body"]) == {
        "message": "internal error; retry later",
        "requestId": lambda_context.aws_request_id,
    }


@pytest.mark.parametrize("depth", [70, 3000])
def test_a_deeply_nested_token_is_a_400_not_a_500(call, seeded, depth):
    inner = "[" * depth + "]" * depth
    token = base64.urlsafe_b64encode(('{"v":1,"q":"x","s":' + inner + "}").encode()).decode().rstrip("=")
    assert len(token) <= 8192
    answer = call(params={"date": DAY, "nextToken": token})
    assert answer.status == 400 and answer.body["problems"][0]["path"] == "query.nextToken"


class StubContext:
    function_name = "slawatch-search"


@pytest.mark.parametrize("context", [StubContext(), None], ids=["stub", "none"])
def test_any_context_object_works(seeded, context):
    result = search_app.lambda_handler(rest_event("/breaches", {"date": DAY}), context)
    assert result["statusCode"] == 200 and json.loads(result["body"])["count"] > 0
