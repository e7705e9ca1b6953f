#!/usr/bin/env python3
"""Reports and the explorer on a generated corpus of N articles (issue 12's report-side targets).

    python benchmarks/report_scale.py --docs 20000                 # corpus + store cached under --work
    python benchmarks/report_scale.py --docs 20000 --jobs 1,2 --engine local,dask
    python benchmarks/report_scale.py --docs 20000 --kernel logistics-sustainment [--profile /tmp/topic.prof]
    python benchmarks/report_scale.py --docs 20000 --split 1      # each report's wall time by step

The store is built once per N (``make_corpus.py`` then a real ``ingest`` with 2
jobs) and reused from ``--work``. Then, each in a fresh ``workbench report``
process so that the kernels' CPU counts (user + system of the finished process
tree, ``RUSAGE_CHILDREN``):

- cold: every report (all topics and the corpus overview) written into an empty
  folder with ``--force``, once per ``--jobs`` value and engine;
- unchanged: the same command again without ``--force`` (every report skipped);
- explorer: ``explorer(store=...)`` from nothing (store read, index, widgets,
  first render, each timed), then the filter session of ``explorer_speed.py`` on values taken
  from the corpus itself (its most common topic, outlet and person, a word of
  its titles, its middle dates), each change with the timeline redrawn.

The machine is shared: CPU seconds are the figures to compare; wall seconds
and the load average are printed beside them.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
BIN = Path(sys.executable).parent


def build_store(n: int, work: Path, seed: int) -> Path:
    """The store of ``n`` generated articles under ``work`` (built once, then reused)."""
    corpus, store = work / f"corpus-{n}", work / f"store-{n}"
    if not (corpus / "truth.json").exists():
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), "--docs", str(n),
                        "--out", str(corpus), "--seed", str(seed)], check=True, cwd=ROOT)
        print(f"corpus of {n:,} written in {time.perf_counter() - t0:.0f} s", flush=True)
    if not (store / "manifest.json").exists() or (work / f"store-{n}.building").exists():
        (work / f"store-{n}.building").touch()
        t0 = time.perf_counter()
        subprocess.run([str(BIN / "workbench"), "ingest", str(corpus / "raw"), "--store", str(store),
                        "--jobs", "2", "-q"], check=True, cwd=ROOT)
        (work / f"store-{n}.building").unlink()
        print(f"store of {n:,} ingested in {time.perf_counter() - t0:.0f} s", flush=True)
    return store


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed_report(store: Path, out: Path, jobs: int, engine: str, force: bool) -> dict:
    """One ``workbench report`` process: wall and CPU seconds of its whole tree, and its lines."""
    cmd = [str(BIN / "workbench"), "report", "--store", str(store), "-o", str(out), "--jobs", str(jobs)]
    if engine != "local":
        cmd += ["--engine", engine]
    if force:
        cmd.append("--force")
    load = os.getloadavg()[0]
    c0, t0 = _children_cpu(), time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, _children_cpu() - c0
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
    return {"wall_s": wall, "cpu_s": cpu, "load": max(load, os.getloadavg()[0]),
            "lines": [ln for ln in p.stdout.splitlines() if ln.strip()]}


def split(store: Path, work: Path, n: int, jobs: int) -> dict:
    """Every report cold in this process (``run_reports``), its wall split into
    kernel (start or reset), the notebook's cells (papermill's own durations,
    from the executed notebook), papermill's overhead around them, the HTML
    export and the writes; and the driver's own work (plan, index)."""
    import nbformat

    from workbench.reports import run as rr
    folder = work / f"reports-{n}-split-j{jobs}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    c0, k0, t0 = time.process_time(), _children_cpu(), time.perf_counter()
    todo, _, _ = rr.plan(store=store, reports_dir=folder)
    plan_s = time.perf_counter() - t0
    out = rr.run_reports(store=store, reports_dir=folder, jobs=jobs, force=True, progress=False)
    wall, driver_cpu, kernel_cpu = time.perf_counter() - t0, time.process_time() - c0, _children_cpu() - k0
    rows = []
    for j in out.jobs:
        nb = nbformat.read(folder / f"{j.name}.ipynb", as_version=4)
        cells = {(c.metadata.get("tags") or ["?"])[0]: c.metadata.get("papermill", {}).get("duration") or 0.0
                 for c in nb.cells if c.cell_type == "code"}
        cell_s = sum(cells.values())
        st = j.steps
        rows.append({"name": j.name, "total": j.seconds, **st, "cells": cell_s,
                     "papermill": st.get("notebook", 0.0) - cell_s, "per_cell": cells})
        top = ", ".join(f"{k} {v:.1f}" for k, v in sorted(cells.items(), key=lambda kv: -kv[1])[:4])
        print(f"  {j.name:28} {j.seconds:6.1f} s: kernel {st.get('kernel', 0):5.2f}, cells {cell_s:6.1f} "
              f"[{top}], papermill {st.get('notebook', 0) - cell_s:5.2f}, export {st.get('export', 0):5.2f}, "
              f"write {st.get('write', 0):4.2f}", flush=True)
    sums = {k: sum(r.get(k, 0.0) for r in rows) for k in ("kernel", "cells", "papermill", "export", "write")}
    print(f"split --jobs {jobs}: {wall:.1f} s wall (plan {plan_s:.2f} s, outside the jobs "
          f"{out.seconds - sum(r['total'] for r in rows) / max(1, jobs):.1f} s), driver {driver_cpu:.1f} s CPU, "
          f"kernels {kernel_cpu:.1f} s CPU, load {os.getloadavg()[0]:.1f}; summed over reports: "
          + ", ".join(f"{k} {v:.1f}" for k, v in sums.items()), flush=True)
    return {"wall_s": wall, "driver_cpu_s": driver_cpu, "kernel_cpu_s": kernel_cpu, "plan_s": plan_s,
            "reports": rows, "sums": sums}


def reports(store: Path, work: Path, n: int, jobs_list: list[int], engines: list[str]) -> dict:
    out: dict = {}
    for engine in engines:
        for jobs in jobs_list:
            folder = work / f"reports-{n}-{engine}-j{jobs}"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            cold = timed_report(store, folder, jobs, engine, force=True)
            same = timed_report(store, folder, jobs, engine, force=False)
            out[f"{engine} --jobs {jobs}"] = {"cold": cold, "unchanged": same}
            per = [ln.strip() for ln in cold["lines"] if ln.strip().startswith("ok")]
            print(f"{engine:5} --jobs {jobs}: cold {cold['wall_s']:6.1f} s wall, {cold['cpu_s']:6.1f} s CPU "
                  f"(load {cold['load']:.1f}); unchanged {same['wall_s']:.2f} s wall, {same['cpu_s']:.2f} s CPU",
                  flush=True)
            for ln in per:
                print("      " + ln)
    return out


# --------------------------------------------------------------------------- explorer

def corpus_session(corpus) -> list[tuple[str, str, object]]:
    """explorer_speed.py's kind of session, on values the corpus itself has."""
    from collections import Counter

    from workbench.explore.query import topic_names
    from workbench.explore.widget import ANY
    topics = Counter(t for ts in corpus["topics"] for t in topic_names(ts))
    outlets = corpus["outlet"].dropna().value_counts()
    people = Counter(p["name"] for ps in corpus["people"] for p in (ps or []) if p.get("name"))
    words = Counter(w for t in corpus["title"].dropna() for w in str(t).lower().split() if len(w) > 6)
    dated = corpus["published"].dropna().sort_values()
    topic, outlet = topics.most_common(1)[0][0], str(outlets.index[0])
    person, word = people.most_common(1)[0][0], words.most_common(1)[0][0]
    lo, hi = dated.iloc[len(dated) // 4].date(), dated.iloc[3 * len(dated) // 4].date()
    return [
        (f"topic = {topic}", "topic", topic), (f"outlet = {outlet}", "outlet", outlet), ("outlet = any", "outlet", ANY),
        (f"who = '{person[:3]}' (typing)", "entity", person[:3]), (f"who = {person}", "entity", person),
        ("who = (cleared)", "entity", ""), (f"text = {word}", "search", word),
        ("include copies", "include_copies", True), (f'text = "{word}" {person.split()[-1]}', "search",
                                                     f'"{word}" {person.split()[-1]}'),
        ("text = (cleared)", "search", ""), (f"from {lo}", "since", lo), (f"to {hi}", "until", hi),
        ("topic = any", "topic", ANY),
    ]


def explorer_figures(store: Path, repeat: int) -> dict:
    import gc

    from explorer_speed import print_session, run_session

    from workbench.explore.widget import explorer
    gc.collect()
    c0, t0 = time.process_time(), time.perf_counter()
    ex = explorer(store=store)
    start = {"wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0, "index_s": ex.index_seconds,
             **{f"{k}_s": v for k, v in getattr(ex, "start_seconds", {}).items()}}
    parts = ", ".join(f"{k[:-2]} {v:.2f} s" for k, v in start.items() if k not in ("wall_s", "cpu_s"))
    print(f"explorer start: {start['wall_s']:.2f} s wall, {start['cpu_s']:.2f} s CPU "
          f"({parts}) for {len(ex.index):,} articles", flush=True)
    session = corpus_session(ex.index.frame)
    res = run_session(ex, session, repeat)
    print_session(session, res, len(ex.index))
    return {"start": start, "session": res}


def kernel_steps(store: Path, topic: str, profile: Path | None = None) -> dict[str, float]:
    """CPU seconds of one topic report's kernel work (the notebook's calls, in this
    process), step by step; with ``profile``, under cProfile (dumped there, top 30 printed)."""
    import io

    from workbench.reports import figures
    from workbench.reports import quality as ql
    from workbench.reports import topic as tv
    from workbench.reports.html import figure_png
    steps: dict[str, float] = {}

    def step(name, fn):
        c0 = time.process_time()
        out = fn()
        steps[name] = time.process_time() - c0
        return out
    prof = cProfile.Profile()
    if profile:
        prof.enable()
    view = step("load_topic", lambda: tv.load_topic(topic, store=store))
    step("headline", lambda: tv.headline(view))
    step("timeline", lambda: figure_png(figures.timeline_figure(view)))
    step("outlets", lambda: figure_png(figures.outlets_figure(view)))
    step("entities", lambda: tv.top_entities(view))
    step("events", lambda: tv.events_html(view, tv.events_table(view)))
    step("evidence", lambda: tv.evidence_html(tv.evidence(view)))
    step("whats_new", lambda: tv.whats_new_html(view, tv.whats_new(view, None)))
    step("quality", lambda: ql.quality_html(view, ql.quality_notes(view)))
    step("sources", lambda: tv.sources_html(tv.sources_table(view)))
    if profile:
        prof.disable()
        prof.dump_stats(str(profile))
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(30)
        print(s.getvalue())
    print(f"topic {topic}: {len(view.articles):,} articles, {len(view.events):,} merged events; "
          f"kernel work {sum(steps.values()):.2f} s CPU" + (" (under the profiler)" if profile else ""))
    print("  " + ", ".join(f"{k} {v:.2f}" for k, v in steps.items()))
    return steps


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/wb-report-scale"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values for the cold runs")
    ap.add_argument("--engine", default="local", help="comma-separated engines: local, dask")
    ap.add_argument("--repeat", type=int, default=3, help="runs of the explorer session")
    ap.add_argument("--no-reports", action="store_true")
    ap.add_argument("--no-explorer", action="store_true")
    ap.add_argument("--kernel", metavar="TOPIC", help="only time one topic report's kernel work, step by step")
    ap.add_argument("--profile", type=Path, help="with --kernel: under cProfile, dumped to this file")
    ap.add_argument("--split", type=int, metavar="JOBS",
                    help="only run every report cold in this process with JOBS workers, wall split by step")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args(argv)
    a.work.mkdir(parents=True, exist_ok=True)
    store = build_store(a.docs, a.work, a.seed)
    if a.kernel:
        kernel_steps(store, a.kernel, a.profile)
        return 0
    figs: dict = {"docs": a.docs}
    if a.split:
        figs["split"] = split(store, a.work, a.docs, a.split)
        a.no_reports = a.no_explorer = True
    if not a.no_reports:
        figs["reports"] = reports(store, a.work, a.docs, [int(j) for j in a.jobs.split(",")],
                                  a.engine.split(","))
    if not a.no_explorer:
        figs["explorer"] = explorer_figures(store, a.repeat)
    if a.json:
        a.json.write_text(json.dumps(figs, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
