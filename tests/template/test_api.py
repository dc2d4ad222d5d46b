"""The REST API: every method authorised with the right scope, the edge validation and the S3 integration."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from local.template import api_definition, api_operations, resources
from slawatch.contract import report_schema

WRITE = "slawatch/reports.write"
READ = "slawatch/breaches.read"
EXPECTED_SCOPES = {
    ("POST", "/reports"): WRITE,
    ("POST", "/reports/sync"): WRITE,
    ("GET", "/breaches"): READ,
    ("GET", "/reports"): READ,
    ("GET", "/incidents"): READ,
}


def _api_props() -> dict[str, Any]:
    return resources()["ReportApi"]["Properties"]


def _put_report() -> dict[str, Any]:
    return api_operations()[("POST", "/reports")]


def _integration(method: str, path: str) -> dict[str, Any]:
    return api_operations()[(method, path)]["x-amazon-apigateway-integration"]


def _sub_text(value: Any) -> str:
    return value["Fn::Sub"] if isinstance(value, dict) else value


def test_the_api_has_exactly_the_methods_of_the_design() -> None:
    assert set(api_operations()) == set(EXPECTED_SCOPES)


def test_the_authorizer_is_the_cognito_user_pool_of_this_stack() -> None:
    schemes = api_definition()["components"]["securitySchemes"]
    assert set(schemes) == {"CognitoAuthorizer"}
    scheme = schemes["CognitoAuthorizer"]
    assert scheme["x-amazon-apigateway-authtype"] == "cognito_user_pools"
    assert scheme["name"] == "Authorization"
    authorizer = scheme["x-amazon-apigateway-authorizer"]
    assert authorizer["type"] == "cognito_user_pools"
    assert authorizer["providerARNs"] == [{"Fn::GetAtt": ["ScannerUserPool", "Arn"]}]


@pytest.mark.parametrize(("method", "path"), sorted(EXPECTED_SCOPES))
def test_every_method_needs_the_cognito_authorizer_with_exactly_its_scope(method: str, path: str) -> None:
    # One security requirement, one scope: a reader's token is refused with 403 on POST, a scanner's on GET.
    assert api_operations()[(method, path)]["security"] == [{"CognitoAuthorizer": [EXPECTED_SCOPES[(method, path)]]}]


def test_there_is_no_api_wide_security_that_could_loosen_a_method() -> None:
    assert "security" not in api_definition()


def test_the_report_model_is_exactly_the_schema_file() -> None:
    assert api_definition()["components"]["schemas"]["SlaReport"] == report_schema()


def test_post_reports_validates_body_and_parameters_against_the_model() -> None:
    validators = api_definition()["x-amazon-apigateway-request-validators"]
    operation = _put_report()
    chosen = validators[operation["x-amazon-apigateway-request-validator"]]
    assert chosen == {"validateRequestBody": True, "validateRequestParameters": True}
    content = operation["requestBody"]["content"]
    assert set(content) == {"application/json"}
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/SlaReport"}
    assert operation["requestBody"]["required"] is True


def test_post_reports_requires_a_sha256_checksum_and_passes_it_to_s3() -> None:
    # S3 Object Lock accepts x-amz-checksum-sha256 in place of Content-MD5, which edge-optimized APIs drop and
    # FIPS-mode Windows cannot compute. One required integrity header; Content-MD5 is neither required nor passed.
    headers = [p for p in _put_report()["parameters"] if p["in"] == "header"]
    assert headers == [{"name": "x-amz-checksum-sha256", "in": "header", "required": True,
                        "schema": {"type": "string"}}]
    params = _integration("POST", "/reports")["requestParameters"]
    assert params["integration.request.header.x-amz-checksum-sha256"] == "method.request.header.x-amz-checksum-sha256"
    assert not [name for name in params if "content-md5" in name.lower()]


def test_post_reports_puts_straight_into_the_raw_bucket_with_the_write_role() -> None:
    integration = _integration("POST", "/reports")
    assert integration["type"] == "aws"
    assert integration["httpMethod"] == "PUT"
    assert _sub_text(integration["uri"]) == "arn:${AWS::Partition}:apigateway:${AWS::Region}:s3:path/{bucket}/{key}"
    assert integration["credentials"] == {"Fn::GetAtt": ["ApiGatewayS3WriteRole", "Arn"]}
    assert integration["requestParameters"]["integration.request.path.bucket"] == {"Fn::Sub": "'${RawReportBucket}'"}


def test_only_json_is_mapped_so_other_content_types_get_415() -> None:
    integration = _integration("POST", "/reports")
    assert integration["passthroughBehavior"] == "never"
    assert set(integration["requestTemplates"]) == {"application/json"}
    responses = api_definition()["x-amazon-apigateway-gateway-responses"]
    assert responses["UNSUPPORTED_MEDIA_TYPE"]["statusCode"] == "415"


def test_the_object_carries_request_id_caller_source_ip_and_receive_time() -> None:
    integration = _integration("POST", "/reports")
    params = integration["requestParameters"]
    assert params["integration.request.header.x-amz-meta-request-id"] == "context.requestId"
    assert params["integration.request.header.x-amz-meta-caller"] == "context.authorizer.claims.username"
    assert params["integration.request.header.x-amz-meta-source-ip"] == "context.identity.sourceIp"
    template = integration["requestTemplates"]["application/json"]
    assert "$context.requestOverride.header['x-amz-meta-received-at'] = \"${yyyy}-${mm}-${dd}T${hms}Z\"" in template


def test_the_key_is_date_partitioned_and_heartbeats_go_under_their_own_prefix() -> None:
    template = _integration("POST", "/reports")["requestTemplates"]["application/json"]
    assert "$context.requestTime" in template
    assert '$context.requestOverride.path.key = "$prefix/$yyyy/$mm/$dd/${context.requestId}.json"' in template
    assert "#set($prefix = 'raw')" in template
    assert "#if($input.path('$.sla_error').size() == 0)#set($prefix = 'heartbeat')#end" in template


def _strip_directives(template: str) -> str:
    """Remove #set(...)/#if(...)/#else/#end, honouring nested parentheses and quoted strings."""
    out, i = [], 0
    while i < len(template):
        match = re.match(r"#(set|if|elseif)\(", template[i:])
        if match:
            i += match.end()
            depth, quote = 1, None
            while depth:
                char = template[i]
                if quote:
                    quote = None if char == quote else quote
                elif char in "'\"":
                    quote = char
                elif char == "(":
                    depth += 1
                elif char == ")":
                    depth -= 1
                i += 1
            continue
        match = re.match(r"#(else|end)", template[i:])
        if match:
            i += match.end()
            continue
        out.append(template[i])
        i += 1
    return "".join(out)


def test_the_request_template_outputs_the_body_byte_for_byte() -> None:
    # Any whitespace between directives would be sent to S3 and break x-amz-checksum-sha256.
    template = _integration("POST", "/reports")["requestTemplates"]["application/json"]
    assert _strip_directives(template) == "$input.body"


def test_s3_answers_are_turned_into_json_with_the_request_id() -> None:
    responses = _integration("POST", "/reports")["responses"]
    ok = responses["default"]
    assert ok["statusCode"] == "200"
    body = ok["responseTemplates"]["application/json"]
    assert '"reportId": "$context.requestId"' in body
    assert '"key": "$context.requestOverride.path.key"' in body
    mapped = {pattern: r["statusCode"] for pattern, r in responses.items() if pattern != "default"}
    assert mapped == {"400": "400", "4(0[1-9]|[1-9][0-9])": "500", "5[0-9]{2}": "503"}
    for status in range(400, 600):
        matching = [p for p in mapped if re.fullmatch(p, str(status))]
        assert len(matching) == 1, status  # every S3 error status has exactly one mapping
    for response in responses.values():
        assert "$context.requestId" in response["responseTemplates"]["application/json"]


@pytest.mark.parametrize(
    ("response_type", "status"),
    [
        ("BAD_REQUEST_BODY", "400"),
        ("BAD_REQUEST_PARAMETERS", "400"),
        ("UNAUTHORIZED", "401"),
        ("ACCESS_DENIED", "403"),
        ("REQUEST_TOO_LARGE", "413"),
        ("UNSUPPORTED_MEDIA_TYPE", "415"),
        ("THROTTLED", "429"),
        ("DEFAULT_4XX", None),
        ("DEFAULT_5XX", None),
    ],
)
def test_gateway_errors_are_json_with_the_request_id(response_type: str, status: str | None) -> None:
    response = api_definition()["x-amazon-apigateway-gateway-responses"][response_type]
    assert response.get("statusCode") == status
    body = response["responseTemplates"]["application/json"]
    assert '"requestId": "$context.requestId"' in body
    # Valid JSON once API Gateway substitutes its variables ($context.error.messageString is already quoted).
    json.loads(body.replace("$context.error.messageString", '"x"').replace("$context", "context"))


def test_schema_errors_list_the_validation_problems() -> None:
    body = api_definition()["x-amazon-apigateway-gateway-responses"]["BAD_REQUEST_BODY"]
    assert "$context.error.validationErrorString" in body["responseTemplates"]["application/json"]


@pytest.mark.parametrize(
    ("method", "path", "function"),
    [
        ("POST", "/reports/sync", "SyncIngestFunction"),
        ("GET", "/breaches", "SearchFunction"),
        ("GET", "/reports", "SearchFunction"),
    ],
)
def test_lambda_methods_are_proxy_integrations_with_a_scoped_permission(method: str, path: str, function: str) -> None:
    integration = _integration(method, path)
    assert integration["type"] == "aws_proxy"
    assert integration["httpMethod"] == "POST"
    assert f"${{{function}.Arn}}/invocations" in _sub_text(integration["uri"])
    permissions = [
        r["Properties"]
        for r in resources("AWS::Lambda::Permission").values()
        if r["Properties"]["Principal"] == "apigateway.amazonaws.com"
        and r["Properties"]["FunctionName"] == {"Fn::GetAtt": [function, "Arn"]}
    ]
    source_arns = [_sub_text(p["SourceArn"]) for p in permissions]
    api_arn = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ReportApi}"
    assert f"{api_arn}/*/{method}{path}" in source_arns


def test_the_api_is_regional_traced_and_throttled_with_metrics_and_no_data_trace() -> None:
    props = _api_props()
    assert props["EndpointConfiguration"] == {"Type": "REGIONAL"}
    assert props["TracingEnabled"] is True
    [settings] = props["MethodSettings"]
    assert settings["ResourcePath"] == "/*"
    assert settings["HttpMethod"] == "*"
    assert settings["MetricsEnabled"] is True
    assert settings["DataTraceEnabled"] is False
    assert settings["ThrottlingRateLimit"] == {"Ref": "ApiThrottleRateLimit"}
    assert settings["ThrottlingBurstLimit"] == {"Ref": "ApiThrottleBurstLimit"}


def test_the_access_log_is_json_with_who_what_status_latency_and_size() -> None:
    settings = _api_props()["AccessLogSetting"]
    assert settings["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}
    fields = json.loads(settings["Format"])
    assert fields["requestId"] == "$context.requestId"
    assert fields["caller"] == "$context.authorizer.claims.username"
    assert fields["ip"] == "$context.identity.sourceIp"
    assert fields["status"] == "$context.status"
    assert fields["latency"] == "$context.responseLatency"
    assert fields["responseLength"] == "$context.responseLength"
    assert {"method", "resourcePath", "requestTime", "errorMessage"} <= set(fields)


def test_a_usage_plan_with_throttle_and_quota_covers_the_stage() -> None:
    [plan] = resources("AWS::ApiGateway::UsagePlan").values()
    props = plan["Properties"]
    assert props["ApiStages"] == [{"ApiId": {"Ref": "ReportApi"}, "Stage": {"Ref": "ReportApi.Stage"}}]
    assert set(props["Throttle"]) == {"RateLimit", "BurstLimit"}
    assert props["Quota"]["Period"] == "DAY"


def test_api_gateway_may_write_its_logs() -> None:
    account = resources("AWS::ApiGateway::Account")["ApiGatewayAccount"]
    assert account["Properties"]["CloudWatchRoleArn"] == {"Fn::GetAtt": ["ApiGatewayCloudWatchRole", "Arn"]}
    assert resources()["ReportApi"]["DependsOn"] == "ApiGatewayAccount"
