"""moto 5.2.5 reads and writes DynamoDB item values through its generic, model-driven code: a fast path for them.

Every attribute value of every item in a Query, GetItem or Scan answer is an `AttributeValue` structure of ten
members (S, N, B, SS, ...), and moto's serializer looks each of the ten up through six alias providers before
finding the one that is there: ~1.7 ms per item of 30 attributes, so a page of 100 items took 180 ms to write
out, and a search over four day shards most of a second (benchmarks/local_stack_bench.py). A value holds exactly
one member, so here the serializer visits only that member, through moto's own code for it (the path moto
takes once it has found it; for a string S or N, the value itself, which is what that code writes); anything
else (no member, several, an unknown one, a non-dict) goes the generic way. Requests are the mirror image:
moto's JSON parser walks the ten members of every value of every item a transaction writes (a tenth of moto's
time per breach); a string S or N comes out as the value itself, what the generic walk makes of it.
tests/unit/test_moto_wire.py compares patched and unpatched answers byte for byte, and parsed requests.
"""

from __future__ import annotations

from typing import Any

from moto.core.parse import BaseJSONParser
from moto.core.serialize import DEFAULT_ALIAS_PROVIDERS, AttributePicker, BaseJSONSerializer

_ORIGINAL: dict[str, Any] = {}
_TEXT = {"S", "N"}  # string members: moto writes a str value unchanged


def _serialize_type_structure(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
    if (shape.name == "AttributeValue" and not shape.is_document_type and key and type(value) is dict
            and len(value) == 1 and _plain_picker(self._value_picker, shape)):
        (member,) = value
        member_shape = shape.members.get(member)
        if member_shape is not None and value[member] is not None:
            for each in shape.members.values():  # as the generic loop leaves them
                each.parent = shape
            wrapper = self.MAP_TYPE()
            if member in _TEXT and type(value[member]) is str and not member_shape.serialization:
                wrapper[member] = value[member]  # what _serialize_type_string writes for a str
            else:
                self._serialize_structure_member(wrapper, value, member_shape, member)
            self._default_serialize(serialized, wrapper, shape, key)
            return
    _ORIGINAL["structure"](self, serialized, value, shape, key)


def _parse_structure(self: Any, shape: Any, value: Any) -> Any:
    if (shape.name == "AttributeValue" and not shape.is_document_type and type(value) is dict and len(value) == 1
            and not hasattr(self, "_parse_string")):  # strings are left as they are (RequestParser._default_handle)
        (member,) = value
        member_shape = shape.members.get(member)
        if (member in _TEXT and type(value[member]) is str and member_shape is not None
                and member_shape.serialization.get("name", member) == member):
            parsed = self.MAP_TYPE()
            parsed[member] = value[member]
            return parsed
    return _ORIGINAL["parse_structure"](self, shape, value)


def _parse_map(self: Any, shape: Any, value: Any) -> Any:
    """A map of strings to strings (ExpressionAttributeNames) copied as is, and a map of attribute values parsed
    value by value straight through _parse_structure: what the generic walk does, without dispatching each key
    and value by shape (a breach update's ~60 names and values, a fifth of moto's time per transaction)."""
    key_shape, value_shape = shape.key, shape.value
    if (type(value) is dict and key_shape.type_name == "string" and not hasattr(self, "_parse_string")
            and not key_shape.serialization):
        if value_shape.type_name == "string" and not value_shape.serialization:
            return self.MAP_TYPE(value.items())  # moto's _default_handle returns keys and values unchanged
        if value_shape.name == "AttributeValue" and value_shape.type_name == "structure":
            parsed = self.MAP_TYPE()
            for key, item in value.items():
                parsed[key] = self._parse_structure(value_shape, item)
            return parsed
    return _ORIGINAL["parse_map"](self, shape, value)


def _plain_picker(picker: Any, shape: Any) -> bool:
    """moto's usual picker, and no response transformer that could apply to a member's path (key_path.endswith)."""
    if not isinstance(picker, AttributePicker) or picker.alias_providers is not DEFAULT_ALIAS_PROVIDERS:
        return False
    return not any(path.endswith(m) or f".{m}".endswith(path) for path in picker.response_transformers
                   for m in shape.members)


def apply() -> None:
    """Install the fast path (idempotent; the caller serialises calls)."""
    if not _ORIGINAL:
        _ORIGINAL["structure"] = BaseJSONSerializer._serialize_type_structure
        _ORIGINAL["parse_structure"] = BaseJSONParser._parse_structure
        _ORIGINAL["parse_map"] = BaseJSONParser._parse_map
        BaseJSONParser._parse_map = _parse_map  # type: ignore[method-assign]
        BaseJSONSerializer._serialize_type_structure = _serialize_type_structure  # type: ignore[method-assign]
        BaseJSONParser._parse_structure = _parse_structure  # type: ignore[method-assign]


def remove() -> None:
    """moto's own serializer and parser again (the differential tests compare both)."""
    if _ORIGINAL:
        BaseJSONSerializer._serialize_type_structure = _ORIGINAL.pop("structure")  # type: ignore[method-assign]
        BaseJSONParser._parse_structure = _ORIGINAL.pop("parse_structure")  # type: ignore[method-assign]
        BaseJSONParser._parse_map = _ORIGINAL.pop("parse_map")  # type: ignore[method-assign]
