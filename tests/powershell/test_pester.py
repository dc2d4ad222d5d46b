"""Every Pester suite in powershell/tests, run for real on PowerShell 7 (what `make test` installs into .tools/).

The runner (powershell/tools/Invoke-PesterSuite.ps1) writes a JUnit file to .test-results/pester.xml and exits
with the number of failures; the counts are printed to the terminal even under pytest's output capture. Tests
that need Windows are tagged `Windows` and skip themselves here with their reason.

Run as root (CI containers), the suite runs without the capabilities that let root read any folder, so that the
tests of unreadable folders run instead of skipping themselves.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.support.pwsh import REPO, require_pester, require_pwsh

RUNNER = REPO / "powershell" / "tools" / "Invoke-PesterSuite.ps1"
SUITES = REPO / "powershell" / "tests"
RESULTS = REPO / ".test-results" / "pester.xml"


def without_root_read_override() -> list[str]:
    """A setpriv prefix that takes CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH from root (chmod 000 then denies it)."""
    setpriv = shutil.which("setpriv")
    if os.name != "posix" or os.geteuid() != 0 or setpriv is None:
        return []
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]


def run_suite(*args: str, timeout: int) -> subprocess.CompletedProcess[str]:
    pwsh = [require_pwsh(), "-NoProfile", "-NonInteractive", "-File", str(RUNNER), "-PesterModule", require_pester()]
    command = [*without_root_read_override(), *pwsh]
    return subprocess.run(  # noqa: S603
        [*command, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )


def summary(output: str) -> list[str]:
    """The lines worth seeing in `make test`: one per test file, the failures and the counts."""
    keep = ("[+]", "[-]", "[!]", "Pester ", "FAILED", "Tests completed")
    return [line for line in output.splitlines() if line.lstrip().startswith(keep)]


def test_every_pester_suite_passes(capsys):
    RESULTS.unlink(missing_ok=True)
    completed = run_suite("-ResultPath", str(RESULTS), timeout=1200)
    with capsys.disabled():
        print("\n" + "\n".join(summary(completed.stdout)))
    assert completed.returncode == 0, completed.stdout[-20000:] + completed.stderr[-5000:]

    root = ET.parse(RESULTS).getroot()  # noqa: S314 - our own result file
    suites = {Path(s.get("name", "")).name: s for s in root.iter("testsuite")}
    assert sorted(suites) == sorted(p.name for p in SUITES.glob("*.Tests.ps1"))
    for name, suite in suites.items():
        assert int(suite.get("tests", "0")) > 0, f"{name}: no test ran"
        assert suite.get("failures") == "0" and suite.get("errors") == "0", name
    assert int(root.get("tests", "0")) >= 100


def test_the_runner_fails_on_a_failing_test_and_names_it(tmp_path):
    (tmp_path / "Broken.Tests.ps1").write_text(
        "Describe 'gate' {\n    It 'passes' { 1 | Should -Be 1 }\n    It 'fails' { 1 | Should -Be 2 }\n}\n",
        encoding="utf-8",
    )
    results = tmp_path / "out" / "pester.xml"
    completed = run_suite("-Path", str(tmp_path), "-ResultPath", str(results), timeout=300)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "1 passed, 1 failed" in completed.stdout
    assert "FAILED: gate.fails" in completed.stdout
    root = ET.parse(results).getroot()  # noqa: S314 - our own result file
    assert (root.get("tests"), root.get("failures")) == ("2", "1")
