"""The growth of one stuck file (benchmarks/cost_bench.py): items it leaves behind, from what a repeat created."""

import pytest

from benchmarks import cost_bench
from benchmarks.cost_model import Design
from tests.benchmarks.test_cost_model import _measured


@pytest.mark.parametrize(("created", "items_after_a_day"), [(1.0, 1 + 288), (0.0, 1)])
def test_a_stuck_file_leaves_what_each_repeat_created(created, items_after_a_day):
    measured = _measured(marginal={"items_created": created, "write_units": 2, "storage_bytes_added": 100 * created})
    grown = cost_bench.growth(measured, Design("d"), days=1)
    assert grown["items"] == items_after_a_day
    assert grown["write_units_per_day"] == pytest.approx(2 * 288 + 2)


def test_expiring_repeats_stop_growing_at_their_expiry():
    measured = _measured(marginal={"items_created": 1.0, "storage_bytes_added": 100})
    grown = cost_bench.growth(measured, Design("d", sighting_days=15), days=90)
    assert grown["items"] == 1 + 288 * 15
