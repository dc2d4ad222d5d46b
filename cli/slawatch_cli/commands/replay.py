"""``slawatch replay``: run the ingest workflow again over raw reports archived on the given days."""

import argparse
import sys

from ..errors import ExitCode
from .common import EXIT_CODES, add_command, aws_target, day, text, verbosity

NAME = "replay"
HELP = "run the workflow again over archived raw reports"
DESCRIPTION = """
Start the ingest workflow again for every raw report archived under raw/YYYY/MM/DD/ from --from
to --to. Execution names derive from key + version + label, so repeating a replay starts nothing
twice; pick a new --label to replay the same reports again after another fix.
"""
EXAMPLES = """
examples:
  slawatch replay --stack slawatch --from 2026-11-20 --to 2026-11-28 --dry-run
  slawatch replay --stack slawatch --from 2026-11-28 --to 2026-11-28 --label fix-1234
"""


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = add_command(
        subparsers,
        NAME,
        HELP,
        parents=[verbosity(), aws_target()],
        description=text(DESCRIPTION),
        epilog=text(EXAMPLES, EXIT_CODES),
    )
    parser.add_argument("--from", dest="from_", type=day, required=True, metavar="YYYY-MM-DD", help="first day")
    parser.add_argument("--to", type=day, required=True, metavar="YYYY-MM-DD", help="last day (inclusive)")
    parser.add_argument("--prefix", default="", metavar="P", help="only objects whose name in the day starts so")
    parser.add_argument("--label", default="replay", help="execution name prefix (default: replay)")
    parser.add_argument("--dry-run", action="store_true", help="list what would be started, start nothing")
    parser.add_argument("--bucket", help="raw report bucket ($SLAWATCH_RAW_BUCKET)")
    parser.add_argument("--state-machine-arn", metavar="ARN", help="$SLAWATCH_STATE_MACHINE_ARN")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from ..operations.replay import replay
    from ..scanner.targets import AwsTargets

    targets = AwsTargets(args)
    summary = replay(
        s3=targets.client("s3"),
        sfn=targets.client("stepfunctions"),
        bucket=targets.get("RawBucketName"),
        state_machine_arn=targets.get("StateMachineArn") if not args.dry_run else "",
        first=args.from_,
        last=args.to,
        prefix=args.prefix,
        label=args.label,
        dry_run=args.dry_run,
        out=sys.stdout,
        err=sys.stderr,
    )
    if args.dry_run:
        print(f"replay (dry run): {summary.listed} raw report(s) would be replayed")
        return ExitCode.OK
    print(
        f"replay: {summary.listed} raw report(s): {summary.started} started, "
        f"{summary.already} already replayed"
        f" with this label, {summary.failed} failed"
    )
    for failure in summary.failures:
        print(f"  failed: {failure}", file=sys.stderr)
    return ExitCode.DELIVERY_FAILED if summary.failed else ExitCode.OK
