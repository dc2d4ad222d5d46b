"""Run every benchmark and write ``benchmarks/RESULTS.md`` with its plots: ``python -m benchmarks.run``.

A benchmark is a module of this package with ``TITLE`` and ``run(options) -> Section`` (see benchmarks/common.py);
a module named ``*_bench`` with only ``main(argv)`` is run as ``python -m`` and its output quoted. ``--only``
picks modules by name (the others' last sections, kept in benchmarks/measured/, are reused), ``--sizes`` the
scanner trees (1M files on two shared cores take minutes per tool).
Not a test: figures depend on the machine, so they live here and never in ``make test``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import benchmarks
from benchmarks.common import HERE, Options, Section, load_section, log, machine, save_section, table

FIRST = ("scanner_bench", "ingest_bench", "search_bench", "persist_bench", "cost_bench")
NOT_BENCHMARKS = {"run", "common", "trees", "cost_model", "dynamo_units", "counting"}
RESULTS = HERE / "RESULTS.md"


def _size(text: str) -> int:
    text = text.strip().lower().replace("_", "").replace(",", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if factor > 1 else text) * factor)


def discover() -> list[str]:
    names = [m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name not in NOT_BENCHMARKS]
    return [n for n in FIRST if n in names] + sorted(n for n in names if n not in FIRST)


def _run_module(name: str, module: ModuleType, options: Options) -> Section | None:
    if hasattr(module, "run") and hasattr(module, "TITLE"):
        return module.run(options)
    if name.endswith("_bench") and hasattr(module, "main"):
        done = subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], capture_output=True, text=True,
                              check=False, cwd=HERE.parent)
        title = (module.__doc__ or name).strip().splitlines()[0]
        return Section(title, f"`python -m benchmarks.{name}` (exit {done.returncode}):\n\n```\n"
                       + (done.stdout + done.stderr).strip() + "\n```")
    return None


def write_results(sections: list[Section], options: Options, started: float) -> Path:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`python -m benchmarks.run`) on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        f" in {time.monotonic() - started:.0f} s. Every timed figure is the median of {options.repeats} runs; every "
        "comparison is a ratio measured in the same run. Counted figures (requests, units, items) are exact "
        "counts, not timings. Costs are in [docs/cost.md](../docs/cost.md).",
        "",
        "## Machine",
        "",
        table(["", ""], list(machine(options.pwsh).items())),
    ]
    for section in sections:
        if section.measured_at:
            section.body += f"\n\n_Measured {section.measured_at}._"
        lines += ["", f"## {section.title}", "", section.body.strip()]
        for plot in section.plots:
            lines += ["", f"![{plot.stem}]({plot.relative_to(HERE).as_posix()})"]
    RESULTS.write_text("\n".join(lines) + "\n")
    return RESULTS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="scanner tree sizes (default: 10k,100k,1M)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per figure; the median is reported")
    parser.add_argument("--tree-dir", type=Path, default=Options.tree_dir, help="where the trees are kept")
    parser.add_argument("--search-sizes", default="1k,10k",
                        help="breaches in the day the search bench pages (default: 1k,10k; 100k adds about 45 minutes)")
    parser.add_argument("--only", default="", help="comma-separated module names (default: all)")
    args = parser.parse_args(argv)
    from tests.support.pwsh import find_pwsh

    options = Options(
        sizes=tuple(_size(s) for s in args.sizes.split(",") if s.strip()),
        repeats=max(1, args.repeats),
        tree_dir=args.tree_dir,
        search_sizes=tuple(_size(s) for s in args.search_sizes.split(",") if s.strip()),
        only=tuple(n.strip() for n in args.only.split(",") if n.strip()),
        pwsh=find_pwsh(),
    )
    started = time.monotonic()
    sections: list[Section] = []
    for name in discover():
        if options.only and name not in options.only:
            section = load_section(name)  # --only: keep the other modules' last results
        else:
            log(f"== {name}")
            section = _run_module(name, importlib.import_module(f"benchmarks.{name}"), options)
            if section is not None:
                section.measured_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
                save_section(name, section)
        if section is not None:
            sections.append(section)
    path = write_results(sections, options, started)
    print(f"wrote {path.relative_to(HERE.parent)}" + "".join(f", {p.relative_to(HERE.parent)}"
                                                         for s in sections for p in s.plots))
    return 0


if __name__ == "__main__":
    sys.exit(main())
