"""Build the shared scanner vectors on disk and produce the golden report from them.

Last-write times are set for real with ``os.utime``; creation times cannot be set on Linux, so they are handed
to the scanner through its file-times seam, keyed by inode.

Regenerate the golden file (then check it by hand against the vectors) with:
    PYTHONPATH=functions:cli:. python -m tests.cli.cli_vectors --write
"""

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from slawatch_cli.scanner.config import FolderConfig, parse_config
from slawatch_cli.scanner.report import ScannerMeta, build_report, schedule_interval
from slawatch_cli.scanner.walk import FileTimes, scan_folders
from slawatch_cli.timeutil import parse_instant

REPO = Path(__file__).resolve().parents[2]
VECTORS_FILE = REPO / "tests" / "vectors" / "scanner-vectors.json"
GOLDEN_FILE = REPO / "tests" / "vectors" / "golden-report.json"
GOLDEN_EXCLUDES = {"file-cap-truncates"}  # its breaches depend on enumeration order
NS = 1_000_000_000


def load_vectors() -> dict[str, Any]:
    return json.loads(VECTORS_FILE.read_text(encoding="utf-8"))


def build_tree(root: Path, doc: dict[str, Any], vectors: list[dict[str, Any]]) -> dict[int, int]:
    """Create the vectors' folders and files under ``root``; returns creation ns by inode."""
    as_of = parse_instant(doc["asOf"])
    creation: dict[int, int] = {}
    for vector in vectors:
        folder = root / vector["folder"]["path"]
        if not vector.get("createFolder", True):
            continue
        folder.mkdir(parents=True, exist_ok=True)
        for spec in vector["files"]:
            path = folder.joinpath(*spec["name"].split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"")
            written = as_of - spec["lastWriteAgeSeconds"] * NS
            os.utime(path, ns=(written, written))
            creation[path.stat().st_ino] = as_of - spec["creationAgeSeconds"] * NS
    return creation


def creation_seam(creation: dict[int, int]) -> FileTimes:
    """The scanner's file-times seam with the vectors' creation times."""

    def times(path: str, st: os.stat_result) -> tuple[int, int]:
        return creation.get(st.st_ino, st.st_ctime_ns), st.st_mtime_ns

    return times


def config_document(root: Path, doc: dict[str, Any], vectors: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "api": {"url": "http://127.0.0.1:9/prod/reports"},
        "auth": {"region": "eu-west-1", "clientId": "vector-client"},
        "defaults": doc["defaults"],
        "folders": [{**v["folder"], "path": str(root / v["folder"]["path"])} for v in vectors],
    }


def folder_configs(root: Path, doc: dict[str, Any], vectors: list[dict[str, Any]]) -> tuple[FolderConfig, ...]:
    config = parse_config(config_document(root, doc, vectors), source=root / "vectors.json")
    return config.folders


def fixed_meta(
    doc: dict[str, Any], interval_minutes: int | None = None, heartbeat_minutes: int | None = None
) -> ScannerMeta:
    return ScannerMeta(host="vector-host", version="0.0.0-test", scanned_at=doc["asOf"], run_id="vector-run",
                       interval_minutes=interval_minutes, heartbeat_minutes=heartbeat_minutes)


def normalise(report: dict[str, Any], root: Path) -> dict[str, Any]:
    """Make a report machine-independent: ``<root>`` for the test root, ``/`` as separator."""
    text = json.dumps(report, ensure_ascii=False)
    prefix = json.dumps(str(root), ensure_ascii=False)[1:-1]
    text = text.replace(prefix, "<root>")
    data = json.loads(text)
    for folder in data["sla_error"]:
        folder["folder"] = folder["folder"].replace("\\", "/")
        for entry in folder["files"]:
            entry["filename"] = entry["filename"].replace("\\", "/")
    for outcome in data.get("folders", []):
        outcome["folder"] = outcome["folder"].replace("\\", "/")
        if "oldestFile" in outcome:
            outcome["oldestFile"] = outcome["oldestFile"].replace("\\", "/")
    return data


def golden_report(root: Path) -> dict[str, Any]:
    """Scan every vector except the order-dependent one, as the PowerShell Pester test does."""
    doc = load_vectors()
    vectors = [v for v in doc["vectors"] if v["name"] not in GOLDEN_EXCLUDES]
    creation = build_tree(root, doc, vectors)
    config = parse_config(config_document(root, doc, vectors), source=root / "vectors.json")
    results = list(scan_folders(config.folders, parse_instant(doc["asOf"]), file_times=creation_seam(creation)))
    interval = schedule_interval(f.sla_minutes for f in config.folders)
    return normalise(build_report(results, fixed_meta(doc, interval, config.heartbeat_minutes)), root)


def render(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="slawatch-golden-") as tmp:
        text = render(golden_report(Path(tmp) / "root"))
    if "--write" in sys.argv:
        GOLDEN_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {GOLDEN_FILE}")
    else:
        sys.stdout.write(text)
