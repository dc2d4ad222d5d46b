"""Scanners: the Python scanner, the PowerShell scanner (dry runs) and GNU find on the same trees, same run.

Each tool runs as its own process, the way cron, the scheduled task or a shell runs it, on trees of 10k, 100k and
1M files (``--sizes``), each tree one recursive folder, so all three answer one question: which files were last
written before the cutoff. Rounds are interleaved (find, Python, PowerShell, find, ...) so other load on the shared
machine hits every tool alike; every figure is the median of ``--repeats`` rounds after one warm-up round that
fills the dentry and inode caches. Peak memory is each tool's own (VmHWM of its processes). A row for an empty
folder gives each tool's start-up cost, which dominates small trees (pwsh loads .NET and the module).
"""

from __future__ import annotations

import json
import math
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import PLOTS, Options, ProcessRun, Section, log, median, run_process, table
from benchmarks.trees import NS, SLA_MINUTES, Tree, ensure_tree, tree_root

TITLE = "Scanners against GNU find"
PWSH_DRIVER = Path(__file__).resolve().parent / "pwsh_scan.ps1"


def _config(tree_path: Path, work: Path) -> Path:
    document = {
        "api": {"url": "http://127.0.0.1:9/prod/reports"},
        "auth": {"region": "eu-west-1", "clientId": "bench"},
        "spool": {"directory": str(work / "spool")},
        "folders": [{"path": str(tree_path), "slaMinutes": SLA_MINUTES, "ageBasis": "lastWrite", "recurse": True,
                     "maxFiles": 100_000_000, "timeBudgetSeconds": 36_000}],
    }
    path = work / f"config-{tree_path.name}.json"
    path.write_text(json.dumps(document))
    return path


def _slawatch() -> list[str]:
    script = Path(sys.executable).parent / "slawatch"
    return [str(script)] if script.exists() else [sys.executable, "-m", "slawatch_cli.main"]


def _iso(ns: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ns // NS)) + f".{ns // 1_000_000 % 1000:03d}Z"


def tools(pwsh: str | None) -> dict[str, Callable[[Tree, Path], tuple[ProcessRun, int]]]:
    """Each tool: run it on a tree, return the process figures and the number of old files it found."""

    def find(tree: Tree, _config_path: Path) -> tuple[ProcessRun, int]:
        minutes = max(0, math.floor((time.time_ns() - tree.cutoff_ns) / (60 * NS)))  # -mmin is relative to now
        run = run_process(["find", str(tree.root), "-type", "f", "-mmin", f"+{minutes}"])
        return run, run.stdout.count(b"\n")

    def python(tree: Tree, config_path: Path) -> tuple[ProcessRun, int]:
        run = run_process([*_slawatch(), "scan", "--config", str(config_path), "--dry-run", "--as-of",
                           _iso(tree.as_of_ns), "-q"])
        return run, _breaches(run.stdout)

    def powershell(tree: Tree, config_path: Path) -> tuple[ProcessRun, int]:
        assert pwsh is not None
        run = run_process([pwsh, "-NoProfile", "-NonInteractive", "-File", str(PWSH_DRIVER), "-ConfigPath",
                           str(config_path), "-AsOfUnixMs", str(tree.as_of_ns // 1_000_000)])
        lines = run.stdout.decode("utf-8", "replace").split()
        return run, int(lines[-1]) if lines and lines[-1].isdigit() else -1

    found: dict[str, Callable[[Tree, Path], tuple[ProcessRun, int]]] = {"GNU find": find, "Python scanner": python}
    if pwsh:
        found["PowerShell scanner"] = powershell
    return found


def _breaches(stdout: bytes) -> int:
    """Files past the SLA in the dry run's output: one JSON document per chunk, one after the other."""
    text, decoder, total, at = stdout.decode("utf-8"), json.JSONDecoder(), 0, 0
    while (at := _skip_space(text, at)) < len(text):
        document, at = decoder.raw_decode(text, at)
        total += sum(len(folder.get("files", [])) for folder in document.get("sla_error", []))
    return total


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def run(options: Options) -> Section:
    if shutil.which("find") is None:
        return Section(TITLE, "GNU find is not installed: nothing measured.")
    runners = tools(options.pwsh)
    work = options.tree_dir / "work"
    work.mkdir(parents=True, exist_ok=True)
    empty = options.tree_dir / "empty"
    empty.mkdir(parents=True, exist_ok=True)
    empty_tree = Tree(empty, 0, 0, time.time_ns())
    trees = [ensure_tree(tree_root(options.tree_dir, size), size) for size in options.sizes]
    results: dict[str, dict[int, list[tuple[ProcessRun, int]]]] = {name: {} for name in runners}
    for tree in [empty_tree, *trees]:
        config_path = _config(tree.root, work)
        log(f"scanners: {tree.files:,} files")
        for tool in runners.values():  # warm-up round: caches, JIT, imports
            tool(tree, config_path)
        for _ in range(options.repeats):
            for name, tool in runners.items():
                results[name].setdefault(tree.files, []).append(tool(tree, config_path))
    rows, data = [], {}
    expected = {tree.files: tree.breaches for tree in trees} | {0: 0}
    for files in [0, *options.sizes]:
        find_wall = median([r.wall for r, _ in results["GNU find"][files]])
        for name in runners:
            runs = results[name][files]
            wall = median([r.wall for r, _ in runs])
            cpu = median([r.cpu for r, _ in runs])
            rss = median([r.max_rss_kib for r, _ in runs]) / 1024
            found = sorted({n for _, n in runs})
            ok = found == [expected[files]]
            data.setdefault(name, {})[files] = {"wall": wall, "cpu": cpu, "rss_mib": rss, "ratio": wall / find_wall,
                                                "correct": ok}
            rows.append([f"{files:,}" if files else "empty (start-up)", name, f"{wall:.3f}", f"{wall / find_wall:.1f}x",
                         f"{cpu:.3f}", f"{rss:.0f}", "yes" if ok else f"NO ({found} != {expected[files]})"])
    body = [
        __doc__.split("\n\n", 1)[1].strip(),
        "",
        table(["files", "tool", "wall s", "x find", "cpu s", "peak RSS MiB", "right breaches"], rows),
    ]
    if "PowerShell scanner" not in runners:
        body.append("\nPowerShell 7 was not found (set PWSH): the PowerShell scanner was not measured.")
    largest = max(options.sizes)
    per_file = {name: (data[name][largest]["wall"] - data[name][0]["wall"]) / largest * 1e6 for name in runners}
    body.append("\nPer file, start-up subtracted, on the largest tree: "
                + ", ".join(f"{name} {us:.1f} µs" for name, us in per_file.items()) + ".")
    plot = _plot(data, options.sizes)
    return Section(TITLE, "\n".join(body), [plot] if plot else [], {"scanners": data})


def _plot(data: dict[str, dict[int, dict[str, float]]], sizes: tuple[int, ...]) -> Path | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name, by_size in data.items():
        left.plot(sizes, [by_size[s]["wall"] for s in sizes], marker="o", label=name)
        right.plot(sizes, [by_size[s]["rss_mib"] for s in sizes], marker="o", label=name)
    for axis, label in ((left, "wall time, s (median)"), (right, "peak RSS, MiB (median)")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("files in the tree")
        axis.set_ylabel(label)
        axis.grid(True, which="both", alpha=0.3)
        axis.legend()
    figure.suptitle("Scanners against GNU find: time and peak memory vs tree size")
    figure.tight_layout()
    PLOTS.mkdir(exist_ok=True)
    path = PLOTS / "scanners.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
