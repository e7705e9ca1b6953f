#!/usr/bin/env python3
"""Where the CPU of a cold ingest's parse phase goes when files are parsed in worker processes.

Over the same files (the tasks ``ingest`` would give its workers), prints CPU milliseconds a file for:

* the local engine's pool (``engines.local.iter_files`` over ``pipeline._parse_file``, as a cold ingest
  runs it): the workers' CPU (``RUSAGE_CHILDREN``, taken after the pools are joined) and this process's
  CPU while it receives and unpickles the results, and the wall time;
* the same pool over a function that returns at once (worker start-up, task and result hand-over);
* ``_parse_file`` in this one process, file after file: its total, its parts (read, extract, embedded
  records, analysis, copy sketch), the pickling of its result (bytes, dumps and loads time) and the
  cyclic garbage collector's time (``gc.callbacks``).

The pool runs first, while this process is as an ingest leaves it before forking (reference loaded,
per-line caches empty), so the workers start as they do in an ingest. Figures, not asserts.

    .venv/bin/python benchmarks/worker_cpu.py DIR [--limit 2000] [--jobs 2] [--profile FILE] [--tree CHECKOUT]
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import pickle
import pstats
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if "--tree" in sys.argv:                        # another checkout's workbench (read before importing it)
    ROOT = Path(sys.argv[sys.argv.index("--tree") + 1]).resolve()
sys.path.insert(0, str(ROOT))

from workbench import pipeline  # noqa: E402
from workbench.analyse.story_index import sketch  # noqa: E402
from workbench.engines.local import iter_files  # noqa: E402
from workbench.parse.article import extract, sources_from_reference  # noqa: E402
from workbench.parse.embedded import embedded_records  # noqa: E402
from workbench.parse.read import read_file  # noqa: E402
from workbench.reference import load_reference  # noqa: E402
from workbench.settings import reference_dir  # noqa: E402

try:                                            # this tree's per-process memos ...
    from workbench.workers import worker_reference, worker_word_hashes
except ImportError:                             # ... or an older tree's (``--tree``: the "before" figures)
    from workbench.analyse.stories import _WordHashes
    worker_reference = pipeline._reference_for  # type: ignore[attr-defined]
    worker_word_hashes = _WordHashes            # type: ignore[assignment,misc]

TODAY = dt.date(2026, 11, 30)


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def _tasks(folder: Path, limit: int) -> list[tuple]:
    """The parse tasks of a cold ingest of ``folder`` (its first ``limit`` files)."""
    ref_dir = reference_dir()
    ref = load_reference(ref_dir)
    task = (sources_from_reference(ref), TODAY, ref_dir, pipeline.reference_fingerprint(ref_dir))
    try:                                        # an empty ledger: a ``Ledger`` since the ledger rework ...
        from workbench.ledger import Ledger
        empty: object = Ledger()
    except ImportError:                         # ... a dict before
        empty = {}
    plan = pipeline._plan([folder], empty, pipeline.IngestSummary(), task)
    return plan.todo[:limit]


def _nothing(task: tuple) -> tuple:
    return task[1], task[2]


def pool_pass(fn, tasks: list[tuple], jobs: int) -> dict:
    """Workers' and this process's CPU seconds, and the wall time, of ``fn`` over ``tasks`` on the pool."""
    c0, s0, w0 = _cpu(resource.RUSAGE_CHILDREN), _cpu(resource.RUSAGE_SELF), time.perf_counter()
    n = sum(1 for _ in iter_files(fn, tasks, jobs=jobs))
    return {"n": n, "workers": _cpu(resource.RUSAGE_CHILDREN) - c0, "main": _cpu(resource.RUSAGE_SELF) - s0,
            "wall": time.perf_counter() - w0}


class _GCTimer:
    """CPU seconds spent in the cyclic collector, by generation."""

    def __init__(self) -> None:
        self.secs = [0.0, 0.0, 0.0]
        self.count = [0, 0, 0]
        self._t = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._t = time.process_time()
        else:
            g = info["generation"]
            self.secs[g] += time.process_time() - self._t
            self.count[g] += 1


def one_process(tasks: list[tuple]) -> dict:
    """``_parse_file`` file after file in this process: its CPU, the GC's, and its results' pickling."""
    timer = _GCTimer()
    gc.callbacks.append(timer)
    results = []
    t0 = time.process_time()
    for t in tasks:
        results.append(pipeline._parse_file(t))
    total = time.process_time() - t0
    gc.callbacks.remove(timer)
    t0 = time.process_time()
    blobs = [pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL) for r in results]
    dumps = time.process_time() - t0
    t0 = time.process_time()
    for b in blobs:
        pickle.loads(b)
    loads = time.process_time() - t0
    sig_bytes = sum(len(pickle.dumps(r.sigs, protocol=pickle.HIGHEST_PROTOCOL)) for r in results)
    return {"total": total, "gc": timer.secs, "gc_count": timer.count, "dumps": dumps, "loads": loads,
            "bytes": sum(map(len, blobs)), "sig_bytes": sig_bytes, **main_side(results)}


def main_side(results: list) -> dict[str, float]:
    """CPU seconds of what a streaming ingest's main process does with the workers' results while
    they parse: adopt each file (ledger entry) and spool its articles (spill files)."""
    import shutil
    import tempfile

    from workbench.spool import Spool
    store = Path(tempfile.mkdtemp(prefix="wb-workercpu-")) / "store"
    plan, summary, taken = pipeline._Plan(), pipeline.IngestSummary(), set()
    spool = Spool(store)
    try:
        t0 = time.process_time()
        adopted = [x for r in results for x in pipeline._adopt_one(r, plan, summary, taken)]
        t1 = time.process_time()
        for art, _ in adopted:
            spool.add(art)
        spool.finish()
        t2 = time.process_time()
        return {"adopt": t1 - t0, "spool": t2 - t1, "spill_files": sum(map(len, spool.files.values()))}
    finally:
        spool.close()
        shutil.rmtree(store.parent, ignore_errors=True)


def parts(tasks: list[tuple]) -> dict[str, float]:
    """CPU seconds of ``_parse_file``'s steps, done one by one as it does them."""
    out = dict.fromkeys(("read", "extract", "embedded", "analyse", "sketch"), 0.0)
    for path, shown, sha, _stat, sources, today, ref_dir, ref_fp in tasks:
        t = time.process_time()
        res = read_file(path, sha256=sha)
        out["read"] += time.process_time() - t
        ref = worker_reference(ref_dir, ref_fp)
        wh = worker_word_hashes()
        for raw in res.docs:
            raw.source_path = shown
            t = time.process_time()
            art = extract(raw, sources, today)
            t1 = time.process_time()
            arts = [art, *embedded_records(art, sources, today)]
            t2 = time.process_time()
            for a in arts:
                pipeline._analyse_into(a, ref, ref_fp)
            t3 = time.process_time()
            for a in arts:
                sketch(a.body, wh)
            t4 = time.process_time()
            out["extract"] += t1 - t
            out["embedded"] += t2 - t1
            out["analyse"] += t3 - t2
            out["sketch"] += t4 - t3
    return out


def ingest_pass(folder: Path, jobs: int) -> dict:
    """A real cold ``workbench.ingest`` of ``folder`` into a fresh store: this (main) process's CPU
    and the workers' (all pools joined by the end), and the pipeline's phase timings (wall)."""
    import shutil
    import tempfile

    import workbench
    store = Path(tempfile.mkdtemp(prefix="wb-workercpu-")) / "store"
    try:
        c0, s0, w0 = _cpu(resource.RUSAGE_CHILDREN), _cpu(resource.RUSAGE_SELF), time.perf_counter()
        summary = workbench.ingest([folder], store=store, jobs=jobs, progress=False, today=TODAY)
        return {"n": summary.parsed, "workers": _cpu(resource.RUSAGE_CHILDREN) - c0,
                "main": _cpu(resource.RUSAGE_SELF) - s0, "wall": time.perf_counter() - w0,
                "timings": summary.timings}
    finally:
        shutil.rmtree(store.parent, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--tree", type=Path, help="run this checkout's workbench (e.g. the commit before a change)")
    ap.add_argument("--profile", type=Path, help="also write a cProfile of one in-process pass here")
    ap.add_argument("--ingest", action="store_true", help="only a cold ingest of the whole folder: main vs workers")
    a = ap.parse_args()
    if a.ingest:
        r = ingest_pass(a.folder, a.jobs)
        ms = 1000 / max(1, r["n"])
        print(f"cold ingest of {r['n']} files, jobs={a.jobs}: wall {r['wall']:.1f} s; CPU ms a file: workers "
              f"{r['workers'] * ms:.2f}, main {r['main'] * ms:.2f}, sum {(r['workers'] + r['main']) * ms:.2f}; "
              + ", ".join(f"{k} {v:.1f} s" for k, v in r["timings"].items()))
        return
    tasks = _tasks(a.folder, a.limit)
    n = len(tasks)
    ms = 1000 / n
    empty = pool_pass(_nothing, tasks, a.jobs)
    pool = pool_pass(pipeline._parse_file, tasks, a.jobs)
    one = one_process(tasks)
    split = parts(tasks)
    print(f"{n} files, jobs={a.jobs}; CPU ms a file")
    print(f"  pool, _parse_file:  workers {pool['workers'] * ms:6.2f}  main {pool['main'] * ms:6.2f}  "
          f"sum {(pool['workers'] + pool['main']) * ms:6.2f}  wall {pool['wall']:.1f} s "
          f"({n / pool['wall']:.0f} files/s)")
    print(f"  pool, empty task:   workers {empty['workers'] * ms:6.2f}  main {empty['main'] * ms:6.2f}  "
          f"wall {empty['wall']:.1f} s")
    print(f"  one process, _parse_file (first pass, cold caches): {one['total'] * ms:6.2f}")
    print(f"    gc: {sum(one['gc']) * ms:5.2f} (gen0/1/2 {', '.join(f'{s * ms:.2f}' for s in one['gc'])}; "
          f"{'/'.join(map(str, one['gc_count']))} collections)")
    print(f"    result pickle: {one['bytes'] / n / 1024:.1f} KiB a file ({one['sig_bytes'] / n / 1024:.1f} "
          f"of it signatures + line hashes); dumps {one['dumps'] * ms:.2f}, loads {one['loads'] * ms:.2f}")
    print(f"  main process, per file: adopt {one['adopt'] * ms:.2f}, spool (buffer + {one['spill_files']} "
          f"spill files) {one['spool'] * ms:.2f}, unpickle {one['loads'] * ms:.2f}")
    print("  one process, parts (second pass, warm caches): " + ", ".join(
        f"{k} {v * ms:.2f}" for k, v in split.items()) + f"; sum {sum(split.values()) * ms:.2f}")
    if a.profile:
        prof = cProfile.Profile()
        prof.enable()
        for t in tasks:
            pipeline._parse_file(t)
        prof.disable()
        prof.dump_stats(str(a.profile))
        pstats.Stats(str(a.profile)).strip_dirs().sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
