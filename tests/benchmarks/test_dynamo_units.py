"""DynamoDB's index and read rules as the benchmarks apply them: entries follow the projection, an update that
changes nothing projected writes no entry, BatchGetItem pays per item."""

import math

import pytest

from benchmarks import dynamo_units
from benchmarks.dynamo_units import Index, index_writes, item_size

KEYS = ("g", "h")
ITEM = {"pk": {"S": "p"}, "sk": {"S": "s"}, "g": {"S": "a"}, "h": {"S": "1"}, "count": {"N": "1"},
        "name": {"S": "x" * 500}}
PROJECTIONS = {"all": Index(KEYS), "keys": Index(KEYS, projection="KEYS_ONLY"),
               "include": Index(KEYS, projection="INCLUDE", attributes=frozenset({"name"}))}


@pytest.mark.parametrize("index", PROJECTIONS.values(), ids=PROJECTIONS)
def test_index_writes_follow_key_changes(index):
    entry = index.entry(ITEM)
    assert index_writes(None, ITEM, index) == [item_size(entry)]  # put
    assert index_writes(ITEM, None, index) == [item_size(entry)]  # delete
    assert index_writes(ITEM, ITEM, index) == []
    moved = {**ITEM, "h": {"S": "2"}}
    assert len(index_writes(ITEM, moved, index)) == 2  # delete + put
    assert index_writes({"x": {"S": "1"}}, {"x": {"S": "2"}}, index) == []  # not in the index


def test_an_entry_is_the_keys_plus_what_the_index_projects():
    assert PROJECTIONS["all"].entry(ITEM) == ITEM
    assert set(PROJECTIONS["keys"].entry(ITEM)) == {"pk", "sk", "g", "h"}
    assert set(PROJECTIONS["include"].entry(ITEM)) == {"pk", "sk", "g", "h", "name"}
    assert item_size(PROJECTIONS["keys"].entry(ITEM)) < item_size(ITEM)


def test_only_a_change_of_a_projected_attribute_writes_the_entry():
    counted = {**ITEM, "count": {"N": "2"}}
    renamed = {**ITEM, "name": {"S": "y"}}
    assert index_writes(ITEM, counted, PROJECTIONS["all"]) == [item_size(counted)]
    assert index_writes(ITEM, counted, PROJECTIONS["include"]) == []
    assert index_writes(ITEM, counted, PROJECTIONS["keys"]) == []
    assert index_writes(ITEM, renamed, PROJECTIONS["include"]) == [item_size(PROJECTIONS["include"].entry(renamed))]
    assert index_writes(ITEM, renamed, PROJECTIONS["keys"]) == []


def test_storage_counts_each_entry_at_its_projected_size():
    size = item_size(ITEM) + 100
    assert dynamo_units.storage_bytes(ITEM, [PROJECTIONS["all"]]) == 2 * size
    assert dynamo_units.storage_bytes(ITEM, [PROJECTIONS["keys"]]) == size + item_size(
        PROJECTIONS["keys"].entry(ITEM)) + 100
    assert dynamo_units.storage_bytes({"pk": {"S": "p"}}, [PROJECTIONS["all"]]) == 3 + 100  # in no index


def test_batch_get_pays_each_item_rounded_up_on_its_own():
    assert dynamo_units.batch_get_units([100, 100], 0, consistent=False) == 1.0  # not one 200-byte read
    assert dynamo_units.batch_get_units([5000], 1, consistent=True) == math.ceil(5000 / 4096) + 1
    assert dynamo_units.batch_get_units([], 0, consistent=False) == 0


def test_the_template_s_indexes_come_with_their_projections():
    indexes = {index.keys: index for index in dynamo_units.template_indexes()}
    assert set(indexes) == {("gsi1pk", "gsi1sk"), ("gsi2pk", "gsi2sk")}
    assert all(i.projection == "INCLUDE" and i.attributes and i.table_keys == ("pk", "sk") for i in indexes.values())
