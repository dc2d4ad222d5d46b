"""Report outcome records: listed by received day, read back, never overwritten once accepted."""

import json

from slawatch.store.records import MAX_RECORD_BYTES
from tests.support.reports import normalised
from tests.unit.store.helpers import SCANS, seed, store_for


def test_reports_are_listed_by_received_day(table):
    store = seed(table)
    (record,) = store.reports_by_day("2026-11-28").items
    assert record["status"] == "accepted" and record["counts"]["breaches"] == 31


def test_report_status_reads_the_recorded_outcome(table):
    store = seed(table)
    (record,) = store.reports_by_day("2026-11-28").items
    assert store.report_status(record["reportId"]) == "accepted"
    assert store.report_status("0" * 40) is None


def test_a_failure_recorded_after_acceptance_does_not_overwrite_it(table):
    # Two deliveries of one report: one execution accepts it while the other, failing, checked the status
    # before the acceptance landed. The later "failed" must not replace "accepted".
    store = store_for(table)
    report_meta = normalised(SCANS[0]).meta
    store.record_report(report_meta, status="accepted", counts={"breaches": 1})
    assert store.record_report(report_meta, status="failed", problems=[{"path": "$", "message": "x"}]) is False
    assert store.report_status(report_meta.report_id) == "accepted"
    assert store.record_report(report_meta, status="accepted", counts={"breaches": 1}) is True


def test_a_report_record_stays_under_the_item_limit_and_says_what_it_left_out(table):
    # A hundred unreadable folders with 32,767-character (multi-byte) names are megabytes: the record keeps
    # what fits in its byte budget and counts the rest.
    store = store_for(table)
    meta = normalised(SCANS[0]).meta
    folders = [{"folder": f"D:\\{n:03}" + "é" * 32_760, "status": "unreadable"} for n in range(100)]
    problems = [{"path": f"$.sla_error[{n}].folder", "message": "m" * 500} for n in range(20)]
    assert store.record_report(meta, status="accepted", counts={"breaches": 0}, folder_problems=folders,
                               problems=problems) is True
    (record,) = store.reports_by_day("2026-11-28").items
    kept = len(record["folderProblems"])
    assert 0 < kept < 100 and record["folderProblemsOmitted"] == 100 - kept
    assert record["folderProblems"] == folders[:kept]
    assert record["problems"] == problems and "problemsOmitted" not in record
    assert len(json.dumps(record, ensure_ascii=False).encode()) < MAX_RECORD_BYTES < 400_000
