"""The Pre Token Generation V2_0 trigger: scopes from group membership, and never a broken sign-in."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from pretoken import app as pretoken_app

WRITE = "slawatch/reports.write"
READ = "slawatch/breaches.read"


def v2_event(groups: Any, *, scopes: list[str] | None = None, version: str = "2") -> dict[str, Any]:
    """A V2_0 event as Cognito sends it (see the AWS Pre token generation Lambda trigger documentation)."""
    with open("events/cognito-pretoken-v2.json", encoding="utf-8") as handle:
        event = json.load(handle)
    event["version"] = version
    event["request"]["groupConfiguration"]["groupsToOverride"] = groups
    if scopes is not None:
        event["request"]["scopes"] = scopes
    return event


def details(result: dict[str, Any]) -> dict[str, Any] | None:
    return result["response"]["claimsAndScopeOverrideDetails"]


@pytest.mark.parametrize(
    ("groups", "scopes", "roles"),
    [
        (["scanners"], [WRITE], "scanner"),
        (["readers"], [READ], "reader"),
        (["readers", "scanners"], [READ, WRITE], "reader scanner"),
        (["scanners", "readers", "scanners"], [READ, WRITE], "reader scanner"),
        (["scanners", "auditors-elsewhere"], [WRITE], "scanner"),
    ],
)
def test_groups_grant_scopes(lambda_context, groups, scopes, roles):
    result = pretoken_app.lambda_handler(v2_event(groups), lambda_context)

    assert details(result) == {
        "accessTokenGeneration": {"scopesToAdd": scopes},
        "idTokenGeneration": {"claimsToAddOrOverride": {"slawatch:role": roles}},
    }


@pytest.mark.parametrize("groups", [[], ["admins"], ["Scanners", "READERS"], None])
def test_no_slawatch_group_grants_nothing(lambda_context, groups):
    event = v2_event(groups)
    original = copy.deepcopy(event)

    result = pretoken_app.lambda_handler(event, lambda_context)

    assert result == original  # group names are exact: "Scanners" is not "scanners"


def test_a_refresh_reevaluates_the_groups(lambda_context):
    event = v2_event(["readers"])
    event["triggerSource"] = "TokenGeneration_RefreshTokens"

    assert details(pretoken_app.lambda_handler(event, lambda_context))["accessTokenGeneration"] == {
        "scopesToAdd": [READ]
    }


def test_slawatch_scopes_the_groups_do_not_grant_are_suppressed(lambda_context):
    event = v2_event(["readers"], scopes=["openid", WRITE, READ, "slawatch/admin"])

    access = details(pretoken_app.lambda_handler(event, lambda_context))["accessTokenGeneration"]

    assert access == {"scopesToAdd": [READ], "scopesToSuppress": ["slawatch/admin", WRITE]}


def test_a_user_in_no_group_loses_requested_slawatch_scopes(lambda_context):
    event = v2_event([], scopes=["openid", READ])

    assert details(pretoken_app.lambda_handler(event, lambda_context)) == {
        "accessTokenGeneration": {"scopesToSuppress": [READ]}
    }


def test_a_v3_event_has_the_same_shape(lambda_context):
    result = pretoken_app.lambda_handler(v2_event(["scanners"], version="3"), lambda_context)

    assert details(result)["accessTokenGeneration"] == {"scopesToAdd": [WRITE]}


def test_a_missing_or_null_response_is_filled_in(lambda_context):
    event = v2_event(["scanners"])
    event["response"] = None

    assert details(pretoken_app.lambda_handler(event, lambda_context))["accessTokenGeneration"] == {
        "scopesToAdd": [WRITE]
    }


def _v1(event: dict[str, Any]) -> dict[str, Any]:
    event["version"] = "1"
    event["request"] = {"userAttributes": {}, "groupConfiguration": {"groupsToOverride": ["readers"]}}
    event["response"] = {"claimsOverrideDetails": None}
    return event


def _no_request(event: dict[str, Any]) -> dict[str, Any]:
    del event["request"]
    return event


def _groups_not_a_list(event: dict[str, Any]) -> dict[str, Any]:
    event["request"]["groupConfiguration"]["groupsToOverride"] = "readers"
    return event


def _no_group_configuration(event: dict[str, Any]) -> dict[str, Any]:
    del event["request"]["groupConfiguration"]
    return event


def _response_is_a_list(event: dict[str, Any]) -> dict[str, Any]:
    event["response"] = []
    return event


@pytest.mark.parametrize("change", [_v1, _no_request, _groups_not_a_list, _no_group_configuration, _response_is_a_list])
def test_an_unknown_shape_is_returned_unchanged(lambda_context, change):
    event = change(v2_event(["readers"]))
    original = copy.deepcopy(event)

    assert pretoken_app.lambda_handler(event, lambda_context) == original


@pytest.mark.parametrize("event", [None, [], "text", 42, {}])
def test_a_non_event_is_returned_as_is(lambda_context, event):
    assert pretoken_app.lambda_handler(event, lambda_context) == event


def test_an_internal_failure_never_breaks_the_sign_in(lambda_context, monkeypatch):
    def boom(groups: list[str]) -> list[str]:
        raise RuntimeError("bug")

    monkeypatch.setattr(pretoken_app, "scopes_for", boom)
    event = v2_event(["readers"])
    original = copy.deepcopy(event)

    assert pretoken_app.lambda_handler(event, lambda_context) == original


def test_the_sample_event_is_a_scanner(lambda_context):
    with open("events/cognito-pretoken-v2.json", encoding="utf-8") as handle:
        result = pretoken_app.lambda_handler(json.load(handle), lambda_context)

    assert details(result)["accessTokenGeneration"] == {"scopesToAdd": [WRITE]}
