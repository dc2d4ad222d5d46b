import pytest

from slawatch import keys
from slawatch.normalise import Breach
from tests.support.reports import folder, normalised, report


def test_keys_stay_small_for_the_longest_windows_paths():
    long_folder = "D:\\" + "\\".join(["d" * 250] * 130)  # ~32,700 characters
    long_name = "ü" * 32767
    (breach,) = normalised(report(folder(long_folder, 20, (long_name, "2026-11-28T08:00:00Z")))).breaches
    index = keys.breach_index_keys(breach.breach_id, breach.folder_id, "2026-11-28T08:20:00.000Z", "2026-11-28", 4)
    for value in [*keys.breach_key(breach.breach_id).values(), *index.values()]:
        assert len(value.encode()) < 200


def test_breach_identity_uses_canonical_folder_and_name():
    a = normalised(report(folder("D:\\In", 20, ("A.csv", "2026-11-28T08:00:00Z")))).breaches[0]
    b = normalised(report(folder("d:/in/", 30, ("a.CSV", "2026-11-28T08:00:00.000Z")))).breaches[0]
    assert isinstance(a, Breach) and a.breach_id == b.breach_id


def test_identity_parts_cannot_run_into_each_other():
    assert keys.breach_id("ab", "c", "t") != keys.breach_id("a", "bc", "t")


def test_day_shards_spread_and_are_bounded(monkeypatch):
    ids = [keys.breach_id("/in", f"f{i}", "t") for i in range(400)]
    assert {keys.day_shard(i, 4) for i in ids} == {0, 1, 2, 3}
    monkeypatch.setenv("DAY_SHARDS", "0")
    with pytest.raises(ValueError, match="DAY_SHARDS"):
        keys.day_shards()


def test_sort_keys_order_like_time():
    early = keys.time_sort_key("2026-11-28T08:00:00.000Z", "ffff")
    late = keys.time_sort_key("2026-11-28T08:00:00.001Z", "0000")
    assert early < late
