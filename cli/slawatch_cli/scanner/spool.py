"""On-disk spool (write-ahead) and dead-letter folder for report bodies.

Every request body is written to the spool *before* it is sent and removed only after a 2xx, so no report is
lost when the endpoint is down or the process is killed mid-run; the next run sends what is left, oldest
first. The spool is bounded (files and bytes) and drops its oldest entries with a loud warning rather than
filling the disk. Bodies are kept as the exact bytes that were measured and checksummed, so a resend is
byte-identical.
"""

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: the operator commands still work there; scanning is the PowerShell module's job
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("slawatch_cli.spool")

_PREFIX = "report-"
_SUFFIX = ".json"


def write_private(path: Path, data: bytes) -> None:
    """Atomically write a 0600 file (reports name customer files; tokens are secrets)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def ensure_private_dir(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


@dataclass(frozen=True, slots=True)
class SpoolEntry:
    path: Path
    size: int

    @property
    def name(self) -> str:
        return self.path.name


class Spool:
    """Report bodies waiting for delivery; names sort oldest first (``report-<ns>-<runId>-<chunk>.json``)."""

    def __init__(self, directory: Path, *, max_files: int, max_bytes: int) -> None:
        self.directory = directory
        self.max_files = max_files
        self.max_bytes = max_bytes
        self.dropped: list[str] = []

    @staticmethod
    def name_for(run_id: str, chunk_index: int) -> str:
        """``report-<ns>-<runId>-<chunk>.json``: sorts oldest first, and names the run in the dead-letter folder."""
        return f"{_PREFIX}{time.time_ns():020d}-{run_id}-{chunk_index:06d}{_SUFFIX}"

    def add(self, body: bytes, run_id: str, chunk_index: int) -> SpoolEntry:
        ensure_private_dir(self.directory)
        path = self.directory / self.name_for(run_id, chunk_index)
        write_private(path, body)
        self.enforce_limits(keep=path)
        return SpoolEntry(path, len(body))

    def pending(self) -> list[SpoolEntry]:
        """Spooled bodies, oldest first."""
        if not self.directory.is_dir():
            return []
        entries = []
        for child in self.directory.iterdir():
            if child.name.startswith(_PREFIX) and child.name.endswith(_SUFFIX):
                try:
                    entries.append(SpoolEntry(child, child.stat().st_size))
                except FileNotFoundError:
                    continue
        entries.sort(key=lambda e: e.name)
        return entries

    def read(self, entry: SpoolEntry) -> bytes:
        return entry.path.read_bytes()

    def remove(self, entry: SpoolEntry) -> None:
        with contextlib.suppress(FileNotFoundError):
            entry.path.unlink()

    def enforce_limits(self, keep: Path | None = None) -> None:
        """Drop the oldest bodies until within ``max_files`` and ``max_bytes`` (never the newest one)."""
        entries = self.pending()
        total = sum(e.size for e in entries)
        while entries and (len(entries) > self.max_files or total > self.max_bytes):
            oldest = entries[0]
            if oldest.path == keep:
                break
            entries.pop(0)
            total -= oldest.size
            self.remove(oldest)
            self.dropped.append(oldest.name)
            log.error(
                "SPOOL FULL: dropped undelivered report %s (%d bytes) to stay within spool.maxFiles=%d / "
                "spool.maxBytes=%d; the endpoint has been failing for a while",
                oldest.name,
                oldest.size,
                self.max_files,
                self.max_bytes,
            )

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[bool]:
        """Hold the spool's lock for a run; yields False when another run holds it (cron overlap).

        The lock keeps two overlapping runs from sending the same spooled body twice.
        """
        ensure_private_dir(self.directory)
        if fcntl is None:
            yield True
            return
        fd = os.open(self.directory / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


class DeadLetter:
    """Bodies the API refused with a 4xx: kept for a human with ``<name>.response.txt`` (as the PowerShell
    scanner does), since sending them again unchanged cannot succeed."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def add(self, name: str, body: bytes, status: int, response_text: str) -> Path:
        ensure_private_dir(self.directory)
        path = self.directory / name
        write_private(path, body)
        detail = f"HTTP {status}\n{response_text}"
        write_private(path.with_name(f"{name}.response.txt"), detail.encode("utf-8"))
        return path
