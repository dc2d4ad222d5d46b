"""The template's EventBridge patterns, matched locally exactly as deployed with the parameters' defaults."""

from __future__ import annotations

import pytest

from local.event_rules import _Resolver, matches, rules_of
from local.template import load_template

BUCKET = "raw-bucket"
SMALL_LIMIT = 262144


def created(key: str, size: int, bucket: str = BUCKET) -> dict:
    return {"source": "aws.s3", "detail-type": "Object Created",
            "detail": {"bucket": {"name": bucket}, "object": {"key": key, "size": size, "version-id": "v1"}}}


def targets(event: dict) -> set[str]:
    machines = ("IngestStateMachine", "IngestExpressStateMachine")
    rules = [r for m in machines for r in rules_of(m, {"RawReportBucket": BUCKET})]
    return {rule.target for rule in rules if rule.matches(event)}


@pytest.mark.parametrize(("size", "machine"), [
    (0, "IngestExpressStateMachine"),
    (SMALL_LIMIT - 1, "IngestExpressStateMachine"),
    (SMALL_LIMIT, "IngestStateMachine"),
    (10 * 1024 * 1024, "IngestStateMachine"),
])
def test_every_raw_report_starts_exactly_one_machine_chosen_by_its_size(size: int, machine: str) -> None:
    assert targets(created("raw/2026/11/28/r.json", size)) == {machine}


@pytest.mark.parametrize("key", ["heartbeat/2026/11/28/r.json", "sync/2026/11/28/r.json", "normalised/r.json"])
def test_no_other_prefix_starts_a_workflow(key: str) -> None:
    assert targets(created(key, 100)) == set()


def test_another_bucket_starts_nothing() -> None:
    assert targets(created("raw/2026/11/28/r.json", 100, bucket="someone-else")) == set()


def test_standard_only_sends_every_size_to_the_standard_machine() -> None:
    template = load_template()
    resolver = _Resolver(template, {"RawReportBucket": BUCKET})
    resolver.parameters["IngestWorkflowType"] = "STANDARD"
    for machine, expected in (("IngestStateMachine", True), ("IngestExpressStateMachine", False)):
        (event,) = template["Resources"][machine]["Properties"]["Events"].values()
        pattern = resolver(event["Properties"]["Pattern"])
        for size in (0, 1000, SMALL_LIMIT, 10 * 1024 * 1024):
            assert matches(pattern, created("raw/x.json", size)) is expected, (machine, size)


def test_patterns_match_as_eventbridge_does() -> None:
    pattern = {"detail": {"object": {"key": [{"prefix": "raw/"}], "size": [{"numeric": [">=", 10, "<", 20]}]}}}
    assert matches(pattern, created("raw/a", 10))
    assert not matches(pattern, created("raw/a", 20))
    assert not matches(pattern, created("raw/a", "15"))  # a string is not a number
    assert not matches(pattern, {"detail": {"object": {"key": "raw/a"}}})  # a missing field never matches
    assert matches({"source": ["aws.s3", "other"]}, {"source": "other"})
    with pytest.raises(ValueError, match="not supported"):
        matches({"source": [{"wildcard": "aws.*"}]}, {"source": "aws.s3"})
