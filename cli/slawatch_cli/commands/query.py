"""``slawatch query``: breaches (or reports) from the search API, every page followed, as table, JSON or CSV."""

import argparse
import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import TextIO

from ..errors import ConfigError, ExitCode
from .common import CREDENTIALS_HELP, EXIT_CODES, add_command, api_target, aws_target, day, positive, text, verbosity

NAME = "query"
HELP = "list breaches (or reports) from the search API"
DESCRIPTION = """
Query the search API as a reader, following every page: by affected date (the common case,
optionally a date range and one folder), or by folder over a date range.
"""
EXAMPLES = """
examples:
  slawatch query --stack slawatch --date 2026-11-28
  slawatch query --config slawatch.json --date 2026-11-01 --to 2026-11-30 --format csv > nov.csv
  slawatch query --stack slawatch --folder /srv/inbound/payments --from 2026-11-01 --to 2026-11-07
"""


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = add_command(
        subparsers,
        NAME,
        HELP,
        parents=[verbosity(), aws_target(), api_target()],
        description=text(DESCRIPTION),
        epilog=text(EXAMPLES, CREDENTIALS_HELP.replace("credentials", "reader credentials", 1), EXIT_CODES),
    )
    parser.add_argument("--date", type=day, metavar="YYYY-MM-DD", help="affected date (start of the range)")
    parser.add_argument("--to", type=day, metavar="YYYY-MM-DD", help="last affected date of the range")
    parser.add_argument("--from", dest="from_", type=day, metavar="YYYY-MM-DD", help="with --folder: first date")
    parser.add_argument("--folder", metavar="FOLDER", help="only this folder, exactly as the scanner reports it")
    parser.add_argument("--limit", type=positive, metavar="N", help="page size asked of the API")
    parser.add_argument(
        "--kind",
        choices=("breaches", "reports"),
        default="breaches",
        help="breaches (default) or the reports received on --date",
    )
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    return run_query(args)


def run_query(
    args: argparse.Namespace,
    *,
    environ: Mapping[str, str] = os.environ,
    sleep: Callable[[float], None] = time.sleep,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> ExitCode:
    from ..operations.search import BREACH_COLUMNS, REPORT_COLUMNS, BreachQuery, reader_client
    from ..output import render
    from ..scanner.transport import RetryPolicy, new_session

    if args.kind == "reports":
        if args.date is None:
            raise ConfigError("--kind reports needs --date")
        resource, params = "reports", {"date": args.date.isoformat()}
    else:
        resource = "breaches"
        params = BreachQuery(args.date, args.to, args.folder, args.from_, args.limit).params()
    client = reader_client(args, environ, RetryPolicy(sleep=sleep), new_session())
    items = list(client.items(resource, params))
    columns = BREACH_COLUMNS if resource == "breaches" else REPORT_COLUMNS
    print(render(items, args.format, columns), file=out or sys.stdout)
    noun = resource if len(items) != 1 else resource[:-1]
    print(f"{len(items)} {noun}", file=err or sys.stderr)
    return ExitCode.OK
