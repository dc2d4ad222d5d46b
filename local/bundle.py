"""Where the local stack finds what it runs: template.yaml, the state machine and the Lambda handler packages.

From a clone these are the repository's own files. From an installed `slawatch[local]` they are the copies that
setup.py packs into `slawatch_local/bundle/` when the wheel is built. Either way the directory holding the
handler packages goes on sys.path, as Lambda puts its code directory there, so handler strings such as
`workflow.validate.lambda_handler` import exactly as they do in AWS.
"""

from __future__ import annotations

import sys
from pathlib import Path

HANDLER_PACKAGES = ("ingest", "workflow", "search", "pretoken", "incidents")
_PACKAGE = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE / "bundle"
ROOT = _BUNDLED if (_BUNDLED / "template.yaml").is_file() else _PACKAGE.parent
TEMPLATE = ROOT / "template.yaml"
STATEMACHINE = ROOT / "statemachine"
FUNCTIONS = ROOT / "functions"


def add_handler_path() -> None:
    """Make the handler packages importable (idempotent)."""
    if str(FUNCTIONS) not in sys.path:
        sys.path.append(str(FUNCTIONS))
