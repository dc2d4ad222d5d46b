"""``slawatch``: the command line (argparse); the one place where errors become a line and an exit code."""

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from . import __version__, logsetup
from .errors import ConfigError, ExitCode, SlawatchError

EXIT_CODES = """exit codes:
  0   clean: no breach and every folder ok (other commands: done)
  10  report(s) with breaches or folder problems delivered (--dry-run: printed)
  20  delivery failed: report spooled for the next run, or dead-lettered after a 4xx
      (other commands: the API/AWS failed or some items could not be processed)
  30  configuration or credential error (incl. Cognito NotAuthorized and any challenge)
  2   bad command line; 1 unexpected error (SLAWATCH_DEBUG=1 shows the traceback)"""

CREDENTIALS_HELP = """credentials (never in the config file or on the command line):
  SLAWATCH_USERNAME / SLAWATCH_PASSWORD, or SLAWATCH_CREDENTIALS_FILE naming a 0600 file
  with SLAWATCH_USERNAME=... and SLAWATCH_PASSWORD=... lines (also usable as a systemd EnvironmentFile)."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line instead of usage + error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message} (see: {self.prog} --help)\n")


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def _instant(text: str) -> int:
    from .timeutil import parse_instant

    try:
        return parse_instant(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _day(text: str) -> Any:
    from .timeutil import parse_day

    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


SCAN_HELP = """
Scan every configured folder and report the files past their SLA (and folders that are missing,
unreadable or cut short) to the API. The report is spooled before it is sent, so nothing is lost
when the API or Cognito is down: the next run sends it. An empty report goes out as a heartbeat.
"""
SCAN_EXAMPLES = """
examples:
  slawatch scan --config /etc/slawatch/slawatch.json
  slawatch scan --config slawatch.json --dry-run --as-of 2026-11-28T09:00:00Z | jq .
"""
QUERY_HELP = """
Query the search API as a reader, following every page: by affected date (the common case,
optionally a date range and one folder), or by folder over a date range.
"""
QUERY_EXAMPLES = """
examples:
  slawatch query --stack slawatch --date 2026-11-28
  slawatch query --config slawatch.json --date 2026-11-01 --to 2026-11-30 --format csv > nov.csv
  slawatch query --stack slawatch --folder /srv/inbound/payments --from 2026-11-01 --to 2026-11-07
"""
REPLAY_HELP = """
Start the ingest workflow again for every raw report archived under raw/YYYY/MM/DD/ from --from
to --to. Execution names derive from key + version + label, so repeating a replay starts nothing
twice; pick a new --label to replay the same reports again after another fix.
"""
REPLAY_EXAMPLES = """
examples:
  slawatch replay --stack slawatch --from 2026-11-20 --to 2026-11-28 --dry-run
  slawatch replay --stack slawatch --from 2026-11-28 --to 2026-11-28 --label fix-1234
"""
REDRIVE_HELP = """
Redrive every FAILED execution of the ingest state machine that stopped since INSTANT (default:
the last 14 days, the AWS redrive window). A redrive restarts from the state that failed.
"""
REDRIVE_EXAMPLES = """
examples:
  slawatch redrive --stack slawatch --dry-run
  slawatch redrive --stack slawatch --since 2026-11-28T06:00:00Z
"""
USERS_EXAMPLES = """
examples:
  slawatch users add fs01-scanner --role scanner --stack slawatch
  slawatch users list --stack slawatch
"""
USERS_ADD_HELP = """
Create the user (no invitation e-mail), set a generated strong password as permanent and add the
user to the scanners or readers group. The password is printed once, on stdout.
"""
USERS_ADD_EXAMPLES = """
example:
  slawatch users add fs01-scanner --role scanner --stack slawatch > fs01.password
"""
USERS_LIST_EXAMPLES = """
example:
  slawatch users list --stack slawatch --format json
"""


def _text(*parts: str) -> str:
    return "\n\n".join(part.strip("\n") for part in parts)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="count", default=0, help="more detail on stderr (-vv: debug)")

    aws = argparse.ArgumentParser(add_help=False)
    group = aws.add_argument_group("AWS target (option, else environment variable, else the stack's Outputs)")
    group.add_argument("--stack", metavar="NAME", help="CloudFormation stack to read Outputs from ($SLAWATCH_STACK)")
    group.add_argument("--region", metavar="REGION", help="AWS region (default: $AWS_REGION / profile)")

    parser = _Parser(
        prog="slawatch",
        formatter_class=_formatter,
        description="Folder-SLA monitor: scan folders for files past their SLA; operate the AWS pipeline.",
        epilog=_text("example:\n  slawatch scan --config /etc/slawatch/slawatch.json --dry-run", EXIT_CODES),
    )
    parser.add_argument("--version", action="version", version=f"slawatch {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser)

    scan = commands.add_parser(
        "scan",
        parents=[common],
        formatter_class=_formatter,
        help="scan the configured folders and deliver the SLA report",
        description=_text(SCAN_HELP),
        epilog=_text(SCAN_EXAMPLES, CREDENTIALS_HELP, EXIT_CODES),
    )
    scan.add_argument(
        "--config",
        metavar="FILE",
        default=os.environ.get("SLAWATCH_CONFIG"),
        help="scanner configuration (default: $SLAWATCH_CONFIG)",
    )
    scan.add_argument(
        "--as-of",
        metavar="INSTANT",
        type=_instant,
        help="judge ages as of this ISO 8601 instant, not now (e.g. 2026-11-28T09:00:00Z)",
    )
    scan.add_argument("--dry-run", action="store_true", help="print the report JSON on stdout and send nothing")
    scan.add_argument(
        "--workers",
        type=_positive,
        default=1,
        metavar="N",
        help="folders scanned by N threads: helps on NFS/SMB mounts, not on local disks (default 1)",
    )
    scan.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    scan.set_defaults(handler=_cmd_scan)

    query = commands.add_parser(
        "query",
        parents=[common, aws],
        formatter_class=_formatter,
        help="list breaches (or reports) from the search API",
        description=_text(QUERY_HELP),
        epilog=_text(QUERY_EXAMPLES, CREDENTIALS_HELP.replace("credentials", "reader credentials", 1), EXIT_CODES),
    )
    query.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="affected date (start of the range)")
    query.add_argument("--to", type=_day, metavar="YYYY-MM-DD", help="last affected date of the range")
    query.add_argument("--from", dest="from_", type=_day, metavar="YYYY-MM-DD", help="with --folder: first date")
    query.add_argument("--folder", metavar="FOLDER", help="only this folder, exactly as the scanner reports it")
    query.add_argument("--limit", type=_positive, metavar="N", help="page size asked of the API")
    query.add_argument(
        "--kind",
        choices=("breaches", "reports"),
        default="breaches",
        help="breaches (default) or the reports received on --date",
    )
    query.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format")
    query.add_argument("--config", metavar="FILE", help="API URL and Cognito settings from a scanner config")
    query.add_argument("--api-url", metavar="URL", help="API URL ($SLAWATCH_API_URL; trailing /reports ignored)")
    query.add_argument("--client-id", metavar="ID", help="Cognito app client id ($SLAWATCH_CLIENT_ID)")
    query.add_argument("--auth-endpoint", metavar="URL", help="Cognito endpoint override ($SLAWATCH_AUTH_ENDPOINT)")
    query.set_defaults(handler=_cmd_query)

    replay = commands.add_parser(
        "replay",
        parents=[common, aws],
        formatter_class=_formatter,
        help="run the workflow again over archived raw reports",
        description=_text(REPLAY_HELP),
        epilog=_text(REPLAY_EXAMPLES, EXIT_CODES),
    )
    replay.add_argument("--from", dest="from_", type=_day, required=True, metavar="YYYY-MM-DD", help="first day")
    replay.add_argument("--to", type=_day, required=True, metavar="YYYY-MM-DD", help="last day (inclusive)")
    replay.add_argument("--prefix", default="", metavar="P", help="only objects whose name in the day starts so")
    replay.add_argument("--label", default="replay", help="execution name prefix (default: replay)")
    replay.add_argument("--dry-run", action="store_true", help="list what would be started, start nothing")
    replay.add_argument("--bucket", help="raw report bucket ($SLAWATCH_RAW_BUCKET)")
    replay.add_argument("--state-machine-arn", metavar="ARN", help="$SLAWATCH_STATE_MACHINE_ARN")
    replay.set_defaults(handler=_cmd_replay)

    redrive = commands.add_parser(
        "redrive",
        parents=[common, aws],
        formatter_class=_formatter,
        help="redrive failed workflow executions",
        description=_text(REDRIVE_HELP),
        epilog=_text(REDRIVE_EXAMPLES, EXIT_CODES),
    )
    redrive.add_argument("--since", type=_instant, metavar="INSTANT", help="only executions failed since then")
    redrive.add_argument("--dry-run", action="store_true", help="list what would be redriven")
    redrive.add_argument("--state-machine-arn", metavar="ARN", help="$SLAWATCH_STATE_MACHINE_ARN")
    redrive.set_defaults(handler=_cmd_redrive)

    users = commands.add_parser(
        "users",
        formatter_class=_formatter,
        help="add or list Cognito users (administrators)",
        description="Manage the people and hosts that may use the API.",
        epilog=_text(USERS_EXAMPLES),
    )
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True, parser_class=_Parser)
    pool = argparse.ArgumentParser(add_help=False)
    pool.add_argument("--user-pool-id", metavar="ID", help="$SLAWATCH_USER_POOL_ID")
    add = actions.add_parser(
        "add",
        parents=[common, aws, pool],
        formatter_class=_formatter,
        help="create a scanner or reader user",
        description=_text(USERS_ADD_HELP),
        epilog=_text(USERS_ADD_EXAMPLES, EXIT_CODES),
    )
    add.add_argument("name", metavar="NAME", help="user name (e.g. the scanner host)")
    add.add_argument(
        "--role",
        choices=("scanner", "reader"),
        required=True,
        help="scanner: may POST reports; reader: may query",
    )
    add.set_defaults(handler=_cmd_users_add)
    listing = actions.add_parser(
        "list",
        parents=[common, aws, pool],
        formatter_class=_formatter,
        help="list users and their roles",
        description="List every user of the pool with role, status and creation date.",
        epilog=_text(USERS_LIST_EXAMPLES, EXIT_CODES),
    )
    listing.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format")
    listing.set_defaults(handler=_cmd_users_list)
    return parser


# --------------------------------------------------------------------------------------------------- commands


def _cmd_scan(args: argparse.Namespace) -> ExitCode:
    from .scan_cmd import ScanOptions, run_scan

    if not args.config:
        raise ConfigError("no configuration: pass --config FILE or set SLAWATCH_CONFIG")
    return run_scan(ScanOptions(args.config, args.as_of, args.dry_run, args.workers, args.quiet))


def _cmd_query(args: argparse.Namespace) -> ExitCode:
    from .query import run_query

    return run_query(args)


def _cmd_replay(args: argparse.Namespace) -> ExitCode:
    from .replay import replay
    from .targets import AwsTargets

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


def _cmd_redrive(args: argparse.Namespace) -> ExitCode:
    from .redrive import redrive
    from .targets import AwsTargets
    from .timeutil import ns_to_datetime

    targets = AwsTargets(args)
    summary = redrive(
        sfn=targets.client("stepfunctions"),
        state_machine_arn=targets.get("StateMachineArn"),
        since=ns_to_datetime(args.since) if args.since is not None else None,
        now=datetime.now(UTC),
        dry_run=args.dry_run,
        out=sys.stdout,
        err=sys.stderr,
    )
    if args.dry_run:
        print(f"redrive (dry run): {summary.found} failed execution(s) would be redriven")
        return ExitCode.OK
    print(f"redrive: {summary.found} failed execution(s): {summary.redriven} redriven, {summary.refused} refused")
    for refusal in summary.refusals:
        print(f"  refused: {refusal}", file=sys.stderr)
    return ExitCode.DELIVERY_FAILED if summary.refused else ExitCode.OK


def _cmd_users_add(args: argparse.Namespace) -> ExitCode:
    from .targets import AwsTargets
    from .users import add_user

    targets = AwsTargets(args)
    user = add_user(targets.client("cognito-idp"), targets.get("UserPoolId"), args.name, args.role)
    print(
        f"created user {user.username} in group {user.group}; its password follows on stdout "
        "and is shown only "
        "once: store it now",
        file=sys.stderr,
    )
    print(user.password)
    return ExitCode.OK


def _cmd_users_list(args: argparse.Namespace) -> ExitCode:
    from .output import render
    from .targets import AwsTargets
    from .users import list_users

    targets = AwsTargets(args)
    users = list_users(targets.client("cognito-idp"), targets.get("UserPoolId"))
    print(render(users, args.format, ("username", "role", "status", "enabled", "created")))
    return ExitCode.OK


# ------------------------------------------------------------------------------------------------ entry point


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry: returns the exit code; expected errors print one line, never a traceback."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else ExitCode.USAGE
    logsetup.configure_console(getattr(args, "verbose", 0))
    name = args.command + (f" {args.users_command}" if args.command == "users" else "")
    try:
        return int(args.handler(args))
    except SlawatchError as exc:
        print(f"slawatch {name}: error: {exc}", file=sys.stderr)
        logsetup.to_file(logging.ERROR, f"{name}: {exc} (exit {int(exc.exit_code)})")
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print(f"slawatch {name}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        logsetup.to_file(logging.ERROR, f"{name}: unexpected error", exc_info=True)
        print(
            f"slawatch {name}: unexpected error: {type(exc).__name__}: {exc}"
            + ("" if os.environ.get("SLAWATCH_DEBUG") else " (SLAWATCH_DEBUG=1 shows the traceback)"),
            file=sys.stderr,
        )
        if os.environ.get("SLAWATCH_DEBUG"):
            traceback.print_exc()
        return int(ExitCode.UNEXPECTED)
    finally:
        logsetup.close_file()


if __name__ == "__main__":
    sys.exit(main())
