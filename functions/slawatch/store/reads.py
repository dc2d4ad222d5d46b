"""Breach reads: Query-only, merged across day shards in sort-key order, resumable with signed page tokens."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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
        """The first `want` items of the step's partitions in sort-key order, reading about one page in all.

        Each unfinished partition is first asked for its share of the page plus a margin, not for a whole page:
        asking every shard for `want` read shards times a page and threw most of it away. A partition that runs
        out of what it was asked for while it has more is asked again for its part of the rest (another round), so
        each page is still exactly the first `want` items of the merge, and the cursors still say what was taken.
        """
        index_pk, index_sk = _INDEX_KEYS.get(step.index, ("pk", "sk"))
        if step.low > step.high:  # since/until exclude this day altogether
            return [], {partition: "done" for partition in step.partitions}
        reads = {p: _Read(cursors.get(p)) for p in step.partitions if cursors.get(p) != "done"}
        taken: list[dict[str, Any]] = []
        while len(taken) < want:
            dry = [(p, r) for p, r in reads.items() if r.more and not r.buffer]
            if not dry:
                break
            for partition, read in dry:
                limit = _ask(read, len(dry), want - len(taken), len(taken))
                request = _query_request(self.table_name, step, index_pk, index_sk, partition, limit, read.start)
                read.add(self._call(lambda request=request: self.client.query(**request)), index_sk)
            # A partition with more may still hold items sorting before the other partitions' later items (its
            # Query stopped at `limit` or at DynamoDB's 1 MB page): hand out only up to the last key every
            # partition with more has shown, then read again from those that ran dry.
            bound = min((r.shown for r in reads.values() if r.more), default=None)
            _take(reads, index_sk, bound, want, taken)
        new_cursors = dict(cursors)
        for partition, read in reads.items():
            if not read.more and not read.buffer:
                new_cursors[partition] = "done"
            elif read.last_taken is not None:
                new_cursors[partition] = {k: read.last_taken[k]["S"] for k in ("pk", "sk", index_pk, index_sk)}
        return taken, new_cursors

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


@dataclass
class _Read:
    """One partition within one merge: where its next Query starts, what it read and has not handed out."""

    start: Any  # None (the partition's first item) or the key to start after
    buffer: deque = field(default_factory=deque)
    more: bool = True
    shown: str = ""  # sort key of the last item read; nothing of this partition at or before it is unread
    last_taken: dict[str, Any] | None = None
    taken: int = 0

    def add(self, response: dict[str, Any], index_sk: str) -> None:
        self.buffer.extend(response.get("Items", []))
        last = response.get("LastEvaluatedKey")
        self.more = last is not None
        if last is not None:
            self.start = {k: v["S"] for k, v in last.items()}
            self.shown = self.start[index_sk]


def _take(reads: dict[str, _Read], index_sk: str, bound: str | None, want: int, taken: list[dict[str, Any]]) -> None:
    """Move items into `taken` in (sort key, partition) order while they sort no later than `bound`."""
    while len(taken) < want:
        heads = [(r.buffer[0][index_sk]["S"], p) for p, r in reads.items() if r.buffer]
        if not heads:
            return
        key, partition = min(heads)
        if bound is not None and key > bound:
            return
        read = reads[partition]
        read.last_taken = read.buffer.popleft()
        read.taken += 1
        taken.append(read.last_taken)


def _ask(read: _Read, dry: int, need: int, taken: int) -> int:
    """How many items to ask a partition that ran dry for: its likely part of the `need` items still missing.

    First an even share of the page (shards are filled by a hash, so about evenly), later its part of what the
    page has taken so far; a little over either (fewer rounds), never more than all that is missing.
    """
    share = need * read.taken / taken if taken else need / dry
    if dry == 1 and not taken:
        return need  # a lone partition (a folder, or one shard left) is asked for exactly the page
    return max(1, min(need, math.ceil(share + math.sqrt(share) / 2)))


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
