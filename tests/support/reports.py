"""Builders for reports used across tests, so each test states only what matters to it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from slawatch.ingest import prepare
from slawatch.normalise import NormalisedReport

EVENTS = Path(__file__).resolve().parents[2] / "events"
RECEIVED = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def event_file(name: str) -> Any:
    return json.loads((EVENTS / name).read_text(encoding="utf-8"))


def report(*folders: dict[str, Any], scanned_at: str | None = None, host: str = "FS01") -> dict[str, Any]:
    body: dict[str, Any] = {"sla_error": list(folders)}
    if scanned_at:
        body["scanner"] = {"host": host, "scannedAt": scanned_at}
    return body


def folder(path: str, sla: int, *files: tuple[str, str], **extra: Any) -> dict[str, Any]:
    return {"folder": path, "sla": sla, "files": [{"filename": n, "creationDate": c} for n, c in files], **extra}


def encode(body: Any) -> bytes:
    """UTF-8 JSON; names with unpaired surrogates are written as \\udXXX escapes, as PowerShell writes them."""
    text = json.dumps(body, ensure_ascii=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(body).encode("ascii")


def normalised(body: dict[str, Any], received_at: datetime = RECEIVED, caller: str | None = None) -> NormalisedReport:
    return prepare(encode(body), received_at=received_at, caller=caller)
