"""What every part of the breach store shares: the client, the retry loop for single calls, (de)serialisation."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from slawatch import keys, retention
from slawatch.errors import StoreUnavailable
from slawatch.names import storable
from slawatch.retry import backoff_delay

TRANSIENT_CODES = {
    "ThrottlingError",
    "ThrottlingException",
    "ProvisionedThroughputExceeded",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "TransactionConflict",
    "TransactionConflictException",
    "TransactionInProgressException",
    "InternalServerError",
    "ServiceUnavailable",
}
_HIDDEN = {"pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "entityType", retention.ATTRIBUTE}
_serialiser = TypeSerializer()
_NUMBER_LIMIT = 10**38
_deserialiser = TypeDeserializer()


class StoreBase:
    """The table, its client and the retry policy; the write, record and read parts build on it."""

    def __init__(
        self,
        table_name: str,
        client: Any | None = None,
        *,
        shards: int | None = None,
        retention_days: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_rounds: int = 12,
        base_delay: float = 0.05,
        max_delay: float = 5.0,
    ):
        self.table_name = table_name
        self.client = client or boto3.client("dynamodb")
        self.shards = shards or keys.day_shards()
        self.retention_days = retention.retention_days() if retention_days is None else retention_days
        self._sleep = sleep
        self._max_rounds = max_rounds
        self._base_delay = base_delay
        self._max_delay = max_delay

    def _call(self, fn: Callable[[], Any]) -> Any:
        """Single-item calls: boto3's own retries plus ours, with backoff, on throttling."""
        for attempt in range(self._max_rounds):
            try:
                return fn()
            except ClientError as exc:
                if not is_transient(exc.response.get("Error", {}).get("Code", "")):
                    raise
            self._sleep(backoff_delay(attempt, self._base_delay, self._max_delay))
        raise StoreUnavailable(f"DynamoDB kept throttling after {self._max_rounds} tries")


def is_transient(code: str) -> bool:
    """A DynamoDB error code worth retrying with backoff."""
    return code in TRANSIENT_CODES or code.endswith("ThrottlingException")


def serialise(item: dict[str, Any]) -> dict[str, Any]:
    """DynamoDB's wire form; strings holding lone surrogates become their readable form (slawatch.names)."""
    return {k: _wire(storable(v)) for k, v in item.items()}


def _wire(value: Any) -> dict[str, Any]:
    """Strings and ordinary integers directly, the rest by boto3's TypeSerializer: a breach write serialises
    about twenty values, and the serialiser's generality was a fifth of the Persist step's own time."""
    if type(value) is str:
        return {"S": value}
    if type(value) is int and -_NUMBER_LIMIT < value < _NUMBER_LIMIT:  # not bool; DynamoDB keeps 38 digits
        return {"N": str(value)}
    return _serialiser.serialize(value)


def public(item: dict[str, Any]) -> dict[str, Any]:
    """An item as the API shows it: key attributes hidden, numbers plain, attributes sorted."""
    plain = {k: _plain(_deserialiser.deserialize(v)) for k, v in item.items() if k not in _HIDDEN}
    return dict(sorted(plain.items()))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set):
        return sorted(_plain(v) for v in value)
    return value
