"""Pins the moto patches: transactions stay atomic (rollback works) and never copy a table."""

import boto3
import moto
import moto.dynamodb.models as dynamodb_models
import pytest
from botocore.exceptions import ClientError


def test_moto_is_the_pinned_version():
    assert moto.__version__ == "5.2.5", "local/moto_patches.py was written against moto 5.2.5: re-check it"


def test_cancelled_transaction_still_rolls_back(table):
    client = boto3.client("dynamodb")
    client.put_item(TableName=table, Item={"pk": {"S": "b"}, "sk": {"S": "x"}})
    actions = [
        {"Put": {"TableName": table, "Item": {"pk": {"S": "a"}, "sk": {"S": "x"}}}},
        {"Put": {"TableName": table, "Item": {"pk": {"S": "b"}, "sk": {"S": "x"}},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
    ]
    with pytest.raises(ClientError, match="TransactionCanceled"):
        client.transact_write_items(TransactItems=actions)
    assert "Item" not in client.get_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"S": "x"}})


def test_a_transaction_copies_no_table(table, monkeypatch):
    copies = []
    real = dynamodb_models.copy.deepcopy if hasattr(dynamodb_models.copy, "deepcopy") else None
    assert real is not None
    import copy

    original = copy.deepcopy

    def counting(value, memo=None):
        if isinstance(value, dynamodb_models.Table):
            copies.append(1)
        return original(value, memo)

    monkeypatch.setattr(copy, "deepcopy", counting)
    actions = [{"Put": {"TableName": table, "Item": {"pk": {"S": f"p{i}"}, "sk": {"S": "x"}}}} for i in range(20)]
    boto3.client("dynamodb").transact_write_items(TransactItems=actions)
    assert copies == []
