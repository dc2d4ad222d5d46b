"""Builders for scans in the new shape (every watched folder's outcome) and a notifier that records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from slawatch.notify import Notification

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
FOLDER = "D:\\Inbound\\Payments"


def at(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def outcome(folder: str = FOLDER, stuck: int = 0, *, sla: int = 20, status: str = "ok", seen: int | None = None,
            oldest_age: int | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"folder": folder, "sla": sla, "status": status, "filesSeen": stuck if seen is None
                             else seen, "pastSla": stuck}
    if stuck:
        entry["oldestFile"] = "PAY-0001.csv"
        entry["oldestAgeSeconds"] = oldest_age if oldest_age is not None else (sla + 30) * 60
    return entry


def scan(minutes: float, *outcomes: dict[str, Any], host: str = "fs01", interval: int | None = 5,
         heartbeat: int | None = None) -> dict[str, Any]:
    """A report of one run at T0 + minutes: sla_error lists the stuck folders' files, folders every outcome."""
    breaching = []
    for o in outcomes:
        if o["pastSla"] or o["status"] in ("missing", "unreadable"):
            files = [{"filename": f"PAY-{n:04d}.csv", "creationDate": at(minutes - o["sla"] - 30 + n)}
                     for n in range(1, o["pastSla"] + 1)]
            breaching.append({"folder": o["folder"], "sla": o["sla"], "status": "ok" if o["status"] == "partial"
                              else o["status"], "files": files})
    scanner: dict[str, Any] = {"host": host, "scannedAt": at(minutes), "runId": f"run-{minutes}"}
    if interval:
        scanner["intervalMinutes"] = interval
    if heartbeat is not None:
        scanner["heartbeatMinutes"] = heartbeat
    return {"sla_error": breaching, "folders": list(outcomes), "scanner": scanner}


class RecordingNotifier:
    def __init__(self) -> None:
        self.sent: list[Notification] = []

    def send(self, notification: Notification) -> None:
        self.sent.append(notification)

    def events(self) -> list[tuple[str, str]]:
        return [(n.event, n.incident.get("folder") or n.incident["kind"]) for n in self.sent]
