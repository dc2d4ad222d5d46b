import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from slawatch.contract import MAX_PROBLEMS, report_schema, validate_report
from tests.support.reports import EVENTS, event_file, folder, report

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "functions/slawatch/schemas/report.schema.json"


def paths(problems):
    return {p.path for p in problems}


def test_schema_file_is_valid_draft_04_without_internal_refs():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert '"$ref"' not in SCHEMA_FILE.read_text(encoding="utf-8")  # API Gateway models cannot resolve them
    assert report_schema() == schema


def test_the_seed_shape_is_accepted_exactly_as_written():
    files = [{"filename": "f", "creationDate": "2026-11-28T00:00:00Z"}]
    seed = {"sla_error": [{"folder": "x", "sla": 20, "files": files}]}
    assert validate_report(seed) == []


@pytest.mark.parametrize("name", sorted(p.name for p in EVENTS.glob("report-*.json")))
def test_sample_reports_are_valid(name):
    assert validate_report(event_file(name)) == []


@pytest.mark.parametrize("name", sorted(p.name for p in EVENTS.glob("invalid-*.json")))
def test_invalid_samples_are_rejected(name):
    assert validate_report(event_file(name)) != []


def test_every_problem_is_listed_with_its_json_path():
    problems = validate_report(event_file("invalid-wrong-types.json"))
    assert paths(problems) == {"$.sla_error[0].folder", "$.sla_error[0].sla", "$.sla_error[0].files"}


def test_missing_field_names_the_field():
    (problem,) = validate_report(event_file("invalid-missing-sla.json"))
    assert problem.path == "$.sla_error[0]" and "'sla' is required" in problem.message


def test_sla_bounds_are_whole_minutes_up_to_seven_days():
    problems = validate_report(event_file("invalid-sla-out-of-range.json"))
    assert paths(problems) == {"$.sla_error[0].sla", "$.sla_error[1].sla"}
    assert validate_report(report(folder("x", 10080))) == []
    assert validate_report(report(folder("x", 20.5))) != []
    assert validate_report(report(folder("x", True))) != []


def test_timestamp_without_zone_is_reported_at_its_path():
    (problem,) = validate_report(event_file("invalid-no-timezone.json"))
    assert problem.path == "$.sla_error[0].files[0].creationDate"
    assert "no time zone" in problem.message


def test_unknown_fields_are_accepted_and_ignored():
    body = report(folder("x", 20, ("f", "2026-11-28T00:00:00Z"), owner="payments"), scanned_at="2026-11-28T01:00:00Z")
    body["futureField"] = {"anything": [1, 2]}
    body["sla_error"][0]["files"][0]["checksum"] = "abc"
    assert validate_report(body) == []


def test_optional_additions_are_type_checked():
    body = report(folder("x", 20, status="gone", fileCount=-1, truncated="no", ageBasis="atime"))
    body["scanner"] = {"chunkIndex": 0, "scannedAt": "not a time"}
    assert paths(validate_report(body)) == {
        "$.sla_error[0].status", "$.sla_error[0].fileCount", "$.sla_error[0].truncated",
        "$.sla_error[0].ageBasis", "$.scanner.chunkIndex", "$.scanner.scannedAt",
    }


def test_problem_list_is_bounded_for_huge_bad_reports():
    files = [(f"f{i}", "2026-11-28T00:00:00") for i in range(5000)]
    assert len(validate_report(report(folder("x", 20, *files)))) == MAX_PROBLEMS


@pytest.mark.parametrize("value", [None, [], "report", 42, True])
def test_non_objects_are_problems_not_crashes(value):
    assert validate_report(value) != []


@pytest.mark.parametrize("field", ["sizeBytes", "fileCount"])
@pytest.mark.parametrize("value", [10**38, 2**63, 10**400], ids=["38-digits", "2**63", "401-digits"])
def test_integers_past_what_the_store_holds_are_refused_at_their_path(field, value):
    # DynamoDB numbers hold 38 significant digits; the contract stops at 2**63 - 1 (what NTFS and .NET report).
    body = report(folder("D:\\In", 20, ("a.csv", "2026-11-28T08:00:00Z")))
    target = body["sla_error"][0] if field == "fileCount" else body["sla_error"][0]["files"][0]
    target[field] = value
    problems = validate_report(body)
    path = "$.sla_error[0].fileCount" if field == "fileCount" else "$.sla_error[0].files[0].sizeBytes"
    assert paths(problems) == {path}
    target[field] = 2**63 - 1
    assert validate_report(body) == []
