"""What one scan says about each watched folder: the input of incident tracking.

A report with `folders` (the contract's optional addition) lists every watched folder's outcome, clean ones
included: that list is the scanner's complete watched set. A report in the original shape only lists the folders
that tripped (the seed requirement: "send all of the folders ... that have tripped"), so for an unchunked
original-shape report a folder that is absent had nothing past its SLA; its files are counted from `sla_error`.
A chunk after the first of a run carries no outcomes (the run's outcomes travel in chunk 1): it is only a sign
of life.

Call only on a report that `contract.validate_report` accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slawatch import keys
from slawatch.normalise import ReportMeta
from slawatch.paths import canonical_folder
from slawatch.timestamps import parse_timestamp

UNSCANNABLE = frozenset({"missing", "unreadable"})
_STATUS_RANK = {"ok": 0, "partial": 1, "unreadable": 2, "missing": 3}


@dataclass(frozen=True)
class FolderOutcome:
    folder: str
    folder_id: str
    sla: int
    status: str  # ok | partial | missing | unreadable
    files_seen: int | None
    past_sla: int
    oldest_file: str | None
    oldest_age_seconds: int | None
    unreadable_subfolders: int = 0

    @property
    def tripped(self) -> bool:
        """Needs someone: files past the SLA, or a folder that could not be scanned at all (never "0 files")."""
        return self.past_sla > 0 or self.status in UNSCANNABLE

    @property
    def reason(self) -> str:
        return "pastSla" if self.past_sla > 0 else self.status


@dataclass(frozen=True)
class ScanOutcome:
    host: str  # the authenticated caller, else the scanner's host name
    host_name: str | None  # what the scanner calls itself (display only)
    report_id: str
    report_key: str | None
    scanned_at: datetime
    received_at: datetime
    sighting: str  # scan order: scannedAt, then report id
    folders: tuple[FolderOutcome, ...]
    complete: bool  # folders is the whole watched set: an open incident of a folder not in it resolves
    interval_minutes: int | None
    heartbeat_minutes: int | None = None  # an unchanged scan is only sent this often (0/None: every scan)


def scan_outcome(report: dict[str, Any], meta: ReportMeta) -> ScanOutcome:
    scanner = report.get("scanner") or {}
    first_chunk = scanner.get("chunkIndex", 1) == 1
    if "folders" in report:
        folders = tuple(_merged(_listed(entry) for entry in report["folders"])) if first_chunk else ()
        complete = first_chunk
    else:
        folders = tuple(_merged(_derived(entry, meta.reported_at) for entry in report["sla_error"]))
        complete = scanner.get("chunkCount", 1) == 1
        folders = folders if first_chunk else ()
    return ScanOutcome(
        host=meta.source,
        host_name=scanner.get("host"),
        report_id=meta.report_id,
        report_key=meta.raw_key,
        scanned_at=meta.reported_at,
        received_at=meta.received_at,
        sighting=meta.sighting,
        folders=folders,
        complete=complete,
        interval_minutes=scanner.get("intervalMinutes"),
        heartbeat_minutes=scanner.get("heartbeatMinutes"),
    )


def _listed(entry: dict[str, Any]) -> FolderOutcome:
    return FolderOutcome(
        folder=entry["folder"],
        folder_id=keys.folder_id(canonical_folder(entry["folder"])),
        sla=entry["sla"],
        status=entry["status"],
        files_seen=entry["filesSeen"],
        past_sla=entry["pastSla"],
        oldest_file=entry.get("oldestFile"),
        oldest_age_seconds=entry.get("oldestAgeSeconds"),
        unreadable_subfolders=entry.get("unreadableSubfolders", 0),
    )


def _derived(entry: dict[str, Any], scanned_at: datetime) -> FolderOutcome:
    """An original-shape folder entry: every listed file is past the SLA; the oldest is the earliest listed."""
    files = entry["files"]
    oldest = min(files, key=lambda f: parse_timestamp(f["creationDate"]), default=None)
    age = None
    if oldest is not None:
        age = max(0, int((scanned_at - parse_timestamp(oldest["creationDate"])).total_seconds()))
    return FolderOutcome(
        folder=entry["folder"],
        folder_id=keys.folder_id(canonical_folder(entry["folder"])),
        sla=entry["sla"],
        status=entry.get("status", "ok"),
        files_seen=entry.get("fileCount"),
        past_sla=len(files),
        oldest_file=oldest["filename"] if oldest else None,
        oldest_age_seconds=age,
        unreadable_subfolders=entry.get("unreadableSubfolders", 0),
    )


def _merged(outcomes: Any) -> list[FolderOutcome]:
    """One outcome per folder (a folder written twice, or split over entries): counts add, the worse status and
    the older file win, so the result does not depend on the order of entries."""
    by_id: dict[str, FolderOutcome] = {}
    for outcome in outcomes:
        seen = by_id.get(outcome.folder_id)
        if seen is None:
            by_id[outcome.folder_id] = outcome
            continue
        older = max((seen, outcome), key=lambda o: (o.oldest_age_seconds or -1, o.folder))
        by_id[outcome.folder_id] = FolderOutcome(
            folder=min(seen.folder, outcome.folder),
            folder_id=seen.folder_id,
            sla=min(seen.sla, outcome.sla),
            status=max(seen.status, outcome.status, key=lambda s: _STATUS_RANK[s]),
            files_seen=None if seen.files_seen is None or outcome.files_seen is None
            else seen.files_seen + outcome.files_seen,
            past_sla=seen.past_sla + outcome.past_sla,
            oldest_file=older.oldest_file,
            oldest_age_seconds=older.oldest_age_seconds,
            unreadable_subfolders=seen.unreadable_subfolders + outcome.unreadable_subfolders,
        )
    return sorted(by_id.values(), key=lambda o: o.folder_id)
