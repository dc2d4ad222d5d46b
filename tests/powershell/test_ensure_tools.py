"""powershell/tools/ensure-tools.sh, the step of `make test` that finds or installs PowerShell 7 and Pester.

Run as a process in a copy of the repository's tools folder, with a PATH that holds only the few commands the
script needs, and a fake `dotnet` that records what it is asked to install.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.pwsh import REPO

SCRIPT = REPO / "powershell" / "tools" / "ensure-tools.sh"
PROJECT = REPO / "powershell" / "tools" / "Pester.csproj"
COMMANDS = ("bash", "sed", "dirname", "cp", "mkdir", "touch", "rm", "chmod")

FAKE_DOTNET = """#!/bin/bash
echo "$*" >> "$DOTNET_LOG"
while [ $# -gt 0 ]; do
  case "$1" in
    --tool-path) mkdir -p "$2" && printf '#!/bin/sh\\n' > "$2/pwsh" && chmod +x "$2/pwsh"; shift ;;
    --packages) mkdir -p "$2/pester/5.9.1/tools" && touch "$2/pester/5.9.1/tools/Pester.psd1"; shift ;;
  esac
  shift
done
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    tools = tmp_path / "repo" / "powershell" / "tools"
    tools.mkdir(parents=True)
    shutil.copy(SCRIPT, tools)
    shutil.copy(PROJECT, tools)
    return tmp_path / "repo"


def bin_dir(tmp_path: Path, *, dotnet: bool) -> Path:
    path = tmp_path / "bin"
    path.mkdir(exist_ok=True)
    for name in COMMANDS:
        found = shutil.which(name)
        assert found, name
        (path / name).unlink(missing_ok=True)
        (path / name).symlink_to(found)
    if dotnet:
        (path / "dotnet").write_text(FAKE_DOTNET, encoding="utf-8")
        (path / "dotnet").chmod(0o755)
    return path


def run(repo: Path, path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": str(path), "HOME": str(repo.parent), **env}
    script = repo / "powershell" / "tools" / "ensure-tools.sh"
    return subprocess.run(  # noqa: S603
        [str(path / "bash"), str(script)], capture_output=True, text=True, env=environment, timeout=60, check=False
    )


def test_without_pwsh_or_dotnet_it_says_so_in_one_line_and_the_run_goes_on(repo, tmp_path):
    completed = run(repo, bin_dir(tmp_path, dotnet=False))
    assert completed.returncode == 0
    assert completed.stdout == ""
    assert completed.stderr.count("\n") == 1
    assert "nor dotnet to install it" in completed.stderr and "syntax gate runs alone" in completed.stderr


def test_ci_requires_pwsh(repo, tmp_path):
    completed = run(repo, bin_dir(tmp_path, dotnet=False), SLAWATCH_REQUIRE_PWSH="1")
    assert completed.returncode == 1
    assert "SLAWATCH_REQUIRE_PWSH=1 requires it" in completed.stderr


def test_installs_the_pinned_versions_once_then_reuses_them(repo, tmp_path):
    path = bin_dir(tmp_path, dotnet=True)
    log = tmp_path / "dotnet.log"
    first = run(repo, path, DOTNET_LOG=str(log))
    assert first.returncode == 0, first.stderr
    tools = repo / ".tools"
    assert first.stdout.splitlines() == [
        f"export PWSH={tools}/pwsh",
        f"export PESTER_MODULE={tools}/nuget/pester/5.9.1/tools/Pester.psd1",
    ]
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls == [
        "tool install --tool-path .tools PowerShell --version 7.6.9",
        "restore .tools/pester-restore/Pester.csproj --packages .tools/nuget",
    ]
    # obj/ of the restore stays in .tools/, never next to the pinned project in the source tree.
    assert sorted(p.name for p in (repo / "powershell" / "tools").iterdir()) == ["Pester.csproj", "ensure-tools.sh"]

    second = run(repo, path, DOTNET_LOG=str(log))
    assert second.returncode == 0 and second.stdout == first.stdout and second.stderr == ""
    assert log.read_text(encoding="utf-8").splitlines() == calls

    # A new pin (no stamp for it) reinstalls.
    (tools / ".pwsh-7.6.9.installed").unlink()
    assert run(repo, path, DOTNET_LOG=str(log)).returncode == 0
    assert log.read_text(encoding="utf-8").splitlines()[2:] == [
        "tool uninstall --tool-path .tools PowerShell",
        "tool install --tool-path .tools PowerShell --version 7.6.9",
    ]


def test_an_explicit_pwsh_and_pester_are_used_as_they_are(repo, tmp_path):
    pwsh = tmp_path / "my-pwsh"
    pwsh.write_text("#!/bin/sh\n", encoding="utf-8")
    pwsh.chmod(0o755)
    pester = tmp_path / "Pester.psd1"
    pester.write_text("@{}\n", encoding="utf-8")
    completed = run(repo, bin_dir(tmp_path, dotnet=False), PWSH=str(pwsh), PESTER_MODULE=str(pester))
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == [f"export PWSH={pwsh}", f"export PESTER_MODULE={pester}"]
    assert not (repo / ".tools").exists()


def test_the_pester_version_comes_from_the_one_project_file(repo, tmp_path):
    project = repo / "powershell" / "tools" / "Pester.csproj"
    project.write_text(project.read_text(encoding="utf-8").replace("[5.9.1]", "[5.7.1]"), encoding="utf-8")
    # The fake dotnet restores 5.9.1 whatever it is asked: the script must notice that 5.7.1 is not there.
    completed = run(repo, bin_dir(tmp_path, dotnet=True), DOTNET_LOG=str(tmp_path / "dotnet.log"))
    assert completed.returncode == 1
    assert "restore did not produce .tools/nuget/pester/5.7.1/tools/Pester.psd1" in completed.stderr
