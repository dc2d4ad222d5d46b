"""`make demo`: push a sample report through the ingest handler into a moto DynamoDB and search it back.

Runs entirely on this machine (moto), prints what was stored as tables: by affected date (the common case)
and by folder.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "functions")]
DEMO_ENVIRONMENT = dict(
    AWS_ACCESS_KEY_ID="demo", AWS_SECRET_ACCESS_KEY="demo", AWS_DEFAULT_REGION="eu-west-1",  # moto only
    POWERTOOLS_TRACE_DISABLED="1", POWERTOOLS_METRICS_NAMESPACE="SlaWatch", POWERTOOLS_SERVICE_NAME="slawatch-demo",
    POWERTOOLS_LOG_LEVEL="WARNING", POWERTOOLS_METRICS_DISABLED="true", TABLE_NAME="slawatch-demo",
)

import contextlib  # noqa: E402
from collections.abc import Iterator  # noqa: E402

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

from local import moto_patches  # noqa: E402
from tests.support.template import table_definition  # noqa: E402

COLUMNS = [("affectedDate", "date"), ("breachedAt", "breached at"), ("sla", "sla"), ("folder", "folder"),
           ("filename", "file"), ("reportCount", "reports")]


def table(rows: list[dict[str, Any]]) -> str:
    cells = [[str(row.get(key, "")) for key, _ in COLUMNS] for row in rows]
    widths = [max([len(title), *(len(c[i]) for c in cells)]) for i, (_, title) in enumerate(COLUMNS)]
    line = "  ".join(title.ljust(w) for (_, title), w in zip(COLUMNS, widths, strict=True))
    body = ["  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)) for cell in cells]
    return "\n".join([line, "-" * len(line), *body]) if body else line + "\n(no breaches)"


class _Context:
    function_name = "slawatch-demo"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:slawatch-demo"
    aws_request_id = "demo-request"


@contextlib.contextmanager
def demo_environment() -> Iterator[None]:
    """Fake credentials and quiet Powertools for the run only, restored afterwards (the demo runs in tests too)."""
    saved = dict(os.environ)
    os.environ.update(DEMO_ENVIRONMENT)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def main() -> int:
    moto_patches.apply()
    with demo_environment(), mock_aws():
        boto3.client("dynamodb").create_table(TableName=os.environ["TABLE_NAME"], **table_definition())
        from ingest.app import lambda_handler
        from slawatch.keys import folder_id
        from slawatch.paths import canonical_folder
        from slawatch.store import BreachStore, iter_pages

        event = json.loads((ROOT / "events/apigw-rest-sync.json").read_text(encoding="utf-8"))
        print("POST /reports/sync  (events/apigw-rest-sync.json, twice: the second is a duplicate)")
        for _ in range(2):
            answer = lambda_handler(event, _Context())
            print(f"  -> {answer['statusCode']} {answer['body']}")
        invalid = {"sla_error": [{"folder": "D:\\In", "sla": "20", "files": [{"filename": "a", "creationDate": "x"}]}]}
        answer = lambda_handler({**event, "body": json.dumps(invalid)}, _Context())
        print(f"POST an invalid report\n  -> {answer['statusCode']} {answer['body']}\n")

        store = BreachStore(os.environ["TABLE_NAME"])
        by_day = list(iter_pages(lambda t: store.breaches_by_day("2026-11-26", "2026-11-28", token=t)))
        print("Breaches by affected date 2026-11-26 .. 2026-11-28")
        print(table(by_day), "\n")
        folder = "d:/inbound/payments/"  # another spelling of D:\Inbound\Payments finds the same folder
        by_folder = list(iter_pages(lambda t: store.breaches_by_folder(
            folder_id(canonical_folder(folder)), "2026-11-01", "2026-11-30", token=t)))
        print(f"Breaches of folder {folder!r} in November 2026")
        print(table(by_folder))
        return 0 if len(by_day) == 3 and len(by_folder) == 2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
