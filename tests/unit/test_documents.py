"""The normalised report document must round-trip exactly: persist writes what validate and normalise decided."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slawatch import documents
from slawatch.ingest import prepare
from slawatch.normalise import Breach, FolderSummary, NormalisedReport, ReportMeta
from tests.support.reports import EVENTS, RECEIVED, folder, normalised, report


@pytest.mark.parametrize("name", ["report-valid.json", "report-powershell51.json", "report-seed-minimal.json"])
def test_sample_reports_round_trip(name: str) -> None:
    original = normalised(json.loads((EVENTS / name).read_text(encoding="utf-8")), caller="scanner-fs01")
    original = replace(original, meta=replace(original.meta, raw_key="raw/2026/11/28/abc.json"))

    assert documents.loads(documents.dumps(original)) == original


def test_microseconds_offsets_and_missing_optionals_survive() -> None:
    body = report(folder("/srv/in", 20, ("a.csv", "2026-11-28T09:15:00.123456+05:30")))
    received = datetime(2026, 11, 28, 12, 0, 0, 987654, tzinfo=timezone(timedelta(hours=-3)))
    original = normalised(body, received_at=received)

    copy = documents.loads(documents.dumps(original))

    assert copy == original
    assert copy.breaches[0].created_at.microsecond == 123456
    assert copy.meta.received_at.utcoffset() == timedelta(hours=-3)
    assert copy.meta.raw_key is None and copy.breaches[0].last_write_at is None


def test_names_with_lone_surrogates_and_non_ascii_survive() -> None:
    body = report(folder("D:\\Überweisung\\請求書", 20, ("bad-\ud800-name.csv", "2026-11-28T09:00:00Z")))
    original = prepare(json.dumps(body).encode("ascii"), received_at=RECEIVED)  # "\ud800" escaped on the wire
    assert "\ud800" in original.breaches[0].filename

    data = documents.dumps(original)

    assert data.isascii()
    assert documents.loads(data) == original


def test_a_long_folder_is_written_once_not_per_breach() -> None:
    long_folder = "\\\\fs01\\" + "deep\\" * 6000
    files = [(f"f{n}.csv", "2026-11-28T09:00:00Z") for n in range(200)]
    data = documents.dumps(normalised(report(folder(long_folder, 20, *files))))

    assert data.count(b"deep") <= 3 * 6000  # folder text, folder key, folder summary: not 200 times


def test_a_three_thousand_file_report_round_trips() -> None:
    files = [(f"statement-{n:05d}.csv", "2026-11-27T08:00:00.000Z") for n in range(3000)]
    original = normalised(report(folder(r"D:\Inbound", 30, *files), scanned_at="2026-11-28T09:00:00Z"))

    assert documents.loads(documents.dumps(original)) == original


def test_document_key_is_under_the_prefix_and_only_for_hex_ids() -> None:
    assert documents.document_key("ab12") == "normalised/ab12.json"
    for bad in ("", "../x", "AB12", "ab/12"):
        with pytest.raises(ValueError, match="hex"):
            documents.document_key(bad)


@pytest.mark.parametrize(
    "data",
    [b"not json", b"[]", b'{"format": "other"}', b'{"format": "slawatch.normalised-report", "version": 2}',
     b'{"format": "slawatch.normalised-report", "version": 1, "meta": {}}'],
)
def test_anything_else_is_a_document_error(data: bytes) -> None:
    with pytest.raises(documents.DocumentError):
        documents.loads(data)


def test_a_breach_pointing_at_a_missing_folder_is_a_document_error() -> None:
    document = documents.to_document(normalised(report(folder("/srv/in", 20, ("a", "2026-11-28T09:00:00Z")))))
    document["breaches"][0]["folder"] = 7
    with pytest.raises(documents.DocumentError, match="out of range"):
        documents.from_document(document)


# Names may hold any code point, lone surrogates included (JSON "\ud800" decodes to one).
_names = st.text(st.characters(codec=None, exclude_categories=()), min_size=1, max_size=12)
_zones = st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))])
_instants = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(9000, 1, 1), timezones=_zones)
_breaches = st.builds(
    Breach, folder=_names, folder_key=_names, filename=_names, file_key=_names,
    sla_minutes=st.integers(1, 10080), created_at=_instants, breached_at=_instants,
    last_write_at=st.none() | _instants, size_bytes=st.none() | st.integers(0, 2**63),
    age_basis=st.none() | st.sampled_from(["creation", "lastWrite", "newest"]),
)
_folders = st.builds(
    FolderSummary, folder=_names, sla_minutes=st.integers(1, 10080),
    status=st.sampled_from(["ok", "missing", "unreadable"]), file_count=st.none() | st.integers(0, 10**6),
    truncated=st.booleans(), breach_files=st.integers(0, 10**6),
)
_metas = st.builds(
    ReportMeta, report_id=st.text("0123456789abcdef", min_size=40, max_size=40), received_at=_instants,
    reported_at=_instants, source=_names, raw_key=st.none() | _names,
    scanner=st.dictionaries(st.sampled_from(["host", "version", "runId", "chunkIndex"]), _names | st.integers()),
)
_reports = st.builds(
    NormalisedReport, meta=_metas, breaches=st.lists(_breaches, max_size=6).map(tuple),
    folders=st.lists(_folders, max_size=4).map(tuple), files_in_report=st.integers(0, 10**6),
)


@settings(max_examples=150, deadline=None)
@given(_reports)
def test_any_normalised_report_round_trips(original: NormalisedReport) -> None:
    data = documents.dumps(original)

    assert data.isascii()
    assert documents.loads(data) == original
