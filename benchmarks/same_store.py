#!/usr/bin/env python3
"""Check that a speed change kept what a cold ingest stores identical, partition by partition.

``dump`` runs a real cold ``workbench.ingest`` (the streaming path, ``--jobs`` workers) of the given
folders with one source tree (``--tree``) into a fresh store, and pickles what ``tests/test_spool.py``
compares: every partition's rows in stored order, the sidecars (copy index: signatures, line hashes,
confirmed pairs; warnings), the ledger without file times, the manifest's other entries, and the run
summary. ``compare`` loads two dumps and prints what differs. Nothing here is timed.

    .venv/bin/python benchmarks/same_store.py dump /tmp/before.pkl --tree /tmp/old-checkout FOLDER ...
    .venv/bin/python benchmarks/same_store.py dump /tmp/after.pkl FOLDER ...
    .venv/bin/python benchmarks/same_store.py compare /tmp/before.pkl /tmp/after.pkl
"""
from __future__ import annotations

import argparse
import datetime as dt
import pickle
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 30)


def _dump(out: Path, tree: Path, folders: list[Path], jobs: int) -> None:
    sys.path.insert(0, str(tree))
    import workbench
    from workbench.store import load_ledger, read_manifest, read_sidecar, read_table
    print(f"workbench from {Path(workbench.__file__).parent}", file=sys.stderr)
    store = Path(tempfile.mkdtemp(prefix="wb-samestore-")) / "store"
    try:
        s = workbench.ingest(folders, store=store, jobs=jobs, progress=False, today=TODAY, corrections=False,
                             reference=ROOT / "data" / "reference")
        man = read_manifest(store)
        assert man is not None
        parts = {k: read_table(store, partitions=[k], man=man).to_pylist() for k in man["partitions"]}
        side = {k: read_sidecar(store, man, k).to_pylist() for k in man["sidecars"] if k != "ledger"}
        ledger = {k: {f: v for f, v in e.items() if f != "mtime_ns"} for k, e in load_ledger(store).items()
                  if k != "_run"}     # the ledger: inline in a version 4 manifest, a sidecar since version 5
        rest = {k: v for k, v in man.items() if k not in ("partitions", "sidecars", "ledger")}
        summary = (s.parsed, s.documents, s.rejected, s.warnings, s.empty)
        out.write_bytes(pickle.dumps({"parts": parts, "sidecars": side, "ledger": ledger, "manifest": rest,
                                      "summary": summary}))
        print(f"{s.parsed} files, {s.documents} documents, {len(parts)} partitions -> {out}", file=sys.stderr)
    finally:
        shutil.rmtree(store.parent, ignore_errors=True)


def _compare(a: Path, b: Path) -> int:
    x, y = pickle.loads(a.read_bytes()), pickle.loads(b.read_bytes())
    bad = 0
    for what in ("summary", "ledger", "manifest"):
        if x[what] != y[what]:
            bad += 1
            print(f"{what} differs")
    for what in ("parts", "sidecars"):
        for k in sorted(set(x[what]) | set(y[what])):
            if x[what].get(k) != y[what].get(k):
                bad += 1
                print(f"{what} {k} differs")
    rows = sum(len(v) for v in x["parts"].values())
    print(f"{rows} rows in {len(x['parts'])} partitions, {len(x['sidecars'])} sidecars: "
          + ("identical" if not bad else f"{bad} difference(s)"))
    return 1 if bad else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("folders", type=Path, nargs="+")
    d.add_argument("--tree", type=Path, default=ROOT, help="source tree whose workbench package is run")
    d.add_argument("--jobs", type=int, default=2)
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    a = ap.parse_args()
    if a.cmd == "dump":
        _dump(a.out, a.tree, a.folders, a.jobs)
    else:
        raise SystemExit(_compare(a.a, a.b))


if __name__ == "__main__":
    main()
