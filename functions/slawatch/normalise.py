"""From a valid report to what we store: UTC instants, canonical keys, one breach per distinct file.

Call only on a report that `contract.validate_report` accepted; anything left that cannot be normalised
(a date so late that date + SLA overflows) raises ReportRejected with the field's path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slawatch import keys
from slawatch.contract import json_path
from slawatch.errors import Problem, ReportRejected
from slawatch.paths import canonical_filename, canonical_folder
from slawatch.timestamps import format_timestamp, parse_timestamp, utc_day


@dataclass(frozen=True)
class ReportMeta:
    """Where a report came from; identical for every re-delivery of the same bytes."""

    report_id: str
    received_at: datetime
    reported_at: datetime  # the scanner's scannedAt when sent, else when we received it
    source: str  # the authenticated caller, else the scanner's host name, else "unknown"
    raw_key: str | None = None
    scanner: dict[str, Any] = field(default_factory=dict)

    @property
    def sighting(self) -> str:
        """Total order of sightings: time first, report id breaks ties, so merges are order-insensitive."""
        return f"{format_timestamp(self.reported_at)}#{self.report_id}"


@dataclass(frozen=True)
class Breach:
    folder: str
    folder_key: str
    filename: str
    file_key: str
    sla_minutes: int
    created_at: datetime
    breached_at: datetime
    last_write_at: datetime | None = None
    size_bytes: int | None = None
    age_basis: str | None = None

    @property
    def breach_id(self) -> str:
        return keys.breach_id(self.folder_key, self.file_key, format_timestamp(self.created_at))

    @property
    def folder_id(self) -> str:
        return keys.folder_id(self.folder_key)

    @property
    def affected_date(self) -> str:
        return utc_day(self.breached_at)


@dataclass(frozen=True)
class FolderSummary:
    folder: str
    sla_minutes: int
    status: str
    file_count: int | None
    truncated: bool
    breach_files: int


@dataclass(frozen=True)
class NormalisedReport:
    meta: ReportMeta
    breaches: tuple[Breach, ...]
    folders: tuple[FolderSummary, ...]
    files_in_report: int

    @property
    def duplicates_collapsed(self) -> int:
        return self.files_in_report - len(self.breaches)

    @property
    def folder_problems(self) -> list[dict[str, str]]:
        return [{"folder": f.folder, "status": f.status} for f in self.folders if f.status != "ok"]


def normalise_report(
    report: dict[str, Any],
    *,
    report_id: str,
    received_at: datetime,
    caller: str | None = None,
    raw_key: str | None = None,
) -> NormalisedReport:
    scanner = report.get("scanner") or {}
    scanned_at = parse_timestamp(scanner["scannedAt"]) if "scannedAt" in scanner else None
    meta = ReportMeta(
        report_id=report_id,
        received_at=received_at,
        reported_at=scanned_at or received_at,
        source=caller or scanner.get("host") or "unknown",
        raw_key=raw_key,
        scanner={k: scanner[k] for k in ("host", "version", "runId", "chunkIndex", "chunkCount") if k in scanner},
    )
    by_id: dict[str, Breach] = {}
    folders: list[FolderSummary] = []
    problems: list[Problem] = []
    files_in_report = 0
    for f_index, entry in enumerate(report["sla_error"]):
        folder_key = canonical_folder(entry["folder"])
        folders.append(
            FolderSummary(
                folder=entry["folder"],
                sla_minutes=entry["sla"],
                status=entry.get("status", "ok"),
                file_count=entry.get("fileCount"),
                truncated=bool(entry.get("truncated", False)),
                breach_files=len(entry["files"]),
            )
        )
        for i, file in enumerate(entry["files"]):
            files_in_report += 1
            try:
                breach = _breach(entry, folder_key, file)
            except OverflowError:
                path = json_path(["sla_error", f_index, "files", i, "creationDate"])
                problems.append(Problem(path, "creationDate plus sla is past the year 9999"))
                continue
            by_id[breach.breach_id] = _earliest(by_id.get(breach.breach_id), breach)
    if problems:
        raise ReportRejected(problems)
    ordered = tuple(sorted(by_id.values(), key=lambda b: (b.breached_at, b.breach_id)))
    return NormalisedReport(meta, ordered, tuple(folders), files_in_report)


def _breach(entry: dict[str, Any], folder_key: str, file: dict[str, Any]) -> Breach:
    created_at = parse_timestamp(file["creationDate"])
    last_write = file.get("lastWriteDate")
    return Breach(
        folder=entry["folder"],
        folder_key=folder_key,
        filename=file["filename"],
        file_key=canonical_filename(file["filename"], entry["folder"]),
        sla_minutes=entry["sla"],
        created_at=created_at,
        breached_at=created_at + timedelta(minutes=entry["sla"]),
        last_write_at=parse_timestamp(last_write) if last_write else None,
        size_bytes=file.get("sizeBytes"),
        age_basis=entry.get("ageBasis"),
    )


def _earliest(current: Breach | None, candidate: Breach) -> Breach:
    """A file listed twice (a folder listed twice with two SLAs) keeps its earliest breach, deterministically."""
    if current is None:
        return candidate
    return min(current, candidate, key=lambda b: (b.breached_at, b.folder, b.filename))
