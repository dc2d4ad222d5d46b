"""Run ``slawatch`` as a separate process, the way a user starts it (the console script next to this Python)."""

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from tests.cli.cli_vectors import REPO


def run_slawatch(*argv: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "slawatch"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "slawatch_cli.main"]
    paths = os.pathsep.join([str(REPO / "cli"), str(REPO / "functions")])
    environ = {**os.environ, "PYTHONPATH": paths, **(env or {})}
    return subprocess.run(  # noqa: S603 - our own console script with the test's arguments
        [*command, *argv], capture_output=True, text=True, check=False, env=environ, cwd=REPO
    )
