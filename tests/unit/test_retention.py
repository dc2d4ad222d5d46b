from datetime import UTC, datetime

import pytest

from slawatch import retention


def test_default_retention_outlives_the_raw_archive(monkeypatch):
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    assert retention.retention_days() == 400 > 365


@pytest.mark.parametrize(("value", "days"), [("0", 0), ("15", 15), ("3650", 3650)])
def test_retention_from_the_environment(monkeypatch, value, days):
    monkeypatch.setenv("RETENTION_DAYS", value)
    assert retention.retention_days() == days


@pytest.mark.parametrize("value", ["1", "14", "-1"])
def test_retention_shorter_than_the_redrive_window_is_refused(monkeypatch, value):
    monkeypatch.setenv("RETENTION_DAYS", value)
    with pytest.raises(ValueError, match="at least 15"):
        retention.retention_days()


def test_expiry_is_epoch_seconds_or_none_when_kept_forever():
    at = datetime(2026, 11, 28, 12, tzinfo=UTC)
    assert retention.expires_at(at, 1) == int(at.timestamp()) + 86_400
    assert retention.expires_at(at, 0) is None
    assert retention.guard_days(400) == 15 and retention.guard_days(0) == 0
