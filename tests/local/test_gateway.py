"""The local gateway answers as template.yaml says API Gateway will: auth, scopes, validation, S3 integration."""

from __future__ import annotations

import base64
import hashlib
import json

import boto3
import pytest
import requests

from local.gateway import routes_from_template
from local.template import load_template
from tests.support.reports import EVENTS

VALID = (EVENTS / "report-valid.json").read_bytes()


def md5(body: bytes) -> str:
    return base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode()


def post_report(stack, token, body=VALID, **headers):
    sent = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Content-MD5": md5(body)}
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
    assert post_report(stack, scanner_token, **{"Content-MD5": ""}).status_code == 400
    assert post_report(stack, scanner_token, **{"Content-MD5": md5(b"other")}).status_code == 400
    invalid = post_report(stack, scanner_token, (EVENTS / "invalid-wrong-types.json").read_bytes())
    assert invalid.status_code == 400 and "schema" in invalid.json()["message"]
    assert post_report(stack, scanner_token, b" " * (10 * 1024 * 1024 + 1)).status_code == 413
    assert requests.get(f"{stack.api_url}/nowhere", timeout=10).status_code == 404
    assert s3.list_objects_v2(Bucket=stack.raw_bucket).get("KeyCount", 0) == before


def test_a_heartbeat_is_archived_but_starts_no_workflow(stack, scanner_token):
    sfn = boto3.client("stepfunctions")
    before = len(sfn.list_executions(stateMachineArn=stack.state_machine_arn)["executions"])
    response = post_report(stack, scanner_token, (EVENTS / "report-heartbeat.json").read_bytes())
    assert response.status_code == 200 and response.json()["key"].startswith("heartbeat/")
    assert len(sfn.list_executions(stateMachineArn=stack.state_machine_arn)["executions"]) == before


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
