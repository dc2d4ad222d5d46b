from datetime import UTC, datetime, timedelta, timezone

import pytest

from slawatch.timestamps import TimestampError, format_timestamp, parse_day, parse_timestamp, utc_day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-28T09:15:00Z", datetime(2026, 11, 28, 9, 15, tzinfo=UTC)),
        ("2026-11-28T09:15:00.123Z", datetime(2026, 11, 28, 9, 15, 0, 123000, tzinfo=UTC)),
        ("2026-11-28T10:15:00+01:00", datetime(2026, 11, 28, 9, 15, tzinfo=UTC)),
        ("2026-11-28T04:15:00-0500", datetime(2026, 11, 28, 9, 15, tzinfo=UTC)),
        ("2026-11-28T09:15Z", datetime(2026, 11, 28, 9, 15, tzinfo=UTC)),
        # PowerShell 7's round-trip format carries seven fractional digits.
        ("2026-11-28T09:15:00.1234567Z", datetime(2026, 11, 28, 9, 15, 0, 123456, tzinfo=UTC)),
        # Windows PowerShell 5.1 ConvertTo-Json, before and after JSON decoding of "\/".
        ("/Date(1795857300000)/", datetime(2026, 11, 28, 9, 15, tzinfo=UTC)),
        ("\\/Date(1795857300000)\\/", datetime(2026, 11, 28, 9, 15, tzinfo=UTC)),
        ("/Date(1795857300000+0100)/", datetime(2026, 11, 28, 9, 15, tzinfo=UTC)),
    ],
)
def test_accepted_forms_become_utc(text, expected):
    assert parse_timestamp(text) == expected


def test_timestamp_without_zone_is_rejected_with_a_message_that_says_so():
    with pytest.raises(TimestampError, match="no time zone"):
        parse_timestamp("2026-11-28T09:15:00")


@pytest.mark.parametrize("text", ["yesterday", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "", "28/11/2026 09:15"])
def test_non_timestamps_are_rejected(text):
    with pytest.raises(TimestampError):
        parse_timestamp(text)


def test_canonical_format_is_fixed_width_utc_milliseconds():
    instant = datetime(2026, 1, 2, 3, 4, 5, 6000, tzinfo=UTC)
    assert format_timestamp(instant) == "2026-01-02T03:04:05.006Z"
    assert format_timestamp(parse_timestamp("2026-11-28T23:30:00-02:00")) == "2026-11-29T01:30:00.000Z"


def test_early_years_keep_the_fixed_width():
    early = parse_timestamp("0500-01-02T03:04:05Z")
    assert format_timestamp(early) == "0500-01-02T03:04:05.000Z"
    assert utc_day(early) == "0500-01-02"


def test_affected_day_is_the_utc_day():
    assert utc_day(parse_timestamp("2026-11-28T23:30:00-02:00")) == "2026-11-29"


def test_parse_day_checks_the_calendar():
    assert parse_day("2026-11-28") == datetime(2026, 11, 28, tzinfo=UTC)
    for bad in ("2026-11-31", "2026-1-1", "20261128"):
        with pytest.raises(TimestampError):
            parse_day(bad)


def test_the_canonical_form_truncates_to_milliseconds_and_is_in_utc():
    assert format_timestamp(datetime(2026, 11, 28, 8, 0, 0, 999_999, tzinfo=UTC)) == "2026-11-28T08:00:00.999Z"
    east = timezone(timedelta(hours=5, minutes=30))
    assert format_timestamp(datetime(2026, 3, 1, 2, 0, 0, 1_500, tzinfo=east)) == "2026-02-28T20:30:00.001Z"
