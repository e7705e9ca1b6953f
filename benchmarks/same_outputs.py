#!/usr/bin/env python3
"""Check that a speed change kept extract + analyse outputs identical, record by record.

``dump`` runs the per-file path of ingest (read, extract, embedded records, analyse) of one source tree over
the seeds (``data/raw``), the dev pages (``data/dev/extraction``, ``data/dev/extraction2``, text dumps and
HTML; gold files skipped) and any extra folders (e.g. a ``make_corpus.py`` corpus), and pickles every record
(``Article.record()`` with its analysis fields) keyed by file and doc_id. ``compare`` loads two dumps and
prints each input whose records differ, field by field. Run ``dump`` from the tree before and the tree after
a change (``--tree``), then ``compare``; nothing here is timed.

    .venv/bin/python benchmarks/same_outputs.py dump /tmp/before.pkl --tree /tmp/old-checkout [--extra DIR ...]
    .venv/bin/python benchmarks/same_outputs.py dump /tmp/after.pkl [--extra DIR ...]
    .venv/bin/python benchmarks/same_outputs.py compare /tmp/before.pkl /tmp/after.pkl
"""
from __future__ import annotations

import argparse
import datetime as dt
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 30)
FOLDERS = ["data/raw", "data/dev/extraction", "data/dev/extraction2"]


def _dump(out: Path, tree: Path, extra: list[Path]) -> None:
    """Every record of every input under the folders, analysed, pickled to ``out``."""
    sys.path.insert(0, str(tree))
    import workbench
    from workbench.analyse import analyse_record
    from workbench.errors import InputError
    from workbench.parse.article import extract, sources_from_reference
    from workbench.parse.embedded import embedded_records
    from workbench.parse.read import discover, read_file
    from workbench.reference import load_reference
    print(f"workbench from {Path(workbench.__file__).parent}", file=sys.stderr)
    ref = load_reference(ROOT / "data" / "reference")
    sources = sources_from_reference(ref)
    roots = [ROOT / f for f in FOLDERS] + extra
    records: dict[str, object] = {}
    for root in roots:
        files, _ = discover([root])
        for f in sorted(files):
            if f.name.endswith(".gold.txt"):
                continue
            key = str(f)
            try:
                res = read_file(f)
            except InputError as e:
                records[key] = ("rejected", e.reason)
                continue
            recs = []
            for raw in res.docs:
                art = extract(raw, sources, TODAY)
                for a in [art, *embedded_records(art, sources, TODAY)]:
                    rec = a.record()
                    rec.update(analyse_record(rec, ref))
                    recs.append(rec)
            records[key] = (recs, [(e.path, e.reason) for e in res.rejected])
    tmp = out.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL))
    tmp.replace(out)
    n = sum(len(v[0]) for v in records.values() if v[0] != "rejected")
    print(f"{len(records)} inputs, {n} records -> {out}")


def _compare(a: Path, b: Path) -> int:
    """Print every input whose records differ; the number of such inputs."""
    x, y = pickle.loads(a.read_bytes()), pickle.loads(b.read_bytes())
    bad = 0
    for key in sorted(set(x) | set(y)):
        if x.get(key) == y.get(key):
            continue
        bad += 1
        if bad > 20:
            continue
        print(f"DIFF {key}")
        xr, yr = x.get(key), y.get(key)
        if not (isinstance(xr, tuple) and isinstance(yr, tuple) and isinstance(xr[0], list)
                and isinstance(yr[0], list) and len(xr[0]) == len(yr[0])):
            print(f"   {str(xr)[:200]}\n   {str(yr)[:200]}")
            continue
        for r1, r2 in zip(xr[0], yr[0]):
            for k in sorted(set(r1) | set(r2)):
                if r1.get(k) != r2.get(k):
                    print(f"   {k}: {str(r1.get(k))[:150]!r}\n   {' ' * len(k)}  {str(r2.get(k))[:150]!r}")
    total = len(set(x) | set(y))
    print(f"{total} inputs compared, {bad} differ" + ("" if bad else ": identical, record by record"))
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--tree", type=Path, default=ROOT, help="source tree whose workbench package is run")
    d.add_argument("--extra", type=Path, nargs="*", default=[])
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = ap.parse_args()
    if args.cmd == "dump":
        _dump(args.out, args.tree.resolve(), args.extra)
        return 0
    return 1 if _compare(args.a, args.b) else 0


if __name__ == "__main__":
    sys.exit(main())
