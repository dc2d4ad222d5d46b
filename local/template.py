"""Read template.yaml (with its CloudFormation tags): the local stack and the tests build resources from the
deployed definition, so neither can drift from it."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from .bundle import ROOT, TEMPLATE

__all__ = ["ROOT", "TEMPLATE", "api_definition", "api_operations", "load_template", "resources", "table_definition"]


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that keeps !Ref, !Sub, !GetAtt ... as {"Ref": ...} / {"Fn::Sub": ...} dictionaries."""


def _construct(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _construct)


@cache
def load_template() -> dict[str, Any]:
    return yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass


def resources(kind: str | None = None) -> dict[str, dict[str, Any]]:
    found = load_template()["Resources"]
    return {name: r for name, r in found.items() if kind is None or r["Type"] == kind}


def table_definition(logical_id: str = "BreachTable") -> dict[str, Any]:
    """create_table arguments taken from the template, so the moto table cannot drift from the deployed one."""
    props = resources()[logical_id]["Properties"]
    return {
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "GlobalSecondaryIndexes": props.get("GlobalSecondaryIndexes", []),
        "BillingMode": props["BillingMode"],
    }


def api_definition(logical_id: str = "ReportApi") -> dict[str, Any]:
    """The inline OpenAPI document of a SAM API (intrinsics kept as {"Fn::Sub": ...} dictionaries)."""
    return resources()[logical_id]["Properties"]["DefinitionBody"]


def api_operations(logical_id: str = "ReportApi") -> dict[tuple[str, str], dict[str, Any]]:
    """Every operation of the API as {(METHOD, path): operation}."""
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "x-amazon-apigateway-any-method"}
    return {
        (method.upper(), path): operation
        for path, item in api_definition(logical_id)["paths"].items()
        for method, operation in item.items()
        if method in methods
    }
