"""What every command module shares: the one-line-error parser, argument types, parent parsers and help text."""

import argparse
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from ..errors import ExitCode

EXIT_CODES = """exit codes (each command's --help lists its own):
  0   done; scan: no breach and every folder ok
  10  scan: report(s) with breaches or folder problems delivered (--dry-run: printed)
  20  scan: delivery failed (report spooled or dead-lettered); other commands: the API or AWS failed
  30  configuration or credential error
  2   bad command line: unknown, missing or contradictory arguments
  130 interrupted (Ctrl-C)
  1   unexpected error (SLAWATCH_DEBUG=1 shows the traceback)"""


def exit_codes(*codes: tuple[int, str], interrupted: str = "interrupted (Ctrl-C)") -> str:
    """A command's own exit-code table; the codes every command shares (2, 130, 1) are appended."""
    rows = [
        *codes,
        (ExitCode.USAGE, "bad command line: unknown, missing or contradictory arguments"),
        (ExitCode.INTERRUPTED, interrupted),
        (ExitCode.UNEXPECTED, "unexpected error (SLAWATCH_DEBUG=1 shows the traceback)"),
    ]
    return "exit codes:\n" + "\n".join(f"  {int(code):<4}{meaning}" for code, meaning in rows)


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
    """``YYYY-MM-DD``, or ``today`` / ``yesterday`` (UTC days, as affected dates are)."""
    from ..timeutil import parse_day

    word = value.strip().lower()
    if word in ("today", "yesterday"):
        today = datetime.now(UTC).date()
        return today if word == "today" else today - timedelta(days=1)
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
    group.add_argument(
        "--region",
        metavar="REGION",
        help="AWS region (default: $SLAWATCH_REGION, $AWS_REGION, $AWS_DEFAULT_REGION, the profile's)",
    )
    return parent


def api_target() -> argparse.ArgumentParser:
    """Parent parser of the reader commands: where the API and Cognito are (else the stack's Outputs)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--config", metavar="FILE", help="API URL and Cognito settings from a scanner config")
    parent.add_argument("--api-url", metavar="URL", help="API URL ($SLAWATCH_API_URL; trailing /reports ignored)")
    parent.add_argument("--client-id", metavar="ID", help="Cognito app client id ($SLAWATCH_CLIENT_ID)")
    parent.add_argument("--auth-endpoint", metavar="URL", help="Cognito endpoint override ($SLAWATCH_AUTH_ENDPOINT)")
    return parent


def summary_format(parser: argparse.ArgumentParser) -> None:
    """``--format text|json`` for a command that ends in a summary (a program reads json from stdout)."""
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default) or the summary as one JSON object on stdout",
    )


def print_summary(args: argparse.Namespace, numbers: dict[str, Any], line: str) -> None:
    """The summary as the chosen format: one JSON object, or the line a person reads."""
    print(json.dumps(numbers, indent=2) if args.format == "json" else line)


def add_command(subparsers: Any, name: str, help_: str, **kwargs: Any) -> argparse.ArgumentParser:
    """A sub-parser with the project's formatter and the one-line usage errors."""
    return subparsers.add_parser(name, help=help_, formatter_class=formatter, **kwargs)
