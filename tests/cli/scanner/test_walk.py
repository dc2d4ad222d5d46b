"""Scanner behaviour beyond the shared vectors: links, hidden folders, errors, budgets, order, Linux times."""

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from slawatch_cli.scanner import walk as scanner
from slawatch_cli.scanner.config import FolderConfig
from slawatch_cli.scanner.walk import FileHit, compile_globs, ordinal_key, scan_folder, scan_folders

NS = 1_000_000_000
NOW = time.time_ns()
_REAL_SCANDIR = os.scandir


def folder(path: Path | str, **overrides: Any) -> FolderConfig:
    values: dict[str, Any] = {
        "path": str(path),
        "scan_path": str(path),
        "sla_minutes": 20,
        "recurse": False,
        "include": ("*",),
        "exclude": (),
        "include_hidden": False,
        "age_basis": "lastWrite",
        "max_files": 100000,
        "time_budget_seconds": 120.0,
    }
    values.update(overrides)
    return FolderConfig(**values)


def old_file(path: Path, age_seconds: int = 3600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * 3)
    when = NOW - age_seconds * NS
    os.utime(path, ns=(when, when))
    return path


def names(result: Any) -> list[str]:
    return [hit.filename for hit in result.files]


def test_symlinks_are_not_followed_but_a_linked_root_is(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    old_file(outside / "secret.txt")
    inbound = tmp_path / "inbound"
    old_file(inbound / "real.txt")
    (inbound / "link-dir").symlink_to(outside, target_is_directory=True)
    (inbound / "link-file.txt").symlink_to(outside / "secret.txt")
    (inbound / "loop").symlink_to(inbound, target_is_directory=True)

    result = scan_folder(folder(inbound, recurse=True), NOW)
    assert names(result) == ["real.txt"]
    assert result.file_count == 1

    linked_root = tmp_path / "root-link"
    linked_root.symlink_to(inbound, target_is_directory=True)
    assert names(scan_folder(folder(linked_root, recurse=True), NOW)) == ["real.txt"]


def test_hidden_directories_are_not_descended_unless_hidden_is_included(tmp_path: Path) -> None:
    old_file(tmp_path / ".snapshot" / "old.txt")
    old_file(tmp_path / "sub" / "old.txt")
    assert names(scan_folder(folder(tmp_path, recurse=True), NOW)) == ["sub/old.txt"]
    hidden = scan_folder(folder(tmp_path, recurse=True, include_hidden=True), NOW)
    assert sorted(names(hidden)) == [".snapshot/old.txt", "sub/old.txt"]


def test_globs_apply_to_the_leaf_name_only(tmp_path: Path) -> None:
    old_file(tmp_path / "csv-dir" / "data.txt")
    old_file(tmp_path / "csv-dir" / "data.CSV")
    result = scan_folder(folder(tmp_path, recurse=True, include=("*.csv",)), NOW)
    assert names(result) == ["csv-dir/data.CSV"]


def test_unreadable_subfolder_is_skipped_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    old_file(tmp_path / "a" / "one.txt")
    old_file(tmp_path / "locked" / "two.txt")
    old_file(tmp_path / "top.txt")
    real = os.scandir

    def scandir(path: Any) -> Any:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(scanner.os, "scandir", scandir)
    result = scan_folder(folder(tmp_path, recurse=True), NOW)
    assert result.status == "ok"
    assert sorted(names(result)) == ["a/one.txt", "top.txt"]
    assert result.skipped_dirs == 1
    assert "locked" in caplog.text and "Permission denied" in caplog.text


def test_unreadable_root_and_file_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a_file = old_file(tmp_path / "not-a-dir")
    assert scan_folder(folder(a_file), NOW).status == "missing"
    real = os.scandir

    def scandir(path: Any) -> Any:
        if str(path) == str(tmp_path):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(scanner.os, "scandir", scandir)
    result = scan_folder(folder(tmp_path), NOW)
    assert (result.status, result.file_count, result.files, result.needs_reporting) == ("unreadable", 0, [], True)


class _VanishingEntry:
    """A directory entry whose file was moved to the archive between listing and stat."""

    def __init__(self, entry: os.DirEntry[str]) -> None:
        self._entry = entry
        self.name = entry.name
        self.path = entry.path

    def is_dir(self, follow_symlinks: bool = True) -> bool:
        return self._entry.is_dir(follow_symlinks=follow_symlinks)

    def is_file(self, follow_symlinks: bool = True) -> bool:
        return self._entry.is_file(follow_symlinks=follow_symlinks)

    def stat(self, follow_symlinks: bool = True) -> os.stat_result:
        if self.name.startswith("gone"):
            raise FileNotFoundError(2, "No such file", self.path)
        return self._entry.stat(follow_symlinks=follow_symlinks)


class _Listing:
    def __init__(self, path: str) -> None:
        self._inner = _REAL_SCANDIR(path)

    def __enter__(self) -> Iterator[_VanishingEntry]:
        return (_VanishingEntry(e) for e in self._inner)

    def __exit__(self, *exc: object) -> None:
        self._inner.close()


def test_file_moved_away_during_the_scan_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old_file(tmp_path / "gone.txt")
    old_file(tmp_path / "stays.txt")
    monkeypatch.setattr(scanner.os, "scandir", _Listing)
    result = scan_folder(folder(tmp_path), NOW)
    assert (names(result), result.file_count) == (["stays.txt"], 1)


def test_time_budget_truncates(tmp_path: Path) -> None:
    for d in range(4):
        for n in range(5):
            old_file(tmp_path / f"d{d}" / f"f{n}.txt")
    ticks = iter(range(10**6))  # every look at the clock costs one "second"; the budget is 2
    result = scan_folder(
        folder(tmp_path, recurse=True, time_budget_seconds=2), NOW, monotonic=lambda: float(next(ticks))
    )
    assert result.truncated and result.truncated_by == "timeBudgetSeconds"
    assert 0 < result.file_count < 20
    assert len(result.files) == result.file_count  # what was seen before the stop is still reported
    assert result.needs_reporting


def test_file_cap_counts_only_filtered_files(tmp_path: Path) -> None:
    for name in ("a.csv", "b.csv", "c.tmp", "d.tmp"):
        old_file(tmp_path / name)
    exact = scan_folder(folder(tmp_path, max_files=2, include=("*.csv",)), NOW)
    assert (exact.file_count, exact.truncated) == (2, False)  # exactly at the cap is not truncated
    capped = scan_folder(folder(tmp_path, max_files=1, include=("*.csv",)), NOW)
    assert (capped.file_count, capped.truncated, capped.truncated_by) == (1, True, "maxFiles")


def test_linux_default_times_creation_reads_ctime(tmp_path: Path) -> None:
    """A file copied with its old mtime: lastWrite breaches at once, creation (ctime = arrival) does not."""
    old_file(tmp_path / "copied-with-p.csv", age_seconds=86400)
    as_of = time.time_ns() + 60 * NS
    assert names(scan_folder(folder(tmp_path, age_basis="lastWrite"), as_of)) == ["copied-with-p.csv"]
    assert names(scan_folder(folder(tmp_path, age_basis="creation"), as_of)) == []
    assert names(scan_folder(folder(tmp_path, age_basis="newest"), as_of)) == []
    later = time.time_ns() + 30 * 60 * NS
    (hit,) = scan_folder(folder(tmp_path, age_basis="creation"), later).files
    assert hit.last_write_ns < hit.basis_ns  # creationDate = arrival (ctime), lastWriteDate = preserved mtime
    assert hit.size == 3


def test_ordinal_order_is_utf16_code_units_like_dotnet() -> None:
    hits = [FileHit(name, 1, 1, 0) for name in ("a", "B", "\uff5e", "\U0001f600")]
    assert [h.filename for h in sorted(hits, key=ordinal_key)] == ["B", "a", "\U0001f600", "\uff5e"]


def test_glob_compilation() -> None:
    assert compile_globs(["*"]) is None
    match = compile_globs(["report-??.txt", "[a-c]*.CSV"])
    assert match is not None
    assert match("REPORT-01.TXT") and match("b1.csv")
    assert not match("report-001.txt") and not match("d.csv")


def test_parallel_scan_keeps_config_order(tmp_path: Path) -> None:
    folders = []
    for n in range(12):
        old_file(tmp_path / f"f{n}" / "x.txt")
        folders.append(folder(tmp_path / f"f{n}"))
    results = list(scan_folders(folders, NOW, workers=4))
    assert [r.folder.path for r in results] == [f.path for f in folders]
    assert all(names(r) == ["x.txt"] for r in results)
