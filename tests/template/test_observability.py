"""Metrics and operations: access-log metrics, alarms with somewhere to go, the dashboard and saved queries."""

from __future__ import annotations

import json
import re
from typing import Any

from local.template import load_template, resources

ALARMS = resources("AWS::CloudWatch::Alarm")


def _alarm(namespace: str, metric: str) -> dict[str, Any]:
    [found] = [
        a["Properties"]
        for a in ALARMS.values()
        if a["Properties"].get("Namespace") == namespace and a["Properties"].get("MetricName") == metric
    ]
    return found


def test_the_alarms_of_the_design_exist_and_notify_the_topic() -> None:
    for namespace, metric in [
        ("AWS/ApiGateway", "5XXError"),
        ("AWS/States", "ExecutionsFailed"),
        ("SlaWatch", "ReportsFailed"),
        ("SlaWatch", "ApiReportsReceived"),
    ]:
        alarm = _alarm(namespace, metric)
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}], metric


def test_the_5xx_alarm_watches_this_api_and_stage() -> None:
    dimensions = {d["Name"]: d["Value"] for d in _alarm("AWS/ApiGateway", "5XXError")["Dimensions"]}
    assert dimensions == {"ApiName": {"Fn::Sub": "${AWS::StackName}-reports"}, "Stage": {"Ref": "StageName"}}
    assert resources()["ReportApi"]["Properties"]["Name"] == {"Fn::Sub": "${AWS::StackName}-reports"}


def test_the_failed_executions_alarm_watches_the_ingest_workflow() -> None:
    alarm = _alarm("AWS/States", "ExecutionsFailed")
    assert alarm["Dimensions"] == [{"Name": "StateMachineArn", "Value": {"Ref": "IngestStateMachine"}}]


def test_failed_or_timed_out_express_executions_alarm_too() -> None:
    alarm = ALARMS["IngestExpressExecutionsFailedAlarm"]["Properties"]
    stats = {m["Id"]: m["MetricStat"]["Metric"] for m in alarm["Metrics"] if "MetricStat" in m}
    assert {m["MetricName"] for m in stats.values()} == {"ExecutionsFailed", "ExecutionsTimedOut"}
    for metric in stats.values():
        assert metric["Dimensions"] == [{"Name": "StateMachineArn", "Value": {"Ref": "IngestExpressStateMachine"}}]
    (expression,) = [m["Expression"] for m in alarm["Metrics"] if "Expression" in m]
    assert set(re.findall(r"[A-Za-z]+", expression)) == set(stats)
    assert alarm["Threshold"] == 1 and alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_the_reports_failed_alarm_matches_the_powertools_service_dimension() -> None:
    service = load_template()["Globals"]["Function"]["Environment"]["Variables"]["POWERTOOLS_SERVICE_NAME"]
    assert _alarm("SlaWatch", "ReportsFailed")["Dimensions"] == [{"Name": "service", "Value": service}]


def test_a_silent_scanner_fleet_alarms_after_the_configured_minutes() -> None:
    alarm = _alarm("SlaWatch", "ApiReportsReceived")
    assert alarm["Period"] == 60
    assert alarm["EvaluationPeriods"] == {"Ref": "ScannerSilenceMinutes"}
    assert alarm["DatapointsToAlarm"] == {"Ref": "ScannerSilenceMinutes"}
    assert alarm["ComparisonOperator"] == "LessThanThreshold"
    assert alarm["Threshold"] == 1
    assert alarm["TreatMissingData"] == "breaching"  # no log line at all is the silence we look for
    assert load_template()["Parameters"]["ScannerSilenceMinutes"]["MaxValue"] <= 1440  # CloudWatch: 1 day


def test_access_log_counts_successful_posts_in_total_and_per_caller_without_a_metric_per_host() -> None:
    filters = {
        f["Properties"]["MetricTransformations"][0]["MetricName"]: f["Properties"]
        for f in resources("AWS::Logs::MetricFilter").values()
    }
    props = filters["ApiReportsReceived"]
    assert props["LogGroupName"] == {"Ref": "ApiAccessLogGroup"}
    assert props["FilterPattern"] == '{ ($.method = "POST") && ($.status = "200") }'
    assert props["MetricTransformations"][0]["MetricNamespace"] == "SlaWatch"
    assert all("Dimensions" not in f["MetricTransformations"][0] for f in filters.values())  # $0.30/host-month each
    (rule,) = resources("AWS::CloudWatch::InsightRule").values()
    body = json.loads(rule["Properties"]["RuleBody"]["Fn::Sub"].replace("${ApiAccessLogGroup}", "group"))
    assert body["LogGroupNames"] == ["group"] and body["Contribution"]["Keys"] == ["$.caller"]
    assert {f["Match"]: f["In"] for f in body["Contribution"]["Filters"]} == {"$.method": ["POST"], "$.status": ["200"]}


def test_the_alarm_topic_is_encrypted_with_a_key_cloudwatch_may_use() -> None:
    topic = resources()["AlarmTopic"]["Properties"]
    assert topic["KmsMasterKeyId"] == {"Ref": "AlarmTopicKey"}
    key = resources()["AlarmTopicKey"]["Properties"]
    assert key["EnableKeyRotation"] is True
    [grant] = [s for s in key["KeyPolicy"]["Statement"] if s["Principal"] == {"Service": "cloudwatch.amazonaws.com"}]
    assert set(grant["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey"}
    subscription = resources()["AlarmEmailSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail"


def _dashboard() -> dict[str, Any]:
    body = resources()["SlaWatchDashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    return json.loads(re.sub(r"\$\{[^}]+\}", "X", body))


def test_the_dashboard_is_valid_json_with_usage_status_classes_and_the_ingest_funnel() -> None:
    widgets = _dashboard()["widgets"]
    text = json.dumps(widgets)
    titles = {w["properties"]["title"] for w in widgets}
    assert "API requests (usage over time)" in titles
    assert "API responses by status class" in titles
    for metric in ("4XXError", "5XXError", "Latency", "ReportsReceived", "ReportsAccepted", "ReportsRejected",
                   "BreachesWritten", "ExecutionsStarted", "ExecutionsFailed"):
        assert f'"{metric}"' in text, metric
    assert "GROUP BY StatusClass" in text


def test_saved_queries_run_over_the_access_log() -> None:
    queries = {q["Properties"]["Name"]["Fn::Sub"]: q["Properties"]
               for q in resources("AWS::Logs::QueryDefinition").values()}
    per_caller = queries["${AWS::StackName}/requests per caller per day"]
    per_status = queries["${AWS::StackName}/status codes per day"]
    for query in (per_caller, per_status):
        assert query["LogGroupNames"] == [{"Ref": "ApiAccessLogGroup"}]
        assert "bin(1d)" in query["QueryString"]
    assert "by bin(1d) as day, caller" in per_caller["QueryString"]
    assert "by bin(1d) as day, status" in per_status["QueryString"]


def test_every_log_group_has_a_retention() -> None:
    for name, group in resources("AWS::Logs::LogGroup").items():
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}, name
