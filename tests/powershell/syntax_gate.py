"""PowerShell syntax gate: parse every .ps1/.psm1/.psd1 with tree-sitter-pwsh and fail on any syntax error.

PowerShell cannot be installed on the development machines, so this is the local stand-in for the parser that
Pester and PSScriptAnalyzer use in GitHub Actions. Usage::

    python -m tests.powershell.syntax_gate powershell [more folders or files ...]

Exit status 0 when every file parses cleanly, 1 when any file has an ERROR or MISSING node (each reported as
``file:line:col: message``), 2 when the arguments name nothing to check.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import tree_sitter
import tree_sitter_pwsh

EXTENSIONS = (".ps1", ".psm1", ".psd1")

_PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_pwsh.language()))


@dataclass(frozen=True)
class SyntaxProblem:
    """One ERROR or MISSING node, positioned 1-based like an editor shows it."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


def _decode(data: bytes) -> bytes:
    """Return UTF-8 source bytes; PowerShell files may carry a UTF-8 BOM or be UTF-16 with a BOM."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16").encode("utf-8")
    return data


def _problem_nodes(root: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    """Yield ERROR and MISSING nodes depth-first, without descending into an ERROR node's own children."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            yield node
            continue
        if node.has_error:
            stack.extend(reversed(node.children))


def check_source(source: bytes, path: str = "<string>") -> list[SyntaxProblem]:
    """Parse PowerShell source and return its syntax problems (empty when it parses cleanly)."""
    source = _decode(source)
    tree = _PARSER.parse(source)
    problems = []
    for node in _problem_nodes(tree.root_node):
        line, column = node.start_point.row + 1, node.start_point.column + 1
        if node.is_missing:
            message = f"missing {node.type!r}"
        else:
            snippet = source[node.start_byte : min(node.end_byte, node.start_byte + 40)]
            text = snippet.decode("utf-8", "replace").splitlines()[0] if snippet else ""
            message = f"syntax error near {text!r}"
        problems.append(SyntaxProblem(path, line, column, message))
    return problems


def iter_files(targets: Iterable[str | Path]) -> Iterator[Path]:
    """Expand folders into their PowerShell files (sorted); files are passed through."""
    for target in targets:
        target = Path(target)
        if target.is_dir():
            yield from sorted(p for p in target.rglob("*") if p.suffix.lower() in EXTENSIONS and p.is_file())
        elif target.is_file():
            yield target


def check_paths(targets: Iterable[str | Path]) -> tuple[int, list[SyntaxProblem]]:
    """Check every PowerShell file under the targets; return (files checked, problems)."""
    count, problems = 0, []
    for path in iter_files(targets):
        count += 1
        problems.extend(check_source(path.read_bytes(), str(path)))
    return count, problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m tests.powershell.syntax_gate FOLDER_OR_FILE [...]", file=sys.stderr)
        return 2
    count, problems = check_paths(args)
    if count == 0:
        print(f"syntax gate: no {'/'.join(EXTENSIONS)} files under {' '.join(args)}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"syntax gate: {len(problems)} problem(s) in {count} PowerShell file(s)", file=sys.stderr)
        return 1
    print(f"syntax gate: {count} PowerShell file(s) parse cleanly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
