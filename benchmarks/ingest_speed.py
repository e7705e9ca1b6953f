"""Ingest speed: the development pages' text dumps repeated to N documents.

    python benchmarks/ingest_speed.py [--docs 5000] [--jobs 2] [--html]

Copies the dumps (with distinct names, and a marker line so no two files are
identical) into a temporary folder, runs the real ``ingest`` into a temporary
store, and prints pages per second (cold, then with nothing changed) and peak
memory of this process and its workers. Prints figures; asserts nothing.

The repeated pages make linking look cheap (a few dozen distinct bodies); for
figures on distinct documents use ``benchmarks/scale.py``, which runs on the
corpus of ``benchmarks/make_corpus.py``.
"""
from __future__ import annotations

import argparse
import gzip
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench import settings
from workbench.pipeline import ingest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--html", action="store_true", help="use the saved HTML pages instead of text dumps")
    a = ap.parse_args()
    dev = settings.dev_dir()
    if a.html:
        sources = sorted((dev / "html").glob("*.html.gz"))
    else:
        sources = sorted(p for p in dev.glob("*.txt") if not p.name.endswith(".gold.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        raw, store = Path(tmp) / "raw", Path(tmp) / "store"
        raw.mkdir()
        for n in range(a.docs):
            src = sources[n % len(sources)]
            if a.html:
                data = gzip.decompress(src.read_bytes()) + f"<!-- copy {n} -->".encode()
                (raw / f"{n:05d}.html").write_bytes(data)
            else:
                (raw / f"{n:05d}.txt").write_bytes(src.read_bytes() + f"\ncopy {n}\n".encode())
        t0 = time.perf_counter()
        s = ingest([raw], store=store, jobs=a.jobs, progress=False)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        s2 = ingest([raw], store=store, jobs=a.jobs, progress=False)
        warm = time.perf_counter() - t0
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    kind = "HTML pages" if a.html else "text dumps"
    print(f"{a.docs} {kind}, {a.jobs} job(s): cold {cold:.1f} s = {a.docs / cold:.0f} pages/s "
          f"(parsed {s.parsed}, rejected {len(s.rejected)}); nothing changed {warm:.2f} s "
          f"(unchanged {s2.unchanged})")
    print("cold phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in s.timings.items()))
    print(f"peak memory: main process {own:.0f} MiB, largest worker {kids:.0f} MiB")


if __name__ == "__main__":
    main()
