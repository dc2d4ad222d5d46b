"""``slawatch status``: what is stuck right now, from GET /incidents (open and recovering incidents, silent hosts)."""

import argparse
import datetime
import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from slawatch.timestamps import age_text

from ..errors import ExitCode
from ..timeutil import parse_instant
from .common import CREDENTIALS_HELP, add_command, api_target, aws_target, exit_codes, text, verbosity

NAME = "status"
HELP = "show what is stuck right now: open incidents and silent scanner hosts"
DESCRIPTION = """
One line per open incident, longest open first: the folder and scanner host, since when it has been
stuck, how many files are past the SLA, how old the oldest one is, and when a scan last saw it. A
folder that scans clean again shows "recovering" until it has stayed clean for the stack's recovery
window; a scanner host that stopped reporting shows as "(scanner silent)".
"""
EXAMPLES = """
examples:
  slawatch status --stack slawatch
  slawatch status --config slawatch.json --host fs01
  slawatch status --stack slawatch --format json | jq '.[] | select(.filesStuck > 100)'
"""
EXIT_CODES = exit_codes(
    (ExitCode.OK, "listed (also when nothing is stuck)"),
    (ExitCode.DELIVERY_FAILED, "the search API or Cognito could not be reached or kept failing"),
    (ExitCode.CONFIG, "the API refused the request, or configuration/credentials"),
)
COLUMNS = ("folder", "host", "state", "openSince", "files", "oldestAge", "lastSeen")


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = add_command(
        subparsers,
        NAME,
        HELP,
        parents=[verbosity(), aws_target(), api_target()],
        description=text(DESCRIPTION),
        epilog=text(EXAMPLES, CREDENTIALS_HELP.replace("credentials", "reader credentials", 1), EXIT_CODES),
    )
    parser.add_argument("--host", metavar="LOGIN", help="only this scanner host (its login, as notifications name it)")
    parser.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    return run_status(args)


def run_status(
    args: argparse.Namespace,
    *,
    environ: Mapping[str, str] = os.environ,
    sleep: Callable[[float], None] = time.sleep,
    now: datetime.datetime | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> ExitCode:
    from ..operations.search import reader_client
    from ..output import render
    from ..scanner.transport import RetryPolicy, new_session

    client = reader_client(args, environ, RetryPolicy(sleep=sleep), new_session())
    incidents = [i for i in client.items("incidents", {}) if args.host in (None, i.get("host"))]
    rows = stuck_now(incidents, now or datetime.datetime.now(datetime.UTC))
    if args.format == "json":
        print(render(rows, "json"), file=out or sys.stdout)
    elif rows:
        print(render([_display(r) for r in rows], "table", COLUMNS), file=out or sys.stdout)
    silent = sum(1 for r in rows if r.get("kind") == "silent")
    summary = f"{len(rows) - silent} folder(s) stuck, {silent} scanner host(s) silent"
    print(summary if rows else "nothing stuck: no open incidents", file=err or sys.stderr)
    return ExitCode.OK


def stuck_now(incidents: list[dict[str, Any]], now: datetime.datetime) -> list[dict[str, Any]]:
    """The incidents with their ages as of now (seconds), longest open first."""
    now_ns = int(now.timestamp() * 1_000_000_000)
    rows = []
    for incident in incidents:
        row = dict(incident)
        row["openForSeconds"] = _age(incident.get("openedAt"), now_ns)
        row["oldestAgeSeconds"] = _age(incident.get("oldestSince"), now_ns)
        rows.append(row)
    return sorted(rows, key=lambda r: (-(r["openForSeconds"] or 0), r.get("host", ""), r.get("folder") or ""))


def _age(instant: str | None, now_ns: int) -> int | None:
    if not instant:
        return None
    return max(0, (now_ns - parse_instant(instant)) // 1_000_000_000)


def _host(row: dict[str, Any]) -> str:
    """The login (what --host and the notifications' command take), and the machine's own name when it differs."""
    login, name = row.get("host", ""), row.get("hostName")
    return f"{login} ({name})" if name and name != login else login


def _display(row: dict[str, Any]) -> dict[str, Any]:
    silent = row.get("kind") == "silent"
    return {
        "folder": "(scanner silent)" if silent else row.get("folder"),
        "host": _host(row),
        "state": row.get("state"),
        "openSince": f"{row.get('openedAt')} ({age_text(row['openForSeconds'] or 0)})",
        "files": "" if silent else (row.get("filesStuck") if row.get("reason") == "pastSla" else row.get("reason")),
        "oldestAge": age_text(row["oldestAgeSeconds"]) if row["oldestAgeSeconds"] is not None else "",
        "lastSeen": row.get("lastSeen"),
    }
