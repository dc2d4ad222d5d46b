"""The local stack as a process, as a user starts it (`make local`, `slawatch local`), and the CLI against it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from local.foreground import READY

ROOT = Path(__file__).resolve().parents[2]
SLAWATCH = Path(sys.executable).with_name("slawatch")


class Running:
    """`make local` (or `command`) in its own process group, its output collected by a thread."""

    def __init__(self, state: Path, api_port: int, moto_port: int, *,
                 command: Sequence[str] = ("make", "--no-print-directory", "local"), cwd: Path = ROOT) -> None:
        env = {**os.environ, "SLAWATCH_LOCAL_API_PORT": str(api_port), "SLAWATCH_LOCAL_MOTO_PORT": str(moto_port),
               "SLAWATCH_LOCAL_STATE_DIR": str(state)}
        self.process = subprocess.Popen(list(command), cwd=cwd, env=env, text=True,  # noqa: S603
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while READY not in self.output:
            assert self.process.poll() is None, f"{self.process.args} exited early:\n{self.output}"
            assert time.monotonic() < deadline, f"not ready after {timeout} s:\n{self.output}"
            time.sleep(0.2)

    def stop(self, sig: int) -> float:
        started = time.monotonic()
        assert self.process.poll() is None, f"{self.process.args} exited by itself:\n{self.output}"
        os.killpg(self.process.pid, sig)
        try:
            code = self.process.wait(timeout=15)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
        # make itself dies of the signal (or reports it, exit 2); the stack's own clean stop is its last line.
        assert code in (0, 2, -sig) and self.output.rstrip().endswith("stopped"), self.output
        return time.monotonic() - started


def exports(path: Path) -> dict[str, str]:
    """The variables env.sh exports, as `source env.sh` would set them."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("export "):
            for assignment in line.removeprefix("export ").split(" "):
                name, _, value = assignment.partition("=")
                values[name] = value
    return values


def slawatch(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SLAWATCH_"))}
    return subprocess.run([str(SLAWATCH), *args], env={**clean, **env}, capture_output=True, text=True,  # noqa: S603
                          timeout=120, check=False)


def query_until(env: dict[str, str], needle: str, timeout: float = 120) -> str:
    today = datetime.now(UTC)
    days = ("--date", (today - timedelta(days=1)).strftime("%Y-%m-%d"), "--to", today.strftime("%Y-%m-%d"))
    deadline = time.monotonic() + timeout
    while True:
        answer = slawatch("query", *days, "--format", "json", env=env)
        if answer.returncode == 0 and needle in answer.stdout:
            return answer.stdout
        assert time.monotonic() < deadline, f"{needle} not found: {answer.returncode} {answer.stdout} {answer.stderr}"
        time.sleep(1)


