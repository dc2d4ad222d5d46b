"""The template's EventBridge rules, matched locally: moto neither runs rules nor starts Step Functions from one.

Patterns are read from template.yaml (the `EventBridgeRule` events of a resource) with their intrinsics resolved
the way a deployment with the parameters' defaults would (`Ref` of a parameter or of the raw bucket, `Fn::If` on a
condition), so which state machine a report starts is decided by the deployed patterns themselves, not by a copy.
Only the pattern features the template uses are supported: exact values, `prefix` and `numeric`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .template import load_template, resources

_NUMERIC: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, "=": operator.eq, ">=": operator.ge, ">": operator.gt,
}


@dataclass(frozen=True)
class Rule:
    target: str  # logical id of the resource the rule starts
    pattern: dict[str, Any]

    def matches(self, event: Mapping[str, Any]) -> bool:
        return matches(self.pattern, event)


def rules_of(logical_id: str, refs: Mapping[str, Any]) -> list[Rule]:
    """Every EventBridgeRule event of a resource, resolved; `refs` gives non-parameter `Ref` values (bucket names)."""
    template = load_template()
    resolve = _Resolver(template, refs)
    events = resources()[logical_id]["Properties"].get("Events", {})
    return [Rule(logical_id, resolve(e["Properties"]["Pattern"]))
            for e in events.values() if e["Type"] == "EventBridgeRule"]


def matches(pattern: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    """EventBridge semantics: every field of the pattern must match; a list matches if any of its entries does."""
    for field, expected in pattern.items():
        if field not in event:
            return False
        value = event[field]
        if isinstance(expected, Mapping):
            if not isinstance(value, Mapping) or not matches(expected, value):
                return False
        elif not any(_matches_one(entry, value) for entry in expected):
            return False
    return True


def _matches_one(entry: Any, value: Any) -> bool:
    if not isinstance(entry, Mapping):
        return bool(entry == value)
    if "prefix" in entry:
        return isinstance(value, str) and value.startswith(entry["prefix"])
    if "numeric" in entry:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        terms = entry["numeric"]
        return all(_NUMERIC[terms[n]](value, float(terms[n + 1])) for n in range(0, len(terms), 2))
    raise ValueError(f"pattern entry {entry!r} is not supported locally")


class _Resolver:
    """Resolve the intrinsics a pattern may hold, with every parameter at its default."""

    def __init__(self, template: Mapping[str, Any], refs: Mapping[str, Any]) -> None:
        self.parameters = {name: p.get("Default") for name, p in template.get("Parameters", {}).items()}
        self.conditions = template.get("Conditions", {})
        self.refs = refs

    def __call__(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self(item) for item in node]
        if not isinstance(node, dict):
            return node
        if set(node) == {"Ref"}:
            name = node["Ref"]
            return self.parameters[name] if name in self.parameters else self.refs[name]
        if set(node) == {"Fn::If"}:
            condition, when_true, when_false = node["Fn::If"]
            return self(when_true if self.condition(condition) else when_false)
        return {key: self(value) for key, value in node.items()}

    def condition(self, name: str) -> bool:
        return bool(self._evaluate(self.conditions[name]))

    def _evaluate(self, node: Any) -> Any:
        if isinstance(node, dict) and len(node) == 1:
            (function, argument), = node.items()
            if function == "Fn::Equals":
                left, right = (self._evaluate(a) for a in argument)
                return str(left) == str(right)
            if function == "Fn::Not":
                return not self._evaluate(argument[0])
            if function == "Fn::And":
                return all(self._evaluate(a) for a in argument)
            if function == "Fn::Or":
                return any(self._evaluate(a) for a in argument)
            if function == "Condition":
                return self.condition(argument)
        return self(node)
