"""Run ``slawatch`` as a separate process, the way a user starts it (the console script next to this Python)."""

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from tests.cli.cli_vectors import REPO


def slawatch_command() -> list[str]:
    script = Path(sys.executable).parent / "slawatch"
    return [str(script)] if script.exists() else [sys.executable, "-m", "slawatch_cli.main"]


def process_env() -> dict[str, str]:
    """What the child needs to import the source tree (the editable install needs nothing, a bare checkout does)."""
    return {"PYTHONPATH": os.pathsep.join([str(REPO / "cli"), str(REPO / "functions")])}


def run_slawatch(*argv: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, **process_env(), **(env or {})}
    return subprocess.run(  # noqa: S603 - our own console script with the test's arguments
        [*slawatch_command(), *argv], capture_output=True, text=True, check=False, env=environ, cwd=REPO
    )
