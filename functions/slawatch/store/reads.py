"""Breach reads: Query-only, merged across day shards in sort-key order, resumable with signed page tokens."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slawatch import keys
from slawatch.pagination import InvalidToken, check_start_key, decode_token, encode_token
from slawatch.store.base import StoreBase, public, serialise
from slawatch.store.completion import complete_page
from slawatch.timestamps import format_timestamp

_INDEX_KEYS = {keys.INDEX_BY_DAY: ("gsi1pk", "gsi1sk"), keys.INDEX_BY_FOLDER: ("gsi2pk", "gsi2sk")}


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_token: str | None


@dataclass(frozen=True)
class _Step:
    """One stretch of a query: the partitions to merge and the sort-key bounds within them."""

    index: str | None
    partitions: tuple[str, ...]
    low: str
    high: str


class BreachReads(StoreBase):
    """Breaches and report outcomes, by key, by affected day and by folder."""

    def get_breach(self, breach_id: str) -> dict[str, Any] | None:
        response = self._call(
            lambda: self.client.get_item(TableName=self.table_name, Key=serialise(keys.breach_key(breach_id)))
        )
        return public(response["Item"]) if "Item" in response else None

    def breaches_by_day(
        self,
        first_day: str,
        last_day: str | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
        token: str | None = None,
    ) -> Page:
        """Breaches whose affected date (UTC day of breachedAt) is in [first_day, last_day], oldest first."""
        days = _days(first_day, last_day or first_day)
        steps = [
            _Step(
                keys.INDEX_BY_DAY,
                tuple(keys.by_day_pk(day, shard) for shard in range(self.shards)),
                _low(day, since),
                _high(day, until),
            )
            for day in days
        ]
        query = {"kind": "day", "from": first_day, "to": last_day, "since": _opt(since), "until": _opt(until)}
        return self._page(steps, limit, token, query)

    def breaches_by_folder(
        self,
        folder_id: str,
        first_day: str,
        last_day: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
        token: str | None = None,
    ) -> Page:
        """One folder's breaches with affected dates in [first_day, last_day]: one partition, one Query."""
        step = _Step(
            keys.INDEX_BY_FOLDER, (keys.by_folder_pk(folder_id),), _low(first_day, since), _high(last_day, until)
        )
        query = {"kind": "folder", "folder": folder_id, "from": first_day, "to": last_day,
                 "since": _opt(since), "until": _opt(until)}
        return self._page([step], limit, token, query)

    def reports_by_day(self, first_day: str, last_day: str | None = None, *, limit: int = 100,
                       token: str | None = None) -> Page:
        """Report outcomes (accepted / rejected / failed) by the UTC day they were received."""
        steps = [
            _Step(keys.INDEX_BY_DAY, (keys.reports_by_day_pk(day),), _low(day, None), _high(day, None))
            for day in _days(first_day, last_day or first_day)
        ]
        return self._page(steps, limit, token, {"kind": "reports", "from": first_day, "to": last_day})

    def _page(self, steps: list[_Step], limit: int, token: str | None, query: dict[str, Any]) -> Page:
        step_no, cursors = 0, {}
        if token is not None:
            step_no, cursors = _read_state(decode_token(token, query), steps)
        found: list[dict[str, Any]] = []
        while step_no < len(steps) and len(found) < limit:
            taken, cursors = self._merge_step(steps[step_no], limit - len(found), cursors)
            found.extend(taken)
            if all(cursors.get(p) == "done" for p in steps[step_no].partitions):
                step_no, cursors = step_no + 1, {}
        next_token = encode_token(query, {"i": step_no, "c": cursors}) if step_no < len(steps) else None
        return Page([public(item) for item in self._from_table(found, steps[0].index)], next_token)

    def _from_table(self, entries: list[dict[str, Any]], index: str | None) -> list[dict[str, Any]]:
        """The items behind a page of index entries (the indexes project few attributes: completion.py)."""
        return complete_page(self.client, self.table_name, entries, _INDEX_KEYS[index], sleep=self._sleep,
                             rounds=self._max_rounds, base_delay=self._base_delay, max_delay=self._max_delay)

    def _merge_step(
        self, step: _Step, want: int, cursors: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Read up to `want` items from each partition and merge them in sort-key order."""
        index_pk, index_sk = _INDEX_KEYS.get(step.index, ("pk", "sk"))
        if step.low > step.high:  # since/until exclude this day altogether
            return [], {partition: "done" for partition in step.partitions}
        results: dict[str, tuple[list[dict[str, Any]], bool]] = {}
        for partition in step.partitions:
            cursor = cursors.get(partition)
            if cursor == "done":
                continue
            request = _query_request(self.table_name, step, index_pk, index_sk, partition, want, cursor)
            response = self._call(lambda request=request: self.client.query(**request))
            results[partition] = (response.get("Items", []), "LastEvaluatedKey" in response)
        streams = [[(item[index_sk]["S"], p, n, item) for n, item in enumerate(items)]
                   for p, (items, _) in results.items()]
        # A partition that stopped early (DynamoDB's 1 MB page) may still hold items sorting before the other
        # partitions' later items: merge only up to the last key every unfinished partition has shown.
        bound = min((items[-1][index_sk]["S"] for items, more in results.values() if more and items), default=None)
        merged = heapq.merge(*streams, key=lambda e: e[:3])
        taken = [entry for _, entry in zip(range(want), merged, strict=False) if bound is None or entry[0] <= bound]
        new_cursors = dict(cursors)
        for partition, (items, more) in results.items():
            mine = [item for _, p, _, item in taken if p == partition]
            if len(mine) == len(items) and not more:
                new_cursors[partition] = "done"
            elif mine:
                new_cursors[partition] = {k: mine[-1][k]["S"] for k in ("pk", "sk", index_pk, index_sk)}
        return [item for *_, item in taken], new_cursors

    def _query_all(self, index: str | None, pk_name: str, sk_name: str, pk: str, low: str, high: str) -> list:
        step = _Step(index, (pk,), low, high)
        items: list[dict[str, Any]] = []
        cursor: Any = None
        while cursor != "done":
            request = _query_request(self.table_name, step, pk_name, sk_name, pk, 1000, cursor)
            response = self._call(lambda request=request: self.client.query(**request))
            items.extend(response.get("Items", []))
            last = response.get("LastEvaluatedKey")
            cursor = {k: v["S"] for k, v in last.items()} if last else "done"
        return items


def _query_request(
    table: str, step: _Step, index_pk: str, index_sk: str, partition: str, limit: int, cursor: Any
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "#pk = :pk AND #sk BETWEEN :low AND :high",
        "ExpressionAttributeNames": {"#pk": index_pk, "#sk": index_sk},
        "ExpressionAttributeValues": serialise({":pk": partition, ":low": step.low, ":high": step.high}),
        "Limit": max(1, min(limit, 1000)),
    }
    if step.index:
        request["IndexName"] = step.index
    if isinstance(cursor, dict):
        request["ExclusiveStartKey"] = serialise(cursor)
    return request


def _read_state(state: dict[str, Any], steps: list[_Step]) -> tuple[int, dict[str, Any]]:
    step_no, cursors = state.get("i"), state.get("c")
    if not isinstance(step_no, int) or not 0 <= step_no < len(steps) or not isinstance(cursors, dict):
        raise InvalidToken("nextToken is not a token returned by this API")
    step = steps[step_no]
    index_pk, index_sk = _INDEX_KEYS.get(step.index, ("pk", "sk"))
    for partition, cursor in cursors.items():
        if partition not in step.partitions:
            raise InvalidToken("nextToken is not a token returned by this API")
        if cursor != "done":
            check_start_key(cursor, index_pk=index_pk, index_sk=index_sk, partition=partition)
            if not step.low <= cursor[index_sk] <= step.high:  # DynamoDB would answer a ValidationException
                raise InvalidToken("nextToken is not a token returned by this API")
    return step_no, cursors


def _days(first: str, last: str) -> list[str]:
    start = datetime.strptime(first, "%Y-%m-%d")
    end = datetime.strptime(last, "%Y-%m-%d")
    return [(start + timedelta(days=n)).strftime("%Y-%m-%d") for n in range((end - start).days + 1)]


def _low(day: str, since: datetime | None) -> str:
    start = f"{day}T00:00:00.000Z"
    return max(start, format_timestamp(since)) if since else start


def _high(day: str, until: datetime | None) -> str:
    end = f"{day}T23:59:59.999Z~"  # "~" sorts after the "#<id>" suffix of every sort key of that instant
    return min(end, format_timestamp(until) + "~") if until else end


def _opt(value: datetime | None) -> str | None:
    return format_timestamp(value) if value else None


def iter_pages(fetch: Callable[[str | None], Page]) -> Iterable[dict[str, Any]]:
    """Follow nextToken until the last page (CLI and demo)."""
    token: str | None = None
    while True:
        page = fetch(token)
        yield from page.items
        token = page.next_token
        if not token:
            return
