"""``slawatch scan``: scan the configured folders and deliver the SLA report (the Linux scanner)."""

import argparse
import os

from ..errors import ConfigError
from .common import CREDENTIALS_HELP, EXIT_CODES, add_command, instant, positive, text, verbosity

NAME = "scan"
HELP = "scan the configured folders and deliver the SLA report"
DESCRIPTION = """
Scan every configured folder and report the files past their SLA (and folders that are missing,
unreadable or cut short) to the API. The report is spooled before it is sent, so nothing is lost
when the API or Cognito is down: the next run sends it. An empty report goes out as a heartbeat.
"""
EXAMPLES = """
examples:
  slawatch scan --config /etc/slawatch/slawatch.json
  slawatch scan --config slawatch.json --dry-run --as-of 2026-11-28T09:00:00Z | jq .
"""


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = add_command(
        subparsers,
        NAME,
        HELP,
        parents=[verbosity()],
        description=text(DESCRIPTION),
        epilog=text(EXAMPLES, CREDENTIALS_HELP, EXIT_CODES),
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        default=os.environ.get("SLAWATCH_CONFIG"),
        help="scanner configuration (default: $SLAWATCH_CONFIG)",
    )
    parser.add_argument(
        "--as-of",
        metavar="INSTANT",
        type=instant,
        help="judge ages as of this ISO 8601 instant, not now (e.g. 2026-11-28T09:00:00Z)",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the report JSON on stdout and send nothing")
    parser.add_argument(
        "--workers",
        type=positive,
        default=1,
        metavar="N",
        help="folders scanned by N threads: helps on NFS/SMB mounts, not on local disks (default 1)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from ..scanner.run import ScanOptions, run_scan

    if not args.config:
        raise ConfigError("no configuration: pass --config FILE or set SLAWATCH_CONFIG")
    return run_scan(ScanOptions(args.config, args.as_of, args.dry_run, args.workers, args.quiet))
