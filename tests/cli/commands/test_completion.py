"""``slawatch completion``: a script per shell, and the completions the shell then gets from slawatch itself."""

from pathlib import Path

import pytest

from tests.cli.process import run_slawatch


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete "),
        ("zsh", "compdef"),
        ("fish", "complete --command slawatch"),
        ("powershell", "Register-ArgumentCompleter"),
    ],
)
def test_a_script_for_each_shell(shell: str, marker: str) -> None:
    done = run_slawatch("completion", shell)
    assert done.returncode == 0 and marker in done.stdout and "slawatch" in done.stdout


def test_unknown_shell_is_a_usage_error() -> None:
    assert run_slawatch("completion", "tcsh").returncode == 2


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("slawatch us", {"users"}),
        ("slawatch users re", {"remove", "reset-password"}),
        ("slawatch query --kind ", {"breaches", "reports"}),
    ],
)
def test_the_shell_gets_completions_from_slawatch(line: str, expected: set[str], tmp_path: Path) -> None:
    answer = tmp_path / "completions"
    env = {
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_IFS": "\n",
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
        "_ARGCOMPLETE_STDOUT_FILENAME": str(answer),
    }
    assert run_slawatch(env=env).returncode == 0
    assert set(answer.read_text(encoding="utf-8").split()) == expected
