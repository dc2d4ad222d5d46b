"""Search API fixtures: REST proxy events as API Gateway sends them; breaches seeded by the ingest path."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from local.template import table_definition
from search import app as search_app
from slawatch.ingest import prepare, write
from slawatch.paths import canonical_folder
from slawatch.store import BreachStore
from tests.conftest import TABLE

READ_SCOPE = "aws.cognito.signin.user.admin slawatch/breaches.read"
SNAPSHOT_TABLE = "slawatch-search-seed"
API_REQUEST_ID = "a1b2c3d4-0000-4000-8000-00000000abcd"

PAYMENTS = "D:\\Inbound\\Payments"  # Windows: case-insensitive, either separator
OUTBOUND = "\\\\fs01\\Exchange\\Outbound\\"
POSIX_UPPER = "/srv/Data"  # POSIX: case-sensitive, so /srv/data is another folder
POSIX_LOWER = "/srv/data"


def rest_event(
    path: str = "/breaches",
    params: dict[str, Any] | None = None,
    *,
    multi: dict[str, list[str]] | None = None,
    scope: str | None = READ_SCOPE,
    authorizer: bool = True,
) -> dict[str, Any]:
    """A REST API proxy event: single- and multi-value query maps as API Gateway fills them."""
    context: dict[str, Any] = {
        "resourcePath": path,
        "httpMethod": "GET",
        "path": f"/prod{path}",
        "stage": "prod",
        "requestId": API_REQUEST_ID,
        "identity": {"sourceIp": "198.51.100.7"},
    }
    if authorizer:
        claims: dict[str, Any] = {"sub": "2b4f0c1e-0000-4000-8000-000000000001", "username": "ops-alice"}
        if scope is not None:
            claims["scope"] = scope
        context["authorizer"] = {"claims": claims}
    if multi is None and params is not None:
        multi = {k: [v] for k, v in params.items()}
    if params is None and multi is not None:
        params = {k: v[-1] for k, v in multi.items()}
    return {
        "resource": path,
        "path": path,
        "httpMethod": "GET",
        "headers": {"Accept": "application/json"},
        "multiValueHeaders": None,
        "queryStringParameters": params or None,
        "multiValueQueryStringParameters": multi or None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": context,
        "body": None,
        "isBase64Encoded": False,
    }


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: dict[str, Any]


@pytest.fixture
def call(aws: None, lambda_context: Any, monkeypatch: pytest.MonkeyPatch):
    """Invoke the search Lambda with a REST event; returns status, headers and the parsed body.

    AWS is mocked but no table exists unless the test also asks for `table` or `seeded`: a request that should
    fail validation and reaches DynamoDB anyway shows up as a 500, not as a silent pass.
    """
    if "TABLE_NAME" not in os.environ:
        monkeypatch.setenv("TABLE_NAME", TABLE)

    def invoke(path: str = "/breaches", params: dict[str, Any] | None = None, **kwargs: Any) -> Answer:
        event = kwargs.pop("event", None) or rest_event(path, params, **kwargs)
        result = search_app.lambda_handler(event, lambda_context)
        return Answer(result["statusCode"], result["headers"], json.loads(result["body"]))

    return invoke


@pytest.fixture(autouse=True)
def _fresh_store_cache() -> Iterator[None]:
    """The handler keeps one BreachStore per execution environment; each test gets a new one."""
    search_app._store.cache_clear()
    yield
    search_app._store.cache_clear()


def iso(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def seed_report(
    store: BreachStore,
    folders: list[tuple[str, int, list[tuple[str, datetime]]]],
    *,
    received_at: datetime,
    host: str = "FS01",
) -> None:
    """One report through the real ingest path (prepare + write): folder, SLA minutes, (file, created)."""
    report = {
        "sla_error": [
            {
                "folder": folder,
                "sla": sla,
                "files": [{"filename": n, "creationDate": iso(c)} for n, c in files],
            }
            for folder, sla, files in folders
        ],
        "scanner": {"host": host, "scannedAt": iso(received_at)},
    }
    body = json.dumps(report).encode("utf-8")
    write(prepare(body, received_at=received_at, caller=f"scanner-{host.lower()}"), store)


Row = tuple[str, str, str]  # (breachedAt, canonical folder, filename)


def row(item: dict[str, Any]) -> Row:
    """A search result item as a comparable row."""
    return item["breachedAt"], canonical_folder(item["folder"]), item["filename"]


@dataclass(frozen=True)
class Seeded:
    """Every breach written, as rows, to compute expected answers independently of the store."""

    rows: list[Row]

    def expected(
        self,
        *,
        days: tuple[str, ...],
        folders: tuple[str, ...] | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[Row]:
        keys = None if folders is None else {canonical_folder(f) for f in folders}
        return sorted(
            r
            for r in self.rows
            if r[0][:10] in days
            and (keys is None or r[1] in keys)
            and (since is None or r[0] >= since)
            and (until is None or r[0] <= until)
        )


def _seed(table: str) -> Seeded:
    """Breaches over three affected days in four folders; 2026-11-28 has enough to fill every ByDay shard.

    Payments (SLA 20 min) breaches at creation + 20 min; Outbound (SLA 1 day) the next day.
    """
    store = BreachStore(table)
    base = at("2026-11-28T00:05:00Z")
    busy = [(f"PAY-{n:03d}.csv", base + timedelta(minutes=17 * n)) for n in range(24)]  # 00:25-06:56
    day_before = [(f"PAY-OLD-{n}.csv", at("2026-11-27T22:00:00Z") + timedelta(minutes=7 * n)) for n in range(3)]
    day_after = [(f"PAY-NEW-{n}.csv", at("2026-11-29T03:00:00Z") + timedelta(minutes=5 * n)) for n in range(3)]
    outbound = [
        ("Überweisung-請求書.xml", at("2026-11-27T10:00:00Z")),
        ("big.zip", at("2026-11-27T23:50:00Z")),
    ]
    posix = [("a.txt", at("2026-11-28T12:00:00Z"))]
    seed_report(store, [(PAYMENTS, 20, busy[:12]), (OUTBOUND, 1440, outbound)], received_at=at("2026-11-28T13:00:00Z"))
    # The same folder written another way by another scanner: one folder, one set of breaches.
    seed_report(
        store,
        [("d:/inbound/payments/", 20, busy[12:] + day_before + day_after)],
        received_at=at("2026-11-29T13:00:00Z"),
        host="FS02",
    )
    seed_report(
        store,
        [(POSIX_UPPER, 60, posix), (POSIX_LOWER, 60, posix)],
        received_at=at("2026-11-28T14:00:00Z"),
        host="LNX01",
    )
    rows: list[Row] = []
    for files, folder, sla in (
        (busy + day_before + day_after, PAYMENTS, 20),
        (outbound, OUTBOUND, 1440),
        (posix, POSIX_UPPER, 60),
        (posix, POSIX_LOWER, 60),
    ):
        rows += [(iso(created + timedelta(minutes=sla)), canonical_folder(folder), name) for name, created in files]
    return Seeded(sorted(rows))


@pytest.fixture(scope="session")
def _seeded_snapshot() -> tuple[list[dict[str, Any]], Seeded]:
    """Seed once through the ingest path and keep the resulting items.

    moto parses each breach's conditional update expression slowly (~0.1 s); replaying the items the ingest
    path wrote keeps every test on exactly that data without paying for it in each test.
    """
    with mock_aws():
        boto3.client("dynamodb").create_table(TableName=SNAPSHOT_TABLE, **table_definition())
        seeded = _seed(SNAPSHOT_TABLE)
        pages = boto3.client("dynamodb").get_paginator("scan").paginate(TableName=SNAPSHOT_TABLE)
        items = [item for page in pages for item in page["Items"]]
    return items, seeded


@pytest.fixture
def seeded(table: str, _seeded_snapshot: tuple[list[dict[str, Any]], Seeded]) -> Seeded:
    """The table holds the breaches and report outcomes of three ingested reports (see _seed)."""
    items, seeded = _seeded_snapshot
    client = boto3.client("dynamodb")
    for start in range(0, len(items), 25):
        batch = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
        client.batch_write_item(RequestItems={table: batch})
    return seeded
