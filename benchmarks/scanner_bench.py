"""Scanner benchmark: the Python scanner against GNU ``find -type f -mmin +N`` on the same tree, same run.

The tree (default 200,000 files in 2,000 folders) is generated once under the temp directory and reused; its
generation instant is stored with it, so every later run asks both tools the same question: which files were
last written before ``generation + 30 min - SLA``. Breaching files sit in the first 1 % of the folders only, so
scanning 10 % of the tree and the whole tree see the same breaches and 10x the non-breaching files: the memory
peaks of the two scans show whether memory is flat in the number of non-breaching files.

Not a test: run it with ``python -m benchmarks.run`` (or ``make bench``).
"""

import argparse
import io
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from slawatch_cli.scanner.config import load_config
from slawatch_cli.scanner.report import ScannerMeta, chunk_report
from slawatch_cli.scanner.run import ScanOptions, Seams, run_scan
from slawatch_cli.scanner.walk import scan_folders

NS = 1_000_000_000
SLA_MINUTES = 60
OLD_AGE_SECONDS = 6 * 3600  # breaching files: last written 6 h before generation
AS_OF_OFFSET_SECONDS = 30 * 60  # judge as of 30 min after generation
MARKER = ".slawatch-bench.json"  # hidden: the scanner skips it, and it is too new for find's test
GOAL_RATIO = 1.5


@dataclass(frozen=True)
class Tree:
    root: Path
    folders: int
    files_per_folder: int
    breach_folders: int
    breaches_per_folder: int
    generated_ns: int

    @property
    def files(self) -> int:
        return self.folders * self.files_per_folder

    @property
    def breaches(self) -> int:
        return self.breach_folders * self.breaches_per_folder

    @property
    def as_of_ns(self) -> int:
        return self.generated_ns + AS_OF_OFFSET_SECONDS * NS


def ensure_tree(root: Path, folders: int, files_per_folder: int) -> Tree:
    """Reuse the tree when its marker matches the requested shape; otherwise (re)generate it."""
    marker = root / MARKER
    breach_folders = max(1, folders // 100)
    breaches_per_folder = max(1, files_per_folder // 2)
    if marker.exists():
        meta = json.loads(marker.read_text())
        if (meta["folders"], meta["files_per_folder"]) == (folders, files_per_folder):
            print(f"reusing the tree in {root}", file=sys.stderr)
            return Tree(root, folders, files_per_folder, breach_folders, breaches_per_folder, meta["generated_ns"])
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    generated = time.time_ns()
    old = generated - OLD_AGE_SECONDS * NS
    started = time.monotonic()
    for f in range(folders):
        folder = root / f"d{f:05d}"
        folder.mkdir()
        for n in range(files_per_folder):
            path = folder / f"file-{n:06d}.dat"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
            os.close(fd)
            moment = old if (f < breach_folders and n < breaches_per_folder) else generated
            os.utime(path, ns=(moment, moment))
        if f % 200 == 199:
            print(f"  generated {f + 1}/{folders} folders", file=sys.stderr)
    marker.write_text(json.dumps({"folders": folders, "files_per_folder": files_per_folder, "generated_ns": generated}))
    print(f"generated {folders * files_per_folder} files in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return Tree(root, folders, files_per_folder, breach_folders, breaches_per_folder, generated)


def write_config(tree: Tree, work: Path, folders: int | None = None, *, recursive: bool = False) -> Path:
    """2,000 configured folders (``folders`` of them), or the root as one recursive folder (find's question)."""
    if recursive:
        entries = [
            {
                "path": str(tree.root),
                "slaMinutes": SLA_MINUTES,
                "ageBasis": "lastWrite",
                "recurse": True,
                "maxFiles": 10_000_000,
                "timeBudgetSeconds": 3600,
            }
        ]
    else:
        entries = [
            {"path": str(tree.root / f"d{f:05d}"), "slaMinutes": SLA_MINUTES, "ageBasis": "lastWrite"}
            for f in range(folders if folders is not None else tree.folders)
        ]
    document = {
        "api": {"url": "http://127.0.0.1:9/prod/reports"},
        "auth": {"region": "eu-west-1", "clientId": "bench"},
        "spool": {"directory": str(work / "spool")},
        "folders": entries,
    }
    path = work / f"bench-{'recursive' if recursive else len(entries)}.json"
    path.write_text(json.dumps(document))
    return path


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # user + system seconds: less sensitive than wall time to other load on the machine
    breaches: int


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def time_find(tree: Tree) -> Timing:
    """GNU find's equivalent age test; ``-mmin +N`` is relative to now, so N is derived from the cutoff."""
    cutoff_ns = tree.as_of_ns - SLA_MINUTES * 60 * NS
    minutes = max(0, math.floor((time.time_ns() - cutoff_ns) / (60 * NS)))
    cpu = _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        ["find", str(tree.root), "-type", "f", "-mmin", f"+{minutes}"],
        check=True,
        capture_output=True,
    )
    elapsed = time.perf_counter() - started
    return Timing(elapsed, _cpu(resource.RUSAGE_CHILDREN) - cpu, result.stdout.count(b"\n"))


def time_scanner(config: Path, tree: Tree, workers: int = 1) -> Timing:
    """The real ``slawatch scan --dry-run`` path in-process: config, scan, report, serialisation."""
    out = io.StringIO()
    cpu = _cpu(resource.RUSAGE_SELF)
    started = time.perf_counter()
    run_scan(
        ScanOptions(str(config), tree.as_of_ns, dry_run=True, workers=workers, quiet=True),
        Seams(stdout=out, stderr=io.StringIO()),
    )
    elapsed = time.perf_counter() - started
    breaches = sum(len(f["files"]) for f in json.loads(out.getvalue())["sla_error"])
    return Timing(elapsed, _cpu(resource.RUSAGE_SELF) - cpu, breaches)


def time_floor(tree: Tree) -> Timing:
    """What CPython cannot go below: list every directory and stat every file, nothing else."""
    cutoff = tree.as_of_ns - SLA_MINUTES * 60 * NS
    cpu = _cpu(resource.RUSAGE_SELF)
    started = time.perf_counter()
    old = 0
    pending = [str(tree.root)]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_file(follow_symlinks=False):
                    if entry.name[0] != "." and entry.stat(follow_symlinks=False).st_mtime_ns < cutoff:
                        old += 1
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
    return Timing(time.perf_counter() - started, _cpu(resource.RUSAGE_SELF) - cpu, old)


def time_cli(config: Path, tree: Tree) -> float:
    """The whole command as cron runs it, interpreter start-up and imports included."""
    from slawatch_cli.timeutil import format_instant

    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "slawatch_cli.main",
            "scan",
            "--config",
            str(config),
            "--dry-run",
            "--as-of",
            format_instant(tree.as_of_ns),
            "-q",
        ],
        check=False,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    return time.perf_counter() - started


def peak_memory(config: Path, tree: Tree) -> tuple[int, int]:
    """tracemalloc peak of scanning + building the report (Python allocations only) and breaches found."""
    folders = load_config(config).folders
    tracemalloc.start()
    results = list(scan_folders(folders, tree.as_of_ns))
    chunk_report(results, ScannerMeta("bench", "0", "t", "r"), 5_242_880)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, sum(len(r.files) for r in results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--folders", type=int, default=2000)
    parser.add_argument("--files-per-folder", type=int, default=100)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "slawatch-bench-tree")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    if shutil.which("find") is None:
        print("GNU find is needed for the comparison", file=sys.stderr)
        return 2

    tree = ensure_tree(args.dir, args.folders, args.files_per_folder)
    variants: dict[str, Callable[[], Timing]] = {}
    with tempfile.TemporaryDirectory(prefix="slawatch-bench-") as tmp:
        work = Path(tmp)
        recursive = write_config(tree, work, recursive=True)
        listed = write_config(tree, work)
        variants = {
            "find DIR -type f -mmin +N": lambda: time_find(tree),
            "python floor: bare scandir + stat loop": lambda: time_floor(tree),
            "scan: DIR as 1 recursive folder": lambda: time_scanner(recursive, tree),
            f"scan: {tree.folders} folders listed": lambda: time_scanner(listed, tree),
            f"scan: {tree.folders} folders, --workers 4": lambda: time_scanner(listed, tree, workers=4),
        }
        for run in variants.values():  # warm the dentry/inode caches (and the imports) once
            run()
        runs: dict[str, list[Timing]] = {name: [] for name in variants}
        for _ in range(args.rounds):  # interleaved, so other load on the machine hits every variant alike
            for name, run in variants.items():
                runs[name].append(run())
        cli = time_cli(listed, tree)
        small_peak, small_breaches = peak_memory(write_config(tree, work, tree.folders // 10), tree)
        full_peak, full_breaches = peak_memory(listed, tree)

    find_name = next(iter(runs))
    find_wall = statistics.median(t.wall for t in runs[find_name])
    find_cpu = statistics.median(t.cpu for t in runs[find_name])
    print(
        f"tree        {tree.files:,} files in {tree.folders:,} folders ({tree.root}), "
        f"{tree.breaches:,} of them past the SLA"
    )
    print(
        f"machine     load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; medians of {args.rounds} "
        "interleaved rounds; cpu = user + system of this process (or of find)"
    )
    print(f"{'variant':44} {'wall s':>7} {'x find':>7} {'cpu s':>7} {'x find':>7} {'breaches':>9}")
    best = math.inf
    for name, timings in runs.items():
        wall = statistics.median(t.wall for t in timings)
        cpu = statistics.median(t.cpu for t in timings)
        found = ",".join(str(b) for b in sorted({t.breaches for t in timings}))
        cpu_text = f"{cpu:7.3f} {cpu / find_cpu:6.2f}x"
        print(f"{name:44} {wall:7.3f} {wall / find_wall:6.2f}x {cpu_text} {found:>9}")
        if name.startswith("scan"):
            best = min(best, wall / find_wall)
    print(f"{'whole CLI process (start-up, imports)':44} {cli:7.3f} {cli / find_wall:6.2f}x")
    print(
        f"goal        <= {GOAL_RATIO}x find's wall time: best variant {best:.2f}x, "
        f"{'met' if best <= GOAL_RATIO else 'NOT met'}"
    )
    print(
        f"memory      peak Python allocations {small_peak / 1024:,.0f} KiB for {tree.folders // 10:,} folders "
        f"({small_breaches:,} breaches), {full_peak / 1024:,.0f} KiB for {tree.folders:,} folders "
        f"({full_breaches:,} breaches): {(full_peak - small_peak) / (tree.files * 0.9):.1f} bytes per "
        "additional non-breaching file (the per-folder result objects)"
    )
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"            peak RSS of this process {rss_mb:,.0f} MiB (ru_maxrss, interpreter included)")
    ok = all({t.breaches for t in timings} == {tree.breaches} for timings in runs.values())
    return 0 if ok else 1
