"""Opaque page tokens that cannot be used to read outside the query they came from.

A token is base64url JSON holding the query's fingerprint and DynamoDB start keys. Nothing secret is in it;
instead every start key is checked against the partition the query is allowed to read, so a forged or
edited token is a 400, never a DynamoDB error and never a way into another partition.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

TOKEN_VERSION = 1
MAX_TOKEN_CHARS = 8192


class InvalidToken(ValueError):
    """The nextToken is malformed, edited, or belongs to a different query."""


def fingerprint(query: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(query, sort_keys=True).encode()).hexdigest()[:16]


def encode_token(query: dict[str, Any], state: dict[str, Any]) -> str:
    payload = {"v": TOKEN_VERSION, "q": fingerprint(query), "s": state}
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str, query: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
        raise InvalidToken("nextToken is not a token returned by this API")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested thousands deep
        raise InvalidToken("nextToken is not a token returned by this API") from None
    if not isinstance(payload, dict) or payload.get("v") != TOKEN_VERSION or not isinstance(payload.get("s"), dict):
        raise InvalidToken("nextToken is not a token returned by this API")
    if payload.get("q") != fingerprint(query):
        raise InvalidToken("nextToken belongs to a different query; repeat the query with its own parameters")
    return payload["s"]


def check_start_key(key: Any, *, index_pk: str, index_sk: str, partition: str) -> dict[str, str]:
    """A start key must name exactly the table and index keys, all strings, inside the expected partition."""
    expected = {"pk", "sk", index_pk, index_sk}
    if (
        not isinstance(key, dict)
        or set(key) != expected
        or not all(isinstance(v, str) and 0 < len(v) <= 1024 for v in key.values())
        or key[index_pk] != partition
    ):
        raise InvalidToken("nextToken is not a token returned by this API")
    return key
