#!/usr/bin/env python3
"""How fast the explorer answers a filter change on a corpus of thousands of articles.

    python benchmarks/explorer_speed.py                 # 5,000 articles (the seeds x 1,000)
    python benchmarks/explorer_speed.py --copies 2000   # 10,000 articles
    python benchmarks/explorer_speed.py --store /tmp/wb-rs2/store-20000   # a store: start timed, its own values

The corpus replicates the five hand-labelled seed records (data/gold/seeds.json)
with fresh ids, shifted dates and varied outlets (``tests/seed_data.seed_corpus``).
Two figures per filter change, each the median (and worst) of ``--repeat`` runs:

- query:  ``workbench.explore.query.filter_corpus`` alone: the filtering proper
          (free-text search measured cold: its cache is emptied first);
- table:  in the widget, until the table rows, the count and the co-occurrence
          have been sent (``Explorer.timing["ready_ms"]``);
- widget: the whole ``Explorer.refresh`` a change triggers in the kernel, that is
          the above plus the timeline redrawn (SVG; skipped when its events
          did not change).

Browser round trip and rendering come on top of the widget figure.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))   # seed_data: test-only sample records
from seed_data import seed_corpus  # noqa: E402

from workbench.explore import query as q  # noqa: E402
from workbench.explore.widget import ANY, explorer  # noqa: E402

# a session: (what the user does, widget attribute, value); filters accumulate
SESSION = [
    ("topic = mro-shipbuilding", "topic", "mro-shipbuilding"),
    ("outlet = Yonhap", "outlet", "Yonhap"),
    ("outlet = any", "outlet", ANY),
    ("who = 'Koo' (typing)", "entity", "Koo"),
    ("who = Koo Sang-mo", "entity", "Koo Sang-mo"),
    ("who = (cleared)", "entity", ""),
    ("text = submarine", "search", "submarine"),
    ("include copies", "include_copies", True),
    ("text = \"combined sustainment\" Koo", "search", '"combined sustainment" Koo'),
    ("text = (cleared)", "search", ""),
    ("from 2025-01-01", "since", dt.date(2025, 1, 1)),
    ("to 2025-06-30", "until", dt.date(2025, 6, 30)),
    ("topic = any", "topic", ANY),
]


def _filters_after(steps) -> list[q.Filters]:
    state = {"topic": ANY, "outlet": ANY, "entity": "", "search": "", "include_copies": False,
             "since": None, "until": None}
    out = []
    for _, attr, value in steps:
        state[attr] = value
        out.append(q.Filters(topics=() if state["topic"] == ANY else (state["topic"],),
                             outlets=() if state["outlet"] == ANY else (state["outlet"],),
                             entity=state["entity"], text=state["search"],
                             include_copies=state["include_copies"], since=state["since"],
                             until=state["until"]))
    return out


def run_session(ex, session, repeat: int) -> dict:
    """Time ``session`` (what the user does, widget attribute, value) ``repeat`` times:
    the query alone, and in the widget until the table is sent and with the timeline."""
    idx = ex.index
    filters = _filters_after(session)
    query_ms: list[list[float]] = [[] for _ in session]
    widget_ms: list[list[float]] = [[] for _ in session]
    ready_ms: list[list[float]] = [[] for _ in session]
    rows = [0] * len(session)
    for _ in range(repeat):
        for i, f in enumerate(filters):
            idx._search_cache.clear()
            s = time.perf_counter()
            res = q.filter_corpus(idx, f)
            query_ms[i].append((time.perf_counter() - s) * 1e3)
            rows[i] = len(res)
        ex.clear_filters()
        for i, (_, attr, value) in enumerate(session):
            s = time.perf_counter()
            getattr(ex, attr).value = value        # triggers Explorer.refresh
            widget_ms[i].append((time.perf_counter() - s) * 1e3)
            ready_ms[i].append(ex.timing["ready_ms"])
            assert len(ex.results) == rows[i], (session[i][0], len(ex.results), rows[i])
        ex.clear_filters()
    return {"rows": rows, "query_ms": query_ms, "ready_ms": ready_ms, "widget_ms": widget_ms}


def print_session(session, res: dict, n_articles: int) -> None:
    """A row per filter change (median and worst of each figure), then the overall medians."""
    w = max(len(s[0]) for s in session)
    print(f"\n{'filter change':<{w}}  {'rows':>6}  {'query ms':>14}  {'table ms':>14}  {'widget ms':>14}")
    print(f"{'':<{w}}  {'':>6}" + f"  {'median  worst':>14}" * 3)
    for (name, _, _), n, qm, rm, wm in zip(session, res["rows"], res["query_ms"], res["ready_ms"],
                                           res["widget_ms"]):
        print(f"{name:<{w}}  {n:>6,}" + "".join(f"  {statistics.median(m):>6.1f} {max(m):>6.1f}"
                                                for m in (qm, rm, wm)))
    flat = lambda ms: [x for s in ms for x in s]  # noqa: E731
    all_q, all_r, all_w = flat(res["query_ms"]), flat(res["ready_ms"]), flat(res["widget_ms"])
    print(f"\nover {len(all_q)} filter changes on {n_articles:,} articles (medians, worst in brackets):\n"
          f"  query {statistics.median(all_q):.1f} ms ({max(all_q):.1f}); "
          f"table and count sent {statistics.median(all_r):.1f} ms ({max(all_r):.1f}); "
          f"with the timeline redrawn {statistics.median(all_w):.1f} ms ({max(all_w):.1f})")


def from_store(store: Path, repeat: int) -> int:
    """The explorer started from ``store`` (timed), then ``report_scale.py``'s session on its own values."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from report_scale import explorer_figures
    explorer_figures(store, repeat)
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=1000, help="replicas of the 5 seed articles (default 1000)")
    ap.add_argument("--repeat", type=int, default=5, help="runs of the session (default 5)")
    ap.add_argument("--store", type=Path, help="a store folder: start the explorer from it (read, index, first "
                    "render, wall and CPU) and run the session on values taken from its corpus")
    a = ap.parse_args(argv)
    if a.store:
        return from_store(a.store, a.repeat)

    t0 = time.perf_counter()
    corpus = seed_corpus(copies=a.copies)
    t1 = time.perf_counter()
    ex = explorer(corpus=corpus)
    t2 = time.perf_counter()
    idx = ex.index
    print(f"corpus: {len(corpus):,} articles, {len(idx.events):,} event mentions, "
          f"{len(idx.entity_names)} names; built in {t1 - t0:.2f} s; "
          f"index + first render {t2 - t1:.2f} s (index {ex.index_seconds:.2f} s)")
    print_session(SESSION, run_session(ex, SESSION, a.repeat), len(corpus))
    return 0


if __name__ == "__main__":
    sys.exit(main())
