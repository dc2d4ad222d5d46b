"""``slawatch local``: the whole pipeline on this machine (moto plays AWS) until Ctrl-C; ``make local`` runs it.

Needs the optional extra (``pip install 'slawatch[local]'``): a scanner host never installs moto.
"""

import argparse
import contextlib
import os
import sys
from pathlib import Path

from .. import logsetup
from ..errors import ConfigError, ExitCode
from .common import add_command, exit_codes, text

NAME = "local"
HELP = "run the local stack (API, Cognito, S3, DynamoDB, Step Functions on loopback) until Ctrl-C"
DESCRIPTION = """
Start the pipeline on loopback: the API as template.yaml declares it, Cognito, S3, DynamoDB and the ingest
workflow (moto), the Lambda code in-process. It prints, and writes under the state directory (mode 0600), a
scanner configuration for it, the export lines for `slawatch users|replay|query` and the demo logins. The state
(users, table, archive, executions) is kept in the state directory across restarts; --fresh starts clean.
Ctrl-C or SIGTERM stops it within 5 seconds. See docs/local.md.
"""
EXAMPLES = """
examples:
  slawatch local
  slawatch local --state-dir /tmp/sandbox --api-port 0 --moto-port 0 --fresh
  source .local-stack/env.sh && slawatch query --date 2026-11-28
"""
EXIT_CODES = exit_codes((ExitCode.OK, "stopped cleanly"), (ExitCode.CONFIG, "the local extra is not installed"))


def _port(value: str) -> int:
    port = int(value)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError("a port is 0 (any free one) to 65535")
    return port


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = add_command(subparsers, NAME, HELP, description=text(DESCRIPTION), epilog=text(EXAMPLES, EXIT_CODES))
    env = os.environ.get
    parser.add_argument("--api-port", type=_port, default=int(env("SLAWATCH_LOCAL_API_PORT", "4510")),
                        help="the API's port ($SLAWATCH_LOCAL_API_PORT, default 4510; 0: any free port)")
    parser.add_argument("--moto-port", type=_port, default=int(env("SLAWATCH_LOCAL_MOTO_PORT", "4511")),
                        help="AWS (moto) port ($SLAWATCH_LOCAL_MOTO_PORT, default 4511; 0: any free port)")
    parser.add_argument("--state-dir", type=Path, default=Path(env("SLAWATCH_LOCAL_STATE_DIR", ".local-stack")),
                        help="where the state, config and logins are kept ($SLAWATCH_LOCAL_STATE_DIR, "
                             "default .local-stack)")
    parser.add_argument("--fresh", action="store_true", default=env("SLAWATCH_LOCAL_FRESH") == "1",
                        help="discard the kept state and start clean ($SLAWATCH_LOCAL_FRESH=1)")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        from slawatch_local import foreground
    except ImportError as exc:
        raise ConfigError(f"the local stack needs the local extra: pip install 'slawatch[local]' ({exc})") from None
    options = foreground.Options(args.api_port, args.moto_port, args.state_dir, args.fresh)
    try:
        code = foreground.run(options)
    except BrokenPipeError:  # the console went away (its reader was killed): the stack has stopped and saved
        code = 1
    # Everything is saved by now: skip the interpreter's teardown of moto's in-memory state, which takes seconds
    # (over 40 s with a 50,000-breach table) and would break the promise of stopping within 5 s.
    logsetup.close_file()
    with contextlib.suppress(OSError):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)
