"""The local stack's table as a test reads it: every item, once the workflows have finished."""

from __future__ import annotations

from typing import Any

import boto3


def table_items(stack) -> list[dict[str, Any]]:
    """Every item of the stack's table (a Scan: tests only), after every workflow execution has ended."""
    stack.wait_for_workflows()
    table = boto3.resource("dynamodb").Table(stack.table)
    items, page = [], {}
    while True:
        answer = table.scan(**page)
        items += answer["Items"]
        if "LastEvaluatedKey" not in answer:
            return items
        page = {"ExclusiveStartKey": answer["LastEvaluatedKey"]}
