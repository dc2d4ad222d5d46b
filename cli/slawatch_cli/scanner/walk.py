"""Streaming folder scan: which files have sat in a watched folder longer than its SLA.

Design points (shared with the PowerShell scanner):

* ``os.scandir`` with our own directory stack: file type comes from the directory entry (no extra stat), each
  file is stat'ed once, and a failing subdirectory is logged and skipped instead of ending the walk.
* Memory grows with the number of *breaching* files only; non-breaching files are counted and forgotten.
* Symbolic links are never followed (a link to a directory could loop or escape the folder; a link to a file
  is not a file that arrived); the configured root itself may be a link, since an operator chose it.
* Hidden on Linux means a leading dot, for files and for directories (``.snapshot`` is not descended into).
* The file cap and the time budget bound the run on huge or slow trees and mark the folder ``truncated``.
* Age-basis times come through a small seam (``FileTimes``). ``creation`` is the file's birth time: macOS and
  the BSDs give it in ``os.stat``; on Linux ``statx`` gives it (``birthtime``) where the file system records
  it (ext4, XFS, Btrfs, tmpfs). Where it does not (many NFS/SMB mounts), ``creation`` falls back to ``st_ctime``,
  which is set when the file is created *and* when it is renamed or moved into the folder, so it approximates
  arrival. ``lastWrite`` never needs the extra call. Tests inject times through the seam.
"""

import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from fnmatch import translate

from . import birthtime
from .config import FolderConfig

log = logging.getLogger("slawatch_cli.scan")

NS_PER_MINUTE = 60 * 1_000_000_000
_CHECK_MASK = 511  # look at the clock every 512 entries
_CREATION, _LAST_WRITE, _NEWEST = 0, 1, 2
_BASES = {"creation": _CREATION, "lastWrite": _LAST_WRITE, "newest": _NEWEST}

FileTimes = Callable[[str, os.stat_result], tuple[int, int]]
"""(full path, lstat result) -> (creation ns, last-write ns), both epoch nanoseconds."""

_HAS_BIRTHTIME = hasattr(os.stat_result, "st_birthtime")


def stat_file_times(path: str, st: os.stat_result) -> tuple[int, int]:
    """Default seam: birth time where the platform reports it (macOS, BSD; Linux through statx), else ``st_ctime``."""
    if _HAS_BIRTHTIME:
        return int(st.st_birthtime * 1_000_000_000), st.st_mtime_ns
    born = birthtime.birth_time_ns(path)
    return (st.st_ctime_ns if born is None else born), st.st_mtime_ns


def basis_source(folder: FolderConfig) -> str:
    """What the folder's age basis reads here, in words (for ``-v``): "creation" differs by platform."""
    if folder.age_basis == "lastWrite":
        return "last write time"
    if _HAS_BIRTHTIME or birthtime.birth_time_ns(folder.scan_path) is not None:
        creation = "birth time"
    else:
        creation = "status-change time (st_ctime; this file system keeps no birth time)"
    return creation if folder.age_basis == "creation" else f"later of {creation} and last write time"


@dataclass(frozen=True, slots=True)
class FileHit:
    """A breaching file: relative name (native separator), age-basis instant, real last write, size."""

    filename: str
    basis_ns: int
    last_write_ns: int
    size: int


@dataclass(slots=True)
class FolderResult:
    """What one folder's scan found; ``files`` holds the breaches in report order."""

    folder: FolderConfig
    status: str = "ok"  # ok | missing | unreadable
    file_count: int = 0
    truncated: bool = False
    files: list[FileHit] = field(default_factory=list)
    skipped_dirs: int = 0
    oldest_ns: int | None = None  # the oldest age-basis instant among the files seen
    past_by_last_write: int = 0  # files not breaching by the basis that would by last write time (for -v)
    duration: float = 0.0
    not_a_directory: bool = False  # reported "missing"; the log says why
    truncated_by: str | None = None  # "maxFiles" | "timeBudgetSeconds"
    oldest_name: str | None = None  # the oldest file seen (breaching or not) and its age at the scan's instant
    oldest_age_seconds: int | None = None

    @property
    def needs_reporting(self) -> bool:
        """The report rule: breaches, a folder that could not be scanned, or a scan cut short."""
        return bool(self.files) or self.status != "ok" or self.truncated

    @property
    def outcome_status(self) -> str:
        """The folder's status in the report's ``folders`` list: ``partial`` when subfolders could not be read,
        so a folder with holes in its scan is never reported plain ``ok``."""
        return "partial" if self.status == "ok" and self.skipped_dirs else self.status


def compile_globs(patterns: Iterable[str]) -> Callable[[str], object] | None:
    """One case-insensitive regex for a list of wildcard patterns; ``None`` when nothing is filtered.

    Patterns match the file's leaf name: ``*`` and ``?`` do not care about separators there.
    """
    patterns = list(patterns)
    if not patterns or "*" in patterns:
        return None
    joined = "|".join(f"(?:{translate(p)})" for p in patterns)
    return re.compile(joined, re.IGNORECASE).match


def _ordinal_before(name: str, other: str | None) -> bool:
    """Ties on age go to the name first by UTF-16 code unit (.NET ordinal), as in the report order."""
    return other is None or name.encode("utf-16-be") < other.encode("utf-16-be")


def ordinal_key(hit: FileHit) -> tuple[int, bytes]:
    """Report order: oldest age-basis instant first, then the name by UTF-16 code unit (.NET ordinal)."""
    return hit.basis_ns, hit.filename.encode("utf-16-be")


def scan_folder(
    folder: FolderConfig,
    as_of_ns: int,
    *,
    file_times: FileTimes | None = None,
    monotonic: Callable[[], float] = time.monotonic,
) -> FolderResult:
    """Scan one folder as of ``as_of_ns``; never raises for file-system problems."""
    started = monotonic()
    result = FolderResult(folder)
    try:
        root_iter = os.scandir(folder.scan_path)
    except FileNotFoundError:
        result.status = "missing"
    except NotADirectoryError:  # a file has the folder's name: "missing" as a folder, said plainly in the log
        log.warning("folder %s is not a directory (a file has that name)", folder.path)
        result.status = "missing"
        result.not_a_directory = True
    except OSError as exc:
        log.warning("folder %s unreadable: %s", folder.path, exc.strerror or exc)
        result.status = "unreadable"
    else:
        _walk(folder, root_iter, as_of_ns, result, file_times, monotonic, started)
        result.files.sort(key=ordinal_key)
    result.duration = monotonic() - started
    return result


def _walk(
    folder: FolderConfig,
    root_iter: Iterator[os.DirEntry[str]],
    as_of_ns: int,
    result: FolderResult,
    file_times: FileTimes | None,
    monotonic: Callable[[], float],
    started: float,
) -> None:
    """The hot loop: kept flat and free of per-file function calls; runs once per folder."""
    cutoff = as_of_ns - folder.sla_minutes * NS_PER_MINUTE  # breach iff basis < cutoff (strictly past the SLA)
    basis = _BASES[folder.age_basis]
    if file_times is None and basis != _LAST_WRITE and (_HAS_BIRTHTIME or birthtime.supported()):
        file_times = stat_file_times
    include = compile_globs(folder.include)
    exclude = compile_globs(folder.exclude) if folder.exclude else None
    hidden_ok = folder.include_hidden
    recurse = folder.recurse
    max_files = folder.max_files
    deadline = started + folder.time_budget_seconds
    sep = os.sep
    hits = result.files
    count = 0
    seen = 0
    oldest = 1 << 126  # later than any file time; only read when count > 0
    past_by_write = 0
    pending: list[tuple[str, str]] = []  # (directory path, relative prefix) still to walk
    current: Iterator[os.DirEntry[str]] | None = root_iter
    prefix = ""
    stop: str | None = None
    oldest_name: str | None = None

    while current is not None and stop is None:
        with current as entries:  # type: ignore[attr-defined]
            try:
                for entry in entries:
                    seen += 1
                    if not seen & _CHECK_MASK and monotonic() > deadline:
                        stop = "timeBudgetSeconds"
                        break
                    name = entry.name
                    if name[0] == "." and not hidden_ok:
                        continue
                    try:
                        if not entry.is_file(follow_symlinks=False):  # from d_type: no system call
                            if recurse and entry.is_dir(follow_symlinks=False):
                                pending.append((entry.path, prefix + name + sep))
                            continue  # a directory, a symlink, a fifo, a socket or a device
                    except OSError:
                        continue
                    if include is not None and not include(name):
                        continue
                    if exclude is not None and exclude(name):
                        continue
                    if count >= max_files:
                        stop = "maxFiles"
                        break
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except FileNotFoundError:
                        continue  # moved to the archive between listing and stat: exactly what should happen
                    except OSError as exc:
                        log.warning("%s: cannot stat %s: %s", folder.path, prefix + name, exc.strerror or exc)
                        continue
                    count += 1
                    if file_times is None:
                        written = st.st_mtime_ns
                        created = st.st_ctime_ns
                    else:
                        created, written = file_times(entry.path, st)
                    if basis == _LAST_WRITE:
                        when = written
                    elif basis == _CREATION or created > written:
                        when = created
                    else:
                        when = written
                    if when < cutoff:
                        hits.append(FileHit(prefix + name, when, written, st.st_size))
                    elif written < cutoff:
                        past_by_write += 1
                    if when < oldest or (when == oldest and _ordinal_before(prefix + name, oldest_name)):
                        oldest, oldest_name = when, prefix + name
            except OSError as exc:  # the listing itself failed part way (NFS hiccup, directory removed)
                log.warning("%s: listing of %r stopped: %s", folder.path, prefix or ".", exc.strerror or exc)
                result.skipped_dirs += 1
        if stop is None and monotonic() > deadline:
            stop = "timeBudgetSeconds"
        current = None
        while pending and stop is None:
            path, prefix = pending.pop()
            try:
                current = os.scandir(path)
                break
            except FileNotFoundError:
                continue  # removed since it was listed
            except OSError as exc:
                log.warning("%s: skipping subfolder %r: %s", folder.path, prefix, exc.strerror or exc)
                result.skipped_dirs += 1
    result.file_count = count
    result.oldest_ns = oldest if count else None
    result.past_by_last_write = past_by_write
    if oldest_name is not None:
        result.oldest_name = oldest_name
        result.oldest_age_seconds = max(0, (as_of_ns - oldest) // 1_000_000_000)
    if stop is not None:
        result.truncated = True
        result.truncated_by = stop


def scan_folders(
    folders: Iterable[FolderConfig],
    as_of_ns: int,
    *,
    workers: int = 1,
    file_times: FileTimes | None = None,
    monotonic: Callable[[], float] = time.monotonic,
) -> Iterator[FolderResult]:
    """Scan folders, yielding results in configuration order.

    ``workers > 1`` scans folders in threads: a stat call releases the GIL, which pays off on NFS/SMB mounts
    where each stat is a network round trip. On a local disk the stat is cheaper than the GIL hand-over, so one
    worker is the default (see benchmarks/).
    """

    def one(folder: FolderConfig) -> FolderResult:
        return scan_folder(folder, as_of_ns, file_times=file_times, monotonic=monotonic)

    if workers <= 1:
        yield from map(one, folders)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="slawatch-scan") as pool:
        yield from pool.map(one, folders)
