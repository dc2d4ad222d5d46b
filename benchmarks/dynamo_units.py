"""DynamoDB's documented capacity rules, for counting what a request costs where moto cannot tell.

moto answers ``ReturnConsumedCapacity`` with fixed placeholders (it does not size items, double transactional
writes or charge index writes), so the benchmarks compute units from the items themselves:

- Item size: each attribute's name (UTF-8 bytes) plus its value: strings UTF-8 bytes, binary bytes, numbers
  about 1 byte per 2 significant digits plus 1, booleans and null 1 byte, lists and maps 3 bytes plus 1 byte per
  element plus the elements, sets the sum of their elements.
- Writes (PutItem, UpdateItem, DeleteItem): one unit per started 1 KB of the larger of the item before and after
  (a failed condition still consumes units for the existing item, at least 1); transactional writes two.
- Each global secondary index the write touches costs its own units: putting an index entry for a new key, a
  delete for a removed key, a delete and a put when the key changes, one write when a projected attribute changes
  and nothing when none does (an update that sets attributes the index does not project, or sets projected ones
  to the values they had). An index entry is the table's and the index's keys plus the projected attributes:
  the whole item for ALL, the keys for KEYS_ONLY, the keys and NonKeyAttributes for INCLUDE.
- Reads: GetItem one unit per started 4 KB (half for eventually consistent reads, a missing item still 0.5 / 1);
  BatchGetItem the same per item (each item rounded up on its own; a key without an item counted as a missing
  GetItem); Query the sum of the returned items' sizes rounded up to 4 KB once per call, halved when eventually
  consistent (index queries always are).
- Storage: item size plus 100 bytes per item, and per index entry its own size plus 100 bytes.
Source: Amazon DynamoDB Developer Guide, "Item sizes and formats", "Read/write capacity mode", "Global secondary
indexes: provisioned throughput considerations", "Attribute projections" (read 2026-12-01).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

WRITE_UNIT_BYTES = 1024
READ_UNIT_BYTES = 4096
STORAGE_OVERHEAD_BYTES = 100


def number_size(text: str) -> int:
    digits = str(Decimal(text).normalize()).lstrip("-").replace(".", "")
    significant = len(digits.split("E")[0].lstrip("0")) or 1
    return math.ceil(significant / 2) + 1


def value_size(value: Mapping[str, Any]) -> int:
    """Size of one attribute value in DynamoDB's JSON form ({"S": ...}, {"N": ...}, {"M": {...}}, ...)."""
    (kind, inner), = value.items()
    if kind == "S":
        return len(inner.encode("utf-8"))
    if kind == "N":
        return number_size(inner)
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode("utf-8")) for s in inner)
    if kind == "NS":
        return sum(number_size(n) for n in inner)
    if kind == "BS":
        return sum(len(b) for b in inner)
    if kind == "L":
        return 3 + sum(1 + value_size(v) for v in inner)
    if kind == "M":
        return 3 + sum(1 + len(k.encode("utf-8")) + value_size(v) for k, v in inner.items())
    raise ValueError(f"unknown DynamoDB type {kind}")


def item_size(item: Mapping[str, Mapping[str, Any]] | None) -> int:
    if not item:
        return 0
    return sum(len(name.encode("utf-8")) + value_size(value) for name, value in item.items())


def write_units(before: int, after: int, *, transactional: bool = False) -> int:
    units = max(1, math.ceil(max(before, after) / WRITE_UNIT_BYTES))
    return 2 * units if transactional else units


@dataclass(frozen=True)
class Index:
    """One global secondary index as far as units go: its keys, the table's keys and what it projects."""

    keys: tuple[str, str]
    table_keys: tuple[str, ...] = ("pk", "sk")
    projection: str = "ALL"  # ALL | KEYS_ONLY | INCLUDE
    attributes: frozenset[str] = frozenset()  # NonKeyAttributes of an INCLUDE projection

    @classmethod
    def from_definition(cls, index: Mapping[str, Any], table_keys: tuple[str, ...]) -> Index:
        """From a GlobalSecondaryIndexes entry of create_table (or template.yaml's table)."""
        schema = {k["KeyType"]: k["AttributeName"] for k in index["KeySchema"]}
        projection = index.get("Projection", {})
        return cls((schema["HASH"], schema["RANGE"]), table_keys, projection.get("ProjectionType", "ALL"),
                   frozenset(projection.get("NonKeyAttributes", [])))

    def entry(self, item: Mapping[str, Any] | None) -> dict[str, Any] | None:
        """The item's entry in this index, or None when the item lacks an index key (not in the index)."""
        if not item or any(name not in item for name in self.keys):
            return None
        if self.projection == "ALL":
            return dict(item)
        kept = {*self.keys, *self.table_keys, *(self.attributes if self.projection == "INCLUDE" else ())}
        return {name: value for name, value in item.items() if name in kept}


def template_indexes(logical_id: str = "BreachTable") -> list[Index]:
    """The table's indexes and their projections as template.yaml declares them (local/template.py reads it)."""
    from local.template import table_definition

    table = table_definition(logical_id)
    table_keys = tuple(k["AttributeName"] for k in table["KeySchema"])
    return [Index.from_definition(index, table_keys) for index in table["GlobalSecondaryIndexes"]]


def index_writes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, index: Index) -> list[int]:
    """Sizes of the index entry writes one base-table write causes in one index."""
    old, new = index.entry(before), index.entry(after)
    if old is None and new is None:
        return []
    if old is None:
        return [item_size(new)]
    if new is None:
        return [item_size(old)]
    if _index_key(old, index.keys) != _index_key(new, index.keys):
        return [item_size(old), item_size(new)]
    return [item_size(new)] if old != new else []


def _index_key(item: Mapping[str, Any], key_names: tuple[str, str]) -> tuple[Any, ...]:
    return tuple(str(item[name]) for name in key_names)


def get_units(size: int, *, consistent: bool) -> float:
    units = max(1, math.ceil(size / READ_UNIT_BYTES))
    return float(units if consistent else units / 2)


def query_units(sizes: list[int], *, consistent: bool) -> float:
    return get_units(sum(sizes), consistent=consistent)


def batch_get_units(sizes: list[int], missing: int, *, consistent: bool) -> float:
    """BatchGetItem: every item rounded up on its own, as that many GetItems would be."""
    return sum(get_units(size, consistent=consistent) for size in sizes) + missing * get_units(0, consistent=consistent)


def storage_bytes(item: Mapping[str, Any], indexes: list[Index]) -> int:
    size = item_size(item) + STORAGE_OVERHEAD_BYTES
    entries = [index.entry(item) for index in indexes]
    return size + sum(item_size(entry) + STORAGE_OVERHEAD_BYTES for entry in entries if entry is not None)
