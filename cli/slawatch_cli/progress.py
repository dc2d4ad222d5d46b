"""A dependency-free progress bar on stderr: a redrawn bar on a terminal, a line every 10 % in a log."""

import sys
from typing import TextIO


class Progress:
    def __init__(self, total: int, label: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.total = max(total, 0)
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.done = 0
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._next_line = 0

    def advance(self, note: str = "") -> None:
        self.done += 1
        if self.tty:
            filled = self.width * self.done // self.total if self.total else self.width
            bar = "#" * filled + "." * (self.width - filled)
            self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total} {note}".rstrip() + " ")
            self.stream.flush()
        elif self.done >= self._next_line or self.done == self.total:
            self.stream.write(f"{self.label}: {self.done}/{self.total} {note}".rstrip() + "\n")
            step = max(1, self.total // 10)
            self._next_line = (self.done // step + 1) * step

    def close(self) -> None:
        if self.tty and self.total:
            self.stream.write("\n")
            self.stream.flush()
