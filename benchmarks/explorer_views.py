#!/usr/bin/env python3
"""What the explorer shows, dumped from one tree and compared with another's (before/after a change).

    python benchmarks/explorer_views.py dump STORE before.pkl --tree /tmp/base/2c9e03f
    python benchmarks/explorer_views.py dump STORE after.pkl
    python benchmarks/explorer_views.py compare before.pkl after.pkl

``dump`` opens ``explorer(store=STORE)`` with the code of ``--tree`` (default: this
tree), runs ``report_scale.py``'s session on the corpus' own values twice, and after
every change keeps the results frame, the grid's rows and shown page, the status (less
its timings), the co-occurrence table, the timeline's SVG, the events, the article and
copies of the first row, the exported CSV bytes and the first rows sorted by title.
``compare`` exits 1 on any difference. The dump is a pickle of this script's own
output (read it only from a run of yours).
"""
from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def dump(store: Path, out: Path, tree: Path) -> int:
    sys.path[:0] = [str(tree), str(ROOT / "benchmarks")]
    import importlib
    explorer = importlib.import_module("workbench.explore.widget").explorer   # first: report_scale puts
    corpus_session = importlib.import_module("report_scale").corpus_session   # this tree on the path
    views = importlib.import_module("same_explorer").views      # (workbench already imported from ``tree``)
    print(f"workbench from {sys.modules['workbench'].__file__}")
    ex = explorer(store=store)
    session = corpus_session(ex.index.base if hasattr(ex.index, "base") else ex.index.frame)   # not every list made
    res = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(2):
            for step, attr, value in session:
                getattr(ex, attr).value = value
                v = {"step": step, "events": ex.events,
                     "page": [[c.description for c in cells] for _, cells in ex.table.slots]}
                v.update(views(ex, Path(tmp), "x"))      # results, grid, status, co-occurrence, timeline, ...
                ex.table.sort_by("title")
                v["by_title"] = ex.table.column("doc_id")[:50]
                ex.table.sort_key = None
                res.append(v)
            ex.clear_filters()
    with open(out, "wb") as f:
        pickle.dump(res, f)
    print(f"{len(res)} steps dumped to {out}")
    return 0


def compare(a_path: Path, b_path: Path) -> int:
    import pandas as pd
    with open(a_path, "rb") as f:
        a = pickle.load(f)      # noqa: S301 - this script's own dump
    with open(b_path, "rb") as f:
        b = pickle.load(f)      # noqa: S301
    bad = abs(len(a) - len(b))
    for x, y in zip(a, b):
        for k in x.keys() | y.keys():
            u, v = x.get(k), y.get(k)
            if isinstance(u, pd.DataFrame) and isinstance(v, pd.DataFrame):
                same = u.equals(v) and list(u.dtypes) == list(v.dtypes) and list(u.index) == list(v.index)
            else:
                same = u == v
            if not same:
                bad += 1
                print(f"DIFFERENT after {x['step']!r}: {k}")
    print(f"{min(len(a), len(b))} steps compared: " + ("every view equal" if not bad else f"{bad} difference(s)"))
    return 1 if bad else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("store", type=Path)
    d.add_argument("out", type=Path)
    d.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose workbench to run (default: this one)")
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    a = ap.parse_args(argv)
    return dump(a.store, a.out, a.tree) if a.cmd == "dump" else compare(a.a, a.b)


if __name__ == "__main__":
    sys.exit(main())
