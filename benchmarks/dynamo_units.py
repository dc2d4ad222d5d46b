"""DynamoDB's documented capacity rules, for counting what a request costs where moto cannot tell.

moto answers ``ReturnConsumedCapacity`` with fixed placeholders (it does not size items, double transactional
writes or charge index writes), so the benchmarks compute units from the items themselves:

- Item size: each attribute's name (UTF-8 bytes) plus its value: strings UTF-8 bytes, binary bytes, numbers
  about 1 byte per 2 significant digits plus 1, booleans and null 1 byte, lists and maps 3 bytes plus 1 byte per
  element plus the elements, sets the sum of their elements.
- Writes (PutItem, UpdateItem, DeleteItem): one unit per started 1 KB of the larger of the item before and after
  (a failed condition still consumes units for the existing item, at least 1); transactional writes two.
- Each global secondary index the write touches costs its own units: putting an index entry for a new key, a
  delete for a removed key, a delete and a put when the key changes, one write when a projected attribute changes.
  Index entries of an ALL projection are the item's size.
- Reads: GetItem one unit per started 4 KB (half for eventually consistent reads, a missing item still 0.5 / 1);
  Query the sum of the returned items' sizes rounded up to 4 KB once per call, halved when eventually consistent
  (index queries always are).
- Storage: item size plus 100 bytes per item and per index entry.
Source: Amazon DynamoDB Developer Guide, "Item sizes and formats", "Read/write capacity mode", "Global secondary
indexes: provisioned throughput considerations" (read 2026-12-01).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
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


def index_writes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None,
                 key_names: tuple[str, str]) -> list[int]:
    """Sizes of the index entry writes one base-table write causes in one ALL-projected index."""
    old = _index_key(before, key_names)
    new = _index_key(after, key_names)
    if old is None and new is None:
        return []
    if old is None:
        return [item_size(after)]
    if new is None:
        return [item_size(before)]
    if old != new:
        return [item_size(before), item_size(after)]
    return [item_size(after)] if dict(before or {}) != dict(after or {}) else []


def _index_key(item: Mapping[str, Any] | None, key_names: tuple[str, str]) -> tuple[Any, ...] | None:
    if not item or any(name not in item for name in key_names):
        return None
    return tuple(str(item[name]) for name in key_names)


def get_units(size: int, *, consistent: bool) -> float:
    units = max(1, math.ceil(size / READ_UNIT_BYTES))
    return float(units if consistent else units / 2)


def query_units(sizes: list[int], *, consistent: bool) -> float:
    return get_units(sum(sizes), consistent=consistent)


def storage_bytes(item: Mapping[str, Any], index_keys: list[tuple[str, str]]) -> int:
    size = item_size(item) + STORAGE_OVERHEAD_BYTES
    entries = sum(1 for keys in index_keys if _index_key(item, keys) is not None)
    return size + entries * (item_size(item) + STORAGE_OVERHEAD_BYTES)
