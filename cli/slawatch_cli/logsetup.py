"""Logging: one-line messages on stderr (the journal keeps them) and an optional rotating log file.

Handlers installed here are tagged so repeated ``main()`` calls (tests, embedding) replace rather than stack
them.
"""

import logging
import logging.handlers
import sys
import time
from pathlib import Path
from typing import TextIO

ROOT = "slawatch_cli"  # not "slawatch": in-process Lambda handlers own that Powertools logger
_TAG = "_slawatch_handler"


class _ConsoleFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"slawatch: {record.levelname.lower()}: {record.getMessage()}"


def _replace(kind: str, handler: logging.Handler | None) -> None:
    logger = logging.getLogger(ROOT)
    for old in [h for h in logger.handlers if getattr(h, _TAG, None) == kind]:
        logger.removeHandler(old)
        old.close()
    if handler is not None:
        setattr(handler, _TAG, kind)
        logger.addHandler(handler)


def configure_console(verbosity: int = 0, stream: TextIO | None = None) -> None:
    """WARNING and up by default; ``-v`` adds the per-folder and per-attempt lines, ``-vv`` debug."""
    logger = logging.getLogger(ROOT)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setLevel(logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG)
    handler.setFormatter(_ConsoleFormatter())
    _replace("console", handler)


def configure_file(directory: Path | None, *, max_bytes: int, keep: int) -> None:
    """Rotating ``slawatch.log`` with UTC timestamps; INFO and up (one line per folder and per attempt)."""
    if directory is None:
        _replace("file", None)
        return
    directory.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        directory / "slawatch.log", maxBytes=max_bytes, backupCount=keep, encoding="utf-8"
    )
    formatter = logging.Formatter("%(asctime)s.%(msecs)03dZ %(levelname)s %(name)s %(message)s", "%Y-%m-%dT%H:%M:%S")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    handler.setLevel(logging.INFO)
    _replace("file", handler)


def close_file() -> None:
    _replace("file", None)


def to_file(level: int, message: str, *, exc_info: bool = False) -> None:
    """Record something in the log file only (stderr already got its one line)."""
    logger = logging.getLogger(ROOT)
    for handler in logger.handlers:
        if getattr(handler, _TAG, None) == "file":
            record = logger.makeRecord(ROOT, level, "(main)", 0, message, (), sys.exc_info() if exc_info else None)
            handler.handle(record)
