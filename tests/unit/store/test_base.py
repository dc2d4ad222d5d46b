"""The store's wire form (functions/slawatch/store/base.py): the fast path gives what boto3's serialiser gives."""

import decimal
from decimal import Decimal

import pytest
from boto3.dynamodb.types import TypeSerializer

from slawatch.store.base import serialise

VALUES = ["", "D:\\In\\a.csv", 0, -7, 2**63 - 1, 10**38 - 1, -(10**38) + 1, True, False, None, Decimal("1.5"),
          ["a", 1], {"nested": {"n": 2}}, b"bytes"]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_every_value_serialises_as_boto3_would(value):
    assert serialise({"v": value}) == {"v": TypeSerializer().serialize(value)}


def test_a_number_past_dynamodbs_38_digits_is_refused_as_boto3_refuses_it():
    with pytest.raises(decimal.Rounded):
        TypeSerializer().serialize(10**38)
    with pytest.raises(decimal.Rounded):
        serialise({"v": 10**38})


def test_a_lone_surrogate_is_stored_in_its_readable_form():
    stored = serialise({"v": "a\udc80b"})["v"]["S"]
    assert stored.startswith("a") and stored.endswith("b") and "\udc80" not in stored
    stored.encode("utf-8")  # valid UTF-8: DynamoDB would refuse the lone surrogate
