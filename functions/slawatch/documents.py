"""The normalised report as a JSON document: how the workflow hands a report from one Lambda to the next.

Step Functions state is limited to 256 KB, so the normalise step writes the NormalisedReport to the work
bucket (`normalised/<reportId>.json`) and passes only the key on. `loads(dumps(r)) == r` holds exactly:
timestamps keep microseconds and their offset, optional fields keep None, and names keep every character (lone
surrogates included, hence ASCII-escaped JSON). A folder's text and key are written once and referenced by
index from its breaches, so thousands of files in one 32,767-character folder do not repeat the folder.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from slawatch.normalise import Breach, FolderSummary, NormalisedReport, ReportMeta

FORMAT = "slawatch.normalised-report"
VERSION = 1
PREFIX = "normalised"


class DocumentError(ValueError):
    """The bytes are not a normalised report document of a version this code reads."""


def document_key(report_id: str) -> str:
    """Where the work bucket holds a report's normalised document; the report id is a hex content hash."""
    if not report_id or not all(c in "0123456789abcdef" for c in report_id):
        raise ValueError("report id must be a lowercase hex digest")
    return f"{PREFIX}/{report_id}.json"


def dumps(report: NormalisedReport) -> bytes:
    return json.dumps(to_document(report), ensure_ascii=True, separators=(",", ":")).encode("ascii")


def loads(data: bytes | str) -> NormalisedReport:
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DocumentError(f"not a JSON document: {exc}") from None
    return from_document(document)


def to_document(report: NormalisedReport) -> dict[str, Any]:
    folder_index: dict[tuple[str, str], int] = {}
    breaches = []
    for breach in report.breaches:
        index = folder_index.setdefault((breach.folder, breach.folder_key), len(folder_index))
        breaches.append(_drop_none({
            "folder": index,
            "filename": breach.filename,
            "fileKey": breach.file_key,
            "sla": breach.sla_minutes,
            "createdAt": _instant(breach.created_at),
            "breachedAt": _instant(breach.breached_at),
            "lastWriteAt": _instant(breach.last_write_at) if breach.last_write_at is not None else None,
            "sizeBytes": breach.size_bytes,
            "ageBasis": breach.age_basis,
        }))
    meta = report.meta
    return {
        "format": FORMAT,
        "version": VERSION,
        "meta": _drop_none({
            "reportId": meta.report_id,
            "receivedAt": _instant(meta.received_at),
            "reportedAt": _instant(meta.reported_at),
            "source": meta.source,
            "rawKey": meta.raw_key,
            "scanner": meta.scanner,
        }),
        "filesInReport": report.files_in_report,
        "folders": [
            _drop_none({
                "folder": f.folder,
                "sla": f.sla_minutes,
                "status": f.status,
                "fileCount": f.file_count,
                "truncated": f.truncated,
                "breachFiles": f.breach_files,
            })
            for f in report.folders
        ],
        "breachFolders": [[folder, key] for folder, key in folder_index],
        "breaches": breaches,
    }


def from_document(document: Any) -> NormalisedReport:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DocumentError("not a normalised report document")
    if document.get("version") != VERSION:
        version = document.get("version")
        raise DocumentError(f"normalised report document version {version!r} is not {VERSION}")
    try:
        meta_doc = document["meta"]
        meta = ReportMeta(
            report_id=meta_doc["reportId"],
            received_at=_parse(meta_doc["receivedAt"]),
            reported_at=_parse(meta_doc["reportedAt"]),
            source=meta_doc["source"],
            raw_key=meta_doc.get("rawKey"),
            scanner=meta_doc.get("scanner", {}),
        )
        folders = tuple(
            FolderSummary(
                folder=f["folder"],
                sla_minutes=f["sla"],
                status=f["status"],
                file_count=f.get("fileCount"),
                truncated=f["truncated"],
                breach_files=f["breachFiles"],
            )
            for f in document["folders"]
        )
        breach_folders = [(folder, key) for folder, key in document["breachFolders"]]
        breaches = tuple(_breach(b, breach_folders) for b in document["breaches"])
        files_in_report = document["filesInReport"]
    except (KeyError, TypeError, IndexError, ValueError) as exc:
        raise DocumentError(f"malformed normalised report document: {exc!r}") from None
    return NormalisedReport(meta, breaches, folders, files_in_report)


def _breach(doc: dict[str, Any], folders: list[tuple[str, str]]) -> Breach:
    index = doc["folder"]
    if not isinstance(index, int) or not 0 <= index < len(folders):
        raise IndexError(f"folder index {index!r} out of range")
    folder, folder_key = folders[index]
    last_write = doc.get("lastWriteAt")
    return Breach(
        folder=folder,
        folder_key=folder_key,
        filename=doc["filename"],
        file_key=doc["fileKey"],
        sla_minutes=doc["sla"],
        created_at=_parse(doc["createdAt"]),
        breached_at=_parse(doc["breachedAt"]),
        last_write_at=_parse(last_write) if last_write is not None else None,
        size_bytes=doc.get("sizeBytes"),
        age_basis=doc.get("ageBasis"),
    )


def _instant(value: datetime) -> str:
    """Full precision and the original offset: format_timestamp's milliseconds would not round-trip."""
    return value.isoformat(timespec="microseconds")


def _parse(text: str) -> datetime:
    if not isinstance(text, str):
        raise TypeError("timestamp must be a string")
    return datetime.fromisoformat(text)


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}
