"""local/moto_dynamodb.py, moto_updates.py and moto_transactions.py against moto's own code: the same operations,
patched and unpatched, same answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from local import moto_dynamodb, moto_transactions, moto_updates
from local.template import table_definition

A = {"pk": {"S": "BREACH#a"}, "sk": {"S": "BREACH"}}
UPDATES: list[dict[str, Any]] = [
    {"UpdateExpression": "SET #a = :a, #b = if_not_exists(#b, :b) REMOVE #c ADD #n :one",
     "ExpressionAttributeNames": {"#a": "folder", "#b": "firstReported", "#c": "sizeBytes", "#n": "reportCount"},
     "ExpressionAttributeValues": {":a": {"S": "x"}, ":b": {"S": "2026"}, ":one": {"N": "1"}}},
    {"UpdateExpression": "SET #g = :g, #s = :s ADD #n :one", "ConditionExpression": "attribute_exists(pk)",
     "ExpressionAttributeNames": {"#g": "gsi1pk", "#s": "gsi1sk", "#n": "reportCount"},
     "ExpressionAttributeValues": {":g": {"S": "DAY#2026-11-28#0"}, ":s": {"S": "t"}, ":one": {"N": "2"}}},
    {"UpdateExpression": "SET #a = :a", "ExpressionAttributeNames": {"#a": "pk"},  # a key: moto's error
     "ExpressionAttributeValues": {":a": {"S": "other"}}},
    {"UpdateExpression": "SET #a = :missing", "ExpressionAttributeNames": {"#a": "folder"},
     "ExpressionAttributeValues": {":a": {"S": "x"}}},
    {"UpdateExpression": "SET #a = :a, #a = :a", "ExpressionAttributeNames": {"#a": "folder"},
     "ExpressionAttributeValues": {":a": {"S": "x"}}},
    {"UpdateExpression": "ADD #n :s", "ExpressionAttributeNames": {"#n": "folder"},
     "ExpressionAttributeValues": {":s": {"N": "1"}}},
    {"UpdateExpression": "SET #a = :a", "ConditionExpression": "attribute_not_exists(pk)",
     "ExpressionAttributeNames": {"#a": "folder"}, "ExpressionAttributeValues": {":a": {"S": "y"}}},
    {"UpdateExpression": "SET #g = :e", "ExpressionAttributeNames": {"#g": "gsi1pk"},
     "ExpressionAttributeValues": {":e": {"S": ""}}},
]


def _run(steps: Callable[[Any], list[Any]]) -> list[Any]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        client.create_table(TableName="t", **table_definition())
        return steps(client)


def _both(steps: Callable[[Any], list[Any]]) -> tuple[list[Any], list[Any]]:
    patched = _run(steps)
    patches = (moto_dynamodb, moto_updates, moto_transactions)
    for patch in patches:
        patch.remove()
    try:
        plain = _run(steps)
    finally:
        for patch in patches:
            patch.apply()
    return patched, plain


def _outcome(call: Callable[[], Any]) -> Any:
    try:
        answer = call()
    except ClientError as exc:
        return ("error", exc.response["Error"]["Code"])
    return {k: v for k, v in answer.items() if k != "ResponseMetadata"}


@pytest.mark.parametrize("update", UPDATES, ids=[u["UpdateExpression"] for u in UPDATES])
def test_updates_answer_as_moto_does(update):
    def steps(client):
        results = []
        for _ in range(2):  # on a missing item, then on the item the first call made
            results.append(_outcome(lambda: client.update_item(TableName="t", Key=A, ReturnValues="ALL_NEW",
                                                               **update)))
            results.append(_outcome(lambda: client.get_item(TableName="t", Key=A)))
        return results

    patched, plain = _both(steps)
    assert patched == plain


def test_queries_and_cancelled_transactions_answer_as_moto_does():
    def steps(client):
        items = [{"pk": {"S": f"BREACH#{i}"}, "sk": {"S": "BREACH"}, "gsi1pk": {"S": f"DAY#{i % 3}"},
                  "gsi1sk": {"S": f"{i:04d}"}, "gsi2pk": {"S": "FOLDER#f"}, "gsi2sk": {"S": f"{i:04d}"}}
                 for i in range(30)]
        client.transact_write_items(TransactItems=[{"Put": {"TableName": "t", "Item": i}} for i in items[:20]])
        cancelled = _outcome(lambda: client.transact_write_items(TransactItems=[
            {"Put": {"TableName": "t", "Item": items[25]}},
            {"Update": {"TableName": "t", "Key": {"pk": items[0]["pk"], "sk": items[0]["sk"]},
                        "UpdateExpression": "SET #x = :x", "ExpressionAttributeNames": {"#x": "gsi1pk"},
                        "ExpressionAttributeValues": {":x": {"S": "DAY#moved"}}}},
            {"Put": {"TableName": "t", "Item": items[1], "ConditionExpression": "attribute_not_exists(pk)"}},
        ]))
        client.update_item(TableName="t", Key={"pk": items[2]["pk"], "sk": items[2]["sk"]},
                           UpdateExpression="SET #x = :x", ExpressionAttributeNames={"#x": "gsi1pk"},
                           ExpressionAttributeValues={":x": {"S": "DAY#0"}})
        client.delete_item(TableName="t", Key={"pk": items[3]["pk"], "sk": items[3]["sk"]})
        results = [cancelled]
        for index, pk, name in (("ByDay", "DAY#0", "gsi1pk"), ("ByDay", "DAY#moved", "gsi1pk"),
                                ("ByFolder", "FOLDER#f", "gsi2pk"), (None, "BREACH#4", "pk")):
            request = {"TableName": "t", "KeyConditionExpression": "#p = :p", "Limit": 4,
                       "ExpressionAttributeNames": {"#p": name}, "ExpressionAttributeValues": {":p": {"S": pk}}}
            if index:
                request["IndexName"] = index
            pages = []
            while True:
                page = client.query(**request)
                pages.append(page["Items"])
                if "LastEvaluatedKey" not in page:
                    break
                request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
            results.append(pages)
        return results

    patched, plain = _both(steps)
    assert patched == plain
    assert patched[0] == ("error", "TransactionCanceledException")


@pytest.mark.parametrize("characters", [202_400, 202_480, 202_600])
def test_items_near_the_size_limit_are_taken_or_refused_as_moto_does(characters):
    def steps(client):
        item = {**A, "name": {"S": "é" * characters}, "count": {"N": "12345.678"},  # é: 2 bytes in UTF-8
                "tags": {"SS": ["a", "b"]}, "nested": {"M": {"k": {"S": "v"}}}}
        return [_outcome(lambda: client.put_item(TableName="t", Item=item)),
                _outcome(lambda: client.get_item(TableName="t", Key=A, ProjectionExpression="pk, #c",
                                                 ExpressionAttributeNames={"#c": "count"}))]

    patched, plain = _both(steps)
    assert patched == plain


def test_the_clauses_of_a_cached_update_parse_are_walked_once_and_a_copy_afresh(monkeypatch):
    import copy

    from moto.dynamodb.parsing.ast_nodes import ExpressionAttributeName
    from moto.dynamodb.parsing.expressions import UpdateExpressionParser

    walked: list[Any] = []
    original = moto_updates._ORIGINAL["find_clauses"]
    monkeypatch.setitem(moto_updates._ORIGINAL, "find_clauses",
                        lambda node, types: walked.append(node) or original(node, types))
    parse = UpdateExpressionParser.make("SET #a = :a, #b = if_not_exists(#b, :b) REMOVE #c")
    assert UpdateExpressionParser.make("SET #a = :a, #b = if_not_exists(#b, :b) REMOVE #c") is parse
    first = parse.find_clauses([ExpressionAttributeName])
    walks = len(walked)
    again = parse.find_clauses([ExpressionAttributeName])
    assert len(walked) == walks and again == first and again is not first  # kept, handed out as a new list
    assert sorted(n.get_attribute_name_placeholder() for n in first) == ["#a", "#b", "#b", "#c"]

    duplicate = copy.deepcopy(parse)  # moto's validator works on a copy: its own nodes, walked afresh
    of_copy = duplicate.find_clauses([ExpressionAttributeName])
    assert len(walked) > walks and not {id(n) for n in of_copy} & {id(n) for n in first}

    parse.children = list(parse.children)  # children replaced (normalize does that): walked afresh
    walks = len(walked)
    parse.find_clauses([ExpressionAttributeName])
    assert len(walked) > walks
