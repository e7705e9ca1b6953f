"""Ingest at scale on the realistic corpus of ``make_corpus.py``: figures, not asserts.

    python benchmarks/scale.py --sizes 1000,3000,10000 [--jobs 2] [--work /tmp/wb-scale]
    python benchmarks/scale.py --sizes 10000 --profile /tmp/ingest-10k.prof   # + a cProfile'd cold run

For each N: generate the corpus (seeded), then run the real ``workbench.ingest``
into a fresh store three times — cold, with nothing changed, and with 1 % of
the files edited in their body — and print seconds, pages/s, the pipeline's own
phase timings (``IngestSummary.timings``), the peak RSS of the process tree
(this process and its pool workers, sampled every 0.1 s; summed RSS counts
pages shared after fork once per process, so it is an upper bound), and the
store's size on disk. Then:

* a split of the parse phase into read / clean / extract / analyse, timed on a
  sample of the files in this one process (internal functions, imported with a
  fallback: when they move the split is skipped, not faked), and the link step
  timed alone on the stored records (the pipeline times it together with the
  re-analysis it causes);
* copy-linking quality against the generator's true copy groups (pairs found,
  true, false, missed; false pairs' word 5-gram containment measured here);
* over the sizes, the growth exponent of each phase: the slope of log time
  against log N (about 1: linear; 1.1–1.3 over a decade: N log N or linear with
  overhead; 2: quadratic), over all sizes and between the two largest (fixed
  start-up costs flatten the first).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import json
import math
import os
import pstats
import random
import re
import resource
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any, Self

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_corpus import generate

import workbench

ENGINE: dict = {}       # --engine/--scheduler, passed to ingest
EXPLORER_CACHE = [True]     # --no-explorer-cache: time the ingest alone, as before the explorer's cache was refreshed
SAMPLE = 500            # files timed phase by phase in this process
EDIT = " A spokesperson later corrected one of the figures given earlier."


# ---------------------------------------------------------------- measuring

class PeakRSS:
    """Peak summed RSS (MiB) of this process and all its descendants, polled."""

    def __init__(self, every: float = 0.1):
        self.every, self.peak, self._stop = every, 0.0, threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _tree_rss(self) -> float:
        try:
            import psutil
        except ImportError:
            return _proc_tree_rss(os.getpid())
        me = psutil.Process()
        total = 0
        for p in [me, *me.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total / 2 ** 20

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._tree_rss())
            self._stop.wait(self.every)

    def __enter__(self) -> Self:
        self._t.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._t.join()


def _proc_tree_rss(root: int) -> float:
    """Without psutil: walk /proc for descendants of ``root`` and sum VmRSS."""
    kids: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(d.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, []))
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def timed_ingest(raw: Path, store: Path, jobs: int) -> dict:
    """One real ingest run: wall seconds, the pipeline's phase timings, peak RSS; then, as
    ``workbench ingest`` does after a run that changed the store (unless ``--no-explorer-cache``),
    the explorer's cache of the partitions written, timed apart (``cache_s``, ``cache_cpu_s``;
    ``rss_mib`` the peak of both, ``ingest_rss_mib`` of the ingest alone)."""
    from workbench.store import manifest_bytes
    load = os.getloadavg()[0]
    before = manifest_bytes(store) if EXPLORER_CACHE[0] else None
    cache = (0.0, 0.0)
    with PeakRSS() as mem:
        c0 = _cpu_seconds()
        t0 = time.perf_counter()
        s = workbench.ingest([raw], store=store, jobs=jobs, progress=False, **ENGINE)
        secs = time.perf_counter() - t0
        cpu = _cpu_seconds() - c0
        ingest_peak = max(mem.peak, mem._tree_rss())
        if EXPLORER_CACHE[0] and manifest_bytes(store) != before:
            from workbench.cli import explorer_cache
            explorer_cache(store)
            cache = (time.perf_counter() - t0 - secs, _cpu_seconds() - c0 - cpu)
    return {"seconds": secs, "cpu_s": cpu, "load": max(load, os.getloadavg()[0]), "timings": dict(s.timings),
            "rss_mib": mem.peak, "ingest_rss_mib": ingest_peak, "cache_s": cache[0], "cache_cpu_s": cache[1],
            "parsed": s.parsed, "unchanged": s.unchanged, "rejected": len(s.rejected), "documents": s.documents}


def _cpu_seconds() -> float:
    """User + system CPU time of this process, its finished children (a forked pool's workers
    are joined inside ``ingest``) and its live children with theirs (the fork server stays up
    between runs; the workers it forked, once ended, count in its children's time): robust to
    a busy machine. Take differences: a fork server's time before a run is in the first reading."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime + _live_children_cpu()


def _live_children_cpu() -> float:
    try:
        import psutil
    except ImportError:
        return 0.0
    total = 0.0
    for p in psutil.Process().children():
        try:
            t = p.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.Error:
            pass
    return total


def edit_share(raw: Path, truth: dict, share: float, seed: int, originals: dict | None = None,
               count: int | None = None) -> int:
    """Edit ``share`` of the files (or ``count`` of them) in their body (a sentence added
    after a known body sentence); returns how many were edited. ``originals`` collects
    each edited file's text before the edit (for ``restore``)."""
    names = sorted(truth["edit_anchor"])
    rng = random.Random(seed + 1 + (count or 0))
    done = 0
    for name in rng.sample(names, count or max(1, round(len(names) * share))):
        p = raw / name
        text = p.read_text("utf-8")
        anchor = truth["edit_anchor"][name]
        if anchor in text:
            if originals is not None:
                originals.setdefault(name, text)
            p.write_text(text.replace(anchor, anchor + EDIT, 1), "utf-8")
            done += 1
    return done


def restore(raw: Path, originals: dict) -> None:
    """Put the edited files back as generated (so ``--reuse`` starts from the same corpus)."""
    for name, text in originals.items():
        (raw / name).write_text(text, "utf-8")


def corpus(n: int, base: Path, seed: int, reuse: bool) -> tuple[dict, float]:
    """The generated corpus of ``n`` documents under ``base`` (and seconds spent generating):
    with ``reuse``, the one already there when its truth file says it has this size and seed."""
    t0 = time.perf_counter()
    truth_file = base / "truth.json"
    if reuse and truth_file.exists():
        truth = json.loads(truth_file.read_text("utf-8"))
        if truth.get("docs") == n and truth.get("seed") == seed and \
                sum(1 for _ in (base / "raw").glob("*.txt")) == n:
            return truth, 0.0
    truth = generate(n, base, seed)
    return truth, time.perf_counter() - t0


# ---------------------------------------------------------------- phase split

def _internals():
    """The per-phase functions, wherever the package keeps them (None if moved)."""
    try:
        from workbench import settings
        from workbench.analyse import analyse_record, link_stories
        from workbench.parse.article import extract, sources_from_reference
        from workbench.parse.clean import clean_page
        from workbench.parse.read import read_file
        from workbench.reference import load_reference
    except ImportError as e:
        print(f"  (phase split skipped: {e})")
        return None
    return {"analyse_record": analyse_record, "link_stories": link_stories, "clean_page": clean_page,
                "extract": extract, "sources_from_reference": sources_from_reference, "read_file": read_file,
                "load_reference": load_reference, "reference_dir": settings.reference_dir}


def _flat(x):
    """A flat record from what ``extract`` returns (an ``Article`` now, a dict before)."""
    return x.record() if hasattr(x, "record") else x


def phase_split(raw: Path, n_sample: int, seed: int) -> dict[str, float] | None:
    """CPU seconds per page for read, clean, extract (without clean), analyse,
    measured phase after phase over a seeded sample in this one process."""
    f = _internals()
    if f is None:
        return None
    ref = f["load_reference"](f["reference_dir"]())
    sources = f["sources_from_reference"](ref)
    files = sorted(raw.glob("*.txt"))
    files = random.Random(seed).sample(files, min(n_sample, len(files)))
    for p in files[:5]:                     # warm-up: lazy imports and caches are not per page
        for raw_doc in f["read_file"](p).docs:
            f["analyse_record"](_flat(f["extract"](raw_doc, sources)), ref)
    clock = time.process_time            # CPU time: the machine is shared
    t0 = clock()
    docs = [d for p in files for d in f["read_file"](p).docs]
    t1 = clock()
    for d in docs:
        f["clean_page"](d.text or "")
    t2 = clock()
    recs = [_flat(f["extract"](d, sources)) for d in docs]     # runs clean again: subtracted below
    t3 = clock()
    for r in recs:
        f["analyse_record"](r, ref)
    t4 = clock()
    n = max(1, len(docs))
    return {"read": (t1 - t0) / n, "clean": (t2 - t1) / n, "extract": max(0.0, (t3 - t2) - (t2 - t1)) / n,
            "analyse": (t4 - t3) / n}


class _Counted:
    """Counts the calls of a module function while in effect (restored after)."""

    def __init__(self, module_name: str, attr: str):
        self.calls = 0
        self.mod: Any = None
        try:
            self.mod = __import__(module_name, fromlist=[attr])
            self.orig = getattr(self.mod, attr)
        except (ImportError, AttributeError):
            self.mod = None
        self.attr = attr

    def __enter__(self) -> Self:
        if self.mod is not None:
            def counted(*a, **k):
                self.calls += 1
                return self.orig(*a, **k)
            setattr(self.mod, self.attr, counted)
        return self

    def __exit__(self, *exc) -> None:
        if self.mod is not None:
            setattr(self.mod, self.attr, self.orig)


LAST_CANDIDATES: list[int | None] = [None]
LAST_STORIES: list[dict | None] = [None]     # doc_id -> story of the last link_alone


def link_alone(store: Path) -> float | None:
    """CPU seconds the copy index (what ``ingest`` links with) takes to build from scratch over
    the stored bodies, signatures included (and, in ``LAST_CANDIDATES``, how many candidate
    pairs reached the exact check)."""
    try:
        from workbench.analyse.story_index import StoryIndex, sketches
    except ImportError as e:
        print(f"  (link split skipped: {e})")
        return None
    recs = workbench.load_corpus(store, columns=["body"]).to_dict("records")
    t0 = time.process_time()             # CPU time: the machine is shared
    index = StoryIndex()
    index.add(sketches(recs), lambda ids: {})
    story = index.stories(r["doc_id"] for r in recs)
    secs = time.process_time() - t0
    LAST_CANDIDATES[0] = index.checked
    LAST_STORIES[0] = story
    return secs


# ---------------------------------------------------------------- linking quality

_WORD = re.compile(r"[0-9a-z]+")


def _containment(a: str, b: str, k: int = 5) -> float:
    def sh(t: str) -> set:
        w = _WORD.findall((t or "").lower())
        return {tuple(w[i:i + k]) for i in range(max(1, len(w) - k + 1))}
    sa, sb = sh(a), sh(b)
    small, large = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    return len(small & large) / max(1, len(small))


def _pairs(groups) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups for p in itertools.combinations(g, 2)}


def link_quality(store: Path, truth: dict, story: dict | None = None) -> dict:
    """Pairs of files the store puts in one story against the true copy groups (or, given
    ``story`` (doc_id -> story), the pairs that mapping puts in one story)."""
    df = workbench.load_corpus(store)
    name = df["source_path"].map(lambda s: Path(str(s)).name)
    sids = df["story_id"] if story is None else df["doc_id"].map(lambda d: story.get(d, d))
    by_story: dict[str, list[str]] = {}
    for n, sid in zip(name, sids):
        by_story.setdefault(sid, []).append(n)
    found = _pairs(g for g in by_story.values() if len(g) > 1)
    true = _pairs(truth["copy_groups"])
    false = sorted(found - true)
    body = dict(zip(name, df["body"]))
    cont = [_containment(body[a], body[b]) for a, b in false[:200]]
    tpl = truth.get("template", {})
    empty = int((df["body"].fillna("").str.len() == 0).sum())
    return {"true": len(true), "found": len(found), "tp": len(found & true), "fp": len(false),
            "missed": len(true - found), "fp_ge_08": sum(c >= 0.8 for c in cont),
            "fp_checked": len(cont), "empty_bodies": empty,
            "fp_same_template": sum(1 for a, b in false if tpl.get(a) and tpl.get(a) == tpl.get(b)),
            "largest_group": max((len(g) for g in by_story.values()), default=0),
            "largest_true_group": max((len(g) for g in truth["copy_groups"]), default=0)}


# ---------------------------------------------------------------- one size

def run_size(n: int, work: Path, jobs: int, seed: int, sample: int, link_split: bool,
             reuse: bool = False, quality: bool = True, keep_store: bool = False) -> dict:
    """Time the cold run and the re-runs at N. ``keep_store``: the store already in ``work``
    (an earlier run's, of this corpus) is kept and the cold run skipped: only re-runs are timed."""
    base = work / f"n{n}"
    truth, gen = corpus(n, base, seed, reuse)
    raw, store = base / "raw", base / "store"
    keep = keep_store and (store / "manifest.json").exists()
    if not keep:
        shutil.rmtree(store, ignore_errors=True)
    import workbench.pipeline  # noqa: F401  (imported before any timed run: none pays for it)
    out: dict = {"n": n, "generate_s": gen, "raw_mb": dir_size(raw) / 1e6, "cold": None, "quality": None}
    originals: dict[str, str] = {}
    try:
        if not keep:
            out["cold"] = timed_ingest(raw, store, jobs)
            out["quality"] = link_quality(store, truth) if quality else None
        out["store_mb"] = dir_size(store) / 1e6
        out["noop"] = timed_ingest(raw, store, jobs)
        edit_share(raw, truth, 0.0, seed, originals, count=1)
        out["one"] = timed_ingest(raw, store, jobs)
        out["edited"] = edit_share(raw, truth, 0.01, seed, originals)
        out["change"] = timed_ingest(raw, store, jobs)
    finally:
        restore(raw, originals)
    out["split"] = phase_split(raw, sample, seed) if sample else None
    out["link_alone_s"] = link_alone(store) if link_split else None
    out["link_candidates"] = LAST_CANDIDATES[0] if link_split else None
    return out


def print_size(r: dict) -> None:
    n = r["n"]
    c, q = r["cold"], r["quality"]
    print(f"\n== N = {n}  (corpus {r['raw_mb']:.0f} MB, generated in {r['generate_s']:.1f} s)")
    for run in ("cold", "noop", "one", "change"):
        x = r.get(run)
        if x is None:
            continue
        label = {"cold": "cold", "noop": "nothing changed", "one": "1 file edited",
                 "change": f"{r['edited']} files (1%) edited"}[run]
        other = x["seconds"] - sum(x["timings"].values())
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in x["timings"].items())
        phases += f", other (store read, hashing, start-up) {other:.1f} s"
        print(f"  {label:22s} {x['seconds']:7.1f} s  {n / x['seconds']:7.0f} pages/s  CPU {x['cpu_s']:6.1f} s "
              f"({n / max(x['cpu_s'], 1e-9):5.0f} pages/CPU-s)  peak RSS tree {x['rss_mib']:6.0f} MiB  "
              f"load {x['load']:.1f}  parsed {x['parsed']}, unchanged {x['unchanged']}, "
              f"rejected {x['rejected']}  [{phases}]")
        if x.get("cache_s"):
            print(f"  {'':22s} + explorer cache {x['cache_s']:.1f} s, CPU {x['cache_cpu_s']:.1f} s "
                  f"(peak RSS tree of the ingest alone {x['ingest_rss_mib']:.0f} MiB)")
    print(f"  store {r['store_mb']:.1f} MB for {r['noop']['documents']} documents")
    if c is None:
        return
    s = r["split"]
    if s:
        parse = next((v for k, v in c["timings"].items() if k.startswith("read")), None)
        tot = sum(s.values())
        print("  parse split (one process, sample, CPU time): " + ", ".join(
            f"{k} {1 / v:,.0f} pages/s ({v / tot:.0%})" for k, v in s.items() if v > 0))
        if parse:
            print("  cold parse phase apportioned: " + ", ".join(
                f"{k} {n / (parse * v / tot):,.0f} pages/s" for k, v in s.items() if v > 0))
    link = next((v for k, v in c["timings"].items() if k.startswith("link")), None)
    if r["link_alone_s"] is not None and link:
        la = r["link_alone_s"]
        cand = r.get("link_candidates")
        print(f"  link alone {la:.1f} CPU s = {n / la:,.0f} pages/CPU-s (the pipeline's link+re-analyse "
              f"phase: {link:.1f} s wall); candidate pairs checked: {cand if cand is not None else 'n/a'}")
    write = c["timings"].get("write")
    if write:
        print(f"  write {n / write:,.0f} pages/s")
    if q is not None:
        print_quality(q)


def print_quality(q: dict) -> None:
    prec, rec = q["tp"] / max(1, q["found"]), q["tp"] / max(1, q["true"])
    print(f"  copy linking: {q['true']} true pairs; found {q['found']}: {q['tp']} true, {q['fp']} false "
          f"({q['fp_same_template']} between pages of one template: furniture taken as body; "
          f"{q['fp_ge_08']} of {q['fp_checked']} checked have extracted bodies >= 0.8 contained); "
          f"missed {q['missed']}; {q['empty_bodies']} document(s) with no body found; largest story "
          f"{q.get('largest_group')} documents (largest true group {q.get('largest_true_group')}); "
          f"precision {prec:.1%}, recall {rec:.1%}")


# ---------------------------------------------------------------- growth

def _slope(xs: list[float], ys: list[float]) -> float:
    lx, ly = [math.log(x) for x in xs], [math.log(max(y, 1e-6)) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    den = sum((a - mx) ** 2 for a in lx)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / den if den else float("nan")


def _verdict(k: float) -> str:
    if k < 0.9:
        return "sublinear (fixed costs or noise dominate at these N)"
    if k < 1.1:
        return "linear"
    if k < 1.3:
        return "N log N (or linear plus overhead)"
    return f"superlinear (~N^{k:.1f})"


def print_growth(results: list[dict]) -> None:
    if len(results) < 2 or any(r["cold"] is None for r in results):
        return
    ns = [r["n"] for r in results]
    series: dict[str, list[float]] = {}
    for r in results:
        for k, v in r["cold"]["timings"].items():
            series.setdefault(f"cold {k}", []).append(v)
        series.setdefault("cold total", []).append(r["cold"]["seconds"])
        series.setdefault("cold CPU seconds", []).append(r["cold"]["cpu_s"])
        series.setdefault("nothing changed total", []).append(r["noop"]["seconds"])
        if "one" in r:
            series.setdefault("1 file changed total", []).append(r["one"]["seconds"])
        series.setdefault("1% changed total", []).append(r["change"]["seconds"])
        if r["link_alone_s"] is not None:
            series.setdefault("link alone (CPU s)", []).append(r["link_alone_s"])
        if r.get("link_candidates"):
            series.setdefault("link candidate pairs checked", []).append(r["link_candidates"])
        series.setdefault("peak RSS (MiB)", []).append(r["cold"]["rss_mib"])
    print(f"\n== growth with N over {ns} (slope of log time vs log N)")
    for k, ys in series.items():
        if len(ys) == len(ns):
            sl = _slope(ns, ys)
            last = _slope(ns[-2:], ys[-2:])
            print(f"  {k:32s} {'  '.join(f'{y:8.1f}' for y in ys)}   exponent {sl:4.2f}: {_verdict(sl)}; "
                  f"between the two largest N {last:4.2f}: {_verdict(last)}")


# ---------------------------------------------------------------- profile

def profile_cold(n: int, work: Path, seed: int, out: Path, top: int = 30) -> None:
    """A cold ingest of N documents with ``jobs=1`` under cProfile (workers are
    not profiled, so the whole pipeline runs in this process)."""
    base = work / f"n{n}"
    generate(n, base, seed)
    store = base / "store-profile"
    shutil.rmtree(store, ignore_errors=True)
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    s = workbench.ingest([base / "raw"], store=store, jobs=1, progress=False)
    prof.disable()
    secs = time.perf_counter() - t0
    prof.dump_stats(str(out))
    print(f"\n== cProfile, cold ingest of {n} documents, jobs=1: {secs:.1f} s under the profiler "
          f"[{', '.join(f'{k} {v:.1f} s' for k, v in s.timings.items())}]; stats in {out}")
    for key in ("tottime", "cumulative"):
        buf = io.StringIO()
        pstats.Stats(str(out), stream=buf).strip_dirs().sort_stats(key).print_stats(top)
        print(f"-- top {top} by {key}")
        print("\n".join(line for line in buf.getvalue().splitlines()[6:] if line.strip()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated N")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, default=Path("/tmp/wb-scale"))
    ap.add_argument("--sample", type=int, default=SAMPLE, help="files timed phase by phase")
    ap.add_argument("--no-link-split", action="store_true", help="skip timing link_stories alone")
    ap.add_argument("--profile", type=Path, help="also profile a cold ingest of the largest N here")
    ap.add_argument("--profile-only", type=Path, help="only the profiled cold ingest of the largest N")
    ap.add_argument("--link-only", action="store_true", help="only time linking on the stores already in --work")
    ap.add_argument("--json", type=Path, help="write the figures as JSON here")
    ap.add_argument("--reuse", action="store_true",
                    help="use the corpus in --work when it has this N and seed (edits undone after each run)")
    ap.add_argument("--no-quality", action="store_true", help="skip the copy-linking quality line")
    ap.add_argument("--keep-store", action="store_true",
                    help="keep the store in --work (of this corpus, from an earlier run): no cold run, re-runs only")
    ap.add_argument("--engine", choices=("local", "dask"), default="local", help="ingest's engine")
    ap.add_argument("--scheduler", help="with --engine dask: a running scheduler (default: a LocalCluster)")
    ap.add_argument("--no-explorer-cache", action="store_true",
                    help="do not refresh the explorer's cache after a run (as `workbench ingest --no-explorer-cache`)")
    a = ap.parse_args()
    ENGINE.update(engine=a.engine, scheduler=a.scheduler)
    EXPLORER_CACHE[0] = not a.no_explorer_cache
    sizes = [int(x) for x in a.sizes.split(",") if x.strip()]
    if a.link_only:
        for n in sizes:
            secs = link_alone(a.work / f"n{n}" / "store")
            print(f"N = {n}: link alone {secs:.1f} CPU s, candidate pairs checked {LAST_CANDIDATES[0]}")
            truth = a.work / f"n{n}" / "truth.json"
            if truth.exists():      # the stories this code links now, over the stored bodies
                print_quality(link_quality(a.work / f"n{n}" / "store", json.loads(truth.read_text("utf-8")),
                                           LAST_STORIES[0]))
        return
    if a.profile_only:
        profile_cold(max(sizes), a.work, a.seed, a.profile_only)
        return
    print(f"{os.cpu_count()} CPU(s), jobs={a.jobs}, engine={a.engine}, seed={a.seed}, work={a.work}")
    results = []
    for n in sizes:
        results.append(run_size(n, a.work, a.jobs, a.seed, a.sample, not a.no_link_split, a.reuse,
                                not a.no_quality, a.keep_store))
        print_size(results[-1])
        sys.stdout.flush()
    print_growth(results)
    if a.json:
        a.json.write_text(json.dumps(results, indent=1), "utf-8")
    if a.profile:
        profile_cold(max(sizes), a.work, a.seed, a.profile)


if __name__ == "__main__":
    main()
