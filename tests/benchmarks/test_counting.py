"""The meter on a moto table built from template.yaml: index writes follow the template's projections, and the
BatchGetItem that completes a search page is counted as read units."""

import boto3
import pytest

from benchmarks import dynamo_units
from benchmarks.counting import Meter
from slawatch import keys
from slawatch.ingest import write
from tests.support.reports import normalised
from tests.unit.store.helpers import SCANS, store_for

DAY = "2026-11-28"


@pytest.fixture
def meter(table):
    """Hooked before the store creates its client (clients copy the session's hooks), unhooked afterwards."""
    installed = Meter(dynamo_units.template_indexes(), {})
    yield installed
    events = boto3._get_default_session().events
    events.unregister("before-parameter-build", installed._before)
    events.unregister("after-call", installed._after)


def test_a_repeat_sighting_writes_no_breach_index_entry(meter, table):
    store = store_for(table)
    with meter.measure() as first:
        write(normalised(SCANS[0]), store)
    with meter.measure() as repeat:
        write(normalised(SCANS[1]), store)
    assert first.units_by_kind["breach index"] == 2  # one small entry in each index
    assert repeat.units_by_kind["breach"] > 0 and repeat.units_by_kind["breach index"] == 0


def test_a_search_page_pays_its_index_queries_and_one_read_per_item(meter, table):
    store = store_for(table)
    write(normalised(SCANS[2]), store)
    peek = boto3.client("dynamodb")
    expected = 0.0
    for shard in range(4):
        entries = peek.query(TableName=table, IndexName=keys.INDEX_BY_DAY, KeyConditionExpression="gsi1pk = :p",
                             ExpressionAttributeValues={":p": {"S": keys.by_day_pk(DAY, shard)}})["Items"]
        expected += dynamo_units.query_units([dynamo_units.item_size(e) for e in entries], consistent=False)
    items = [peek.get_item(TableName=table, Key={k: e[k] for k in ("pk", "sk")})["Item"]
             for e in peek.scan(TableName=table)["Items"] if e["sk"]["S"] == "BREACH"]
    expected += dynamo_units.batch_get_units([dynamo_units.item_size(i) for i in items], 0, consistent=False)
    with meter.measure() as tally:
        assert len(store.breaches_by_day(DAY).items) == 2
    assert tally.operations("dynamodb") == {"Query": 4, "BatchGetItem": 1}
    assert tally.read_units == expected == 4 * 0.5 + 2 * 0.5
