"""Functions, workflow and outputs: handlers exist, the ASL is fully substituted, only raw/ starts the workflow."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from local.template import ROOT, load_template, resources

FUNCTIONS = resources("AWS::Serverless::Function")
GLOBALS = load_template()["Globals"]["Function"]
SUBSTITUTIONS = {
    "ValidateReportFunctionArn": "ValidateReportFunction",
    "NormaliseReportFunctionArn": "NormaliseReportFunction",
    "PersistBreachesFunctionArn": "PersistBreachesFunction",
    "RecordOutcomeFunctionArn": "RecordOutcomeFunction",
}


def _machine() -> dict[str, Any]:
    return resources()["IngestStateMachine"]["Properties"]


def test_the_functions_are_the_ones_of_the_design() -> None:
    assert set(FUNCTIONS) == {
        "SyncIngestFunction",
        "SearchFunction",
        "ValidateReportFunction",
        "NormaliseReportFunction",
        "PersistBreachesFunction",
        "RecordOutcomeFunction",
        "PreTokenGenerationFunction",
        "IncidentReportFunction",
        "IncidentSilenceFunction",
    }


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_handler_module_exists(name: str) -> None:
    props = FUNCTIONS[name]["Properties"]
    code_uri = props.get("CodeUri", GLOBALS["CodeUri"])
    *package, function = props["Handler"].split(".")
    module = ROOT / code_uri / Path(*package).with_suffix(".py")
    assert module.is_file(), f"{name}: {props['Handler']} needs {module.relative_to(ROOT)}"
    assert re.search(rf"^def {function}\(", module.read_text(encoding="utf-8"), re.MULTILINE), module


@pytest.mark.parametrize("name", ["ValidateReportFunction", "NormaliseReportFunction", "PersistBreachesFunction"])
def test_workflow_steps_have_room_for_a_10_mb_report(name: str) -> None:
    props = FUNCTIONS[name]["Properties"]
    assert props["MemorySize"] >= 1024
    assert props["Timeout"] >= 300


def test_api_backed_functions_answer_within_the_29_second_integration_timeout() -> None:
    for name in ("SyncIngestFunction", "SearchFunction"):
        assert FUNCTIONS[name]["Properties"]["Timeout"] <= 29, name


def test_every_function_has_a_log_group_with_retention() -> None:
    named = {
        r["Properties"]["LogGroupName"]["Fn::Sub"]: r["Properties"]
        for r in resources("AWS::Logs::LogGroup").values()
        if isinstance(r["Properties"]["LogGroupName"], dict)
    }
    for name in FUNCTIONS:
        group = named[f"/aws/lambda/${{{name}}}"]
        assert group["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def test_the_state_machine_is_standard_and_loads_its_asl_from_the_repository() -> None:
    props = _machine()
    assert props["Type"] == "STANDARD"
    assert props["DefinitionUri"] == "statemachine/ingest.asl.json"
    assert props["DefinitionSubstitutions"] == {
        key: {"Fn::GetAtt": [function, "Arn"]} for key, function in SUBSTITUTIONS.items()
    }


def test_the_substitutions_cover_every_placeholder_of_the_asl() -> None:
    asl = ROOT / "statemachine" / "ingest.asl.json"
    if not asl.exists():
        pytest.skip("statemachine/ingest.asl.json is not written yet")
    text = asl.read_text(encoding="utf-8")
    json.loads(text)
    placeholders = set(re.findall(r"\$\{([^}]+)\}", text))
    assert placeholders <= set(_machine()["DefinitionSubstitutions"]), placeholders


def test_the_workflow_logs_errors_without_report_contents_and_is_traced() -> None:
    props = _machine()
    assert props["Logging"]["Level"] == "ERROR"
    assert props["Logging"]["IncludeExecutionData"] is False
    [destination] = props["Logging"]["Destinations"]
    assert destination["CloudWatchLogsLogGroup"]["LogGroupArn"] == {
        "Fn::GetAtt": ["IngestStateMachineLogGroup", "Arn"]
    }
    assert props["Tracing"] == {"Enabled": True}


def test_only_objects_created_under_raw_start_the_workflow() -> None:
    """Both machines' rules; which one a size picks is tested on the resolved patterns in tests/local."""
    for machine in ("IngestStateMachine", "IngestExpressStateMachine"):
        [event] = resources()[machine]["Properties"]["Events"].values()
        assert event["Type"] == "EventBridgeRule"
        pattern = event["Properties"]["Pattern"]
        assert pattern["source"] == ["aws.s3"]
        assert pattern["detail-type"] == ["Object Created"]
        assert pattern["detail"]["bucket"]["name"] == [{"Ref": "RawReportBucket"}]
        branches = pattern["detail"]["object"].get("Fn::If", [None, pattern["detail"]["object"]])[1:]
        assert all(branch["key"] == [{"prefix": "raw/"}] for branch in branches), machine


def test_the_express_machine_runs_the_standard_definition_with_the_same_role_and_logging() -> None:
    standard, express = (resources()[m]["Properties"] for m in ("IngestStateMachine", "IngestExpressStateMachine"))
    assert (standard["Type"], express["Type"]) == ("STANDARD", "EXPRESS")
    for key in ("DefinitionUri", "DefinitionSubstitutions", "Role", "Tracing"):
        assert express[key] == standard[key], key
    assert express["Logging"]["Level"] == "ERROR" and express["Logging"]["IncludeExecutionData"] is False
    assert load_template()["Parameters"]["IngestWorkflowType"]["Default"] == "BY_SIZE"


def test_traces_are_sampled_at_the_parameter_rate_for_the_api_stage_and_the_workflows() -> None:
    rules = {r["Properties"]["SamplingRule"]["ServiceType"]: r["Properties"]["SamplingRule"]
             for r in resources("AWS::XRay::SamplingRule").values()}
    assert set(rules) == {"AWS::ApiGateway::Stage", "AWS::StepFunctions::StateMachine"}
    for sampling in rules.values():
        assert sampling["FixedRate"] == {"Ref": "TraceSampleRate"} and sampling["ReservoirSize"] == 0
    api = rules["AWS::ApiGateway::Stage"]["ResourceARN"]["Fn::Sub"]
    assert api.endswith("::/restapis/${ReportApi}/stages/${StageName}")
    workflows = rules["AWS::StepFunctions::StateMachine"]["ResourceARN"]["Fn::Sub"]
    assert workflows.endswith(":stateMachine:${AWS::StackName}-ingest*")
    for machine in ("IngestStateMachine", "IngestExpressStateMachine"):  # the names the wildcard must match
        assert resources()[machine]["Properties"]["Name"]["Fn::Sub"].startswith("${AWS::StackName}-ingest")
    assert load_template()["Parameters"]["TraceSampleRate"]["Default"] == 0.01


def test_the_sync_function_archives_to_the_raw_bucket() -> None:
    env = FUNCTIONS["SyncIngestFunction"]["Properties"]["Environment"]["Variables"]
    assert env["RAW_BUCKET"] == {"Ref": "RawReportBucket"}
    assert GLOBALS["Environment"]["Variables"]["TABLE_NAME"] == {"Ref": "BreachTable"}


def test_every_configurable_value_is_a_parameter_with_a_default() -> None:
    params = load_template()["Parameters"]
    for name in (
        "StageName",
        "RawReportRetentionDays",
        "LogRetentionDays",
        "ApiThrottleRateLimit",
        "ApiThrottleBurstLimit",
        "AccessTokenValidityMinutes",
        "IdTokenValidityMinutes",
        "RefreshTokenValidityDays",
        "DayShards",
        "AlarmEmail",
        "ScannerSilenceMinutes",
    ):
        assert "Default" in params[name], name
    assert params["AlarmEmail"]["Default"] == ""


def test_every_resource_has_a_comment_above_it() -> None:
    lines = (ROOT / "template.yaml").read_text(encoding="utf-8").splitlines()
    section = lines.index("Resources:")
    end = lines.index("Outputs:")
    for index in range(section + 1, end):
        if re.match(r"^  [A-Za-z0-9]+:\s*$", lines[index]):
            assert lines[index - 1].lstrip().startswith("#"), lines[index]


def test_the_outputs_name_everything_clients_and_tests_look_up() -> None:
    outputs = load_template()["Outputs"]
    assert {
        "ApiUrl",
        "UserPoolId",
        "UserPoolClientId",
        "RawBucketName",
        "WorkBucketName",
        "BreachTableName",
        "StateMachineArn",
        "DashboardName",
    } <= set(outputs)
    assert outputs["ApiUrl"]["Value"] == {
        "Fn::Sub": "https://${ReportApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}"
    }
    assert outputs["StateMachineArn"]["Value"] == {"Ref": "IngestStateMachine"}


def test_the_reports_url_output_is_exactly_what_the_scanners_configure() -> None:
    """ApiUrl is the stage base; ReportsUrl is api.url, stage included (the guides once said /prod for v1)."""
    outputs = load_template()["Outputs"]
    reports = outputs["ReportsUrl"]["Value"]["Fn::Sub"]
    assert reports == outputs["ApiUrl"]["Value"]["Fn::Sub"] + "/reports"
    assert "/${StageName}/reports" in reports
    assert "#dashboards:name=${SlaWatchDashboard}" in outputs["DashboardUrl"]["Value"]["Fn::Sub"]


def test_every_archived_report_reaches_the_incident_function_and_only_raw_reports_the_workflow() -> None:
    (event,) = FUNCTIONS["IncidentReportFunction"]["Properties"]["Events"].values()
    assert event["Type"] == "EventBridgeRule"
    pattern = event["Properties"]["Pattern"]
    assert pattern["detail"]["object"]["key"] == [{"prefix": "raw/"}, {"prefix": "heartbeat/"}, {"prefix": "sync/"}]
    assert pattern["detail"]["bucket"]["name"] == [{"Ref": "RawReportBucket"}]
    assert event["Properties"]["DeadLetterConfig"] == {"Type": "SQS"}
    assert "heartbeat/" not in str(resources()["IngestStateMachine"]["Properties"]["Events"])
    assert "heartbeat/" not in str(resources()["IngestExpressStateMachine"]["Properties"]["Events"])


def test_the_silence_check_runs_on_a_schedule_with_its_instant_as_input() -> None:
    (event,) = FUNCTIONS["IncidentSilenceFunction"]["Properties"]["Events"].values()
    assert event["Type"] == "ScheduleV2"
    assert event["Properties"]["ScheduleExpression"] == "rate(5 minutes)"
    assert "<aws.scheduler.scheduled-time>" in event["Properties"]["Input"]


def test_the_incident_topic_is_encrypted_tls_only_and_has_an_optional_email_subscription() -> None:
    topic = resources()["IncidentTopic"]["Properties"]
    assert topic["KmsMasterKeyId"] == {"Ref": "AlarmTopicKey"}
    (statement,) = resources()["IncidentTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    subscription = resources()["IncidentEmailSubscription"]
    assert subscription["Condition"] == "HasIncidentEmail"
    assert subscription["Properties"]["Endpoint"] == {"Ref": "IncidentEmail"}
    for name in ("IncidentReportFunction", "IncidentSilenceFunction"):
        variables = FUNCTIONS[name]["Properties"]["Environment"]["Variables"]
        assert variables["INCIDENT_TOPIC_ARN"] == {"Ref": "IncidentTopic"}


def test_the_incident_settings_are_parameters_with_safe_defaults() -> None:
    parameters = load_template()["Parameters"]
    assert parameters["IncidentRecoveryMinutes"]["Default"] == 10
    assert parameters["ScannerSilenceIntervals"]["Default"] == 3
    assert parameters["IncidentEmail"]["Default"] == ""
    variables = FUNCTIONS["IncidentReportFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["INCIDENT_RECOVERY_MINUTES"] == {"Ref": "IncidentRecoveryMinutes"}
    assert variables["SCANNER_SILENCE_INTERVALS"] == {"Ref": "ScannerSilenceIntervals"}
