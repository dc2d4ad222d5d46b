"""Least privilege: no wildcard actions or resources in any identity policy, and each role reaches what it uses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from local.template import resources

# Actions AWS offers no resource-level permission for: Resource "*" is the only valid form.
RESOURCE_STAR_ALLOWED = {
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "cloudwatch:PutMetricData",
    # Step Functions vended log delivery (documented for state machine logging).
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
}
SERVERLESS = ("AWS::Serverless::Function", "AWS::Serverless::StateMachine")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _identity_statements() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every statement of every inline identity policy: IAM roles and policies, SAM function/state machine Policies."""
    for name, resource in resources().items():
        props = resource.get("Properties", {})
        documents: list[dict[str, Any]] = []
        if resource["Type"] == "AWS::IAM::Role":
            documents = [p["PolicyDocument"] for p in props.get("Policies", [])]
        elif resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            documents = [props["PolicyDocument"]]
        elif resource["Type"] in SERVERLESS:
            documents = [p for p in _as_list(props.get("Policies", [])) if isinstance(p, dict) and "Statement" in p]
        for document in documents:
            for statement in _as_list(document["Statement"]):
                yield name, statement


def _inline(name: str) -> list[dict[str, Any]]:
    return [s for owner, s in _identity_statements() if owner == name]


def test_there_are_inline_statements_to_check() -> None:
    assert len(list(_identity_statements())) >= 10


def test_no_identity_policy_allows_a_wildcard_action() -> None:
    for name, statement in _identity_statements():
        assert "NotAction" not in statement, name
        for action in _as_list(statement["Action"]):
            assert "*" not in action, f"{name}: {action}"


def test_resource_star_only_for_actions_that_require_it() -> None:
    for name, statement in _identity_statements():
        assert "NotResource" not in statement, name
        if "*" in _as_list(statement["Resource"]):
            assert set(_as_list(statement["Action"])) <= RESOURCE_STAR_ALLOWED, name


def test_every_identity_statement_allows() -> None:
    assert {s["Effect"] for _, s in _identity_statements()} == {"Allow"}


def test_no_managed_policy_grants_broad_access() -> None:
    allowed = {"AmazonAPIGatewayPushToCloudWatchLogs"}
    for name, resource in resources().items():
        for arn in resource.get("Properties", {}).get("ManagedPolicyArns", []):
            text = arn["Fn::Sub"] if isinstance(arn, dict) else arn
            assert text.rsplit("/", 1)[-1] in allowed, name


def test_api_gateway_may_only_put_reports_and_heartbeats() -> None:
    role = resources()["ApiGatewayS3WriteRole"]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "apigateway.amazonaws.com"}
    [statement] = _inline("ApiGatewayS3WriteRole")
    assert statement["Action"] == "s3:PutObject"
    assert statement["Resource"] == [
        {"Fn::Sub": "${RawReportBucket.Arn}/raw/*"},
        {"Fn::Sub": "${RawReportBucket.Arn}/heartbeat/*"},
    ]


def _grants(name: str) -> dict[str, set[str]]:
    """{action: resources} of a function's inline statements, resources as their Sub/GetAtt text."""
    found: dict[str, set[str]] = {}
    for statement in _inline(name):
        for action in _as_list(statement["Action"]):
            for resource in _as_list(statement["Resource"]):
                text = resource.get("Fn::Sub") or ".".join(resource["Fn::GetAtt"])
                found.setdefault(action, set()).add(text)
    return found


TABLE = "BreachTable.Arn"
RAW = "${RawReportBucket.Arn}/raw/*"
ARCHIVED = {RAW, "${RawReportBucket.Arn}/heartbeat/*", "${RawReportBucket.Arn}/sync/*"}


@pytest.mark.parametrize(
    ("function", "expected"),
    [
        ("ValidateReportFunction", {"s3:GetObject": {RAW}, "s3:GetObjectVersion": {RAW}}),
        (
            "NormaliseReportFunction",
            {"s3:GetObject": {RAW}, "s3:GetObjectVersion": {RAW}, "s3:PutObject": {"${WorkBucket.Arn}/normalised/*"}},
        ),
        (
            "PersistBreachesFunction",
            {
                "s3:GetObject": {"${WorkBucket.Arn}/normalised/*"},
                "s3:GetObjectTagging": {RAW},
                "s3:GetObjectVersionTagging": {RAW},
                "s3:PutObjectTagging": {RAW},
                "s3:PutObjectVersionTagging": {RAW},
                "dynamodb:PutItem": {TABLE},
                "dynamodb:UpdateItem": {TABLE},
                "dynamodb:GetItem": {TABLE},
            },
        ),
        (
            "RecordOutcomeFunction",
            {
                "s3:GetObject": {RAW},
                "s3:GetObjectVersion": {RAW},
                "s3:GetObjectTagging": {RAW},
                "s3:GetObjectVersionTagging": {RAW},
                "s3:PutObjectTagging": {RAW},
                "s3:PutObjectVersionTagging": {RAW},
                "dynamodb:PutItem": {TABLE},
                "dynamodb:UpdateItem": {TABLE},
                "dynamodb:GetItem": {TABLE},
            },
        ),
        (
            "SearchFunction",
            {
                "dynamodb:Query": {TABLE, "${BreachTable.Arn}/index/ByDay", "${BreachTable.Arn}/index/ByFolder"},
                "dynamodb:GetItem": {TABLE, "${BreachTable.Arn}/index/ByDay", "${BreachTable.Arn}/index/ByFolder"},
                "dynamodb:BatchGetItem": {TABLE},  # search pages completed from the table (store/completion.py)
            },
        ),
        ("SyncIngestFunction", {"s3:PutObject": {"${RawReportBucket.Arn}/sync/*"}}),
        (
            "IncidentReportFunction",
            {
                "s3:GetObject": ARCHIVED,
                "s3:GetObjectVersion": ARCHIVED,
                "dynamodb:Query": {TABLE},
                "dynamodb:PutItem": {TABLE},
                "dynamodb:UpdateItem": {TABLE},
                "sns:Publish": {"IncidentTopic.TopicArn"},
                "kms:GenerateDataKey": {"AlarmTopicKey.Arn"},
                "kms:Decrypt": {"AlarmTopicKey.Arn"},
            },
        ),
        (
            "IncidentSilenceFunction",
            {
                "dynamodb:Query": {TABLE, "${BreachTable.Arn}/index/ByDay", "${BreachTable.Arn}/index/ByFolder"},
                "dynamodb:PutItem": {TABLE},
                "dynamodb:UpdateItem": {TABLE},
                "sns:Publish": {"IncidentTopic.TopicArn"},
                "kms:GenerateDataKey": {"AlarmTopicKey.Arn"},
                "kms:Decrypt": {"AlarmTopicKey.Arn"},
            },
        ),
        ("PreTokenGenerationFunction", {}),
    ],
)
def test_each_function_reaches_only_what_it_uses(function: str, expected: dict[str, set[str]]) -> None:
    assert _grants(function) == expected


def test_policy_templates_are_scoped_to_this_stack() -> None:
    sync = resources()["SyncIngestFunction"]["Properties"]["Policies"]
    assert {"DynamoDBWritePolicy": {"TableName": {"Ref": "BreachTable"}}} in sync
    (policy,) = resources()["IngestWorkflowRole"]["Properties"]["Policies"]
    (invoke,) = [s for s in policy["PolicyDocument"]["Statement"] if s["Action"] == "lambda:InvokeFunction"]
    invoked = {arn["Fn::GetAtt"][0] for arn in invoke["Resource"]}
    assert invoked == {
        "ValidateReportFunction",
        "NormaliseReportFunction",
        "PersistBreachesFunction",
        "RecordOutcomeFunction",
    }
    for machine in ("IngestStateMachine", "IngestExpressStateMachine"):
        props = resources()[machine]["Properties"]
        assert props["Role"] == {"Fn::GetAtt": ["IngestWorkflowRole", "Arn"]} and "Policies" not in props
    for name in ("PreTokenGenerationFunction", "SearchFunction"):
        templates = [p for p in resources()[name]["Properties"].get("Policies", []) if "Statement" not in p]
        assert templates == [], name
