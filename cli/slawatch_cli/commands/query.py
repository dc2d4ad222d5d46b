"""``slawatch query``: breaches (or reports) from the search API, every page followed, as table, JSON or CSV."""

import argparse
import itertools
import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import TextIO

from ..errors import ExitCode
from .common import CREDENTIALS_HELP, add_command, api_target, aws_target, day, exit_codes, positive, text, verbosity

NAME = "query"
# What the closing count line calls one item of each resource ("breaches"[:-1] would say "breache").
SINGULAR = {"breaches": "breach", "reports": "report"}
HELP = "list breaches (or reports) from the search API"
DESCRIPTION = """
Query the search API as a reader, following every page: by affected date (the common case,
optionally a date range and one folder), or by folder over a date range. Dates are UTC days
(YYYY-MM-DD, today or yesterday). A range longer than the API searches at once (31 days by
date, 366 by folder) is split into consecutive windows and queried window by window.
"""
EXAMPLES = """
examples:
  slawatch query --stack slawatch --date today
  slawatch query --config slawatch.json --date 2026-11-01 --to 2026-11-30 --format csv > nov.csv
  slawatch query --stack slawatch --folder /srv/inbound/payments --from 2026-11-01 --to 2026-11-07
  slawatch query --stack slawatch --date yesterday --limit 20
"""
EXIT_CODES = exit_codes(
    (ExitCode.OK, "the results were printed (also when there are none)"),
    (ExitCode.DELIVERY_FAILED, "the search API or Cognito could not be reached or kept failing"),
    (ExitCode.CONFIG, "the API rejected the query (its problems are printed), or configuration/credentials"),
)
MAX_PAGE_SIZE = 500  # the API's own limit for ?limit=


def _page_size(value: str) -> int:
    size = positive(value)
    if size > MAX_PAGE_SIZE:
        raise argparse.ArgumentTypeError(f"at most {MAX_PAGE_SIZE} (the API's largest page)")
    return size


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = add_command(
        subparsers,
        NAME,
        HELP,
        parents=[verbosity(), aws_target(), api_target()],
        description=text(DESCRIPTION),
        epilog=text(EXAMPLES, CREDENTIALS_HELP.replace("credentials", "reader credentials", 1), EXIT_CODES),
    )
    parser.add_argument("--date", type=day, metavar="DAY", help="affected date (start of the range)")
    parser.add_argument("--to", type=day, metavar="DAY", help="last affected date of the range (inclusive)")
    parser.add_argument("--from", dest="from_", type=day, metavar="DAY", help="with --folder: first date")
    parser.add_argument("--folder", metavar="FOLDER", help="only this folder, exactly as the scanner reports it")
    parser.add_argument("--limit", type=positive, metavar="N", help="print at most N results (default: all)")
    parser.add_argument(
        "--page-size", type=_page_size, metavar="N", help=f"results per API page, 1-{MAX_PAGE_SIZE} (default 100)"
    )
    parser.add_argument(
        "--kind",
        choices=("breaches", "reports"),
        default="breaches",
        help="breaches (default) or the reports received on --date [--to]",
    )
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    return run_query(args)


class _Counter:
    """``query: 1200 breaches so far (window 2/5)`` redrawn on a terminal's stderr; silent when piped."""

    def __init__(self, stream: TextIO, noun: str, windows: int) -> None:
        self.stream = stream
        self.noun = noun
        self.windows = windows
        self.window = 0
        self.count = 0
        self.drawn = False
        self.tty = bool(getattr(stream, "isatty", lambda: False)())

    def page(self, items: int) -> None:
        self.count += items
        if self.tty:
            where = f" (window {self.window}/{self.windows})" if self.windows > 1 else ""
            self.stream.write(f"\rquery: {self.count} {self.noun} so far{where} ")
            self.stream.flush()
            self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()


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

    err = err or sys.stderr
    plan = BreachQuery(args.date, args.to, args.folder, args.from_, args.page_size, args.kind).requests()
    resource = args.kind
    client = reader_client(args, environ, RetryPolicy(sleep=sleep), new_session())
    counter = _Counter(err, resource, len(plan))

    def every_window():  # type: ignore[no-untyped-def]
        for params in plan:
            counter.window += 1
            yield from client.items(resource, params, on_page=counter.page)

    try:
        items = list(itertools.islice(every_window(), args.limit) if args.limit else every_window())
    finally:
        counter.close()
    columns = BREACH_COLUMNS if resource == "breaches" else REPORT_COLUMNS
    print(render(items, args.format, columns), file=out or sys.stdout)
    noun = resource if len(items) != 1 else SINGULAR[resource]
    capped = f" (--limit {args.limit} reached; there may be more)" if args.limit and len(items) == args.limit else ""
    print(f"{len(items)} {noun}{capped}", file=err)
    return ExitCode.OK
