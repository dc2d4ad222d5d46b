"""Every shared scanner vector, and the golden report the PowerShell Pester test compares against too."""

import json
import os
from pathlib import Path
from typing import Any

import pytest

from slawatch_cli.scanner.report import ScannerMeta, build_report, chunk_report, folder_outcome
from slawatch_cli.scanner.walk import scan_folder
from slawatch_cli.timeutil import parse_instant
from tests.cli.cli_vectors import (
    GOLDEN_FILE,
    build_tree,
    creation_seam,
    folder_configs,
    golden_report,
    load_vectors,
    render,
)

_DOC = load_vectors()


@pytest.mark.parametrize("vector", _DOC["vectors"], ids=[v["name"] for v in _DOC["vectors"]])
def test_vector(vector: dict[str, Any], tmp_path: Path, report_validator: Any) -> None:
    creation = build_tree(tmp_path, _DOC, [vector])
    (folder,) = folder_configs(tmp_path, _DOC, [vector])

    result = scan_folder(folder, parse_instant(_DOC["asOf"]), file_times=creation_seam(creation))

    expected = vector["expected"]
    assert result.status == expected["status"]
    assert result.file_count == expected["fileCount"]
    assert result.truncated is expected["truncated"]
    names = [hit.filename.replace(os.sep, "/") for hit in result.files]
    if "breaches" in expected:
        assert names == expected["breaches"]
    else:
        assert len(names) == expected["breachCount"]
    if "outcome" in expected:  # the folder's entry in `folders`, what incidents are made of
        produced = folder_outcome(result)
        if "oldestFile" in produced:
            produced["oldestFile"] = produced["oldestFile"].replace(os.sep, "/")
        assert {k: produced[k] for k in expected["outcome"]} == expected["outcome"]
        assert ("oldestFile" in produced) == ("oldestFile" in expected["outcome"])
    # whatever the vector, the report it produces is valid against the contract
    body = chunk_report([result], ScannerMeta("h", "v", _DOC["asOf"], "r"), 5_000_000)
    assert not list(report_validator.iter_errors(json.loads(body[0])))


def test_every_vector_is_exercised() -> None:
    """A new vector in the shared file must not be skipped silently by this suite."""
    names = [v["name"] for v in _DOC["vectors"]]
    assert len(names) == len(set(names))
    assert "file-cap-truncates" in names


def test_golden_report_matches_the_scanner(tmp_path: Path, report_validator: Any) -> None:
    produced = golden_report(tmp_path / "root")
    assert not list(report_validator.iter_errors(produced))
    assert GOLDEN_FILE.read_text(encoding="utf-8") == render(produced)


def test_golden_report_follows_the_report_rules(report_validator: Any) -> None:
    """Independent of the scanner: the golden file lists exactly the vectors' expected breaches, in order."""
    golden = json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))
    by_folder = {f["folder"]: f for f in golden["sla_error"]}
    expected_folders = []
    for vector in _DOC["vectors"]:
        if vector["name"] == "file-cap-truncates":
            continue
        exp = vector["expected"]
        reported = bool(exp["breaches"]) or exp["status"] != "ok" or exp["truncated"]
        key = f"<root>/{vector['folder']['path']}"
        if not reported:
            assert key not in by_folder
            continue
        expected_folders.append(key)
        entry = by_folder[key]
        assert [f["filename"] for f in entry["files"]] == exp["breaches"]
        assert (entry["status"], entry["fileCount"], entry["truncated"]) == (
            exp["status"],
            exp["fileCount"],
            exp["truncated"],
        )
        assert entry["sla"] == vector["folder"]["slaMinutes"]
        assert list(entry) == ["folder", "sla", "status", "ageBasis", "fileCount", "truncated", "files"]
    assert [f["folder"] for f in golden["sla_error"]] == expected_folders  # config (vector) order
    assert golden["scanner"] == {
        "host": "vector-host",
        "version": "0.0.0-test",
        "scannedAt": _DOC["asOf"],
        "runId": "vector-run",
        "chunkIndex": 1,
        "chunkCount": 1,
        "intervalMinutes": 5,  # a quarter of the smallest SLA (20 minutes)
        "heartbeatMinutes": 15,  # the default of scanner.heartbeatMinutes
    }
    # every vector's folder outcome, clean ones included, in config order, as the vectors expect it
    outcomes = {o["folder"]: o for o in golden["folders"]}
    listed = [v for v in _DOC["vectors"] if v["name"] != "file-cap-truncates"]
    assert list(outcomes) == [f"<root>/{v['folder']['path']}" for v in listed]
    for vector in listed:
        outcome = outcomes[f"<root>/{vector['folder']['path']}"]
        assert {k: outcome[k] for k in vector["expected"]["outcome"]} == vector["expected"]["outcome"]


def test_dates_carry_the_age_basis_instant(tmp_path: Path) -> None:
    """creationDate is the basis instant (lastWrite here), lastWriteDate the real last write."""
    vector = next(v for v in _DOC["vectors"] if v["name"] == "age-basis-lastwrite-copy-keeps-old-write-time")
    creation = build_tree(tmp_path, _DOC, [vector])
    (folder,) = folder_configs(tmp_path, _DOC, [vector])
    result = scan_folder(folder, parse_instant(_DOC["asOf"]), file_times=creation_seam(creation))
    (entry,) = build_report([result], ScannerMeta("h", "v", "t", "r"))["sla_error"][0]["files"]
    assert entry == {
        "filename": "copied.xml",
        "creationDate": "2026-11-27T12:00:00.000Z",
        "lastWriteDate": "2026-11-27T12:00:00.000Z",
        "sizeBytes": 0,
    }
