"""Re-runs of ``ingest`` on a store that exists: figures, not asserts.

    python benchmarks/rerun_speed.py RAW STORE --noop 2            # nothing changed, twice
    python benchmarks/rerun_speed.py RAW STORE --edit 1            # one file edited, then restored
    PYTHONPATH=<another tree> python benchmarks/rerun_speed.py ... # the same on another commit's code

RAW and STORE: a ``make_corpus.py`` corpus (its ``truth.json`` next to RAW) and a store of it (e.g. left
by ``scale.py``). The pipeline is imported before any clock starts; each run prints wall seconds, CPU
seconds of this process and of the pool workers it joined, the load average, the pipeline's phase timings
and (for edits) the peak RSS of the process tree. ``--edit K`` edits K files as ``scale.py`` does (a
sentence added after a known body sentence), ingests, puts them back and ingests again (the "restored"
line), so the corpus ends as it was.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

# workbench first, so that PYTHONPATH decides which tree's code runs: ``scale`` puts this tree's root on
# sys.path when imported, and the package imported before that stays the one in use.
from workbench.pipeline import ingest  # noqa: E402, I001

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import PeakRSS, edit_share, restore  # noqa: E402


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(label: str, raw: Path, store: Path, jobs: int) -> None:
    with PeakRSS() as mem:
        k0, c0, t0 = _children_cpu(), time.process_time(), time.perf_counter()
        s = ingest([raw], store=store, jobs=jobs, progress=False)
        wall, cpu, kids = time.perf_counter() - t0, time.process_time() - c0, _children_cpu() - k0
    print(f"{label}: wall {wall:.2f} s, CPU {cpu:.2f} s (+ workers {kids:.2f} s), load {os.getloadavg()[0]:.1f}, "
          f"parsed {s.parsed}, unchanged {s.unchanged}, documents {s.documents}, peak RSS tree {mem.peak:.0f} MiB, "
          f"[{', '.join(f'{k} {v:.2f} s' for k, v in s.timings.items())}]", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("raw", type=Path)
    ap.add_argument("store", type=Path)
    ap.add_argument("--noop", type=int, default=0, help="runs with nothing changed")
    ap.add_argument("--edit", type=int, default=0, help="files to edit (then restore)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    for i in range(a.noop):
        timed(f"nothing changed #{i + 1}", a.raw, a.store, a.jobs)
    if a.edit:
        truth = json.loads((a.raw.parent / "truth.json").read_text("utf-8"))
        originals: dict[str, str] = {}
        try:
            edit_share(a.raw, truth, 0.0, a.seed, originals, count=a.edit)
            timed(f"{a.edit} file(s) edited", a.raw, a.store, a.jobs)
        finally:
            restore(a.raw, originals)
        timed("restored", a.raw, a.store, a.jobs)


if __name__ == "__main__":
    main()
