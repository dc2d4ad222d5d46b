"""The report contract: one JSON Schema file (draft-04) shared by API Gateway, the Lambdas and the scanners.

Unknown properties are accepted and ignored (they stay in the raw archive): an older ingest must not reject a
newer scanner. Timestamps are checked here too, so that every problem in a report is listed at once.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft4Validator

from slawatch.errors import Problem
from slawatch.timestamps import TimestampError, parse_timestamp

SCHEMA_RESOURCE = "schemas/report.schema.json"
MAX_PROBLEMS = 100  # enough to fix a report; a 10 MB report of bad rows must not produce a 10 MB answer
_TIMESTAMP_FIELDS = ("creationDate", "lastWriteDate", "scannedAt")


@cache
def report_schema() -> dict[str, Any]:
    text = resources.files("slawatch").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _validator() -> Draft4Validator:
    schema = report_schema()
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def json_path(parts: list[Any] | Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def validate_report(report: Any) -> list[Problem]:
    """Every problem with the report, schema and timestamps alike, sorted by path; empty when valid."""
    problems = [
        Problem(json_path(error.absolute_path), _describe(error))
        for error in _validator().iter_errors(report)
    ]
    problems.extend(_timestamp_problems(report))
    unique = sorted(set(problems), key=lambda p: (p.path, p.message))
    return unique[:MAX_PROBLEMS]


def _describe(error: Any) -> str:
    field = error.absolute_path[-1] if error.absolute_path else None
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    if error.validator == "type":
        return f"must be of type {error.validator_value}, got {_kind(error.instance)}"
    if error.validator in ("minimum", "maximum") and field == "sla":
        return "must be a whole number of minutes between 1 and 10080 (7 days)"
    if error.validator == "enum":
        return f"must be one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "maxLength":
        return f"must be at most {error.validator_value} characters"
    if error.validator == "minLength":
        return "must not be empty"
    return error.message[:300]


def _kind(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def _timestamp_problems(report: Any) -> list[Problem]:
    """Timestamps the schema accepted as strings but that do not parse (missing zone, bad date)."""
    found: list[Problem] = []
    if not isinstance(report, dict):
        return found
    scanner = report.get("scanner")
    if isinstance(scanner, dict):
        found.extend(_check(scanner, "scannedAt", ["scanner"]))
    folders = report.get("sla_error")
    if not isinstance(folders, list):
        return found
    for f_index, folder in enumerate(folders):
        files = folder.get("files") if isinstance(folder, dict) else None
        if not isinstance(files, list):
            continue
        for i, entry in enumerate(files):
            if isinstance(entry, dict):
                for field in _TIMESTAMP_FIELDS[:2]:
                    found.extend(_check(entry, field, ["sla_error", f_index, "files", i]))
            if len(found) >= MAX_PROBLEMS:
                return found
    return found


def _check(obj: dict[str, Any], field: str, parent: list[Any]) -> list[Problem]:
    value = obj.get(field)
    if not isinstance(value, str):
        return []  # absent or wrong type: the schema already says so
    try:
        parse_timestamp(value)
    except TimestampError as exc:
        return [Problem(json_path([*parent, field]), str(exc))]
    return []
