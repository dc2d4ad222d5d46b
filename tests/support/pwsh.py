"""Where PowerShell 7 and Pester are, for tests that run the SlaWatch module for real.

`make test` exports `PWSH` (the pwsh executable) and `PESTER_MODULE` (Pester's .psd1) after installing them into
`.tools/` when the machine has neither. CI sets `SLAWATCH_REQUIRE_PWSH=1`, which turns a missing pwsh from a skip
into a failure, so PowerShell can never drop out of CI silently.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / ".tools"


def find_pwsh() -> str | None:
    """`PWSH`, then `pwsh` on the PATH, then the project's own `.tools/pwsh`."""
    candidates = [os.environ.get("PWSH"), shutil.which("pwsh"), str(TOOLS / "pwsh")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def find_pester() -> str | None:
    """`PESTER_MODULE`, then the newest Pester 5 restored under `.tools/nuget/`."""
    explicit = os.environ.get("PESTER_MODULE")
    if explicit and Path(explicit).is_file():
        return explicit
    found = sorted((TOOLS / "nuget" / "pester").glob("5.*/tools/Pester.psd1"))
    return str(found[-1]) if found else None


def missing(reason: str) -> NoReturn:
    """Skip the test naming what is missing; fail it when `SLAWATCH_REQUIRE_PWSH=1` (CI must not lose PowerShell)."""
    if os.environ.get("SLAWATCH_REQUIRE_PWSH") == "1":
        pytest.fail(reason + "; SLAWATCH_REQUIRE_PWSH=1 requires it")
    pytest.skip(reason)


def require_pwsh() -> str:
    """The pwsh path, or a skip (a failure when `SLAWATCH_REQUIRE_PWSH=1`) naming what is missing."""
    pwsh = find_pwsh()
    if pwsh is None:
        missing("PowerShell 7 not found (set PWSH, put pwsh on the PATH, or run `make test` to install it)")
    return pwsh


def require_pester() -> str:
    """Pester's .psd1, or a skip (a failure when `SLAWATCH_REQUIRE_PWSH=1`) naming what is missing."""
    pester = find_pester()
    if pester is None:
        missing("Pester 5 not found (set PESTER_MODULE, or run `make test` to restore it into .tools/nuget/)")
    return pester
