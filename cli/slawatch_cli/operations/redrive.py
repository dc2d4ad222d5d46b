"""``slawatch redrive``: restart FAILED executions from the state that failed (Step Functions redrive).

Redrive reuses the execution's own input and history, so nothing succeeds twice; AWS allows it within 14 days
of the failure, which is also the default look-back. Executions AWS refuses to redrive are counted, not fatal.
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from botocore.exceptions import ClientError

from ..progress import Progress
from ..scanner.targets import aws_errors, error_code

log = logging.getLogger("slawatch_cli.redrive")

REDRIVE_WINDOW = timedelta(days=14)
_NOT_REDRIVABLE = {"ExecutionNotRedrivable", "ExecutionLimitExceeded", "ExecutionDoesNotExist"}


@dataclass(slots=True)
class RedriveSummary:
    found: int = 0
    redriven: int = 0
    refused: int = 0
    refusals: list[str] = field(default_factory=list)


def failed_executions(sfn: Any, state_machine_arn: str, since: datetime) -> list[dict[str, Any]]:
    """FAILED executions that stopped at or after ``since``, oldest first."""
    found = []
    paginator = sfn.get_paginator("list_executions")
    with aws_errors("list failed executions"):
        for page in paginator.paginate(stateMachineArn=state_machine_arn, statusFilter="FAILED"):
            for execution in page.get("executions", []):
                stopped = execution.get("stopDate") or execution.get("startDate")
                if stopped is not None and stopped.tzinfo is None:
                    stopped = stopped.replace(tzinfo=UTC)
                if stopped is None or stopped >= since:
                    found.append(execution)
    found.sort(key=lambda e: e.get("stopDate") or e.get("startDate") or since)
    return found


def redrive(
    *,
    sfn: Any,
    state_machine_arn: str,
    since: datetime | None,
    now: datetime,
    dry_run: bool,
    out: TextIO,
    err: TextIO,
) -> RedriveSummary:
    since = since or now - REDRIVE_WINDOW
    executions = failed_executions(sfn, state_machine_arn, since)
    summary = RedriveSummary(found=len(executions))
    if dry_run:
        for execution in executions:
            out.write(f"would redrive {execution['name']} (stopped {execution.get('stopDate')})\n")
        return summary
    progress = Progress(len(executions), "redrive", err)
    for execution in executions:
        try:
            sfn.redrive_execution(executionArn=execution["executionArn"])
            summary.redriven += 1
        except ClientError as exc:
            code = error_code(exc)
            if code not in _NOT_REDRIVABLE:
                with aws_errors(f"redrive {execution['name']}"):
                    raise
            summary.refused += 1
            summary.refusals.append(f"{execution['name']}: {code}")
            log.warning("execution %s not redriven: %s", execution["name"], code)
        progress.advance(f"redriven {summary.redriven} refused {summary.refused}")
    progress.close()
    return summary
