"""What every command module shares: the one-line-error parser, argument types, parent parsers and help text."""

import argparse
from typing import Any

from ..errors import ExitCode

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


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line instead of usage + error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message} (see: {self.prog} --help)\n")


def formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def text(*parts: str) -> str:
    """Help paragraphs joined by one blank line, whatever blank lines the constants carry."""
    return "\n\n".join(part.strip("\n") for part in parts)


def instant(value: str) -> int:
    from ..timeutil import parse_instant

    try:
        return parse_instant(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def day(value: str) -> Any:
    from ..timeutil import parse_day

    try:
        return parse_day(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def verbosity() -> argparse.ArgumentParser:
    """Parent parser: ``-v`` / ``-vv``."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("-v", "--verbose", action="count", default=0, help="more detail on stderr (-vv: debug)")
    return parent


def aws_target() -> argparse.ArgumentParser:
    """Parent parser: which deployed stack, in which region."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("AWS target (option, else environment variable, else the stack's Outputs)")
    group.add_argument("--stack", metavar="NAME", help="CloudFormation stack to read Outputs from ($SLAWATCH_STACK)")
    group.add_argument("--region", metavar="REGION", help="AWS region (default: $AWS_REGION / profile)")
    return parent


def api_target() -> argparse.ArgumentParser:
    """Parent parser of the reader commands: where the API and Cognito are (else the stack's Outputs)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--config", metavar="FILE", help="API URL and Cognito settings from a scanner config")
    parent.add_argument("--api-url", metavar="URL", help="API URL ($SLAWATCH_API_URL; trailing /reports ignored)")
    parent.add_argument("--client-id", metavar="ID", help="Cognito app client id ($SLAWATCH_CLIENT_ID)")
    parent.add_argument("--auth-endpoint", metavar="URL", help="Cognito endpoint override ($SLAWATCH_AUTH_ENDPOINT)")
    return parent


def add_command(subparsers: Any, name: str, help_: str, **kwargs: Any) -> argparse.ArgumentParser:
    """A sub-parser with the project's formatter and the one-line usage errors."""
    return subparsers.add_parser(name, help=help_, formatter_class=formatter, **kwargs)
