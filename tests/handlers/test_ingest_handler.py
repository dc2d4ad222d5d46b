"""The synchronous lambda_handler: 200 / 400 / 413 / 415 / 500 for every event shape it can receive."""

import base64
import json

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import app
from tests.support.hostile import hostile_reports, hostile_text, nested, realise
from tests.support.reports import encode, event_file, folder, report

VALID = event_file("report-valid.json")
SYNC_MAX_BODY_BYTES = 6 * 1024 * 1024  # Lambda's synchronous payload limit


def rest_event(body, headers=None, **extra):
    return {
        "httpMethod": "POST",
        "resource": "/reports/sync",
        "headers": {"Content-Type": "application/json"} if headers is None else headers,
        "requestContext": {"requestId": "req-1", "identity": {"sourceIp": "203.0.113.9"},
                           "authorizer": {"claims": {"username": "scanner-fs01"}}},
        "body": body,
        "isBase64Encoded": False,
        **extra,
    }


def call(event, context):
    result = app.lambda_handler(event, context)
    return result["statusCode"], json.loads(result["body"]), result


def item_count(table):
    return boto3.client("dynamodb").scan(TableName=table, Select="COUNT")["Count"]


def test_rest_proxy_event_from_events_folder_is_accepted(table, lambda_context):
    status, body, raw = call(event_file("apigw-rest-sync.json"), lambda_context)
    assert status == 200
    assert body["accepted"] is True and body["counts"]["breaches"] == 3
    assert body["folderProblems"] == [{"folder": "D:\\Inbound\\Statements", "status": "missing"}]
    assert raw["headers"]["Content-Type"] == "application/json"
    assert raw["headers"]["X-Request-Id"] == body["requestId"]


def test_breaches_are_written_with_the_authenticated_caller_as_source(table, lambda_context):
    call(rest_event(json.dumps(VALID)), lambda_context)
    items = boto3.client("dynamodb").scan(TableName=table)["Items"]
    breaches = [i for i in items if i.get("entityType", {}).get("S") == "Breach"]
    assert len(breaches) == 3 and {b["source"]["S"] for b in breaches} == {"scanner-fs01"}


def test_http_api_v2_and_base64_bodies(table, lambda_context):
    encoded = base64.b64encode(encode(VALID)).decode()
    event = {"version": "2.0", "rawPath": "/reports/sync", "headers": {"content-type": "application/json"},
             "requestContext": {"requestId": "v2", "http": {"sourceIp": "198.51.100.1"},
                                "authorizer": {"jwt": {"claims": {"username": "scanner-v2"}}}},
             "body": encoded, "isBase64Encoded": True}
    status, body, _ = call(event, lambda_context)
    assert status == 200 and body["requestId"] == "v2"


def test_direct_invocation_with_the_report_as_event(table, lambda_context):
    status, body, _ = call(event_file("report-seed-minimal.json"), lambda_context)
    assert status == 200 and body["counts"]["breaches"] == 2


def test_same_report_twice_writes_nothing_twice(table, lambda_context):
    call(rest_event(json.dumps(VALID)), lambda_context)
    before = item_count(table)
    status, body, _ = call(rest_event(json.dumps(VALID)), lambda_context)
    assert status == 200 and body["counts"]["alreadyRecorded"] == 3 and body["counts"]["sightingsWritten"] == 0
    assert item_count(table) == before


def test_heartbeat_is_accepted_and_recorded_without_breaches(table, lambda_context):
    status, body, _ = call(rest_event(json.dumps(event_file("report-heartbeat.json"))), lambda_context)
    assert status == 200 and body["counts"]["breaches"] == 0


@pytest.mark.parametrize("name", ["invalid-missing-sla.json", "invalid-wrong-types.json", "invalid-no-timezone.json",
                                  "invalid-sla-out-of-range.json", "invalid-not-an-object.json"])
def test_invalid_reports_get_400_with_paths_and_write_nothing(table, lambda_context, name):
    status, body, _ = call(rest_event(json.dumps(event_file(name))), lambda_context)
    assert status == 400
    assert body["problems"] and all(p["path"].startswith("$") and p["message"] for p in body["problems"])
    assert item_count(table) == 0


@pytest.mark.parametrize(
    ("event", "fragment"),
    [
        (rest_event(None), "missing"),
        (rest_event("null"), "got null"),
        (rest_event("[1, 2]"), "got an array"),
        (rest_event('"a string"'), "got a string"),
        (rest_event("42"), "got a number"),
        (rest_event("{not json"), "not valid JSON"),
        (rest_event(""), "empty"),
        (rest_event('{"sla_error": NaN}'), "NaN"),
        (rest_event("!!!", isBase64Encoded=True), "base64"),
        (rest_event(base64.b64encode(b"\xff\xfe{}").decode(), isBase64Encoded=True), "UTF-8"),
        (rest_event("\ud800"), "UTF-8"),
        (rest_event("[" * 100_000 + "]" * 100_000), "JSON"),
        ({"headers": None, "body": None, "requestContext": None}, "missing"),
        (None, "got null"),
        ([1, 2, 3], "got an array"),
        ("just a string", "got a string"),
    ],
)
def test_bad_events_are_user_errors_not_crashes(table, lambda_context, event, fragment):
    status, body, _ = call(event, lambda_context)
    assert status == 400, body
    assert fragment in json.dumps(body["problems"])
    assert item_count(table) == 0


def test_header_names_are_case_insensitive(table, lambda_context):
    status, body, _ = call(rest_event(json.dumps(VALID), headers={"CONTENT-TYPE": "text/plain"}), lambda_context)
    assert status == 415 and "application/json" in body["problems"][0]["message"]
    status, _, _ = call(rest_event(json.dumps(VALID), headers={"content-type": "application/json; charset=utf-8"}),
                        lambda_context)
    assert status == 200


def test_internal_failure_is_500_with_request_id_and_no_internals(table, lambda_context, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("secret internal detail: arn:aws:dynamodb:eu-west-1:123:table/x")

    monkeypatch.setattr("slawatch.store.BreachStore.record_breaches", explode)
    status, body, raw = call(rest_event(json.dumps(VALID)), lambda_context)
    assert status == 500
    assert body["requestId"] == lambda_context.aws_request_id
    assert "secret" not in raw["body"] and "arn:" not in raw["body"] and "Traceback" not in raw["body"]


def test_missing_table_configuration_is_500_not_a_crash(aws, lambda_context, monkeypatch):
    monkeypatch.delenv("TABLE_NAME", raising=False)
    status, body, _ = call(rest_event(json.dumps(VALID)), lambda_context)
    assert status == 500 and body["message"].startswith("internal error")


def test_raw_body_is_archived_when_a_bucket_is_configured(table, lambda_context, monkeypatch):
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="raw", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    monkeypatch.setenv("RAW_BUCKET", "raw")
    raw_body = json.dumps(VALID)
    status, body, _ = call(rest_event(raw_body), lambda_context)
    assert status == 200 and body["reportKey"].startswith("sync/") and body["reportKey"].endswith(".json")
    stored = s3.get_object(Bucket="raw", Key=body["reportKey"])
    assert stored["Body"].read() == raw_body.encode()
    assert stored["Metadata"]["caller"] == "scanner-fs01" and stored["Metadata"]["request-id"] == "req-1"


def test_rejected_report_is_not_archived(table, lambda_context, monkeypatch):
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="raw", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    monkeypatch.setenv("RAW_BUCKET", "raw")
    status, _, _ = call(rest_event(json.dumps(event_file("invalid-no-timezone.json"))), lambda_context)
    assert status == 400 and "Contents" not in s3.list_objects_v2(Bucket="raw")


def emf_blobs(output):
    return [json.loads(line) for line in output.splitlines() if line.startswith("{") and '"_aws"' in line]


def test_emf_metrics_are_emitted(table, lambda_context, capsys):
    call(rest_event(json.dumps(VALID)), lambda_context)
    call(rest_event("[]"), lambda_context)
    blobs = emf_blobs(capsys.readouterr().out)
    names = [m["Name"] for b in blobs for d in b["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]]
    for expected in ("ReportsReceived", "ReportsAccepted", "ReportsRejected", "BreachesWritten", "Responses"):
        assert expected in names
    assert "ScannerReports" not in names  # a metric per host costs $0.30 a month each (docs/cost.md)
    statuses = sorted(b["StatusCode"] for b in blobs if "StatusCode" in b)
    assert statuses == ["200", "400"]
    assert next(b for b in blobs if "BreachesWritten" in b)["BreachesWritten"] == [3.0]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(body=hostile_reports, direct=st.booleans())
def test_hostile_reports_never_500_and_rejections_write_nothing(table, lambda_context, body, direct):
    # Any JSON, any Unicode in names (lone surrogates, astral), any integer, any depth; as a REST body (with
    # \udXXX escapes where UTF-8 cannot hold a name, as PowerShell writes) or as a direct invocation's event.
    before = item_count(table)
    event = realise(body) if direct else rest_event(hostile_text(body))
    status, answer, raw = call(event, lambda_context)
    assert status in (200, 400, 413), answer
    raw["body"].encode("utf-8")
    if status != 200:
        assert item_count(table) == before
        assert answer["problems"] and all(p["path"].startswith("$") for p in answer["problems"])


def test_a_name_with_unpaired_surrogates_is_stored_and_its_neighbours_land(table, lambda_context):
    # PowerShell writes an unpaired surrogate of an NTFS name as a \udXXX escape.
    body = report(folder("D:\\In\udc81", 20, ("odd\ud800.csv", "2026-11-28T08:00:00Z"),
                         ("plain.csv", "2026-11-28T08:00:00Z")), {"folder": "E:\\Gone\udfff", "sla": 20,
                                                                  "files": [], "status": "missing"})
    status, answer, raw = call(rest_event(encode(body).decode("ascii")), lambda_context)
    assert status == 200 and answer["counts"]["sightingsWritten"] == 2
    raw["body"].encode("utf-8")  # the answer itself is valid UTF-8
    assert answer["folderProblems"] == [{"folder": "E:\\Gone\udfff", "status": "missing"}]


@pytest.mark.parametrize(
    "event",
    [
        {"sla_error": nested(5000)},  # direct invocation: the event is the report itself
        {"sla_error": [], "scanner": {"deep": nested(50_000)}},
        nested(5000),
        {"httpMethod": "POST", "body": {"sla_error": [], "x": nested(5000)}},  # a harness passing a parsed body
    ],
    ids=["report-event", "unknown-property", "array-event", "parsed-body"],
)
def test_deeply_nested_direct_invocations_are_400(table, lambda_context, event):
    status, body, _ = call(event, lambda_context)
    assert status == 400 and "nested" in json.dumps(body["problems"])
    assert item_count(table) == 0


@pytest.mark.parametrize("depth", [200, 990, 5000])
def test_deeply_nested_bodies_are_400_naming_the_depth_limit(table, lambda_context, depth):
    body = '{"sla_error": [], "x": ' + "[" * depth + "]" * depth + "}"
    status, answer, _ = call(rest_event(body), lambda_context)
    assert status == 400 and "nested" in json.dumps(answer["problems"])
    assert item_count(table) == 0


class StubContext:
    function_name = "slawatch-sync"  # all the original coding test's own tests pass


@pytest.mark.parametrize("context", [StubContext(), None, object(), "not a context"], ids=["stub", "none", "object",
                                                                                          "string"])
def test_any_context_object_works(table, context):
    status, body, _ = call(rest_event(json.dumps(VALID)), context)
    assert status == 200 and body["counts"]["breaches"] == 3
    status, body, _ = call(event_file("report-seed-minimal.json"), context)
    assert status == 200


def test_sync_body_limit_is_six_mb_at_both_edges(table, lambda_context):
    def sized(size):
        text = json.dumps(VALID)
        return text[:-1] + ', "pad": "' + "x" * (size - len(text.encode()) - 11) + '"}'

    at_limit, over = sized(SYNC_MAX_BODY_BYTES), sized(SYNC_MAX_BODY_BYTES + 1)
    assert len(at_limit.encode()) == SYNC_MAX_BODY_BYTES and len(over.encode()) == SYNC_MAX_BODY_BYTES + 1
    assert call(rest_event(at_limit), lambda_context)[0] == 200
    status, body, _ = call(rest_event(over), lambda_context)
    assert status == 413 and str(SYNC_MAX_BODY_BYTES) in body["problems"][0]["message"]
    assert call({**VALID, "pad": "x" * SYNC_MAX_BODY_BYTES}, lambda_context)[0] == 413
