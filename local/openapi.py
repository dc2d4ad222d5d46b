"""The API's OpenAPI description for clients and tools, generated from template.yaml's OpenAPI body.

The template's document is what API Gateway imports; this is the same document as a client sees the API: the
`x-amazon-apigateway-*` extensions removed, intrinsic functions gone, the Cognito authorizer shown as a bearer
token, and on every operation the answers API Gateway itself gives before or around the integration (its gateway
responses: 401 and 403 from the authorizer, 413 for a body over 10 MB, 429 when throttled, 504 on a timeout,
400 and 415 where a request validator and a body model apply), all with the template's `Error` body. The local
gateway serves it at `/<stage>/openapi.json` (the deployed API's equivalent is `aws apigateway get-export`);
tests/local/test_api_schema.py runs schemathesis against it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

GATEWAY_ANSWERS = {  # status -> (description, applies only to operations whose body API Gateway validates)
    "400": ("Refused by API Gateway's request validator (body or required parameter).", True),
    "401": ("Missing, invalid or expired access token.", False),
    "403": ("This login may not call this method (missing scope).", False),
    "413": ("Body larger than API Gateway's 10 MB.", False),
    "415": ("Body not sent as application/json.", True),
    "429": ("Throttled or over the daily quota; retry later.", False),
    "504": ("The integration timed out; retry later.", False),
}
BEARER = "bearerAuth"


def _strip(value: Any) -> Any:
    """Drop every `x-amazon-apigateway-*` key, at any depth."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if not str(k).startswith("x-amazon-apigateway")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def describe(definition: Mapping[str, Any], server_url: str) -> dict[str, Any]:
    """The client-facing OpenAPI 3.0 document for the template's DefinitionBody, served at `server_url`."""
    validators = definition.get("x-amazon-apigateway-request-validators", {})
    document = _strip(copy.deepcopy(dict(definition)))
    document["servers"] = [{"url": server_url}]
    components = document.setdefault("components", {})
    components["securitySchemes"] = {
        BEARER: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                 "description": "A Cognito access token (InitiateAuth USER_PASSWORD_AUTH); scopes by group."}
    }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            source = definition["paths"][path][method]
            scopes = [scope for entry in source.get("security", []) for scope in next(iter(entry.values()))]
            operation["security"] = [{BEARER: []}]
            if scopes:
                operation["description"] = (operation.get("description", "") + f" Needs scope {', '.join(scopes)}."
                                            ).strip()
            validator = validators.get(source.get("x-amazon-apigateway-request-validator", ""), {})
            validated = bool(validator.get("validateRequestBody") or validator.get("validateRequestParameters"))
            has_body = "requestBody" in operation
            responses = operation.setdefault("responses", {})
            for status, (description, needs_validator) in GATEWAY_ANSWERS.items():
                if needs_validator and not (validated and (has_body or status == "400")):
                    continue
                if status == "413" and not has_body and method != "post":
                    continue
                responses.setdefault(status, {"description": description, "content": error})
    return document
