"""``slawatch scan``: scan the configured folders and deliver the SLA report (the Linux scanner)."""

import argparse

from ..errors import ExitCode
from .common import CREDENTIALS_HELP, add_command, exit_codes, instant, positive, text, verbosity

NAME = "scan"
HELP = "scan the configured folders and deliver the SLA report"
DESCRIPTION = """
Scan every configured folder and report the files past their SLA (and folders that are missing,
unreadable or cut short) to the API. The report is spooled before it is sent, so nothing is lost
when the API or Cognito is down: the next run sends it. An empty report goes out as a heartbeat.
A scan whose state (folder statuses, breaching files) is unchanged since the last delivered report is
not sent until scanner.heartbeatMinutes (15; 0 sends every scan) have passed; it still exits as a sent
scan would, and a change sends the last unchanged scan first.
"""
EXAMPLES = """
examples:
  slawatch scan                                   # /etc/slawatch/config.json
  slawatch scan --config slawatch.json --dry-run --as-of 2026-11-28T09:00:00Z | jq .
  slawatch scan -v --dry-run > /dev/null          # per folder: age basis, files seen, oldest, past the SLA
  slawatch scan --quiet --format json             # the run's summary as one JSON object on stdout
"""
CONFIG_HELP = """configuration: --config FILE, else $SLAWATCH_CONFIG, else /etc/slawatch/config.json
  (on Windows %ProgramData%\\SlaWatch\\config.json, as the PowerShell module reads)."""
EXIT_CODES = exit_codes(
    (ExitCode.OK, "clean: no breach, every folder ok, report (heartbeat) delivered or kept back unchanged"),
    (ExitCode.PROBLEMS, "report(s) with breaches or folder problems delivered, or kept back (--dry-run: printed)"),
    (ExitCode.DELIVERY_FAILED, "not delivered: spooled for the next run, or dead-lettered (4xx, schema break)"),
    (ExitCode.CONFIG, "configuration or credential error (the message names the field)"),
    interrupted="interrupted (Ctrl-C): what was spooled stays spooled for the next run",
)


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = add_command(
        subparsers,
        NAME,
        HELP,
        parents=[verbosity()],
        description=text(DESCRIPTION),
        epilog=text(EXAMPLES, CONFIG_HELP, CREDENTIALS_HELP, EXIT_CODES),
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="scanner configuration (default: $SLAWATCH_CONFIG, else /etc/slawatch/config.json)",
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
    parser.add_argument(
        "--format",
        choices=("text", "json", "jsonl"),
        default="text",
        help="text: summary line on stderr (default); json: summary object on stdout; jsonl: one compact line. "
        "With --dry-run: json prints the report as one document, jsonl each request body as one line",
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from ..scanner.config import config_path
    from ..scanner.run import ScanOptions, run_scan

    path = str(config_path(args.config))
    return run_scan(ScanOptions(path, args.as_of, args.dry_run, args.workers, args.quiet, args.format))
