"""local/moto_wire.py against moto's own serializer: the same DynamoDB answers, byte for byte."""

from __future__ import annotations

import contextlib
from typing import Any

import boto3
from botocore.exceptions import ClientError
from moto import mock_aws

from local import moto_wire
from local.template import table_definition
from tests.support.moto_patch import patched_and_plain

ITEM = {
    "pk": {"S": "BREACH#a"}, "sk": {"S": "BREACH"}, "gsi1pk": {"S": "DAY#2026-11-28#0"}, "gsi1sk": {"S": "t"},
    "folder": {"S": "/srv/ünïcode"}, "size": {"N": "12.50"}, "blob": {"B": b"\x00\xffraw"}, "empty": {"S": "x"},
    "tags": {"SS": ["a", "b"]}, "counts": {"NS": ["1", "2"]}, "blobs": {"BS": [b"x", b"y"]},
    "nested": {"M": {"deep": {"L": [{"S": "x"}, {"N": "1"}, {"M": {"b": {"BOOL": False}}}, {"NULL": True}]},
                     "bin": {"B": b"\x01"}}},
    "flag": {"BOOL": True}, "none": {"NULL": True}, "list": {"L": []}, "map": {"M": {}},
}


def _steps(client: Any) -> list[bytes]:
    bodies: list[bytes] = []
    client.meta.events.register("before-parse.dynamodb.*",
                                lambda response_dict, **_: bodies.append(response_dict["body"]))
    client.put_item(TableName="t", Item=ITEM)
    client.put_item(TableName="t", Item={**ITEM, "sk": {"S": "OTHER"}}, ReturnValues="ALL_OLD")
    client.put_item(TableName="t", Item=ITEM, ReturnValues="ALL_OLD")
    key = {"pk": ITEM["pk"], "sk": ITEM["sk"]}
    client.get_item(TableName="t", Key=key)
    client.query(TableName="t", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": ITEM["pk"]})
    client.query(TableName="t", IndexName="ByDay", KeyConditionExpression="gsi1pk = :p",
                 ExpressionAttributeValues={":p": ITEM["gsi1pk"]})
    client.scan(TableName="t")
    client.batch_get_item(RequestItems={"t": {"Keys": [key]}})
    client.transact_get_items(TransactItems=[{"Get": {"TableName": "t", "Key": key}}])
    plain = {k: v for k, v in ITEM.items() if k not in ("blob", "blobs", "nested")}  # moto fails on bytes there
    client.put_item(TableName="t", Item={**plain, "sk": {"S": "PLAIN"}})
    client.update_item(TableName="t", Key={**key, "sk": {"S": "PLAIN"}}, UpdateExpression="SET #f = :f",
                       ReturnValues="ALL_NEW", ExpressionAttributeNames={"#f": "flag"},
                       ExpressionAttributeValues={":f": {"BOOL": False}})
    with contextlib.suppress(ClientError):
        client.put_item(TableName="t", Item={**plain, "sk": {"S": "PLAIN"}},
                        ConditionExpression="attribute_not_exists(pk)",
                        ReturnValuesOnConditionCheckFailure="ALL_OLD")
    return bodies


def _run() -> list[bytes]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        client.create_table(TableName="t", **table_definition())
        return _steps(client)


def test_answers_are_the_bytes_moto_writes():
    patched, plain = patched_and_plain(moto_wire, _run)
    assert len(patched) == 12
    assert patched == plain


def test_item_values_skip_the_generic_member_search(monkeypatch):
    from moto.core.serialize import AttributePicker

    looked_up: list[str] = []
    original = AttributePicker.__call__

    def counting(self: Any, context: Any) -> Any:
        looked_up.append(context.key)
        return original(self, context)

    monkeypatch.setattr(AttributePicker, "__call__", counting)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        client.create_table(TableName="t", **table_definition())
        client.put_item(TableName="t", Item={"pk": {"S": "a"}, "sk": {"S": "b"}, "flag": {"BOOL": True}})
        looked_up.clear()
        client.get_item(TableName="t", Key={"pk": {"S": "a"}, "sk": {"S": "b"}})
    # strings written directly, another member looked up alone: never the ten members of each value
    assert looked_up.count("BOOL") == 1 and not {"S", "NS", "L"} & set(looked_up)


def test_requests_parse_as_moto_parses_them():
    import base64
    import json

    from moto.core.parse import JSONParser
    from moto.core.utils import get_service_model

    def wire(value: Any) -> Any:  # DynamoDB JSON as boto3 sends it: binaries base64
        if isinstance(value, bytes):
            return base64.b64encode(value).decode()
        if isinstance(value, dict):
            return {k: wire(v) for k, v in value.items()}
        if isinstance(value, list):
            return [wire(v) for v in value]
        return value

    body = json.dumps({"TransactItems": [
        {"Put": {"TableName": "t", "Item": wire(ITEM), "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Update": {"TableName": "t", "Key": wire({"pk": ITEM["pk"], "sk": ITEM["sk"]}),
                    "UpdateExpression": "SET #a = :a", "ExpressionAttributeNames": {"#a": "a", "#ü": "ünï"},
                    "ExpressionAttributeValues": {":a": {"S": ""}, ":b": {"N": "1", "S": "both"}, ":c": {"S": None},
                                                  ":d": wire({"B": b"\x00"}), ":e": {"M": {"x": {"S": "y"}}},
                                                  ":f": {"L": [{"M": {}}]}}}},
    ]}).encode()
    operation = get_service_model("dynamodb").operation_model("TransactWriteItems")

    def parsed() -> Any:
        return JSONParser(operation).parse({"method": "POST", "values": {}, "headers": {}, "body": body,
                                            "url_params": {}, "path": "/"})

    patched, plain = patched_and_plain(moto_wire, parsed)
    assert patched == plain
    assert patched["TransactItems"][0]["Put"]["Item"]["blob"] == {"B": b"\x00\xffraw"}
    assert patched["TransactItems"][1]["Update"]["ExpressionAttributeValues"][":d"] == {"B": b"\x00"}

    shapes: list[str] = []
    original = JSONParser._parse_shape

    def counting(self: Any, shape: Any, node: Any) -> Any:
        shapes.append(shape.name)
        return original(self, shape, node)

    JSONParser._parse_shape = counting  # type: ignore[method-assign]
    try:
        parsed()
    finally:
        del JSONParser._parse_shape
    # names and values of a map go straight through: no per-key dispatch by shape
    assert "ExpressionAttributeNameVariable" not in shapes and "AttributeName" not in shapes
