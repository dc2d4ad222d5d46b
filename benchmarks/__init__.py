"""Speed, memory and cost measurements (``make bench``); never part of ``make test``."""

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
for _extra in ("functions", "cli"):  # the Lambda code and the CLI, importable as the tests import them
    if str(_ROOT / _extra) not in sys.path:
        sys.path.insert(0, str(_ROOT / _extra))
