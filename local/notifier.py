"""Where the local stack delivers incident notifications: printed for the person watching, and appended (one
JSON document per line) to notifications.log under the stack's state directory for anyone tailing it or a test
reading it. Stands in for the SNS topic, which has nobody subscribed on a laptop."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import TextIO

from slawatch.notify import Notification

LOG_NAME = "notifications.log"


class FileNotifier:
    def __init__(self, path: Path, *, echo: TextIO | None = sys.stdout):
        self.path = path
        self.echo = echo
        self._lock = threading.Lock()

    def send(self, notification: Notification) -> None:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as log:
                log.write(notification.as_json() + "\n")
            if self.echo is not None:
                rule = "-" * 72
                self.echo.write(f"\n{rule}\nNOTIFICATION  {notification.subject}\n{rule}\n{notification.text}{rule}\n")
                self.echo.flush()

    def sent(self) -> list[dict]:
        """Every notification so far, oldest first."""
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
