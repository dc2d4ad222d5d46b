"""The local gateway answers as template.yaml says API Gateway will: auth, scopes, validation, S3 integration."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
from urllib.parse import urlsplit

import boto3
import pytest
import requests

from local.gateway import LocalGateway, routes_from_template
from local.lambda_router import wait_for_execution
from local.template import load_template
from tests.support.reports import EVENTS

VALID = (EVENTS / "report-valid.json").read_bytes()


def sha256(body: bytes) -> str:
    return base64.b64encode(hashlib.sha256(body).digest()).decode()


def post_report(stack, token, body=VALID, **headers):
    sent = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
            "x-amz-checksum-sha256": sha256(body)}
    sent.update(headers)
    present = {k: v for k, v in sent.items() if v}
    return requests.post(f"{stack.api_url}/reports", data=body, headers=present, timeout=30)


def test_routes_and_scopes_come_from_the_template():
    routes = routes_from_template(load_template())
    assert {(m, p): r.scopes for (m, p), r in routes.items()} == {
        ("POST", "/reports"): ("slawatch/reports.write",),
        ("GET", "/reports"): ("slawatch/breaches.read",),
        ("POST", "/reports/sync"): ("slawatch/reports.write",),
        ("GET", "/breaches"): ("slawatch/breaches.read",),
        ("GET", "/incidents"): ("slawatch/breaches.read",),
    }
    assert routes[("POST", "/reports")].integration == "s3"
    assert routes[("GET", "/breaches")].function == "SearchFunction"


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-jwt", "Bearer eyJhbGciOiJub25lIn0.e30."])
def test_missing_or_forged_tokens_get_401(stack, authorization):
    response = requests.post(f"{stack.api_url}/reports", data=VALID, timeout=10,
                             headers={"Authorization": authorization} if authorization else {})
    assert response.status_code == 401
    assert response.json()["requestId"]


def test_a_tampered_token_gets_401(stack, scanner_token):
    header, payload, signature = scanner_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["username"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    assert post_report(stack, f"{header}.{forged}.{signature}").status_code == 401


def test_each_role_reaches_only_its_own_methods(stack, scanner_token, reader_token):
    assert post_report(stack, reader_token).status_code == 403
    for path in ("/breaches?date=2026-11-28", "/reports?date=2026-11-28"):
        denied = requests.get(f"{stack.api_url}{path}", headers={"Authorization": scanner_token}, timeout=10)
        assert denied.status_code == 403
        assert requests.get(f"{stack.api_url}{path}", headers={"Authorization": reader_token}, timeout=10).ok


def test_edge_validation_happens_before_anything_is_stored(stack, scanner_token):
    s3 = boto3.client("s3")
    before = s3.list_objects_v2(Bucket=stack.raw_bucket).get("KeyCount", 0)
    assert post_report(stack, scanner_token, **{"Content-Type": "text/plain"}).status_code == 415
    assert post_report(stack, scanner_token, **{"x-amz-checksum-sha256": ""}).status_code == 400
    mismatch = post_report(stack, scanner_token, **{"x-amz-checksum-sha256": sha256(b"other")})
    assert mismatch.status_code == 400 and "x-amz-checksum-sha256" in mismatch.json()["message"]
    invalid = post_report(stack, scanner_token, (EVENTS / "invalid-wrong-types.json").read_bytes())
    assert invalid.status_code == 400 and "schema" in invalid.json()["message"]
    assert requests.get(f"{stack.api_url}/nowhere", timeout=10).status_code == 404
    assert s3.list_objects_v2(Bucket=stack.raw_bucket).get("KeyCount", 0) == before


def test_a_heartbeat_is_archived_but_starts_no_workflow(stack, scanner_token):
    before = len(stack.executions())
    response = post_report(stack, scanner_token, (EVENTS / "report-heartbeat.json").read_bytes())
    assert response.status_code == 200 and response.json()["key"].startswith("heartbeat/")
    assert len(stack.executions()) == before


def test_a_report_is_archived_for_auditors_and_ingested_by_the_workflow(stack, scanner_token, reader_token):
    response = post_report(stack, scanner_token)
    assert response.status_code == 200
    key = response.json()["key"]
    assert key.startswith("raw/") and key.endswith(f"{response.json()['reportId']}.json")
    stored = boto3.client("s3").get_object(Bucket=stack.raw_bucket, Key=key)
    assert stored["Body"].read() == VALID
    assert stored["Metadata"]["caller"] == "scanner-fs01"
    assert stored["Metadata"]["request-id"] == response.json()["requestId"]
    assert {e["status"] for e in stack.wait_for_workflows()} == {"SUCCEEDED"}
    found = requests.get(f"{stack.api_url}/breaches", params={"date": "2026-11-28"},
                         headers={"Authorization": f"Bearer {reader_token}"}, timeout=10).json()
    assert {b["filename"] for b in found["items"]} == {"PAY-20261128-0001.csv", "PAY-20261128-0002.csv"}
    assert {b["source"] for b in found["items"]} == {"scanner-fs01"}


def test_sync_route_runs_the_lambda_handler(stack, scanner_token):
    body = (EVENTS / "report-seed-minimal.json").read_bytes()
    response = requests.post(f"{stack.api_url}/reports/sync", data=body, timeout=30,
                             headers={"Authorization": scanner_token, "Content-Type": "application/json"})
    assert response.status_code == 200 and response.json()["counts"]["breaches"] == 2
    assert response.json()["reportKey"].startswith("sync/")


def raw_request(stack, method, path, headers, body=b"", *, chunks=None):
    """One request with exactly these header lines (repeats included) and body, or a chunked body."""
    url = urlsplit(stack.api_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        connection.putrequest(method, url.path + path, skip_accept_encoding=True)
        for name, value in headers:
            connection.putheader(name, value)
        if chunks is not None:
            connection.putheader("Transfer-Encoding", "chunked")
            connection.endheaders()
            for chunk in chunks:
                connection.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            connection.send(b"0\r\n\r\n")
        else:
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read() or b"null")
    finally:
        connection.close()


def report_headers(token, body):
    return [("Authorization", f"Bearer {token}"), ("Content-Type", "application/json"),
            ("x-amz-checksum-sha256", sha256(body))]


def raw_count(stack):
    return boto3.client("s3").list_objects_v2(Bucket=stack.raw_bucket).get("KeyCount", 0)


@pytest.mark.parametrize(
    "body",
    [
        b'{"sla_error": [], "x": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"sla_error": [], "x": ' + b"[" * 100 + b"]" * 100 + b"}",
        b'{"sla_error": [{"folder": "D:\\\\In", "sla": NaN, "files": []}]}',
        b'{"sla_error": [], "x": Infinity}',
        b'{"sla_error": [{"folder": "D:\\In", "sla": 20, "files": []}]}',  # \I: its error text holds a backslash
        b'{"sla_error": [], "x": -Infinity}',
        b'{"sla_error": [{"folder": "D:\\\\In\xff", "sla": 20, "files": []}]}',
    ],
    ids=["nested-5000", "nested-100", "NaN", "Infinity", "bad-escape", "-Infinity", "invalid-utf8"],
)
def test_bodies_api_gateway_refuses_are_400_with_a_request_id_and_nothing_stored(stack, scanner_token, body):
    before = raw_count(stack)
    status, answer = raw_request(stack, "POST", "/reports", report_headers(scanner_token, body), body)
    assert status == 400 and answer["requestId"]
    status, answer = raw_request(stack, "POST", "/reports/sync", report_headers(scanner_token, body), body)
    assert status == 400 and answer["requestId"]
    assert raw_count(stack) == before


def test_report_body_limit_is_ten_mb_at_both_edges(stack, scanner_token):
    limit = 10 * 1024 * 1024
    head = b'{"sla_error": [], "pad": "'
    at_limit = head + b"x" * (limit - len(head) - 2) + b'"}'
    over = head + b"x" * (limit - len(head) - 1) + b'"}'
    assert len(at_limit) == limit and len(over) == limit + 1
    status, answer = raw_request(stack, "POST", "/reports", report_headers(scanner_token, at_limit), at_limit)
    assert status == 200, answer
    before = raw_count(stack)
    status, answer = raw_request(stack, "POST", "/reports", report_headers(scanner_token, over), over)
    assert status == 413 and answer["requestId"]
    assert raw_count(stack) == before


def test_sync_body_over_six_mb_is_413(stack, scanner_token):
    limit = 6 * 1024 * 1024
    head = b'{"sla_error": [], "pad": "'
    over = head + b"x" * (limit - len(head) - 1) + b'"}'
    status, answer = raw_request(stack, "POST", "/reports/sync", report_headers(scanner_token, over), over)
    assert status == 413 and answer["requestId"]


def test_two_authorization_headers_are_refused(stack, scanner_token):
    headers = [*report_headers(scanner_token, VALID), ("Authorization", f"Bearer {scanner_token}")]
    before = raw_count(stack)
    status, answer = raw_request(stack, "POST", "/reports", headers, VALID)
    assert status == 401 and answer["requestId"]
    assert raw_count(stack) == before


def test_a_chunked_body_is_read_as_sent(stack, scanner_token):
    status, answer = raw_request(stack, "POST", "/reports", report_headers(scanner_token, VALID),
                                 chunks=[VALID[:100], VALID[100:]])
    assert status == 200, answer
    stored = boto3.client("s3").get_object(Bucket=stack.raw_bucket, Key=answer["key"])
    assert stored["Body"].read() == VALID


def test_repeated_query_parameters_reach_the_handler_as_api_gateway_passes_them(stack, reader_token):
    # Two dates: the search handler sees both (multiValueQueryStringParameters) and names the parameter.
    status, answer = raw_request(stack, "GET", "/breaches?date=2026-11-28&date=2026-11-29",
                                 [("Authorization", f"Bearer {reader_token}")])
    assert status == 400 and "date" in json.dumps(answer["problems"])


def test_a_failure_inside_the_gateway_is_a_500_with_a_request_id(stack, scanner_token, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(LocalGateway, "_to_lambda", explode)
    body = (EVENTS / "report-seed-minimal.json").read_bytes()
    status, answer = raw_request(stack, "POST", "/reports/sync", report_headers(scanner_token, body), body)
    assert status == 500 and answer["requestId"] and "internal detail" not in json.dumps(answer)


def test_small_reports_run_on_express_and_large_ones_on_standard(stack, scanner_token):
    """The template's two rules, emulated: under 256 KiB Express, from 256 KiB Standard (one execution each)."""
    sfn = boto3.client("stepfunctions")

    def executions(arn):
        return {e["executionArn"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]}

    files = [{"filename": f"LARGE-{n:05d}-{'x' * 60}.csv", "creationDate": "2026-11-28T08:00:00Z"}
             for n in range(3000)]
    large = json.dumps({"sla_error": [{"folder": r"D:\Feeds\Large", "sla": 30, "files": files}]}).encode()
    assert len(large) >= 262144
    for body, machine, other in ((VALID, stack.express_state_machine_arn, stack.state_machine_arn),
                                 (large, stack.state_machine_arn, stack.express_state_machine_arn)):
        before, before_other = executions(machine), executions(other)
        assert post_report(stack, scanner_token, body).status_code == 200
        (new,) = executions(machine) - before
        assert executions(other) == before_other
        assert wait_for_execution(new, timeout=120)["status"] == "SUCCEEDED"
