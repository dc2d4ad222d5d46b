"""Run the two scanners as processes, the way a scheduled task or a systemd timer starts them.

PowerShell: `pwsh -NoProfile -NonInteractive -File powershell/Invoke-SlaWatch.ps1 -ConfigPath <file>`, exactly the
command line `Register-SlaWatchTask` registers (with pwsh for powershell.exe). Python: the installed `slawatch`
console script next to the interpreter running the tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.support.pwsh import REPO

ENTRY_SCRIPT = REPO / "powershell" / "Invoke-SlaWatch.ps1"
CREDENTIAL_VARIABLES = ("SLAWATCH_USERNAME", "SLAWATCH_PASSWORD", "SLAWATCH_CREDENTIALS_FILE")
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "no_proxy",
                   "all_proxy")


def scanner_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The test process's environment without credentials or proxies (a test adds exactly what it means)."""
    env = {k: v for k, v in os.environ.items() if k not in CREDENTIAL_VARIABLES + PROXY_VARIABLES}
    env.update(extra or {})
    return env


def write_config(path: Path, config: dict[str, Any]) -> Path:
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return path


def run_powershell(pwsh: str, config: Path, *, env: Mapping[str, str] | None = None, dry_run: bool = False,
                   as_of: str | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    command = [pwsh, "-NoProfile", "-NonInteractive", "-File", str(ENTRY_SCRIPT), "-ConfigPath", str(config)]
    if dry_run:
        command.append("-DryRun")
    if as_of:
        command += ["-AsOf", as_of]
    return subprocess.run(  # noqa: S603 - our own fixed command line
        command, env=dict(env or scanner_environment()), capture_output=True, text=True,
        encoding="utf-8", timeout=timeout, check=False)


def run_python(config: Path, *, env: Mapping[str, str] | None = None, dry_run: bool = False,
               as_of: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("slawatch")), "scan", "--config", str(config)]
    if dry_run:
        command.append("--dry-run")
    if as_of:
        command += ["--as-of", as_of]
    return subprocess.run(  # noqa: S603 - our own fixed command line
        command, env=dict(env or scanner_environment()), capture_output=True, text=True,
        encoding="utf-8", timeout=timeout, check=False)


def powershell_reports(stdout: str) -> list[dict[str, Any]]:
    """The report chunks a PowerShell dry run printed (one compact JSON document per line)."""
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def python_reports(stdout: str) -> list[dict[str, Any]]:
    """The report chunks a Python dry run printed (indented JSON documents, one after the other)."""
    decoder = json.JSONDecoder()
    reports, at = [], 0
    text = stdout.strip()
    while at < len(text):
        document, end = decoder.raw_decode(text, at)
        reports.append(document)
        at = end
        while at < len(text) and text[at].isspace():
            at += 1
    return reports
