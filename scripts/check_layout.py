#!/usr/bin/env python3
"""Size and layering checks the linters do not make: no module over 600 lines, no
function over 80, and no module importing one from a later pipeline stage.

Run by ``scripts/test.sh`` before pytest; prints each problem and exits 1 if any.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "workbench"

EXEMPT: set[str] = set()   # modules excused from the size rules (none)

# Pipeline stages, upstream first: a module may import its own stage or earlier ones.
STAGES = [
    ("base", ("workbench.settings", "workbench.errors", "workbench.files", "workbench.dates",
              "workbench.record", "workbench.reference")),
    ("parse", ("workbench.parse",)),
    ("analyse", ("workbench.analyse",)),
    ("store", ("workbench.store", "workbench.storage", "workbench.spool",
               "workbench.corrections",   # + corrections track
               "workbench.pipeline", "workbench.planning", "workbench.ledger")),
    ("consume", ("workbench.explore", "workbench.reports", "workbench.evaluate", "workbench.cli",
                 "workbench.__main__")),
]


def stage(module: str) -> int | None:
    for i, (_, prefixes) in enumerate(STAGES):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return i
    return None


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return out


def check_file(path: Path, root: Path = ROOT) -> list[str]:
    """The problems of one module of the package under ``root``."""
    rel = path.relative_to(root).as_posix()
    src = path.read_text(encoding="utf-8")
    tree = ast.parse(src, filename=rel)
    problems = []
    if rel not in EXEMPT:
        n = len(src.splitlines())
        if n > MAX_MODULE_LINES:
            problems.append(f"{rel}: {n} lines (max {MAX_MODULE_LINES})")
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    problems.append(f"{rel}:{node.lineno}: function {node.name} is {length} lines "
                                    f"(max {MAX_FUNCTION_LINES})")
    mine = stage(module_name(path, root))
    for line, name in imported(tree):
        theirs = stage(name)
        if mine is not None and theirs is not None and theirs > mine:
            problems.append(f"{rel}:{line}: imports {name} from a later stage "
                            f"({STAGES[theirs][0]} after {STAGES[mine][0]})")
    return problems


def main() -> int:
    problems = [p for f in sorted(PACKAGE.rglob("*.py")) for p in check_file(f)]
    for p in problems:
        print(p)
    print(f"check_layout: {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
