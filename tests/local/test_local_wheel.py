"""`pip install 'slawatch[local]'` from the built wheel into a fresh venv, then `slawatch local` from that venv.

What an operator without a clone does: the wheel must carry the stack's own files (template, state machine,
handler packages: local/bundle.py) and the extra must bring moto. The venv is made with the interpreter running
the tests; pip reads its usual settings from the environment (PIP_INDEX_URL, or PIP_NO_INDEX and PIP_FIND_LINKS
for an offline wheelhouse). The stack is started outside the clone, so nothing can come from the repository.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from local.stack import free_port
from tests.support.local_process import ROOT, Running

pytestmark = pytest.mark.slow
SOURCES = ("setup.py", "pyproject.toml", "README.md", "template.yaml", "statemachine", "functions", "cli", "local")


def _run(*argv: str | Path, cwd: Path) -> None:
    done = subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True, text=True, timeout=600,  # noqa: S603
                          check=False)
    assert done.returncode == 0, f"{argv}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"


def test_the_wheel_with_the_local_extra_starts_the_stack(tmp_path):
    source = tmp_path / "source"  # a copy: building in the clone would leave build/ and *.egg-info behind
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist",
         ".", cwd=source)
    (wheel,) = (tmp_path / "dist").glob("slawatch-*.whl")
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    _run(venv / "bin" / "python", "-m", "pip", "install", "-q", f"{wheel}[local]", cwd=tmp_path)
    (bundled,) = venv.glob("lib/python*/site-packages/slawatch_local/bundle/template.yaml")  # not the clone's
    assert bundled.read_text(encoding="utf-8") == (ROOT / "template.yaml").read_text(encoding="utf-8")

    state, api_port = tmp_path / "state", free_port()
    running = Running(state, api_port, free_port(), command=[str(venv / "bin" / "slawatch"), "local"], cwd=tmp_path)
    try:
        running.wait_ready()
        config = json.loads((state / "scanner-config.json").read_text(encoding="utf-8"))
        assert config["api"]["url"] == f"http://127.0.0.1:{api_port}/local/reports"
        assert (state / "scanner-config.json").read_text(encoding="utf-8") in running.output
    finally:
        stopped_in = running.stop(signal.SIGTERM)
    assert stopped_in < 5, f"SIGTERM took {stopped_in:.1f} s"
