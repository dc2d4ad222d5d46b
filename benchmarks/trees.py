"""Benchmark trees: generated once under the temp directory and reused across runs (1M files take minutes).

A tree of N files is N / 100 folders of 100 empty files. Files in the first 1 % of the folders, first half of
each, were last written 6 h before the generation instant; every other file at it. The instant is stored in a
marker next to the folders, so every later run asks every tool the same question: which files were last written
before ``generation + 30 min - SLA``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

NS = 1_000_000_000
FILES_PER_FOLDER = 100
OLD_AGE_SECONDS = 6 * 3600  # breaching files: last written 6 h before generation
AS_OF_OFFSET_SECONDS = 30 * 60  # judge as of 30 min after generation
SLA_MINUTES = 60
MARKER = ".slawatch-bench.json"  # hidden: the scanners skip it, and it is too new for find's test


@dataclass(frozen=True)
class Tree:
    root: Path
    folders: int
    files_per_folder: int
    generated_ns: int

    @property
    def files(self) -> int:
        return self.folders * self.files_per_folder

    @property
    def breach_folders(self) -> int:
        return max(1, self.folders // 100)

    @property
    def breaches_per_folder(self) -> int:
        return max(1, self.files_per_folder // 2)

    @property
    def breaches(self) -> int:
        return self.breach_folders * self.breaches_per_folder

    @property
    def as_of_ns(self) -> int:
        return self.generated_ns + AS_OF_OFFSET_SECONDS * NS

    @property
    def cutoff_ns(self) -> int:
        """Files last written before this instant are past the SLA."""
        return self.as_of_ns - SLA_MINUTES * 60 * NS


def ensure_tree(root: Path, files: int, files_per_folder: int = FILES_PER_FOLDER) -> Tree:
    """Reuse the tree when its marker matches the requested shape; otherwise (re)generate it."""
    folders = max(1, files // files_per_folder)
    marker = root / MARKER
    if marker.exists():
        meta = json.loads(marker.read_text())
        if (meta["folders"], meta["files_per_folder"]) == (folders, files_per_folder):
            return Tree(root, folders, files_per_folder, meta["generated_ns"])
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    generated = time.time_ns()
    tree = Tree(root, folders, files_per_folder, generated)
    old = generated - OLD_AGE_SECONDS * NS
    started = time.monotonic()
    for f in range(folders):
        folder = root / f"d{f:05d}"
        folder.mkdir()
        for n in range(files_per_folder):
            path = folder / f"file-{n:06d}.dat"
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o644))
            moment = old if (f < tree.breach_folders and n < tree.breaches_per_folder) else generated
            os.utime(path, ns=(moment, moment))
        if f % 1000 == 999:
            print(f"  {root.name}: {f + 1}/{folders} folders", file=sys.stderr)
    marker.write_text(json.dumps({"folders": folders, "files_per_folder": files_per_folder, "generated_ns": generated}))
    print(f"generated {tree.files:,} files in {time.monotonic() - started:.0f} s under {root}", file=sys.stderr)
    return tree


def tree_root(base: Path, files: int) -> Path:
    return base / f"tree-{files}"


if __name__ == "__main__":  # pre-generate: python -m benchmarks.trees DIR N [N ...]
    for size in sys.argv[2:]:
        ensure_tree(tree_root(Path(sys.argv[1]), int(size)), int(size))
