"""``slawatch replay``: run the ingest workflow again over raw reports archived on the given days."""

import argparse
import sys

from ..errors import ExitCode
from .common import add_command, aws_target, day, exit_codes, print_summary, summary_format, text, verbosity

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
EXIT_CODES = exit_codes(
    (ExitCode.OK, "every listed report was started, or had been replayed with this label already"),
    (ExitCode.DELIVERY_FAILED, "some executions could not be started (listed on stderr), or AWS failed"),
    (ExitCode.CONFIG, "no such bucket or state machine, no AWS credentials, region or stack"),
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
    parser.add_argument("--from", dest="from_", type=day, required=True, metavar="YYYY-MM-DD", help="first day")
    parser.add_argument("--to", type=day, required=True, metavar="YYYY-MM-DD", help="last day (inclusive)")
    parser.add_argument("--prefix", default="", metavar="P", help="only objects whose name in the day starts so")
    parser.add_argument("--label", default="replay", help="execution name prefix (default: replay)")
    parser.add_argument("--dry-run", action="store_true", help="list what would be started, start nothing")
    parser.add_argument("--bucket", help="raw report bucket ($SLAWATCH_RAW_BUCKET)")
    parser.add_argument("--state-machine-arn", metavar="ARN", help="$SLAWATCH_STATE_MACHINE_ARN")
    summary_format(parser)
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
        out=sys.stderr if args.format == "json" else sys.stdout,
        err=sys.stderr,
    )
    numbers = {
        "listed": summary.listed,
        "started": summary.started,
        "alreadyReplayed": summary.already,
        "failed": summary.failed,
        "dryRun": args.dry_run,
    }
    if args.dry_run:
        print_summary(args, numbers, f"replay (dry run): {summary.listed} raw report(s) would be replayed")
        return ExitCode.OK
    line = (
        f"replay: {summary.listed} raw report(s): {summary.started} started, "
        f"{summary.already} already replayed with this label, {summary.failed} failed"
    )
    print_summary(args, numbers, line)
    for failure in summary.failures:
        print(f"  failed: {failure}", file=sys.stderr)
    return ExitCode.DELIVERY_FAILED if summary.failed else ExitCode.OK
