"""local/moto_expressions.py against moto's own parser: same answers with and without the cache, errors afresh."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.dynamodb.comparisons import ConditionExpressionParser

from local import moto_expressions
from local.template import table_definition
from tests.support.moto_patch import patched_and_plain

KEY = {"pk": {"S": "BREACH#a"}, "sk": {"S": "BREACH"}}


def _outcome(call: Any) -> Any:
    try:
        answer = call()
    except ClientError as exc:
        return ("error", exc.response["Error"]["Code"], exc.response["Error"].get("Message"))
    except Exception as exc:  # moto lets some parse errors out as they are (KeyError for an unknown name)
        return ("raised", type(exc).__name__, str(exc))
    return {k: v for k, v in answer.items() if k != "ResponseMetadata"}


def _steps(client: Any) -> list[Any]:
    """Conditions the store sends, the same expression with other values, and broken ones (each twice)."""
    update = {"TableName": "t", "Key": KEY, "UpdateExpression": "SET #s = :s ADD #n :one",
              "ExpressionAttributeNames": {"#s": "lastSighting", "#n": "reportCount", "#pk": "pk"},
              "ConditionExpression": "attribute_not_exists(#pk) OR #s < :s", "ReturnValues": "ALL_NEW"}
    results = []
    for sighting in ("2026-11-28T10", "2026-11-28T09", "2026-11-28T11", "2026-11-28T11"):
        values = {":s": {"S": sighting}, ":one": {"N": "1"}}
        results.append(_outcome(lambda v=values: client.update_item(**update, ExpressionAttributeValues=v)))
    guard = {"pk": {"S": "SIGHTING#a"}, "sk": {"S": "r1"}}
    for _ in range(2):
        results.append(_outcome(lambda: client.put_item(TableName="t", Item=guard,
                                                        ConditionExpression="attribute_not_exists(pk)")))
    broken = [
        ("attribute_not_exists(#missing)", {}, {}),
        ("#s < :nothere", {"#s": "lastSighting"}, {":other": {"S": "x"}}),
        ("#s <", {"#s": "lastSighting"}, {}),
        ("lastSighting < :s", {}, {":s": {"N": "1"}, ":unused": {"S": "x"}}),
    ]
    for expression, names, values in broken * 2:
        request = {"TableName": "t", "Item": {**KEY, "x": {"S": "y"}}, "ConditionExpression": expression}
        if names:
            request["ExpressionAttributeNames"] = names
        if values:
            request["ExpressionAttributeValues"] = values
        results.append(_outcome(lambda r=request: client.put_item(**r)))
    results.append(_outcome(lambda: client.transact_write_items(TransactItems=[
        {"Put": {"TableName": "t", "Item": guard, "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Update": {**{k: v for k, v in update.items() if k != "ReturnValues"},
                    "ExpressionAttributeValues": {":s": {"S": "2026-11-28T12"}, ":one": {"N": "1"}}}},
    ])))
    results.append(_outcome(lambda: client.get_item(TableName="t", Key=KEY)))
    return results


def _run() -> list[Any]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        client.create_table(TableName="t", **table_definition())
        return _steps(client)


def test_cached_parses_answer_as_moto_does():
    patched, plain = patched_and_plain(moto_expressions, _run)
    assert patched == plain
    # the same expression with the next value is judged on that value, not on a cached earlier one
    assert patched[1][:2] == ("error", "ConditionalCheckFailedException")
    assert patched[2]["Attributes"]["lastSighting"] == {"S": "2026-11-28T11"}
    assert patched[3][:2] == ("error", "ConditionalCheckFailedException")
    assert patched[4] == {} and patched[5][:2] == ("error", "ConditionalCheckFailedException")


def test_a_repeated_condition_is_parsed_once(monkeypatch):
    calls = []
    original = moto_expressions._ORIGINAL["parse"]
    monkeypatch.setitem(moto_expressions._ORIGINAL, "parse", lambda self: calls.append(1) or original(self))
    moto_expressions._cache.clear()
    for value in ("a", "a", "b"):
        parser = ConditionExpressionParser("#s < :s", {"#s": "x"}, {":s": {"S": value}, ":other": {"S": value}})
        parser.parse()
        assert parser.expr_attr_names_found == ["#s"] and parser.expr_attr_values_found == [":s"]
    assert len(calls) == 2  # "a" once, then "b": another value is another parse


@pytest.mark.parametrize("expression", ["#s < :s", "attribute_exists(#s)"])
def test_a_failed_parse_is_not_kept(expression):
    moto_expressions._cache.clear()
    for _ in range(2):
        with pytest.raises(KeyError):
            ConditionExpressionParser(expression, {}, {}).parse()
    assert moto_expressions._cache == {}
