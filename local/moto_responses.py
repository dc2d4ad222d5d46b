"""moto 5.2.5's DynamoDB answers, serialised without walking the service model once per attribute value.

moto serialises every response through the service model (moto/core/serialize.py): for each attribute of each
item it looks the value up under every spelling its name could have, member by member of the AttributeValue
shape. Measured on the local stack (benchmarks/search_bench.py), a Query answering 100 breach items spent 1.4 s
there: about 3.5 ms per item, so paging a day of 100,000 breaches took hours. The items are already in DynamoDB's
wire form ({"S": ...}, {"N": ...}, {"M": {...}}, ...) when they reach the serializer; here an AttributeValue, and
a map of them (an item, a key), is written out directly, with exactly what the model walk would produce
(binary as base64, the other scalars as strings, booleans as booleans, members that are None left out).
Everything else still goes through moto's own code. tests/unit/test_moto_responses.py serialises the same
answers with and without this patch and compares them.
"""

from __future__ import annotations

import base64
from typing import Any

from moto.core.serialize import BaseJSONSerializer

ATTRIBUTE_VALUE = "AttributeValue"
_ORIGINAL: dict[str, Any] = {}


def attribute_value(value: Any) -> dict[str, Any]:
    """One AttributeValue as moto's JSON serializer writes it."""
    out: dict[str, Any] = {}
    for kind, inner in value.items():
        if inner is None:
            continue
        if kind in ("S", "N"):
            out[kind] = str(inner) if inner not in ({}, []) else inner
        elif kind in ("SS", "NS"):
            out[kind] = [str(v) if v not in ({}, []) else v for v in inner]
        elif kind == "B":
            out[kind] = _base64(inner)
        elif kind == "BS":
            out[kind] = [_base64(v) for v in inner]
        elif kind == "M":
            out[kind] = {k: attribute_value(v) for k, v in inner.items()}
        elif kind == "L":
            out[kind] = [attribute_value(v) for v in inner]
        elif kind in ("NULL", "BOOL"):
            out[kind] = inner
        else:
            return {}  # not a wire-form value: let moto decide (see _is_wire_form)
    return out


def _base64(value: str | bytes) -> str:
    raw = value.encode("utf-8") if isinstance(value, str) else value
    return base64.b64encode(raw).strip().decode("utf-8")


_KINDS = frozenset({"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"})


def _is_wire_form(value: Any) -> bool:
    if not isinstance(value, dict) or not value or not set(value) <= _KINDS:
        return False
    for kind, inner in value.items():
        if kind == "M" and not (isinstance(inner, dict) and all(_is_wire_form(v) for v in inner.values())):
            return False
        if kind == "L" and not (isinstance(inner, list) and all(_is_wire_form(v) for v in inner)):
            return False
    return True


def _serialize_type_structure(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
    if key and shape.name == ATTRIBUTE_VALUE and _is_wire_form(value):
        serialized[self.get_serialized_name(shape, key)] = attribute_value(value)
        return
    _ORIGINAL["structure"](self, serialized, value, shape, key)


def _serialize_type_map(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
    if (getattr(shape.value, "name", None) == ATTRIBUTE_VALUE and isinstance(value, dict)
            and all(isinstance(k, str) and _is_wire_form(v) for k, v in value.items())):
        serialized[self.get_serialized_name(shape, key)] = {k: attribute_value(v) for k, v in value.items()}
        return
    _ORIGINAL["map"](self, serialized, value, shape, key)


def apply() -> None:
    """Idempotent."""
    if _ORIGINAL:
        return
    _ORIGINAL["structure"] = BaseJSONSerializer._serialize_type_structure
    _ORIGINAL["map"] = BaseJSONSerializer._serialize_type_map
    BaseJSONSerializer._serialize_type_structure = _serialize_type_structure  # type: ignore[method-assign]
    BaseJSONSerializer._serialize_type_map = _serialize_type_map  # type: ignore[method-assign]


def revert() -> None:
    """For the comparison test: moto's own serializer again."""
    if _ORIGINAL:
        BaseJSONSerializer._serialize_type_structure = _ORIGINAL.pop("structure")  # type: ignore[method-assign]
        BaseJSONSerializer._serialize_type_map = _ORIGINAL.pop("map")  # type: ignore[method-assign]
