"""local/moto_responses.py against moto's own serializer: the same DynamoDB answers, byte for byte."""

from __future__ import annotations

from typing import Any

import pytest
from moto.core.serialize import JSONSerializer, XFormedAttributePicker
from moto.core.utils import get_service_model

from local import moto_responses

ITEM: dict[str, Any] = {
    "pk": {"S": "BREACH#a"}, "sk": {"S": "BREACH"}, "folder": {"S": "\\\\fs\\Eingänge\\𐐨"}, "n": {"N": "-1.50"},
    "blob": {"B": b"\x00\xffbytes"}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]},
    "bs": {"BS": [b"x", b"\x01"]}, "null": {"NULL": True}, "yes": {"BOOL": True}, "no": {"BOOL": False},
    "empty": {"S": ""}, "map": {"M": {"inner": {"L": [{"S": "x"}, {"N": "3"}, {"M": {}}, {"B": b"y"}]}}},
    "list": {"L": []},
}
RESULTS = {
    "Query": {"Items": [ITEM, {"pk": {"S": "b"}}], "Count": 2, "ScannedCount": 2,
              "LastEvaluatedKey": {"pk": {"S": "b"}, "sk": {"S": "x"}},
              "ConsumedCapacity": {"TableName": "t", "CapacityUnits": 0.5}},
    "GetItem": {"Item": ITEM},
    "Scan": {"Items": [], "Count": 0, "ScannedCount": 0},
    "BatchGetItem": {"Responses": {"t": [ITEM]}, "UnprocessedKeys": {}},
    "TransactWriteItems": {"ConsumedCapacity": [{"TableName": "t", "CapacityUnits": 2.0}]},
    "UpdateItem": {"Attributes": ITEM},
}


def _serialise(operation: str, result: Any) -> dict[str, Any]:
    model = get_service_model("dynamodb").operation_model(operation)
    return JSONSerializer(operation_model=model, value_picker=XFormedAttributePicker()).serialize(result)


@pytest.mark.parametrize("operation", sorted(RESULTS))
def test_the_shortcut_writes_what_moto_writes(operation):
    moto_responses.apply()
    fast = _serialise(operation, RESULTS[operation])
    moto_responses.revert()
    try:
        plain = _serialise(operation, RESULTS[operation])
    finally:
        moto_responses.apply()
    assert fast == plain


def test_items_take_the_shortcut(monkeypatch):
    moto_responses.apply()
    calls = []
    real = moto_responses.attribute_value
    monkeypatch.setattr(moto_responses, "attribute_value", lambda v: calls.append(v) or real(v))
    _serialise("Query", RESULTS["Query"])
    key = RESULTS["Query"]["LastEvaluatedKey"]
    assert all(any(call is value for call in calls) for value in [*ITEM.values(), *key.values()])


def test_values_not_in_wire_form_go_to_moto():
    assert not moto_responses._is_wire_form({"S": "x", "other": 1})
    assert not moto_responses._is_wire_form({"M": {"a": "plain"}})
    assert moto_responses._is_wire_form({"L": [{"S": "x"}, {"M": {"k": {"N": "1"}}}]})
