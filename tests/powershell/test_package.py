"""`make package`, run as a user runs it, builds dist/SlaWatch-<version>.zip; the zip installs into a module path,
imports with pwsh, and its entry script runs a scan from there (powershell/README.md, "Install from the package")."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from tests.support.pwsh import REPO, require_pwsh
from tests.support.scanners import powershell_reports, scanner_environment, write_config

MANIFEST = REPO / "powershell" / "SlaWatch" / "SlaWatch.psd1"


def manifest_version() -> str:
    return re.search(r"ModuleVersion\s*=\s*'([^']+)'", MANIFEST.read_text(encoding="utf-8")).group(1)


def test_the_version_is_stated_once_and_everything_else_agrees():
    pyproject = re.search(r'^version\s*=\s*"([^"]+)"', (REPO / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert pyproject.group(1) == manifest_version()


def test_make_package_builds_a_zip_that_installs_imports_and_scans(tmp_path):
    pwsh = require_pwsh()
    built = subprocess.run(["make", "--no-print-directory", "package"], cwd=REPO, capture_output=True, text=True,  # noqa: S607
                           timeout=120, check=False)
    assert built.returncode == 0, built.stdout + built.stderr
    package = REPO / "dist" / f"SlaWatch-{manifest_version()}.zip"
    assert built.stdout.strip().endswith(str(package.relative_to(REPO)))
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        assert {"SlaWatch/SlaWatch.psd1", "SlaWatch/SlaWatch.psm1", "Invoke-SlaWatch.ps1", "slawatch.example.json",
                "INSTALL.md"} <= names
        assert any(n.startswith("SlaWatch/Public/") for n in names)
        assert any(n.startswith("SlaWatch/Private/") for n in names)
        archive.extractall(tmp_path / "unpacked")

    modules = tmp_path / "modules"
    shutil.copytree(tmp_path / "unpacked" / "SlaWatch", modules / "SlaWatch" / manifest_version())
    task = tmp_path / "task"
    task.mkdir()
    shutil.copy(tmp_path / "unpacked" / "Invoke-SlaWatch.ps1", task)  # alone: the module must come from the path
    env = scanner_environment({"PSModulePath": str(modules)})
    imported = subprocess.run(  # noqa: S603 - fixed command line
        [pwsh, "-NoProfile", "-NonInteractive", "-Command",
         "Import-Module SlaWatch -ErrorAction Stop; $m = Get-Module SlaWatch; "
         "@{ version = $m.Version.ToString(); path = $m.ModuleBase; "
         "commands = @($m.ExportedFunctions.Keys | Sort-Object) }"
         " | ConvertTo-Json -Compress"],
        env=env, capture_output=True, text=True, timeout=120, check=False)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    module = json.loads(imported.stdout)
    assert module["version"] == manifest_version()
    assert Path(module["path"]).resolve() == (modules / "SlaWatch" / manifest_version()).resolve()
    assert "Invoke-SlaWatchScan" in module["commands"] and "Set-SlaWatchCredential" in module["commands"]

    inbound = tmp_path / "inbound"
    inbound.mkdir()
    (inbound / "old.csv").write_bytes(b"x")
    os.utime(inbound / "old.csv", (1_600_000_000, 1_600_000_000))
    example = json.loads((tmp_path / "unpacked" / "slawatch.example.json").read_text(encoding="utf-8"))
    example.update(folders=[{"path": str(inbound), "slaMinutes": 20, "ageBasis": "lastWrite"}],
                   spool={"directory": str(tmp_path / "spool")}, log={"directory": str(tmp_path / "logs")})
    config = write_config(tmp_path / "slawatch.json", example)
    scan = subprocess.run(  # noqa: S603 - fixed command line
        [pwsh, "-NoProfile", "-NonInteractive", "-File", str(task / "Invoke-SlaWatch.ps1"), "-ConfigPath", str(config),
         "-DryRun"], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert scan.returncode == 10, scan.stdout + scan.stderr
    (report,) = powershell_reports(scan.stdout)
    assert report["scanner"]["version"] == manifest_version()
    assert [f["filename"] for f in report["sla_error"][0]["files"]] == ["old.csv"]
