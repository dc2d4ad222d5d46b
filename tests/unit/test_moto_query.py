"""local/moto_query.py: paging a partition with the page cut gives moto's own answers, page by page."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto import mock_aws

from local import moto_patches, moto_query
from local.template import table_definition

PARTITION = "DAY#2026-11-28#0"


def _items() -> list[dict[str, Any]]:
    items = []
    for n in range(60):
        stamp = f"2026-11-28T{n // 4:02d}:00:00.000Z"  # four items share each sort value: ties on the table keys
        items.append({"pk": {"S": f"BREACH#{n % 7}-{n:03d}"}, "sk": {"S": "BREACH"}, "gsi1pk": {"S": PARTITION},
                      "gsi1sk": {"S": stamp}, "gsi2pk": {"S": "FOLDER#f"}, "gsi2sk": {"S": f"{stamp}#{n:03d}"},
                      "name": {"S": "Ünïcode 𐐨"}})
    items.append({"pk": {"S": "BREACH#other"}, "sk": {"S": "BREACH"}, "gsi1pk": {"S": "DAY#2026-11-29#0"},
                  "gsi1sk": {"S": "2026-11-29T00:00:00.000Z"}})
    return items


QUERIES = [
    {"IndexName": "ByDay", "KeyConditionExpression": "gsi1pk = :p AND gsi1sk BETWEEN :a AND :b",
     "ExpressionAttributeValues": {":p": {"S": PARTITION}, ":a": {"S": "2026-11-28T02:00:00.000Z"},
                                   ":b": {"S": "2026-11-28T11:00:00.000Z~"}}},
    {"IndexName": "ByDay", "KeyConditionExpression": "gsi1pk = :p",
     "ExpressionAttributeValues": {":p": {"S": PARTITION}}},
    {"IndexName": "ByDay", "KeyConditionExpression": "gsi1pk = :p AND gsi1sk > :a",
     "ExpressionAttributeValues": {":p": {"S": PARTITION}, ":a": {"S": "2026-11-28T03:00:00.000Z"}},
     "ScanIndexForward": False},
    {"IndexName": "ByFolder", "KeyConditionExpression": "gsi2pk = :p AND begins_with(gsi2sk, :a)",
     "ExpressionAttributeValues": {":p": {"S": "FOLDER#f"}, ":a": {"S": "2026-11-28T1"}}},
    {"IndexName": "ByDay", "KeyConditionExpression": "gsi1pk = :p AND gsi1sk <= :b",
     "ExpressionAttributeValues": {":p": {"S": PARTITION}, ":b": {"S": "2026-11-28T05:00:00.000Z"}},
     "FilterExpression": "attribute_exists(#n)", "ExpressionAttributeNames": {"#n": "name"}},
    {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "BREACH#1-001"}}},
]


def _pages(query: dict[str, Any], limit: int) -> list[Any]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        client.create_table(TableName="t", **table_definition())
        for item in _items():
            client.put_item(TableName="t", Item=item)
        pages, start = [], None
        while True:
            request = {"TableName": "t", **query, "Limit": limit, **({"ExclusiveStartKey": start} if start else {})}
            answer = client.query(**request)
            pages.append((answer["Items"], answer["Count"], answer["ScannedCount"], answer.get("LastEvaluatedKey")))
            start = answer.get("LastEvaluatedKey")
            if not start or len(pages) > 100:
                return pages


@pytest.mark.parametrize("limit", [1, 4, 13])
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q["KeyConditionExpression"])
def test_pages_are_moto_s_own(query, limit, monkeypatch):
    moto_patches.apply()
    calls = []
    real = moto_query.page_candidates
    monkeypatch.setattr(moto_query, "page_candidates", lambda *a, **k: calls.append(1) or real(*a, **k))
    cut = _pages(query, limit)
    assert calls, "the cut was not consulted"
    monkeypatch.setattr(moto_query, "page_candidates", lambda table, index, items, *a, **k: items)
    whole = _pages(query, limit)
    assert cut == whole


def test_a_forward_page_keeps_only_one_item_past_the_limit():
    with mock_aws():
        moto_patches.apply()
        client = boto3.client("dynamodb", region_name="eu-west-1")
        client.create_table(TableName="t", **table_definition())
        for item in _items():
            client.put_item(TableName="t", Item=item)
        from moto.dynamodb.models import dynamodb_backends
        from moto.dynamodb.models.dynamo_type import DynamoType

        table = dynamodb_backends["123456789012"]["eu-west-1"].get_table("t")
        partition = [i for i in table.all_items() if i.attrs.get("gsi1pk") == DynamoType({"S": PARTITION})]
        kept = moto_query.page_candidates(table, "ByDay", partition, None, [], None, 5, True)
        assert len(kept) == 8  # five, and the sixth's sort value with its three ties
