"""Ingesting one report: parse, validate, normalise, archive, write. Shared by the synchronous Lambda and
the workflow, so both paths accept and reject exactly the same reports.

Nothing is written before the whole report has been validated and normalised: a rejected report leaves no trace
in the breach store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from slawatch import keys
from slawatch.api_events import parse_json_body
from slawatch.contract import validate_report
from slawatch.errors import ReportRejected
from slawatch.normalise import NormalisedReport, normalise_report
from slawatch.store import BreachStore, WriteSummary

Archiver = Callable[[bytes, str], str]  # (body, report id) -> the archive key it was stored under


@dataclass(frozen=True)
class IngestResult:
    report: NormalisedReport
    written: WriteSummary

    def counts(self) -> dict[str, int]:
        return {
            "folders": len(self.report.folders),
            "files": self.report.files_in_report,
            "breaches": len(self.report.breaches),
            "duplicatesInReport": self.report.duplicates_collapsed,
            "sightingsWritten": self.written.sightings_written,
            "alreadyRecorded": self.written.duplicates_skipped,
        }

    def summary(self) -> dict[str, Any]:
        meta = self.report.meta
        return {
            "reportId": meta.report_id,
            "reportKey": meta.raw_key,
            "accepted": True,
            "counts": self.counts(),
            "folderProblems": self.report.folder_problems,
        }


def prepare(
    body: bytes, *, received_at: datetime, caller: str | None = None, raw_key: str | None = None
) -> NormalisedReport:
    """Parse, validate and normalise; raises ReportRejected listing every problem. Writes nothing."""
    report = parse_json_body(body)
    problems = validate_report(report)
    if problems:
        raise ReportRejected(problems)
    return normalise_report(
        report, report_id=keys.report_id(body), received_at=received_at, caller=caller, raw_key=raw_key
    )


def ingest(
    body: bytes,
    store: BreachStore,
    *,
    received_at: datetime,
    caller: str | None = None,
    archive: Archiver | None = None,
) -> IngestResult:
    """The synchronous path: validate everything, archive the raw bytes, then write the breaches."""
    normalised = prepare(body, received_at=received_at, caller=caller)
    if archive is not None:
        raw_key = archive(body, normalised.meta.report_id)
        normalised = replace(normalised, meta=replace(normalised.meta, raw_key=raw_key))
    return write(normalised, store)


def write(normalised: NormalisedReport, store: BreachStore) -> IngestResult:
    written = store.record_breaches(normalised)
    result = IngestResult(normalised, written)
    store.record_report(
        normalised.meta, status="accepted", counts=result.counts(), folder_problems=normalised.folder_problems
    )
    return result
