#!/usr/bin/env python3
"""CPU milliseconds per page for extraction and for analysis, and analysis scaling with body length.

Reads the text dumps of a corpus folder (e.g. ``benchmarks/make_corpus.py --docs 2000``) once, then times
``extract`` (clean + metadata) and ``analyse_record`` (on the extracted records) over all of them in one
process (CPU time, ``time.process_time``). ``--scaling`` also times analysis of one body grown from 50k to
400k characters, from distinct corpus bodies and from the on-topic seed bodies repeated. ``--profile FILE``
writes a cProfile of one extract + analyse pass and prints its top functions. Figures are read, not asserted.

    .venv/bin/python benchmarks/phase_speed.py /tmp/ana-corpus/raw [--limit 2000] [--scaling] [--profile F]
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.analyse import analyse_record  # noqa: E402
from workbench.parse import article  # noqa: E402
from workbench.parse.article import extract, sources_from_reference  # noqa: E402
from workbench.parse.read import discover, read_file  # noqa: E402
from workbench.reference import load_reference  # noqa: E402

TODAY = dt.date(2026, 11, 30)


def _docs(folder: Path, limit: int) -> list:
    files, _ = discover([folder])
    out = []
    for f in sorted(files)[:limit]:
        out.extend(read_file(f).docs)
    return out


_CLEAN = [0.0]          # CPU seconds spent inside clean_page during the current pass


def _timed_clean(text: str):
    """``clean_page`` (the line model, another track's) with its CPU time counted apart."""
    t0 = time.process_time()
    page = _clean_page(text)
    _CLEAN[0] += time.process_time() - t0
    return page


_clean_page = article.clean_page
article.clean_page = _timed_clean


def _pass(docs: list, sources, ref) -> tuple[float, float, float, list[dict]]:
    """One extract pass then one analyse pass; CPU seconds of extract, of clean_page within it,
    of analysis, and the records."""
    _CLEAN[0] = 0.0
    t0 = time.process_time()
    recs = [extract(d, sources, TODAY).record() for d in docs]
    t1 = time.process_time()
    for r in recs:
        analyse_record(r, ref)
    return t1 - t0, _CLEAN[0], time.process_time() - t1, recs


def _scaling(bodies: list[str], ref, what: str) -> None:
    """Analysis CPU time of one body of 50k..400k characters made of ``bodies`` (repeated when short)."""
    print(f"\nanalysis CPU time against body length ({what}):")
    prev = None
    base = "\n\n".join(b for b in bodies if b)
    for target in (50_000, 100_000, 200_000, 400_000):
        body = (base * (target // len(base) + 1))[:target]
        t0 = time.process_time()
        analyse_record({"body": body}, ref)
        secs = time.process_time() - t0
        ratio = f"  x{secs / prev:.2f} for x2 length" if prev else ""
        print(f"  {len(body):>8,} chars: {secs * 1000:8.0f} ms CPU{ratio}")
        prev = secs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--scaling", action="store_true")
    ap.add_argument("--profile", type=Path)
    a = ap.parse_args()
    ref = load_reference()
    sources = sources_from_reference(ref)
    docs = _docs(a.folder, a.limit)
    _pass(docs[:20], sources, ref)          # warm up: matchers built, modules imported
    if a.profile:
        prof = cProfile.Profile()
        prof.enable()
        _pass(docs, sources, ref)
        prof.disable()
        prof.dump_stats(a.profile)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        return
    ex, cl, an = [], [], []
    for _ in range(a.rounds):
        e, c, n, recs = _pass(docs, sources, ref)
        ex.append(e)
        cl.append(c)
        an.append(n)
    k = len(docs)
    print(f"{k} documents from {a.folder} (best of {a.rounds} rounds, CPU time, one process):")
    print(f"  extract (clean + metadata): {min(ex) * 1000 / k:6.3f} ms a page")
    print(f"  of which clean_page:        {min(cl) * 1000 / k:6.3f} ms a page")
    print(f"  extract without clean_page: {min(e - c for e, c in zip(ex, cl)) * 1000 / k:6.3f} ms a page")
    print(f"  analyse_record:             {min(an) * 1000 / k:6.3f} ms a page")
    if a.scaling:
        _scaling([r["body"] for r in recs if r.get("body")], ref, "distinct corpus bodies joined by blank lines")
        seeds = [extract(d, sources, TODAY).record()["body"] for d in _docs(ROOT / "data" / "raw", 50)]
        _scaling(seeds, ref, "the on-topic seed bodies, repeated")


if __name__ == "__main__":
    main()
