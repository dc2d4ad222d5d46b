"""local/moto_dynamodb_sort.py against moto's own sort: index Queries page through in the same order."""

from __future__ import annotations

from typing import Any

import boto3
from moto import mock_aws

from local import moto_dynamodb_sort
from local.template import table_definition
from tests.support.moto_patch import patched_and_plain


def _items() -> list[dict[str, Any]]:
    """Index sort keys with ties (the table key breaks them), unicode, prefixes of each other, one number."""
    keys = ["b", "a", "a", "ab", "é", "B", "", "a"]
    items = [{"pk": {"S": f"BREACH#{i:02d}"}, "sk": {"S": "BREACH" if i % 2 else "X"},
              "gsi1pk": {"S": "DAY#1"}, "gsi1sk": {"S": f"{keys[i % len(keys)]}#{i % 3}"}}
             for i in range(40)]
    items.append({"pk": {"S": "BREACH#num"}, "sk": {"S": "BREACH"}, "gsi1pk": {"S": "DAY#2"}, "gsi1sk": {"S": "x"},
                  "gsi2pk": {"S": "F"}, "gsi2sk": {"S": "1"}})
    items.append({"pk": {"S": "BREACH#n2"}, "sk": {"S": "BREACH"}, "gsi1pk": {"S": "DAY#2"}, "gsi1sk": {"S": "y"}})
    return items


def _pages(client: Any, index: str, pk_name: str, pk: str, forward: bool) -> list[list[Any]]:
    request = {"TableName": "t", "IndexName": index, "Limit": 7, "ScanIndexForward": forward,
               "KeyConditionExpression": "#p = :p", "ExpressionAttributeNames": {"#p": pk_name},
               "ExpressionAttributeValues": {":p": {"S": pk}}}
    pages = []
    while True:
        page = client.query(**request)
        pages.append([page["Items"], page.get("LastEvaluatedKey")])
        if "LastEvaluatedKey" not in page:
            return pages
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _run() -> list[Any]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        client.create_table(TableName="t", **table_definition())
        for item in _items():
            client.put_item(TableName="t", Item=item)
        return [_pages(client, index, name, pk, forward) for forward in (True, False)
                for index, name, pk in (("ByDay", "gsi1pk", "DAY#1"), ("ByDay", "gsi1pk", "DAY#2"),
                                        ("ByFolder", "gsi2pk", "F"))]


def test_index_queries_page_as_moto_does():
    patched, plain = patched_and_plain(moto_dynamodb_sort, _run)
    assert patched == plain
    assert sum(len(items) for items, _ in patched[0]) == 40 and len(patched[0]) == 6


def test_table_order_is_the_order_moto_lists_items_in():
    from moto.dynamodb.models.dynamo_type import DynamoType, Item

    keys = [("b", "2"), ("a", "10"), ("a", "9"), ("é", ""), ("B", "x"), ("a", "10#"), ("ab", "1")]
    items = [Item(DynamoType({"S": h}), DynamoType({"S": r}), {"pk": {"S": h}, "sk": {"S": r}}) for h, r in keys]
    expected = sorted(items, key=lambda x: (x.hash_key, x.range_key))  # moto's own key (Table.all_items)
    assert [(i.hash_key.value, i.range_key.value) for i in moto_dynamodb_sort.table_order(items)] == \
        [(i.hash_key.value, i.range_key.value) for i in expected]
    numbers = [Item(DynamoType({"N": n}), None, {"pk": {"N": n}}) for n in ("10", "9", "-1")]
    assert [i.hash_key.value for i in moto_dynamodb_sort.table_order(numbers)] == ["-1", "9", "10"]  # moto's way
