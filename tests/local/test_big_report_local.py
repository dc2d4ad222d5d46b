"""A big report (2,000 files over 4 folders, above the Express size limit) through the local stack, end to end.

Posted as a scanner posts it, it takes the Standard workflow; afterwards every breach is searchable by folder and
by date, each exactly once, and the report's outcome counts them all. Speed is measured in
benchmarks/local_stack_bench.py, not here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import requests

from slawatch.archive import checksum_sha256
from tests.support.reports import folder, report

pytestmark = pytest.mark.slow
FILES, FOLDERS = 2_000, 4


def _pages(stack, token: str, params: dict[str, str]) -> list[dict]:
    items, params = [], {**params, "limit": "500"}
    while True:
        answer = requests.get(f"{stack.api_url}/breaches", params=params, headers={"Authorization": token}, timeout=60)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        items += body["items"]
        if not body.get("nextToken"):
            return items
        params["nextToken"] = body["nextToken"]


def test_a_2000_file_report_goes_through_and_every_breach_is_searchable(stack, scanner_token, reader_token):
    created = datetime.now(UTC) - timedelta(hours=3)
    stamp = created.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    paths = [f"/srv/big/queue-{n}" for n in range(FOLDERS)]
    body = report(*(folder(path, 20, *((f"INV-{i:05d}-{'x' * 100}.csv", stamp) for i in range(n, FILES, FOLDERS)))
                    for n, path in enumerate(paths)))
    data = json.dumps(body).encode()
    assert len(data) > 256 * 1024  # the Standard workflow's share (template.yaml's size rules)
    before = {e["executionArn"] for e in stack.executions()}
    answer = requests.post(f"{stack.api_url}/reports", data=data, timeout=60, headers={
        "Authorization": f"Bearer {scanner_token}", "Content-Type": "application/json",
        "x-amz-checksum-sha256": checksum_sha256(data)})
    assert answer.status_code == 200, answer.text
    finished = [e for e in stack.wait_for_workflows(timeout=900) if e["executionArn"] not in before]
    assert [(e["status"], e["stateMachineArn"]) for e in finished] == [("SUCCEEDED", stack.state_machine_arn)]

    day = (created + timedelta(minutes=20)).strftime("%Y-%m-%d")
    for path in paths:
        found = _pages(stack, reader_token, {"folder": path, "from": day, "to": day})
        assert len(found) == FILES // FOLDERS and len({b["filename"] for b in found}) == FILES // FOLDERS
        assert {b["folder"] for b in found} == {path}
    by_date = [b for b in _pages(stack, reader_token, {"date": day}) if b["folder"].startswith("/srv/big/")]
    assert len(by_date) == FILES and len({(b["folder"], b["filename"]) for b in by_date}) == FILES
    outcome = json.loads(finished[0]["output"])["persisted"]
    assert outcome["status"] == "accepted" and outcome["counts"]["sightingsWritten"] == FILES
