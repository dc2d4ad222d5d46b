"""Report outcome records: listed by received day, read back, never overwritten once accepted."""

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
