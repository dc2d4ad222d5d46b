"""Exit codes and the exceptions that map onto them.

Every expected failure is raised as a ``SlawatchError`` carrying its exit code, so ``main`` can print one line
and exit without a traceback; anything else is a bug and exits 1. The codes are shared with the PowerShell
scanner.
"""

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, identical for the Python and the PowerShell scanner."""

    OK = 0  # clean run: no breach and every folder ok (or: the command did what was asked)
    UNEXPECTED = 1  # a bug or an unforeseen environment problem
    USAGE = 2  # bad command line (argparse convention)
    PROBLEMS = 10  # report(s) with breaches or folder problems delivered (or printed, with --dry-run)
    DELIVERY_FAILED = 20  # delivery failed: spooled for the next run, or dead-lettered after a 4xx
    CONFIG = 30  # configuration or credential error (incl. Cognito NotAuthorized and any challenge)
    INTERRUPTED = 130  # Ctrl-C (SIGINT), the shell convention 128 + 2


class SlawatchError(Exception):
    """An expected failure: ``str(error)`` is the one line shown to the operator."""

    exit_code: ExitCode = ExitCode.UNEXPECTED


class UsageError(SlawatchError):
    """Missing or contradictory command-line arguments, found after argparse: exit 2 like argparse's own."""

    exit_code = ExitCode.USAGE


class ConfigError(SlawatchError):
    """Configuration, command-line input or target resolution is wrong; retrying will not help."""

    exit_code = ExitCode.CONFIG


class CredentialError(ConfigError):
    """Credentials are missing or were refused; never retried (a retry could lock the account out)."""


class ServiceError(SlawatchError):
    """A remote service (API, Cognito, AWS) could not be reached or kept failing after the retries."""

    exit_code = ExitCode.DELIVERY_FAILED
