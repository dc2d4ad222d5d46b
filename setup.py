"""Packaging beyond what pyproject.toml can say: the local stack's package is `slawatch_local` (from local/), and
its wheel carries what the stack runs (template.yaml, the state machine, the Lambda handler packages) in
`slawatch_local/bundle/`, so `pip install slawatch[local]` can start it without a clone (local/bundle.py)."""

import shutil
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
HANDLER_PACKAGES = ("ingest", "workflow", "search", "pretoken", "incidents")


class BuildWithBundle(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the clone's own files
            return
        bundle = Path(self.build_lib) / "slawatch_local" / "bundle"
        shutil.rmtree(bundle, ignore_errors=True)
        (bundle / "functions").mkdir(parents=True)
        shutil.copy2(HERE / "template.yaml", bundle / "template.yaml")
        shutil.copytree(HERE / "statemachine", bundle / "statemachine")
        for name in HANDLER_PACKAGES:
            shutil.copytree(HERE / "functions" / name, bundle / "functions" / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


packages = [p for p in find_packages("functions") if p.startswith("slawatch")]
packages += [p for p in find_packages("cli") if p.startswith("slawatch_cli")]
directories = {p: f"functions/{p.replace('.', '/')}" for p in packages if p.split(".")[0] == "slawatch"}
directories |= {p: f"cli/{p.replace('.', '/')}" for p in packages if p.split(".")[0] == "slawatch_cli"}
directories["slawatch_local"] = "local"
setup(packages=[*packages, "slawatch_local"], package_dir=directories, cmdclass={"build_py": BuildWithBundle})
