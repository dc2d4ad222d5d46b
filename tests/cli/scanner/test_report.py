"""Report shape, key order, serialisation, chunking under the size limit, the SHA-256 integrity header."""

import base64
import hashlib
import json
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slawatch_cli.scanner.config import FolderConfig
from slawatch_cli.scanner.delivery import checksum_sha256
from slawatch_cli.scanner.report import ScannerMeta, build_report, chunk_report, dumps, schedule_interval
from slawatch_cli.scanner.walk import FileHit, FolderResult
from slawatch_cli.timeutil import format_instant, parse_instant

META = ScannerMeta("host-1", "1.2.3", "2026-11-28T12:00:00.000Z", "run-1")
BASE_NS = parse_instant("2026-11-28T10:00:00Z")


def result(
    path: str,
    n_files: int = 0,
    *,
    status: str = "ok",
    truncated: bool = False,
    name_len: int = 10,
    count: int | None = None,
) -> FolderResult:
    cfg = FolderConfig(path, path, 20, False, ("*",), (), False, "creation", 100000, 120.0)
    hits = [FileHit(f"{i:0{name_len}d}.csv", BASE_NS + i * 1_000_000, BASE_NS, i) for i in range(n_files)]
    return FolderResult(
        cfg, status=status, file_count=count if count is not None else n_files, truncated=truncated, files=hits
    )


def test_report_shape_and_key_order() -> None:
    report = build_report([result("/in", 1), result("/clean"), result("/gone", status="missing")], META)
    assert list(report) == ["sla_error", "folders", "scanner"]
    assert [f["folder"] for f in report["sla_error"]] == ["/in", "/gone"]  # clean folder left out
    assert [(f["folder"], f["status"], f["pastSla"]) for f in report["folders"]] == [
        ("/in", "ok", 1), ("/clean", "ok", 0), ("/gone", "missing", 0)]  # ... but its outcome is there
    assert list(report["folders"][0]) == [
        "folder", "sla", "status", "ageBasis", "filesSeen", "pastSla", "unreadableSubfolders", "truncated"]
    folder = report["sla_error"][0]
    assert list(folder) == ["folder", "sla", "status", "ageBasis", "fileCount", "truncated", "files"]
    assert list(folder["files"][0]) == ["filename", "creationDate", "lastWriteDate", "sizeBytes"]
    assert folder["files"][0]["creationDate"] == "2026-11-28T10:00:00.000Z"
    assert list(report["scanner"]) == ["host", "version", "scannedAt", "runId", "chunkIndex", "chunkCount"]


def test_heartbeat_is_an_empty_report(report_validator: Any) -> None:
    (body,) = chunk_report([result("/clean")], META, 4096)
    report = json.loads(body)
    assert report["sla_error"] == [] and report["scanner"]["chunkCount"] == 1
    assert not list(report_validator.iter_errors(report))


def test_single_chunk_is_the_compact_serialisation_of_the_report() -> None:
    results = [result("/in", 3), result("/gone", status="missing")]
    (body,) = chunk_report(results, META, 5_000_000)
    assert body == dumps(build_report(results, META))


def test_an_unreadable_subfolder_makes_the_folder_partial_not_ok(report_validator: Any) -> None:
    holey = result("/in", 1)
    holey.skipped_dirs = 2
    holey.oldest_name, holey.oldest_age_seconds = "old.csv", 7200
    clean_but_holey = result("/clean")
    clean_but_holey.skipped_dirs = 1
    report = build_report([holey, clean_but_holey], META)
    assert not list(report_validator.iter_errors(report))
    assert report["sla_error"][0]["status"] == "ok" and report["sla_error"][0]["unreadableSubfolders"] == 2
    first, second = report["folders"]
    assert (first["status"], first["unreadableSubfolders"], first["oldestFile"], first["oldestAgeSeconds"]) == (
        "partial", 2, "old.csv", 7200)
    assert second["status"] == "partial" and [f["folder"] for f in report["sla_error"]] == ["/in"]


def test_the_report_says_the_scan_interval_derived_from_the_smallest_sla() -> None:
    assert [schedule_interval(s) for s in ([20, 240], [1440], [4], [])] == [5, 15, 1, 15]
    meta = ScannerMeta("h", "v", "2026-11-28T12:00:00.000Z", "r", interval_minutes=5)
    assert build_report([result("/in")], meta)["scanner"]["intervalMinutes"] == 5


def test_non_ascii_is_sent_as_utf8_bytes() -> None:
    res = result("/in", 0)
    res.files.append(FileHit("請求書-Ü.pdf", BASE_NS, BASE_NS, 0))
    (body,) = chunk_report([res], META, 5_000_000)
    assert "請求書-Ü.pdf".encode() in body and b"\\u" not in body


def test_dates_have_milliseconds_and_z() -> None:
    assert format_instant(parse_instant("2026-11-28T10:00:00.1239Z")) == "2026-11-28T10:00:00.123Z"
    assert format_instant(parse_instant("2026-11-28T11:00:00+01:00")) == "2026-11-28T10:00:00.000Z"
    assert format_instant(-1) == "1969-12-31T23:59:59.999Z"
    with pytest.raises(ValueError, match="no zone"):
        parse_instant("2026-11-28T10:00:00")


def check_chunks(bodies: list[bytes], results: list[FolderResult], max_bytes: int, validator: Any) -> None:
    reports = [json.loads(b) for b in bodies]
    for n, (body, report) in enumerate(zip(bodies, reports, strict=True), start=1):
        assert len(body) <= max_bytes
        assert not list(validator.iter_errors(report))
        assert report["scanner"]["runId"] == META.run_id
        assert (report["scanner"]["chunkIndex"], report["scanner"]["chunkCount"]) == (n, len(bodies))
        assert body == dumps(report)  # measured bytes are the bytes sent
        assert ("folders" in report) == (n == 1)  # the run's outcomes travel once, in chunk 1
    assert [f["folder"] for f in reports[0]["folders"]] == [r.folder.path for r in results]
    sent = Counter((f["folder"], e["filename"]) for r in reports for f in r["sla_error"] for e in f["files"])
    expected = Counter((r.folder.path, h.filename) for r in results for h in r.files)
    assert sent == expected  # every breach exactly once
    folders_seen = {f["folder"] for r in reports for f in r["sla_error"]}
    assert folders_seen == {r.folder.path for r in results if r.needs_reporting}
    # a folder continued in another chunk keeps its header; order of folders and files is preserved
    flat = [(f["folder"], e["filename"]) for r in reports for f in r["sla_error"] for e in f["files"]]
    assert flat == [(r.folder.path, h.filename) for r in results for h in r.files]
    headers = {}
    for r in reports:
        for f in r["sla_error"]:
            header = {k: v for k, v in f.items() if k != "files"}
            assert headers.setdefault(f["folder"], header) == header


def test_chunking_splits_by_files_and_continues_folders(report_validator: Any) -> None:
    results = [result("/a", 120, name_len=40), result("/gone", status="missing"), result("/b", 30, truncated=True)]
    bodies = chunk_report(results, META, 4096)
    assert len(bodies) > 3
    check_chunks(bodies, results, 4096, report_validator)


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=6),
    name_len=st.integers(min_value=1, max_value=300),
    max_bytes=st.integers(min_value=4096, max_value=20000),
    problems=st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_chunking_property(
    sizes: list[int], name_len: int, max_bytes: int, problems: list[bool], report_validator: Any
) -> None:
    results = [
        result(f"/f{i}", n, name_len=name_len, status="unreadable" if problems[i] and n == 0 else "ok")
        for i, n in enumerate(sizes)
    ]
    bodies = chunk_report(results, META, max_bytes)
    check_chunks(bodies, results, max_bytes, report_validator)


def test_oversized_single_entry_goes_alone_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    huge = result("/a", 0)
    huge.files.append(FileHit("x" * 6000 + ".csv", BASE_NS, BASE_NS, 0))
    small = result("/b", 2)
    bodies = chunk_report([huge, small], META, 4096)
    assert len(bodies) == 2 and len(bodies[0]) > 4096 and len(bodies[1]) <= 4096
    assert "over api.maxRequestBytes" in caplog.text


def test_checksum_sha256_is_base64_of_the_exact_bytes() -> None:
    body = chunk_report([result("/in", 2)], META, 4096)[0]
    assert checksum_sha256(body) == base64.b64encode(hashlib.sha256(body).digest()).decode()
    assert checksum_sha256(b"") == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
