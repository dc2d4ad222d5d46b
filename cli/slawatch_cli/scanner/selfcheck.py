"""The report checked against the one report schema before it leaves the host.

API Gateway's request validator answers 400 with a text in its own words and no JSON path, so the scanner
names the field itself, with the same contract code the Lambdas use (``slawatch.contract``). A report that
fails is never sent: it goes to the dead-letter folder with its problems, like a report the API refused.
"""

import json
import logging

from slawatch.contract import validate_report

log = logging.getLogger("slawatch_cli.scan")


def problems(body: bytes) -> list[str]:
    """``$.path: message`` for every way the body breaks the report contract; empty when it is valid."""
    return [f"{p.path}: {p.message}" for p in validate_report(json.loads(body))]


def split_valid(bodies: list[bytes]) -> tuple[list[bytes], list[tuple[int, bytes, list[str]]]]:
    """(bodies to send, [(chunk number, body, problems)] to keep back), each problem logged with its path."""
    valid, invalid = [], []
    for index, body in enumerate(bodies, start=1):
        found = problems(body)
        if not found:
            valid.append(body)
            continue
        for problem in found:
            log.error("report chunk %d breaks the report schema and is not sent: %s", index, problem)
        invalid.append((index, body, found))
    return valid, invalid
