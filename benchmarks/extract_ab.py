#!/usr/bin/env python3
"""Extract without ``clean_page``, CPU ms a page: another checkout's parse modules against this tree's, in one process.

On a shared machine two runs minutes apart differ by more than the change being measured; here both
versions run in the same process, alternately, over the same pages, each page cleaned once beforehand
(``clean_page`` is another track's and would dominate). The other tree's ``article``, ``furniture``,
``metadata``, ``aliases`` (when it has one) and ``language`` modules are loaded under other names; the
rest of ``workbench`` is this tree's. Both versions' records must be equal, else nothing is printed.

    git archive <commit> | tar -x -C /tmp/base
    .venv/bin/python benchmarks/extract_ab.py /tmp/base /tmp/corpus/raw [--limit 2000] [--rounds 4]
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import gc
import importlib
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.parse import article as new_article  # noqa: E402
from workbench.parse.clean import clean_page  # noqa: E402
from workbench.parse.read import discover, read_file  # noqa: E402
from workbench.reference import load_reference  # noqa: E402

TODAY = dt.date(2026, 11, 30)
MODULES = ("aliases", "furniture", "language", "metadata", "article")


def _load_base(tree: Path, tmp: Path):
    """The other tree's extract modules, renamed ``base_*`` and importing each other under those names."""
    present = [m for m in MODULES if (tree / "workbench" / "parse" / f"{m}.py").exists()]
    for m in present:
        text = (tree / "workbench" / "parse" / f"{m}.py").read_text(encoding="utf-8")
        for other in present:
            text = re.sub(rf"\bfrom workbench\.parse\.{other} import", f"from base_{other} import", text)
        (tmp / f"base_{m}.py").write_text(text, encoding="utf-8")
    sys.path.insert(0, str(tmp))
    return importlib.import_module("base_article")


def _run(mod, src, docs) -> tuple[float, list[dict]]:
    gc.collect()
    t0 = time.process_time()
    recs = [mod.extract(d, src, TODAY).record() for d in docs]
    return time.process_time() - t0, recs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("base_tree", type=Path)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=4)
    a = ap.parse_args()
    ref = load_reference()
    files, _ = discover([a.folder])
    docs = [d for f in sorted(files)[:a.limit] for d in read_file(f).docs]
    pages = {d.text: clean_page(d.text) for d in docs if d.text is not None}
    with tempfile.TemporaryDirectory() as tmp:
        base_article = _load_base(a.base_tree.resolve(), Path(tmp))
        versions = {"base": base_article, "this tree": new_article}
        for mod in versions.values():
            mod.clean_page = lambda text: copy.copy(pages[text])     # the page as cleaned beforehand
        srcs = {name: mod.sources_from_reference(ref) for name, mod in versions.items()}
        outs = [_run(mod, srcs[name], docs)[1] for name, mod in versions.items()]
        if outs[0] != outs[1]:
            print("records differ between the two versions")
            return 1
        ms: dict[str, list[float]] = {name: [] for name in versions}
        for _ in range(a.rounds):
            for name, mod in versions.items():
                ms[name].append(_run(mod, srcs[name], docs)[0] * 1000 / len(docs))
    print(f"{len(docs)} documents from {a.folder}; records equal; extract without clean_page, CPU ms a page,"
          f" {a.rounds} alternating rounds:")
    for name, v in ms.items():
        runs = " ".join(f"{x:.3f}" for x in v)
        print(f"  {name:10} min {min(v):.3f}  median {sorted(v)[len(v) // 2]:.3f}  all {runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
