"""Parity, proved: the PowerShell and the Python scanner, both started as processes with --dry-run / -DryRun and the
same `as of` instant, print the same report for the same configuration and tree. Only the host, the version and
the run id may differ.

Trees: every shared vector (tests/vectors/scanner-vectors.json) in one configuration, and a generated tree with
what real file servers hold: non-ASCII names (NFC and NFD, a KELVIN SIGN, an emoji), hidden files and folders,
nesting, an empty folder, a missing one, a file where a folder should be, symbolic links (to a file, to a folder,
dangling), a FIFO, and (not as root, who reads everything) an unreadable folder and subfolder.


Off Windows "creation" is the inode change time for both scanners, which a test cannot set; so `as of` is two days
ahead and the vectors' last-write ages count back from it: creation-based folders then report the real change
times, which both scanners must read identically to the millisecond.
"""

from __future__ import annotations

import difflib
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.cli.cli_vectors import build_tree, config_document, load_vectors
from tests.support.pwsh import require_pwsh
from tests.support.scanners import powershell_reports, python_reports, run_powershell, run_python, write_config

RUN_FIELDS = ("host", "version", "runId")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
OLD = 1_600_000_000


def as_of_instant() -> str:
    moment = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def without_run_fields(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for report in reports:
        for name in RUN_FIELDS:
            report["scanner"].pop(name)
    return reports


def both_reports(tmp_path: Path, config: dict[str, Any], as_of: str) -> tuple[list[dict], list[dict]]:
    path = write_config(tmp_path / "slawatch.json", config)
    powershell = run_powershell(require_pwsh(), path, dry_run=True, as_of=as_of)
    python = run_python(path, dry_run=True, as_of=as_of)
    assert powershell.returncode == python.returncode, (powershell.stdout + powershell.stderr, python.stderr)
    return without_run_fields(powershell_reports(powershell.stdout)), without_run_fields(python_reports(python.stdout))


def assert_same(powershell: list[dict[str, Any]], python: list[dict[str, Any]]) -> None:
    """Equal reports, or the failure shows a line diff of the two (PowerShell -, Python +)."""
    left, right = (json.dumps(r, ensure_ascii=False, indent=1).splitlines() for r in (powershell, python))
    diff = "\n".join(difflib.unified_diff(left, right, "powershell", "python", lineterm="", n=8))
    assert powershell == python, diff


def test_every_shared_vector_gives_the_same_report(tmp_path):
    require_pwsh()
    doc = load_vectors()
    as_of = as_of_instant()
    vectors = doc["vectors"]
    build_tree(tmp_path / "tree", {**doc, "asOf": as_of}, vectors)
    config = config_document(tmp_path / "tree", doc, vectors)

    powershell, python = both_reports(tmp_path, config, as_of)
    assert len(python) == 1 and python[0]["sla_error"], "the vectors must report something to compare"
    assert_same(powershell, python)


def old_file(path: Path, content: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    os.utime(path, (OLD, OLD))
    return path


def generated_tree(root: Path) -> list[dict[str, Any]]:
    """Folders as a file server has them; returns their configuration entries."""
    inbound = root / "inbound"
    for name in ("plain.csv", "caf\u00e9.csv", "cafe\u0301-nfd.csv", "\u212a-kelvin.txt", "K-ascii.txt",
                 "\u65e5\u672c\u8a9e.xml", "\U0001f4c4 report.pdf", "space name .txt", ".hidden.csv",
                 "sub/nested.csv", "sub/deeper/deepest.csv", ".hidden-dir/inside.csv", "sub/.dot/inner.csv"):
        old_file(inbound.joinpath(*name.split("/")))
    (inbound / "link-to-file.csv").symlink_to(inbound / "plain.csv")
    (inbound / "dangling.csv").symlink_to(inbound / "nowhere.csv")
    (inbound / "link-to-dir").symlink_to(inbound / "sub", target_is_directory=True)
    os.mkfifo(inbound / "pipe.csv")
    (root / "empty").mkdir()
    old_file(root / "a-file-not-a-folder")
    (root / "root-link").symlink_to(inbound, target_is_directory=True)  # a configured root may be a link
    folders = [
        {"path": "inbound", "slaMinutes": 20},
        {"path": "inbound", "slaMinutes": 20, "recurse": True, "ageBasis": "lastWrite"},
        {"path": "inbound", "slaMinutes": 30, "recurse": True, "includeHidden": True, "ageBasis": "newest"},
        {"path": "inbound", "slaMinutes": 20, "recurse": True, "include": ["*.CSV", "*.xml"], "exclude": ["sub*"]},
        {"path": "root-link", "slaMinutes": 20, "ageBasis": "lastWrite"},
        {"path": "empty", "slaMinutes": 20},
        {"path": "missing", "slaMinutes": 20},
        {"path": "a-file-not-a-folder", "slaMinutes": 20},
        {"path": "inbound", "slaMinutes": 20, "recurse": True, "maxFiles": 3, "ageBasis": "lastWrite"},
    ]
    return folders


def test_a_generated_tree_gives_the_same_report(tmp_path):
    require_pwsh()
    root = tmp_path / "tree"
    folders = generated_tree(root)
    config = {"api": {"url": "http://127.0.0.1:9/prod/reports"}, "auth": {"region": "eu-west-1", "clientId": "x"},
              "folders": folders}
    write_config(root / "slawatch.json", config)  # relative folder paths resolve against the config's folder
    powershell, python = both_reports(root, config, as_of_instant())
    reported = {(f["folder"], f["sla"], f["ageBasis"]): f for f in python[0]["sla_error"]}
    inbound = reported[("inbound", 30, "newest")]
    names = {f["filename"] for f in inbound["files"]}
    assert {".hidden.csv", "caf\u00e9.csv", "\U0001f4c4 report.pdf", "sub/.dot/inner.csv"} <= names
    assert not {"link-to-file.csv", "dangling.csv", "pipe.csv"} & names, "links and FIFOs are not files that arrived"
    assert not any(n.startswith("link-to-dir/") for n in names), "a linked folder is not walked"
    assert reported[("missing", 20, "creation")]["status"] == "missing"
    assert reported[("a-file-not-a-folder", 20, "creation")]["status"] == "missing"
    assert_same(powershell, python)


@pytest.mark.skipif(IS_ROOT, reason="root reads a chmod 000 folder anyway, so nothing here would be unreadable; "
                    "the case runs for every other account (and on the Windows jobs in Pester)")
def test_unreadable_folders_give_the_same_report(tmp_path):
    require_pwsh()
    root = tmp_path / "tree"
    old_file(root / "locked" / "secret.csv")
    old_file(root / "partly" / "visible.csv")
    old_file(root / "partly" / "closed" / "hidden-by-mode.csv")
    config = {"api": {"url": "http://127.0.0.1:9/prod/reports"}, "auth": {"region": "eu-west-1", "clientId": "x"},
              "folders": [{"path": "locked", "slaMinutes": 20},
                          {"path": "partly", "slaMinutes": 20, "recurse": True, "ageBasis": "lastWrite"}]}
    write_config(root / "slawatch.json", config)
    locked = [root / "locked", root / "partly" / "closed"]
    for path in locked:
        path.chmod(0)
    try:
        powershell, python = both_reports(root, config, as_of_instant())
    finally:
        for path in locked:
            path.chmod(0o755)
    locked_entry, partly_entry = python[0]["sla_error"]
    assert locked_entry["status"] == "unreadable"
    assert [f["filename"] for f in partly_entry["files"]] == ["visible.csv"], "an unreadable subfolder is skipped"
    assert_same(powershell, python)
