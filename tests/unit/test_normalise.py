from datetime import UTC, datetime

import pytest

from slawatch.errors import ReportRejected
from slawatch.timestamps import format_timestamp
from tests.support.reports import RECEIVED, event_file, folder, normalised, report


def test_breached_at_is_creation_plus_sla_in_utc():
    (breach,) = normalised(report(folder("D:\\In", 90, ("a.csv", "2026-11-28T23:00:00+01:00")))).breaches
    assert format_timestamp(breach.created_at) == "2026-11-28T22:00:00.000Z"
    assert format_timestamp(breach.breached_at) == "2026-11-28T23:30:00.000Z"
    assert breach.affected_date == "2026-11-28"


def test_affected_date_can_be_the_next_utc_day():
    (breach,) = normalised(report(folder("/in", 60, ("a", "2026-11-28T23:30:00Z")))).breaches
    assert breach.affected_date == "2026-11-29"


def test_duplicate_files_collapse_to_one_breach():
    body = report(
        folder("D:\\In", 20, ("A.csv", "2026-11-28T08:00:00Z"), ("a.csv", "2026-11-28T09:00:00+01:00")),
        folder("d:/in/", 20, ("a.CSV", "2026-11-28T08:00:00.000Z")),
    )
    result = normalised(body)
    assert len(result.breaches) == 1
    assert result.files_in_report == 3 and result.duplicates_collapsed == 2
    assert result.breaches[0].folder == "D:\\In"  # display text is kept as sent


def test_same_name_with_another_creation_date_is_another_breach():
    body = report(folder("/in", 20, ("a", "2026-11-28T08:00:00Z"), ("a", "2026-11-28T08:00:01Z")))
    assert len(normalised(body).breaches) == 2


def test_a_file_listed_under_two_slas_keeps_the_earliest_breach():
    body = report(folder("/in", 240, ("a", "2026-11-28T08:00:00Z")), folder("/in", 20, ("a", "2026-11-28T08:00:00Z")))
    (breach,) = normalised(body).breaches
    assert breach.sla_minutes == 20


def test_report_time_is_scanned_at_when_sent_else_received_at():
    with_scanner = normalised(report(folder("/in", 20), scanned_at="2026-11-28T11:00:00+01:00"))
    assert with_scanner.meta.reported_at == datetime(2026, 11, 28, 10, tzinfo=UTC)
    assert normalised(report(folder("/in", 20))).meta.reported_at == RECEIVED


def test_source_prefers_the_authenticated_caller_over_the_claimed_host():
    body = report(folder("/in", 20), scanned_at="2026-11-28T10:00:00Z", host="FS01")
    assert normalised(body, caller="scanner-fs02").meta.source == "scanner-fs02"
    assert normalised(body).meta.source == "FS01"
    assert normalised(report(folder("/in", 20))).meta.source == "unknown"


def test_folder_status_and_counts_are_kept():
    result = normalised(event_file("report-valid.json"))
    assert result.folder_problems == [{"folder": "D:\\Inbound\\Statements", "status": "missing"}]
    assert [f.breach_files for f in result.folders] == [2, 1, 0]


def test_powershell_51_dates_normalise():
    (breach,) = normalised(event_file("report-powershell51.json")).breaches
    assert format_timestamp(breach.created_at) == "2026-11-28T08:00:00.000Z"


def test_breach_time_past_year_9999_is_a_user_error():
    with pytest.raises(ReportRejected) as rejected:
        normalised(report(folder("/in", 10080, ("a", "9999-12-31T00:00:00Z"))))
    assert rejected.value.problems[0].path == "$.sla_error[0].files[0].creationDate"


def test_report_id_is_the_content_hash():
    body = report(folder("/in", 20, ("a", "2026-11-28T08:00:00Z")))
    assert normalised(body).meta.report_id == normalised(body).meta.report_id
    assert normalised(body).meta.report_id != normalised(report(folder("/in", 21))).meta.report_id
