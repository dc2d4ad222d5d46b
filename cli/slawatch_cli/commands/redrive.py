"""``slawatch redrive``: redrive the ingest workflow's failed executions from the state that failed."""

import argparse
import sys
from datetime import UTC, datetime

from ..errors import ExitCode
from .common import add_command, aws_target, exit_codes, instant, print_summary, summary_format, text, verbosity

NAME = "redrive"
HELP = "redrive failed workflow executions"
DESCRIPTION = """
Redrive every FAILED execution of the ingest state machine (Standard: reports of 256 KiB or more, and
replays) that stopped since INSTANT (default: the last 14 days, the AWS redrive window). A redrive restarts
from the state that failed. Express runs (smaller reports) cannot be redriven: use `slawatch replay`.
"""
EXAMPLES = """
examples:
  slawatch redrive --stack slawatch --dry-run
  slawatch redrive --stack slawatch --since 2026-11-28T06:00:00Z
"""
EXIT_CODES = exit_codes(
    (ExitCode.OK, "every failed execution found was redriven (or, --dry-run, listed)"),
    (ExitCode.DELIVERY_FAILED, "AWS refused some redrives (listed on stderr), or AWS failed"),
    (ExitCode.CONFIG, "no such state machine, no AWS credentials, region or stack"),
)


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = add_command(
        subparsers,
        NAME,
        HELP,
        parents=[verbosity(), aws_target()],
        description=text(DESCRIPTION),
        epilog=text(EXAMPLES, EXIT_CODES),
    )
    parser.add_argument("--since", type=instant, metavar="INSTANT", help="only executions failed since then")
    parser.add_argument("--dry-run", action="store_true", help="list what would be redriven")
    parser.add_argument("--state-machine-arn", metavar="ARN", help="$SLAWATCH_STATE_MACHINE_ARN")
    summary_format(parser)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from ..operations.redrive import redrive
    from ..scanner.targets import AwsTargets
    from ..timeutil import ns_to_datetime

    targets = AwsTargets(args)
    summary = redrive(
        sfn=targets.client("stepfunctions"),
        state_machine_arn=targets.get("StateMachineArn"),
        since=ns_to_datetime(args.since) if args.since is not None else None,
        now=datetime.now(UTC),
        dry_run=args.dry_run,
        out=sys.stderr if args.format == "json" else sys.stdout,
        err=sys.stderr,
    )
    numbers = {
        "found": summary.found,
        "redriven": summary.redriven,
        "refused": summary.refused,
        "refusals": list(summary.refusals),
        "dryRun": args.dry_run,
    }
    if args.dry_run:
        print_summary(args, numbers, f"redrive (dry run): {summary.found} failed execution(s) would be redriven")
        return ExitCode.OK
    line = f"redrive: {summary.found} failed execution(s): {summary.redriven} redriven, {summary.refused} refused"
    print_summary(args, numbers, line)
    for refusal in summary.refusals:
        print(f"  refused: {refusal}", file=sys.stderr)
    return ExitCode.DELIVERY_FAILED if summary.refused else ExitCode.OK
