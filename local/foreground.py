"""`slawatch local` / `make local`: the local stack in the foreground, with everything needed to use it printed.

On start it writes into the state directory (0700; files 0600) and prints:
  scanner-config.json  a scanner configuration for this stack (config/scanner-config.schema.json), read by both
                       `slawatch scan` and `Invoke-SlaWatch.ps1`; it watches <state dir>/watched/inbound.
  env.sh               `export` lines for the operator commands (users, replay, query; redrive needs Step
                       Functions redrive, which moto does not implement) and the demo reader login.
  users.json           the demo logins (a scanner and a reader), created once and kept across restarts.
  aws-config           this process's botocore settings (skip_parameter_validation); not for the operator.
Ctrl-C or SIGTERM stops it within a few seconds: the last snapshot is taken, executions still running are
started again at the next start (local/persistence.py).

Incident notifications are printed and appended to <state dir>/notifications.log (local/notifier.py); the
scheduled silence check runs every minute. `on_ready` hooks receive the running stack and the state directory.
"""

from __future__ import annotations

import faulthandler
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .notifier import LOG_NAME
from .persistence import write_private
from .stack import LocalStack, start

DEFAULT_API_PORT = 4510
DEFAULT_MOTO_PORT = 4511
DEFAULT_STATE_DIR = Path(".local-stack")
STOP_SECONDS = 4.0  # from the signal; a stop that takes longer exits anyway (see _watchdog)
DEMO_USERS = (("demo-scanner", "scanner"), ("demo-reader", "reader"))
READY = "slawatch local stack ready"
AWS_CONFIG_NAME = "aws-config"
SILENCE_CHECK_SECONDS = 60
POLL_SECONDS = 0.1

on_ready: list[Callable[[LocalStack, Path], None]] = []


@dataclass(frozen=True)
class Options:
    api_port: int = DEFAULT_API_PORT
    moto_port: int = DEFAULT_MOTO_PORT
    state_dir: Path = DEFAULT_STATE_DIR
    fresh: bool = False


def demo_logins(stack: LocalStack, state_dir: Path) -> dict[str, str]:
    """The demo users' passwords: the saved ones when the users survived a restart, otherwise new users."""
    path = state_dir / "users.json"
    saved = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    existing = stack.usernames()
    logins = {}
    for name, role in DEMO_USERS:
        logins[name] = saved[name] if name in existing and name in saved else stack.add_user(name, role)
    write_private(path, json.dumps(logins, indent=2) + "\n")
    return logins


def scanner_config(stack: LocalStack, state_dir: Path) -> dict[str, Any]:
    watched = (state_dir / "watched" / "inbound").resolve()
    watched.mkdir(parents=True, exist_ok=True)
    folders = [{"path": str(watched), "slaMinutes": 20, "ageBasis": "lastWrite"}]
    return stack.scanner_config(folders, (state_dir / "scanner").resolve())


def exports(stack: LocalStack, logins: dict[str, str]) -> str:
    values = {
        "AWS_ENDPOINT_URL": stack.moto_url, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_REGION": stack.region, "AWS_DEFAULT_REGION": stack.region, "SLAWATCH_REGION": stack.region,
        "SLAWATCH_API_URL": stack.api_url, "SLAWATCH_CLIENT_ID": stack.client_id,
        "SLAWATCH_AUTH_ENDPOINT": stack.moto_url, "SLAWATCH_USER_POOL_ID": stack.user_pool_id,
        "SLAWATCH_RAW_BUCKET": stack.raw_bucket, "SLAWATCH_STATE_MACHINE_ARN": stack.state_machine_arn,
    }
    lines = ["# slawatch local stack: source this file for `slawatch users|replay|query` against it",
             *(f"export {k}={v}" for k, v in values.items()),
             "unset AWS_PROFILE SLAWATCH_STACK",
             "# the demo reader, for `slawatch query` (use demo-scanner's login from users.json for scans)",
             f"export SLAWATCH_USERNAME=demo-reader SLAWATCH_PASSWORD={logins['demo-reader']}"]
    return "\n".join(lines) + "\n"


def announce(stack: LocalStack, state_dir: Path, out: Any = sys.stdout) -> None:
    """Write the scanner config, env.sh and users.json under the state dir, and print them."""
    logins = demo_logins(stack, state_dir)
    config = json.dumps(scanner_config(stack, state_dir), indent=2) + "\n"
    write_private(state_dir / "scanner-config.json", config)
    env = exports(stack, logins)
    write_private(state_dir / "env.sh", env)
    state = state_dir.resolve()
    print(f"slawatch local stack\n  API        {stack.api_url}\n  AWS (moto) {stack.moto_url}\n"
          f"  user pool  {stack.user_pool_id}   app client {stack.client_id}\n  state      {state}\n", file=out)
    if stack.resumed:
        print(f"started again (interrupted by the last stop): {', '.join(stack.resumed)}\n", file=out)
    print(f"--- scanner config: {state / 'scanner-config.json'} (mode 0600)\n{config}", file=out)
    print(f"--- operator commands: source {state / 'env.sh'} (mode 0600)\n{env}", file=out)
    print(f"--- incident notifications: printed here and appended to {state / LOG_NAME}\n", file=out)
    print(f"--- demo logins: {state / 'users.json'} (mode 0600)", file=out)
    for name, password in logins.items():
        print(f"  {name:13} {password}", file=out)
    print(f"\n{READY}; Ctrl-C stops it.", file=out, flush=True)


class StopRequest:
    """Set by SIGINT/SIGTERM. The handler only assigns attributes: a handler that takes a lock (Event.set) can
    deadlock when the signal lands while the main thread holds that same lock, which hung a stop for good."""

    def __init__(self) -> None:
        self.at: float | None = None

    def __call__(self, *_: Any) -> None:
        if self.at is None:
            self.at = time.monotonic()

    @property
    def requested(self) -> bool:
        return self.at is not None


def run(options: Options) -> int:
    """Start, announce, wait for SIGINT/SIGTERM, stop within STOP_SECONDS of the signal whatever is running."""
    stop = StopRequest()
    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    _daemon(_watchdog, stop, STOP_SECONDS)
    try:
        options.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(options.state_dir, 0o700)
        skip_parameter_validation(options.state_dir)
        stack = start(api_port=options.api_port, moto_port=options.moto_port, state_dir=options.state_dir,
                      persist=True, fresh=options.fresh)
        try:
            announce(stack, options.state_dir)
            for hook in on_ready:
                hook(stack, options.state_dir)
            _daemon(_check_silence_every, stack, stop, SILENCE_CHECK_SECONDS)
            while not stop.requested:
                time.sleep(POLL_SECONDS)  # the signal interrupts the sleep and its handler runs here
            print("stopping: taking the last snapshot", flush=True)
        finally:
            stack.close()
        print("stopped", flush=True)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def skip_parameter_validation(state_dir: Path) -> None:
    """Point this process's boto3 at a config file that turns botocore's client-side parameter validation off.

    The Lambdas run in this process and their requests are the same on every run; validating them again costs
    about 1 ms per breach in the Persist step (40 % of its time: benchmarks/local_stack_bench.py). moto still
    parses every request, and the tests' stacks (local.stack.start) and every AWS deployment keep validation on.
    """
    path = state_dir / AWS_CONFIG_NAME
    write_private(path, "# written by `slawatch local` for its own process (local/foreground.py)\n"
                        "[default]\nparameter_validation = false\n")
    os.environ["AWS_CONFIG_FILE"] = str(path.resolve())


def _daemon(target: Callable[..., None], *args: Any) -> None:
    threading.Thread(target=target, args=args, name=f"slawatch-local-{target.__name__.strip('_')}",
                     daemon=True).start()


def _check_silence_every(stack: LocalStack, stop: StopRequest, seconds: float) -> None:
    """The scheduled silence check (AWS: EventBridge Scheduler every 5 min), off the main thread so that a slow
    check never delays a stop; a failed check is reported and tried again next time, as a scheduler would."""
    while True:
        slept = 0.0
        while slept < seconds:
            if stop.requested:
                return
            time.sleep(POLL_SECONDS)
            slept += POLL_SECONDS
        try:
            stack.check_silence()
        except Exception as exc:  # a scheduled run that fails is logged, not fatal to the stack
            print(f"silence check failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)


def _watchdog(stop: StopRequest, seconds: float) -> None:
    """Exit STOP_SECONDS after the signal if the stop has not finished by then, printing where every thread was:
    the snapshot interval bounds what is lost, and interrupted executions start again at the next start."""
    while stop.at is None or time.monotonic() - stop.at < seconds:
        time.sleep(POLL_SECONDS)
    print(f"stop took over {seconds:g} s: exiting anyway; the threads were here:", file=sys.stderr, flush=True)
    faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
    sys.stdout.flush()
    os._exit(1)
