"""What every benchmark module shares: the options, the section it returns, medians and the machine description.

A benchmark module is a module of this package that defines ``TITLE`` and ``run(options) -> Section``;
``benchmarks.run`` finds them, runs them in order and writes ``benchmarks/RESULTS.md`` with their sections.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PLOTS = HERE / "plots"
MEASURED = HERE / "measured"  # machine-readable counts, read by the cost model


@dataclass(frozen=True)
class Options:
    sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)
    repeats: int = 3
    tree_dir: Path = Path(tempfile.gettempdir()) / "slawatch-bench-trees"
    search_sizes: tuple[int, ...] = (1_000, 10_000)
    persist_megabytes: float = 10.0
    only: tuple[str, ...] = ()
    pwsh: str | None = None


@dataclass
class Section:
    title: str
    body: str
    plots: list[Path] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    measured_at: str = ""


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table; numbers are formatted by the caller."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if n else "---" for n in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


@dataclass(frozen=True)
class ProcessRun:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child
    max_rss_kib: int  # peak resident set of the child and its descendants (VmHWM), 0 when unknown
    stdout: bytes
    returncode: int


def _high_water_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _children(pids: set[int]) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid in pids:
                found.add(int(entry.name))
    return found


def run_process(argv: Sequence[str], *, env: dict[str, str] | None = None) -> ProcessRun:
    """Run one child: wall time, its CPU (os.wait4: the child and the descendants it waited for) and peak memory.

    Peak memory is the sum of the kernel's high-water marks (VmHWM in /proc) of the child and its descendants
    (pwsh's launcher runs .NET in a child process), polled every 5 ms until it exits: ``ru_maxrss`` also counts
    the parent's pages at fork time and is useless here."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, env=env)
        peaks: dict[int, int] = {}
        done = threading.Event()

        def watch() -> None:
            tree, polls = {child.pid}, 0
            while not done.is_set():
                if polls % 10 == 0:
                    tree |= _children(tree)
                for pid in tree:
                    peaks[pid] = max(peaks.get(pid, 0), _high_water_kib(pid))
                polls += 1
                done.wait(0.005)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        watcher.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return ProcessRun(wall, usage.ru_utime + usage.ru_stime, sum(peaks.values()), out.read(), child.returncode)


def _first_line(argv: Sequence[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not available"
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr).strip() else "?"


def machine(pwsh: str | None) -> dict[str, str]:
    """What the figures were measured on: they mean little without it."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": f"{cpu}, {os.cpu_count()} logical CPUs (shared with other jobs)",
        "memory": f"{memory:.1f} GiB",
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "pwsh": _first_line([pwsh, "-NoProfile", "-Command", "$PSVersionTable.PSVersion.ToString()"])
        if pwsh
        else "not found",
        "find": _first_line(["find", "--version"]) if shutil.which("find") else "not found",
        "filesystem": _first_line(["stat", "-f", "-c", "%T", tempfile.gettempdir()]),
        "load average at start": " / ".join(f"{v:.2f}" for v in os.getloadavg()),
        "peak RSS of the benchmark process": f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB",
    }


def write_measured(name: str, data: dict[str, Any]) -> Path:
    MEASURED.mkdir(exist_ok=True)
    path = MEASURED / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    return path


def read_measured(name: str) -> dict[str, Any]:
    return json.loads((MEASURED / f"{name}.json").read_text())


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def save_section(name: str, section: Section) -> None:
    document = {"title": section.title, "body": section.body, "measured_at": section.measured_at,
                "plots": [p.relative_to(HERE).as_posix() for p in section.plots], "data": section.data}
    write_measured(f"{name}.section", document)


def load_section(name: str) -> Section | None:
    try:
        document = read_measured(f"{name}.section")
    except FileNotFoundError:
        return None
    return Section(document["title"], document["body"], [HERE / p for p in document["plots"]], document["data"],
                   document.get("measured_at", ""))
