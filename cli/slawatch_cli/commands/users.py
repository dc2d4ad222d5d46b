"""``slawatch users``: onboard scanner hosts and readers in the Cognito user pool, and list them."""

import argparse
import sys

from ..errors import ExitCode
from .common import EXIT_CODES, add_command, aws_target, text, verbosity

NAME = "users"
HELP = "add or list Cognito users (administrators)"
EXAMPLES = """
examples:
  slawatch users add fs01-scanner --role scanner --stack slawatch
  slawatch users list --stack slawatch
"""
ADD_DESCRIPTION = """
Create the user (no invitation e-mail), set a generated strong password as permanent and add the
user to the scanners or readers group. The password is printed once, on stdout.
"""
ADD_EXAMPLES = """
example:
  slawatch users add fs01-scanner --role scanner --stack slawatch > fs01.password
"""
LIST_EXAMPLES = """
example:
  slawatch users list --stack slawatch --format json
"""


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = add_command(
        subparsers,
        NAME,
        HELP,
        description="Manage the people and hosts that may use the API.",
        epilog=text(EXAMPLES),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(parser))
    pool = argparse.ArgumentParser(add_help=False)
    pool.add_argument("--user-pool-id", metavar="ID", help="$SLAWATCH_USER_POOL_ID")
    parents = [verbosity(), aws_target(), pool]
    add = add_command(
        actions,
        "add",
        "create a scanner or reader user",
        parents=parents,
        description=text(ADD_DESCRIPTION),
        epilog=text(ADD_EXAMPLES, EXIT_CODES),
    )
    add.add_argument("name", metavar="NAME", help="user name (e.g. the scanner host)")
    add.add_argument(
        "--role",
        choices=("scanner", "reader"),
        required=True,
        help="scanner: may POST reports; reader: may query",
    )
    listing = add_command(
        actions,
        "list",
        "list users and their roles",
        parents=parents,
        description="List every user of the pool with role, status and creation date.",
        epilog=text(LIST_EXAMPLES, EXIT_CODES),
    )
    listing.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    return ACTIONS[args.action](args)


def run_add(args: argparse.Namespace) -> int:
    from ..operations.users import add_user
    from ..scanner.targets import AwsTargets

    targets = AwsTargets(args)
    user = add_user(targets.client("cognito-idp"), targets.get("UserPoolId"), args.name, args.role)
    print(
        f"created user {user.username} in group {user.group}; its password follows on stdout "
        "and is shown only once: store it now",
        file=sys.stderr,
    )
    print(user.password)
    return ExitCode.OK


def run_list(args: argparse.Namespace) -> int:
    from ..operations.users import list_users
    from ..output import render
    from ..scanner.targets import AwsTargets

    targets = AwsTargets(args)
    users = list_users(targets.client("cognito-idp"), targets.get("UserPoolId"))
    print(render(users, args.format, ("username", "role", "status", "enabled", "created")))
    return ExitCode.OK


ACTIONS = {"add": run_add, "list": run_list}
