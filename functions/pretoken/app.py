"""Cognito Pre Token Generation trigger (event version V2_0): custom scopes from group membership.

A REST Cognito authorizer with AuthorizationScopes checks the `scope` claim of an ACCESS token, and tokens
from InitiateAuth (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH) carry custom scopes only if this trigger adds them:

    group scanners -> slawatch/reports.write   (POST /reports, POST /reports/sync)
    group readers  -> slawatch/breaches.read   (GET /breaches, GET /reports)

Cognito calls the trigger on every token issue, refreshes included, so removing a user from a group takes
effect at the next refresh. Any slawatch scope Cognito would issue on its own (an OAuth flow asking for it)
but the groups do not grant is suppressed. The ID token gets an informational `slawatch:role` claim.

A failing trigger fails the sign-in, so an event of a shape we do not know is returned unchanged and logged:
the user then gets a token without our scopes, which API Gateway refuses: fail closed, not broken.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from slawatch.lambda_context import accepts_any_context
from slawatch.observability import make_logger

logger = make_logger()

RESOURCE_SERVER = "slawatch"
SCOPES_BY_GROUP = {
    "scanners": f"{RESOURCE_SERVER}/reports.write",
    "readers": f"{RESOURCE_SERVER}/breaches.read",
}
ROLE_BY_GROUP = {"scanners": "scanner", "readers": "reader"}
ROLE_CLAIM = "slawatch:role"
V2_EVENT_VERSIONS = {"2", "3"}  # V3_0 has the V2_0 shape (it adds machine-to-machine grants)


@accepts_any_context
@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: Any, context: LambdaContext) -> Any:
    try:
        groups = _groups(event)
        if groups is None:
            return event
        _grant(event, groups)
    except Exception:  # never break a sign-in over this trigger; the token simply lacks our scopes
        logger.exception("pre token generation failed; token issued without slawatch scopes")
    return event


def scopes_for(groups: list[str]) -> list[str]:
    """The slawatch scopes a member of these groups holds, sorted."""
    return sorted({SCOPES_BY_GROUP[g] for g in groups if g in SCOPES_BY_GROUP})


def _groups(event: Any) -> list[str] | None:
    """The user's groups, or None (logged) when the event is not a V2_0-shaped pre token generation event."""
    if not isinstance(event, dict) or str(event.get("version")) not in V2_EVENT_VERSIONS:
        version = event.get("version") if isinstance(event, dict) else None
        logger.warning("not a V2_0 pre token generation event; returned unchanged", extra={"version": version})
        return None
    request = event.get("request")
    config = request.get("groupConfiguration") if isinstance(request, dict) else None
    groups = config.get("groupsToOverride") if isinstance(config, dict) else None
    if groups is None and isinstance(config, dict):
        groups = []  # a user in no group
    if not isinstance(groups, list) or not isinstance(event.get("response", {}), dict | None):
        logger.warning("unexpected pre token generation event shape; returned unchanged")
        return None
    return [g for g in groups if isinstance(g, str)]


def _grant(event: dict[str, Any], groups: list[str]) -> None:
    granted = scopes_for(groups)
    requested = event["request"].get("scopes")
    unearned = sorted(
        s
        for s in (requested if isinstance(requested, list) else [])
        if isinstance(s, str) and s.startswith(f"{RESOURCE_SERVER}/") and s not in granted
    )
    access: dict[str, Any] = {}
    if granted:
        access["scopesToAdd"] = granted
    if unearned:
        access["scopesToSuppress"] = unearned
    details: dict[str, Any] = {"accessTokenGeneration": access} if access else {}
    roles = sorted({ROLE_BY_GROUP[g] for g in groups if g in ROLE_BY_GROUP})
    if roles:
        details["idTokenGeneration"] = {"claimsToAddOrOverride": {ROLE_CLAIM: " ".join(roles)}}
    if not details:
        logger.info("no slawatch group: no scopes granted", extra={"user": event.get("userName")})
        return  # a user in no slawatch group: the tokens stay as Cognito made them
    if not isinstance(event.get("response"), dict):
        event["response"] = {}
    event["response"]["claimsAndScopeOverrideDetails"] = details
    logger.info(
        "scopes granted",
        extra={
            "user": event.get("userName"),
            "trigger": event.get("triggerSource"),
            "scopes": granted,
            "suppressed": unearned,
        },
    )
