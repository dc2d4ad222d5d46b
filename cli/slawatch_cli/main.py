# PYTHON_ARGCOMPLETE_OK
"""``slawatch``: the command line (argparse); the one place where errors become a line and an exit code.

The parser is built from ``commands.COMMANDS``; each command module registers its own sub-parser.
"""

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence

from . import __version__, logsetup
from .commands import COMMANDS
from .commands.common import EXIT_CODES, Parser, formatter, text
from .errors import ExitCode, SlawatchError


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="slawatch",
        formatter_class=formatter,
        description="Folder-SLA monitor: scan folders for files past their SLA; operate the AWS pipeline.",
        epilog=text("example:\n  slawatch scan --config /etc/slawatch/slawatch.json --dry-run", EXIT_CODES),
    )
    parser.add_argument("--version", action="version", version=f"slawatch {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=Parser)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry: returns the exit code; expected errors print one line, never a traceback."""
    parser = build_parser()
    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions (see `slawatch completion`); exits
        import argcomplete

        argcomplete.autocomplete(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else ExitCode.USAGE
    logsetup.configure_console(getattr(args, "verbose", 0))
    name = " ".join(filter(None, (args.command, getattr(args, "action", None))))
    try:
        return int(args.run(args))
    except SlawatchError as exc:
        print(f"slawatch {name}: error: {exc}", file=sys.stderr)
        logsetup.to_file(logging.ERROR, f"{name}: {exc} (exit {int(exc.exit_code)})")
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print(f"slawatch {name}: interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
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
