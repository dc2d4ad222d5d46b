"""``slawatch users``: onboard, list, disable, re-enable, re-key and remove the scanner hosts and readers."""

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import ConfigError, ExitCode, UsageError
from .common import add_command, aws_target, exit_codes, text, verbosity

NAME = "users"
HELP = "add, list, disable/enable, reset-password or remove Cognito users (administrators)"
EXAMPLES = """
examples:
  slawatch users add fs01-scanner --role scanner --stack slawatch --output fs01.password
  slawatch users list --stack slawatch
  slawatch users disable fs01-scanner --stack slawatch
  slawatch users reset-password fs01-scanner --stack slawatch --output fs01.password
  slawatch users remove fs01-scanner --stack slawatch --yes
"""
SECRET_HANDLING = """
The password is generated (32 characters, every Cognito character class), set as permanent, and
shown once: on stdout, or with --output FILE in a new file of mode 0600 (never overwritten). When
redirecting stdout instead, set the mode first: (umask 077; slawatch users add ... > fs01.password)
"""  # noqa: S105 - help text about passwords, not one
ACTIONS_HELP = {
    "add": (
        "create a scanner or reader user",
        "Create the user (no invitation e-mail), set a generated strong password as permanent and add the\n"
        "user to the scanners or readers group.",
        "slawatch users add fs01-scanner --role scanner --stack slawatch --output fs01.password",
    ),
    "list": (
        "list users and their roles",
        "List every user of the pool with role, status and creation date.",
        "slawatch users list --stack slawatch --format json",
    ),
    "disable": (
        "refuse the user's sign-ins (kept, can be enabled again)",
        "Disable the user and sign it out everywhere: its refresh tokens stop working at once, an access\n"
        "token already issued lasts until it expires (at most an hour). A disabled scanner keeps its\n"
        "reports in its spool until it is enabled again.",
        "slawatch users disable fs01-scanner --stack slawatch",
    ),
    "enable": (
        "allow a disabled user to sign in again",
        "Enable a user that was disabled.",
        "slawatch users enable fs01-scanner --stack slawatch",
    ),
    "reset-password": (
        "give the user a new generated password",
        "Replace the user's password with a new generated permanent one (after a leak, or when a host is\n"
        "rebuilt). Update the scanner's credentials file afterwards.",
        "slawatch users reset-password fs01-scanner --stack slawatch --output fs01.password",
    ),
    "remove": (
        "delete the user (cannot be undone)",
        "Delete the user from the pool. Needs --yes.",
        "slawatch users remove fs01-scanner --stack slawatch --yes",
    ),
}
EXIT_CODES = exit_codes(
    (ExitCode.OK, "done"),
    (ExitCode.DELIVERY_FAILED, "AWS could not be reached or kept failing"),
    (ExitCode.CONFIG, "no such user / user exists already / no AWS credentials, region or stack"),
)


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = add_command(
        subparsers,
        NAME,
        HELP,
        description="Manage the people and hosts that may use the API.",
        epilog=text(EXAMPLES, EXIT_CODES),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(parser))
    pool = argparse.ArgumentParser(add_help=False)
    pool.add_argument("--user-pool-id", metavar="ID", help="$SLAWATCH_USER_POOL_ID")
    parents = [verbosity(), aws_target(), pool]
    for action, (summary, description, example) in ACTIONS_HELP.items():
        notes = [SECRET_HANDLING] if action in ("add", "reset-password") else []
        sub = add_command(
            actions,
            action,
            summary,
            parents=parents,
            description=text(description, *notes),
            epilog=text(f"example:\n  {example}", EXIT_CODES),
        )
        if action == "list":
            sub.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format")
            continue
        sub.add_argument("name", metavar="NAME", help="user name (e.g. the scanner host)")
        if action == "add":
            sub.add_argument(
                "--role",
                choices=("scanner", "reader"),
                required=True,
                help="scanner: may POST reports; reader: may query",
            )
        if action in ("add", "reset-password"):
            sub.add_argument("--output", metavar="FILE", help="write the password to a new 0600 file, not stdout")
        if action == "remove":
            sub.add_argument("--yes", action="store_true", help="yes, delete the user (required)")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from ..scanner.targets import AwsTargets

    targets = AwsTargets(args)
    return ACTIONS[args.action](args, targets.client("cognito-idp"), targets.get("UserPoolId"))


def _hand_over(password: str, output: str | None) -> None:
    """The password once: into a new 0600 file (refusing an existing one), or on stdout for a pipe."""
    if output is None:
        print(password)
        return
    try:
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ConfigError(f"{output} exists: the password was set but not written; run reset-password") from None
    except OSError as exc:
        raise ConfigError(f"{output}: {exc.strerror}: the password was set but not written") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")


def _add(args: argparse.Namespace, cognito: object, pool_id: str) -> int:
    from ..operations.users import add_user

    if args.output and Path(args.output).exists():  # checked before the user exists, so nothing is half done
        raise ConfigError(f"{args.output} exists: choose a new file for the password")
    user = add_user(cognito, pool_id, args.name, args.role)
    where = f"is in {args.output} (mode 0600)" if args.output else "follows on stdout"
    print(f"created user {user.username} in group {user.group}; its password {where}, shown only once", file=sys.stderr)
    _hand_over(user.password, args.output)
    return ExitCode.OK


def _list(args: argparse.Namespace, cognito: object, pool_id: str) -> int:
    from ..operations.users import list_users
    from ..output import render

    print(render(list_users(cognito, pool_id), args.format, ("username", "role", "status", "enabled", "created")))
    return ExitCode.OK


def _switch(enabled: bool) -> Callable[[argparse.Namespace, object, str], int]:
    def switch(args: argparse.Namespace, cognito: object, pool_id: str) -> int:
        from ..operations.users import set_enabled

        set_enabled(cognito, pool_id, args.name, enabled)
        print(f"{'enabled' if enabled else 'disabled'} user {args.name}", file=sys.stderr)
        return ExitCode.OK

    return switch


def _reset(args: argparse.Namespace, cognito: object, pool_id: str) -> int:
    from ..operations.users import reset_password

    if args.output and Path(args.output).exists():
        raise ConfigError(f"{args.output} exists: choose a new file for the password")
    password = reset_password(cognito, pool_id, args.name)
    where = f"is in {args.output} (mode 0600)" if args.output else "follows on stdout"
    print(f"new password for {args.name}; it {where}, shown only once", file=sys.stderr)
    _hand_over(password, args.output)
    return ExitCode.OK


def _remove(args: argparse.Namespace, cognito: object, pool_id: str) -> int:
    from ..operations.users import remove_user

    if not args.yes:
        raise UsageError(f"removing {args.name} cannot be undone: add --yes (or use disable)")
    remove_user(cognito, pool_id, args.name)
    print(f"removed user {args.name}", file=sys.stderr)
    return ExitCode.OK


ACTIONS = {
    "add": _add,
    "list": _list,
    "disable": _switch(False),
    "enable": _switch(True),
    "reset-password": _reset,
    "remove": _remove,
}
