"""Authentication: admin-created users, two groups, scopes from a V2 trigger, a public script client."""

from __future__ import annotations

from typing import Any

from local.template import load_template, resources


def _props(name: str) -> dict[str, Any]:
    return resources()[name]["Properties"]


def test_only_administrators_create_users_and_passwords_are_strong() -> None:
    pool = _props("ScannerUserPool")
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    policy = pool["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] >= 14
    assert all(policy[k] is True for k in ("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols"))
    assert pool["DeletionProtection"] == "ACTIVE"
    assert pool["AccountRecoverySetting"] == {"RecoveryMechanisms": [{"Name": "admin_only", "Priority": 1}]}


def test_threat_protection_is_a_parameter() -> None:
    pool = _props("ScannerUserPool")
    assert pool["UserPoolAddOns"] == {"AdvancedSecurityMode": {"Ref": "ThreatProtectionMode"}}


def test_the_pre_token_generation_trigger_is_v2_and_only_the_pool_may_invoke_it() -> None:
    config = _props("ScannerUserPool")["LambdaConfig"]["PreTokenGenerationConfig"]
    assert config == {"LambdaArn": {"Fn::GetAtt": ["PreTokenGenerationFunction", "Arn"]}, "LambdaVersion": "V2_0"}
    [permission] = [
        r["Properties"]
        for r in resources("AWS::Lambda::Permission").values()
        if r["Properties"]["Principal"] == "cognito-idp.amazonaws.com"
    ]
    assert permission["FunctionName"] == {"Fn::GetAtt": ["PreTokenGenerationFunction", "Arn"]}
    assert permission["SourceArn"] == {"Fn::GetAtt": ["ScannerUserPool", "Arn"]}
    assert permission["Action"] == "lambda:InvokeFunction"


def test_the_two_roles_are_groups_of_the_pool() -> None:
    groups = {r["Properties"]["GroupName"] for r in resources("AWS::Cognito::UserPoolGroup").values()}
    assert groups == {"scanners", "readers"}


def test_the_resource_server_declares_the_two_scopes() -> None:
    [server] = resources("AWS::Cognito::UserPoolResourceServer").values()
    assert server["Properties"]["Identifier"] == "slawatch"
    assert {s["ScopeName"] for s in server["Properties"]["Scopes"]} == {"reports.write", "breaches.read"}


def test_the_client_is_a_public_password_and_refresh_client() -> None:
    client = _props("ScannerUserPoolClient")
    assert client["GenerateSecret"] is False
    assert sorted(client["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"]
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert client["EnableTokenRevocation"] is True
    assert "AllowedOAuthFlows" not in client


def test_token_lifetimes_are_deliberate_parameters() -> None:
    client = _props("ScannerUserPoolClient")
    assert client["AccessTokenValidity"] == {"Ref": "AccessTokenValidityMinutes"}
    assert client["IdTokenValidity"] == {"Ref": "IdTokenValidityMinutes"}
    assert client["RefreshTokenValidity"] == {"Ref": "RefreshTokenValidityDays"}
    assert client["TokenValidityUnits"] == {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"}
    params = load_template()["Parameters"]
    assert params["AccessTokenValidityMinutes"]["Default"] == 60
    assert params["IdTokenValidityMinutes"]["Default"] == 60
    assert params["RefreshTokenValidityDays"]["Default"] == 30
