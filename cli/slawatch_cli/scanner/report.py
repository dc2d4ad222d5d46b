"""Build the report, split it into requests under the size limit, and serialise it byte-exactly.

Each chunk is a complete, valid report on its own (same ``runId``, ``chunkIndex``/``chunkCount``); a folder
whose files do not fit continues in the next chunk with the same header. Sizes are computed arithmetically
from the compact serialisation, so chunking is linear in the number of breaches; the bytes that are measured
are the bytes that are sent (and checksummed).
"""

import json
import logging
import socket
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..timeutil import format_instant
from .walk import FileHit, FolderResult

log = logging.getLogger("slawatch_cli.report")

MAX_CHUNKS = 100_000  # the contract's maximum chunkCount


@dataclass(frozen=True, slots=True)
class ScannerMeta:
    """The report's ``scanner`` block, minus the chunk numbers."""

    host: str
    version: str
    scanned_at: str
    run_id: str
    interval_minutes: int | None = None  # how often this scanner runs: the backend's silence threshold
    heartbeat_minutes: int | None = None  # how often an unchanged scan is still sent (0: every scan)

    @classmethod
    def for_run(
        cls, as_of_ns: int, interval_minutes: int | None = None, heartbeat_minutes: int | None = None
    ) -> "ScannerMeta":
        return cls(socket.gethostname() or "unknown-host", __version__, format_instant(as_of_ns), str(uuid.uuid4()),
                   interval_minutes, heartbeat_minutes)

    def block(self, index: int, count: int) -> dict[str, Any]:
        block: dict[str, Any] = {
            "host": self.host,
            "version": self.version,
            "scannedAt": self.scanned_at,
            "runId": self.run_id,
            "chunkIndex": index,
            "chunkCount": count,
        }
        if self.interval_minutes is not None:
            block["intervalMinutes"] = self.interval_minutes
        if self.heartbeat_minutes is not None:
            block["heartbeatMinutes"] = self.heartbeat_minutes
        return block


def schedule_interval(sla_minutes: Iterable[int]) -> int:
    """Minutes between scheduled scans, as the guides and Register-SlaWatchTask set them: a quarter of the
    smallest SLA, between 1 and 15 minutes."""
    return max(1, min(15, min(sla_minutes, default=60) // 4))


def file_entry(hit: FileHit) -> dict[str, Any]:
    return {
        "filename": hit.filename,
        "creationDate": format_instant(hit.basis_ns),
        "lastWriteDate": format_instant(hit.last_write_ns),
        "sizeBytes": hit.size,
    }


def folder_header(result: FolderResult) -> dict[str, Any]:
    """The folder object without ``files`` (key order fixed by the contract)."""
    header = {
        "folder": result.folder.path,
        "sla": result.folder.sla_minutes,
        "status": result.status,
        "ageBasis": result.folder.age_basis,
        "fileCount": result.file_count,
        "truncated": result.truncated,
    }
    if result.skipped_dirs:
        header["unreadableSubfolders"] = result.skipped_dirs
    return header


def folder_outcome(result: FolderResult) -> dict[str, Any]:
    """One entry of ``folders``: every watched folder's outcome, clean ones included (key order fixed)."""
    entry: dict[str, Any] = {
        "folder": result.folder.path,
        "sla": result.folder.sla_minutes,
        "status": result.outcome_status,
        "ageBasis": result.folder.age_basis,
        "filesSeen": result.file_count,
        "pastSla": len(result.files),
    }
    if result.oldest_name is not None:
        entry["oldestFile"] = result.oldest_name
        entry["oldestAgeSeconds"] = result.oldest_age_seconds
    entry["unreadableSubfolders"] = result.skipped_dirs
    entry["truncated"] = result.truncated
    return entry


def reported_folders(results: Iterable[FolderResult]) -> list[FolderResult]:
    """Folders that belong in ``sla_error``, in configuration order."""
    return [r for r in results if r.needs_reporting]


def build_report(results: Iterable[FolderResult], meta: ScannerMeta) -> dict[str, Any]:
    """The whole report as one object (what a single-chunk request carries)."""
    results = list(results)
    folders = [{**folder_header(r), "files": [file_entry(h) for h in r.files]} for r in reported_folders(results)]
    return {"sla_error": folders, "folders": [folder_outcome(r) for r in results], "scanner": meta.block(1, 1)}


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON: non-ASCII names stay readable and cost fewer bytes than \\u escapes."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def pretty(body: bytes) -> str:
    return json.dumps(json.loads(body), ensure_ascii=False, indent=2)


@dataclass(slots=True)
class _Fragment:
    header: bytes  # b'{"folder":...,"truncated":false,"files":['
    files: list[bytes]


_OPEN = b'{"sla_error":['
_OUTCOMES = b'],"folders":'  # chunk 1 only: the run's folder outcomes
_MIDDLE = b',"scanner":'
_CLOSE = b"}"


def chunk_report(results: Sequence[FolderResult], meta: ScannerMeta, max_bytes: int) -> list[bytes]:
    """Serialise the report as one or more request bodies, each at most ``max_bytes`` when possible.

    A single file entry larger than the limit (a pathological 32k-character name) still goes out alone in its
    own chunk, with a warning: the API's 413 then dead-letters it rather than the scanner looping. The run's
    folder outcomes (``folders``) travel in chunk 1 only; later chunks end ``sla_error`` with a plain ``]``.
    """
    widest_scanner = len(dumps(meta.block(MAX_CHUNKS, MAX_CHUNKS)))
    overhead = len(_OPEN) + len(_OUTCOMES) + len(_MIDDLE) + widest_scanner + len(_CLOSE)
    outcomes = dumps([folder_outcome(r) for r in results])
    chunks: list[list[_Fragment]] = []
    current: list[_Fragment] = []
    size = overhead + len(outcomes)

    def flush() -> None:
        nonlocal current, size
        chunks.append(current)
        current, size = [], overhead

    for result in reported_folders(results):
        header = dumps(folder_header(result))[:-1] + b',"files":['
        entries = [dumps(file_entry(h)) for h in result.files]
        if not entries:
            need = (1 if current else 0) + len(header) + 2
            if current and size + need > max_bytes:
                flush()
                need = len(header) + 2
            current.append(_Fragment(header, []))
            size += need
            continue
        i = 0
        while i < len(entries):
            need = (1 if current else 0) + len(header) + 2 + len(entries[i])
            if current and size + need > max_bytes:
                flush()
                continue
            fragment = _Fragment(header, [entries[i]])
            size += need
            i += 1
            while i < len(entries) and size + 1 + len(entries[i]) <= max_bytes:
                fragment.files.append(entries[i])
                size += 1 + len(entries[i])
                i += 1
            current.append(fragment)
            if i < len(entries):
                flush()
    if current or not chunks:
        chunks.append(current)  # an empty sla_error is a heartbeat and is still sent
    if len(chunks) > MAX_CHUNKS:
        raise ValueError(f"report needs {len(chunks)} chunks, more than the contract's {MAX_CHUNKS}")
    bodies = [_render(fragments, meta.block(n, len(chunks)), outcomes if n == 1 else None)
              for n, fragments in enumerate(chunks, start=1)]
    for n, body in enumerate(bodies, start=1):
        if len(body) > max_bytes:
            log.warning(
                "chunk %d of run %s is %d bytes, over api.maxRequestBytes %d (one oversized file entry)",
                n,
                meta.run_id,
                len(body),
                max_bytes,
            )
    return bodies


def _render(fragments: list[_Fragment], scanner: dict[str, Any], outcomes: bytes | None) -> bytes:
    folders = b",".join(f.header + b",".join(f.files) + b"]}" for f in fragments)
    middle = _OUTCOMES + outcomes if outcomes is not None else b"]"
    return _OPEN + folders + middle + _MIDDLE + dumps(scanner) + _CLOSE
