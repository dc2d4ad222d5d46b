"""Listing pages completed from the table: the indexes give keys and order, BatchGetItem gives the items.

Both indexes project only a few attributes (template.yaml says which and why), so a repeat sighting of a breach
changes no index entry and costs no index write. A page of breaches, report records or incidents is therefore
read in two steps: the index Query picks the entries and their order (and the page token), then the items
themselves are read from the table, 100 keys a call, eventually consistent like the index itself.

An entry whose item is gone (TTL deleted it after the index was read) is dropped, and so is one whose item has
moved meanwhile (its index keys changed: an incident resolved, a breach re-sharded): the index lists it at its
new place, so it is never shown where it no longer belongs, nor twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from slawatch.errors import StoreUnavailable
from slawatch.retry import backoff_delay
from slawatch.store.base import is_transient

BATCH_GET_KEYS = 100  # BatchGetItem's limit per call
TABLE_KEYS = ("pk", "sk")

Item = dict[str, Any]


def complete_page(
    client: Any,
    table: str,
    entries: list[Item],
    index_keys: tuple[str, str],
    *,
    sleep: Callable[[float], None] = time.sleep,
    rounds: int = 12,
    base_delay: float = 0.05,
    max_delay: float = 5.0,
) -> list[Item]:
    """The table items behind `entries` (index entries in DynamoDB's wire form), in the entries' order."""
    keys = list({_key(entry): None for entry in entries})
    found: dict[tuple[str, str], Item] = {}
    for start in range(0, len(keys), BATCH_GET_KEYS):
        chunk = keys[start : start + BATCH_GET_KEYS]
        found.update(_batch_get(client, table, chunk, sleep, rounds, base_delay, max_delay))
    items = (found.get(_key(entry)) for entry in entries)
    return [item for entry, item in zip(entries, items, strict=True)
            if item is not None and _same_place(entry, item, index_keys)]


def _batch_get(
    client: Any,
    table: str,
    keys: list[tuple[str, str]],
    sleep: Callable[[float], None],
    rounds: int,
    base_delay: float,
    max_delay: float,
) -> dict[tuple[str, str], Item]:
    """One chunk of keys; UnprocessedKeys and throttling retried with backoff, StoreUnavailable when they persist."""
    request = {table: {"Keys": [{name: {"S": value} for name, value in zip(TABLE_KEYS, key, strict=True)}
                                for key in keys]}}
    found: dict[tuple[str, str], Item] = {}
    for attempt in range(rounds):
        try:
            response = client.batch_get_item(RequestItems=request)
        except ClientError as exc:
            if not is_transient(exc.response.get("Error", {}).get("Code", "")):
                raise
        else:
            found.update((_key(item), item) for item in response.get("Responses", {}).get(table, []))
            request = {t: r for t, r in (response.get("UnprocessedKeys") or {}).items() if r.get("Keys")}
            if not request:
                return found
        sleep(backoff_delay(attempt, base_delay, max_delay))
    raise StoreUnavailable(f"DynamoDB did not return {len(request[table]['Keys'])} items after {rounds} tries")


def _key(item: Item) -> tuple[str, str]:
    return item["pk"]["S"], item["sk"]["S"]


def _same_place(entry: Item, item: Item, index_keys: tuple[str, str]) -> bool:
    return all(item.get(name) == entry.get(name) for name in index_keys)
