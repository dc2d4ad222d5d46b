"""Incidents and scanner hosts in the single table (layout in slawatch.keys): conditional writes, Query reads.

Every write is conditional on the version the caller read (or on the item not existing yet), so two reports of
one host processed at the same time, or one report delivered twice, cannot both apply a change: the loser gets
`Conflict`, reloads and finds the change already there. Only the writer whose write succeeded publishes the
notification it carries (slawatch.incident_service).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError

from slawatch import keys
from slawatch.incidents import RESOLVED, Change, Host, Incident
from slawatch.pagination import InvalidToken, check_start_key, decode_token, encode_token
from slawatch.retry import retry_call
from slawatch.store.base import TRANSIENT_CODES, is_transient, serialise
from slawatch.store.completion import complete_page
from slawatch.timestamps import format_timestamp

_deserialiser = TypeDeserializer()
_INCIDENT_FIELDS = {f.name for f in fields(Incident)}
_HOST_FIELDS = {f.name for f in fields(Host)}
PUBLIC_HIDDEN = {"last_sighting", "floor", "notify", "version", "slot"}
_ATTEMPTS = 8


class Conflict(Exception):
    """Someone else changed the host's records since they were read: reload and apply again."""


@dataclass(frozen=True)
class IncidentPage:
    items: list[dict[str, Any]]
    next_token: str | None


class IncidentStore:
    def __init__(self, table_name: str, client: Any | None = None, *, sleep: Callable[[float], None] = time.sleep):
        self.table_name = table_name
        self.client = client or boto3.client("dynamodb")
        self._sleep = sleep

    # ------------------------------------------------------------------ one host
    def load(self, host: str) -> tuple[Host | None, dict[str, Incident]]:
        """The host's record and every slot (its latest incident per folder): one strongly consistent Query."""
        pk = keys.host_key(host)["pk"]
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": pk}},
            "ConsistentRead": True,
        }
        found: Host | None = None
        slots: dict[str, Incident] = {}
        while True:
            response = self._call(lambda: self.client.query(**request))
            for item in response.get("Items", []):
                plain = _plain(item)
                if plain.get("entityType") == keys.ENTITY_HOST:
                    found = _from_item(Host, _HOST_FIELDS, plain)
                else:
                    incident = _from_item(Incident, _INCIDENT_FIELDS, plain)
                    slots[incident.slot] = incident
            if "LastEvaluatedKey" not in response:
                return found, slots
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def save(self, before: Host | None, after: Host, changes: list[Change]) -> None:
        """Apply the slot changes, then the host record; Conflict when any of them moved meanwhile."""
        for change in changes:
            put = self._put(_incident_item(change.incident), change.previous.version if change.previous else None)
            if change.archive is None:
                self._conditional(lambda put=put: self.client.put_item(**put))
                continue
            actions = [{"Put": self._history(change.archive)}, {"Put": put}]
            self._conditional(lambda actions=actions: self.client.transact_write_items(TransactItems=actions))
        self.save_host(before, after)

    def save_host(self, before: Host | None, after: Host) -> None:
        if after == before:
            return  # nothing new about the host (a duplicate): no write
        put = self._put(_host_item(after, silent=False), before.version if before else None)
        self._conditional(lambda: self.client.put_item(**put))

    def save_silent(self, host: Host, change: Change) -> None:
        """Open the host's silent incident and take the host off the due list, atomically with its version."""
        flagged = replace(host, version=host.version + 1)
        actions = [{"Put": self._put(_host_item(flagged, silent=True), host.version)},
                   {"Put": self._put(_incident_item(change.incident),
                                     change.previous.version if change.previous else None)}]
        if change.archive is not None:
            actions.append({"Put": self._history(change.archive)})
        self._conditional(lambda: self.client.transact_write_items(TransactItems=actions))

    def mark_notified(self, incident: Incident) -> None:
        """Clear the outbox flag once the notification is out; a newer version keeps its own flag."""
        request = {
            "TableName": self.table_name,
            "Key": serialise(keys.slot_key(incident.host, incident.slot)),
            "UpdateExpression": "REMOVE notify",
            "ConditionExpression": "version = :v AND notify = :n",
            "ExpressionAttributeValues": serialise({":v": incident.version, ":n": incident.notify}),
        }
        with contextlib.suppress(Conflict):
            self._conditional(lambda: self.client.update_item(**request))

    # ------------------------------------------------------------------ the silence checker
    def overdue_hosts(self, now: datetime, limit: int = 1000) -> list[str]:
        """Hosts whose silence threshold has passed and that are not flagged yet (ByFolder index, HOSTS#DUE): their
        names only, the one attribute the index projects for them; the checker loads each host from the table."""
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": keys.INDEX_BY_FOLDER,
            "KeyConditionExpression": "gsi2pk = :pk AND gsi2sk <= :now",
            "ExpressionAttributeValues": serialise({":pk": keys.HOSTS_DUE, ":now": format_timestamp(now) + "~"}),
            "Limit": limit,
        }
        response = self._call(lambda: self.client.query(**request))
        return [item["host"]["S"] for item in response.get("Items", [])]

    def open_counts(self) -> dict[str, int]:
        """How many incidents are open, recovering, and how many hosts are silent: the dashboard's gauges."""
        counts = {"open": 0, "recovering": 0, "silent": 0}
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": keys.INDEX_BY_DAY,
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": keys.OPEN_INCIDENTS}},
            "ProjectionExpression": "kind, #state",
            "ExpressionAttributeNames": {"#state": "state"},
        }
        while True:
            response = self._call(lambda: self.client.query(**request))
            for item in response.get("Items", []):
                bucket = "silent" if item["kind"]["S"] == "silent" else item["state"]["S"]
                counts[bucket] = counts.get(bucket, 0) + 1
            if "LastEvaluatedKey" not in response:
                return counts
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    # ------------------------------------------------------------------ reads for GET /incidents
    def open_incidents(self, *, limit: int = 100, token: str | None = None) -> IncidentPage:
        """Open (and recovering) incidents, oldest first: what is stuck right now."""
        return self._page([keys.OPEN_INCIDENTS], limit, token, {"kind": "incidents", "state": "open"})

    def resolved_incidents(self, days: list[str], *, limit: int = 100, token: str | None = None) -> IncidentPage:
        """Incidents resolved on the given UTC days, oldest first."""
        query = {"kind": "incidents", "state": "resolved", "from": days[0], "to": days[-1]}
        return self._page([keys.resolved_incidents_pk(day) for day in days], limit, token, query)

    def _page(self, partitions: list[str], limit: int, token: str | None, query: dict[str, Any]) -> IncidentPage:
        index, start = 0, None
        if token is not None:
            state = decode_token(token, query)
            index, start = state.get("i"), state.get("k")
            if not isinstance(index, int) or not 0 <= index < len(partitions):
                raise InvalidToken("nextToken is not a token returned by this API")
            if start is not None:
                check_start_key(start, index_pk="gsi1pk", index_sk="gsi1sk", partition=partitions[index])
        found: list[dict[str, Any]] = []  # index entries: keys and order only (template.yaml projects kind, state)
        while index < len(partitions) and len(found) < limit:
            request: dict[str, Any] = {
                "TableName": self.table_name,
                "IndexName": keys.INDEX_BY_DAY,
                "KeyConditionExpression": "gsi1pk = :pk",
                "ExpressionAttributeValues": {":pk": {"S": partitions[index]}},
                "Limit": limit - len(found),
            }
            if start:
                request["ExclusiveStartKey"] = serialise(start)
            response = self._call(lambda request=request: self.client.query(**request))
            found.extend(response.get("Items", []))
            last = response.get("LastEvaluatedKey")
            if last:
                start = {k: v["S"] for k, v in last.items()}
            else:
                index, start = index + 1, None
        more = index < len(partitions)
        items = complete_page(self.client, self.table_name, found, ("gsi1pk", "gsi1sk"), sleep=self._sleep,
                              rounds=_ATTEMPTS)
        return IncidentPage([public(_from_item(Incident, _INCIDENT_FIELDS, _plain(item))) for item in items],
                            encode_token(query, {"i": index, "k": start}) if more else None)

    # ------------------------------------------------------------------ plumbing
    def _history(self, resolved: Incident) -> dict[str, Any]:
        """A resolved incident moving out of its slot into its own item (written once)."""
        return self._put({**_incident_item(resolved), **keys.incident_key(resolved.incident_id)}, None)

    def _put(self, item: dict[str, Any], version: int | None) -> dict[str, Any]:
        request: dict[str, Any] = {"TableName": self.table_name, "Item": serialise(item)}
        if version is None:
            request["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            request["ConditionExpression"] = "version = :v"
            request["ExpressionAttributeValues"] = serialise({":v": version})
        return request

    def _conditional(self, fn: Callable[[], Any]) -> Any:
        try:
            return self._call(fn)
        except ClientError as exc:
            error = exc.response.get("Error", {}).get("Code", "")
            reasons = [r.get("Code") for r in exc.response.get("CancellationReasons") or []]
            if error == "ConditionalCheckFailedException" or "ConditionalCheckFailed" in reasons:
                raise Conflict from None
            raise

    def _call(self, fn: Callable[[], Any]) -> Any:
        return retry_call(fn, should_retry=_transient, attempts=_ATTEMPTS, sleep=self._sleep)


def public(incident: Incident) -> dict[str, Any]:
    """An incident as the API shows it: camelCase, no bookkeeping, no empty fields."""
    shown = {_camel(k): v for k, v in asdict(incident).items() if k not in PUBLIC_HIDDEN and v is not None}
    return dict(sorted(shown.items()))


def _transient(exc: Exception) -> bool:
    if not isinstance(exc, ClientError):
        return False
    code = exc.response.get("Error", {}).get("Code", "")
    if code == "TransactionCanceledException":
        reasons = {r.get("Code") for r in exc.response.get("CancellationReasons") or []}
        return bool(reasons & TRANSIENT_CODES)
    return is_transient(code)


def _incident_item(incident: Incident) -> dict[str, Any]:
    if incident.state == RESOLVED:
        resolved = incident.resolved_at or incident.last_seen
        index = {"gsi1pk": keys.resolved_incidents_pk(resolved[:10]),
                 "gsi1sk": keys.time_sort_key(resolved, incident.incident_id)}
    else:
        index = {"gsi1pk": keys.OPEN_INCIDENTS, "gsi1sk": keys.time_sort_key(incident.opened_at, incident.incident_id)}
    return {**keys.slot_key(incident.host, incident.slot), **index, "entityType": keys.ENTITY_INCIDENT,
            **_attributes(incident)}


def _host_item(host: Host, *, silent: bool) -> dict[str, Any]:
    host_id = keys.host_id(host.host)
    return {**keys.host_key(host.host), "entityType": keys.ENTITY_HOST,
            "gsi2pk": keys.HOSTS_SILENT if silent else keys.HOSTS_DUE,
            "gsi2sk": keys.time_sort_key(host.silent_after, host_id), **_attributes(host)}


def _attributes(record: Any) -> dict[str, Any]:
    return {_camel(k): v for k, v in asdict(record).items() if v is not None}


def _from_item(cls: type, names: set[str], item: dict[str, Any]) -> Any:
    values = {_snake(k): v for k, v in item.items()}
    return cls(**{k: v for k, v in values.items() if k in names})


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    values = {k: _deserialiser.deserialize(v) for k, v in item.items()}
    return {k: int(v) if hasattr(v, "to_integral_value") else v for k, v in values.items()}

