"""The two indexes' projections: within DynamoDB's limits and free of what a repeat sighting changes. That they are
enough for their readers is shown on a moto table built from this template (moto projects INCLUDE like DynamoDB):
tests/unit/store/test_completion.py and tests/unit/test_incident_store.py."""

from __future__ import annotations

import pytest

from local.template import table_definition

# What a repeat sighting of a breach sets to a new value (functions/slawatch/store/writes.py).
REPEAT_CHANGES = {"lastReported", "lastReportId", "lastReportKey", "reportCount", "expiresAt",
                  "firstReported", "firstReportId", "firstReportKey"}
INDEXES = ("ByDay", "ByFolder")


def _projection(name: str) -> dict:
    [index] = [i for i in table_definition()["GlobalSecondaryIndexes"] if i["IndexName"] == name]
    return index["Projection"]


@pytest.mark.parametrize("name", INDEXES)
def test_each_index_includes_a_short_list_free_of_what_a_repeat_changes(name: str) -> None:
    projection = _projection(name)
    assert projection["ProjectionType"] == "INCLUDE"
    attributes = projection["NonKeyAttributes"]
    assert 1 <= len(attributes) <= 20 and len(set(attributes)) == len(attributes)  # DynamoDB's per-index limit
    assert not set(attributes) & REPEAT_CHANGES


def test_all_indexes_together_stay_under_a_hundred_projected_attributes() -> None:
    assert sum(len(_projection(name)["NonKeyAttributes"]) for name in INDEXES) <= 100

