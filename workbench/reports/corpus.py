"""What the corpus overview report shows: the whole corpus at a glance and a
link to every topic report (``notebooks/corpus_overview.ipynb`` calls these)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.explore.query import source_label, topic_names
from workbench.reports.html import Html, link, table_html, text
from workbench.store import read_store, records_to_frame
from workbench.reports.topic import _new_figure, report_slug


def load(store: str | Path | None = None) -> tuple[pd.DataFrame, dict]:
    records, ledger = read_store(store)
    return records_to_frame(records), ledger


def headline(corpus: pd.DataFrame, ledger: dict) -> dict[str, Any]:
    dated = corpus["published"].dropna()
    run = ledger.get("_run") or {}
    return {
        "articles": int(len(corpus)),
        "stories": int(corpus["story_id"].fillna(corpus["doc_id"]).nunique()) if len(corpus) else 0,
        "outlets": int(len({source_label(o, a) for o, a in zip(corpus["outlet"], corpus["agency"])})),
        "events": int(sum(len(e or []) for e in corpus["events"])),
        "first": dated.min().strftime("%Y-%m-%d") if len(dated) else None,
        "last": dated.max().strftime("%Y-%m-%d") if len(dated) else None,
        "undated": int(corpus["published"].isna().sum()),
        "inputs": int(sum(1 for k in ledger if k != "_run")),
        "rejected": int(len(run.get("rejected", []))),
        "ingested_at": run.get("at"),
    }


def headline_html(h: dict[str, Any]) -> Html:
    cards = [("articles", h["articles"]), ("distinct stories", h["stories"]), ("outlets", h["outlets"]),
             ("event mentions", h["events"]), ("first article", h["first"] or "–"),
             ("latest article", h["last"] or "–"), ("undated", h["undated"]),
             ("input files", h["inputs"]), ("rejected inputs", h["rejected"])]
    return Html('<div class="wb-cards">' + "".join(
        f'<div class="wb-card"><b>{text(v)}</b>{text(k)}</div>' for k, v in cards) + "</div>")


def articles_figure(corpus: pd.DataFrame):
    """Dated articles per month."""
    fig = _new_figure(9, 3)
    ax = fig.add_subplot()
    dated = corpus["published"].dropna()
    if dated.empty:
        ax.text(0.5, 0.5, "No dated articles", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    per = dated.dt.to_period("M").value_counts().sort_index()
    idx = pd.period_range(per.index.min(), per.index.max(), freq="M")
    per = per.reindex(idx, fill_value=0)
    ax.bar(range(len(per)), per.values, color="#0969da")
    step = max(1, len(per) // 12)
    ax.set_xticks(list(range(len(per)))[::step], [str(p) for p in per.index][::step], rotation=30,
                  ha="right", fontsize=8)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel("articles")
    ax.set_title(f"Dated articles per month ({len(dated)} of {len(corpus)})", fontsize=10)
    return fig


def topics_table(corpus: pd.DataFrame, topics: dict[str, str]) -> pd.DataFrame:
    """One row per topic: its articles, dates and the file of its report."""
    counts: Counter = Counter()
    first: dict[str, pd.Timestamp] = {}
    last: dict[str, pd.Timestamp] = {}
    for ts, pub in zip(corpus["topics"], corpus["published"]):
        for t in topic_names(ts):
            counts[t] += 1
            if not pd.isna(pub):
                first[t] = min(first.get(t, pub), pub)
                last[t] = max(last.get(t, pub), pub)
    names = list(topics) + sorted(t for t in counts if t not in topics)
    rows = [{"topic": t, "description": topics.get(t, ""), "articles": counts.get(t, 0),
             "first": first[t].strftime("%Y-%m-%d") if t in first else "",
             "last": last[t].strftime("%Y-%m-%d") if t in last else "",
             "report": f"{report_slug(t)}.html"} for t in names]
    return pd.DataFrame(rows, columns=["topic", "description", "articles", "first", "last", "report"])


def topics_html(table: pd.DataFrame) -> Html:
    rows = [{"Topic": link(r["report"], r["topic"]), "Description": r["description"], "Articles": r["articles"],
             "First": r["first"], "Latest": r["last"]} for _, r in table.iterrows()]
    return table_html(rows, ["Topic", "Description", "Articles", "First", "Latest"], empty="No topics.")


def outlets_table(corpus: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    c = Counter(source_label(o, a) for o, a in zip(corpus["outlet"], corpus["agency"]))
    return pd.DataFrame([{"outlet": k, "articles": v} for k, v in c.most_common(n)], columns=["outlet", "articles"])


def rejected_table(ledger: dict) -> pd.DataFrame:
    rows = [{"input": p, "reason": r} for p, r in (ledger.get("_run") or {}).get("rejected", [])]
    return pd.DataFrame(rows, columns=["input", "reason"])


def title_html(generated_at: str | None = None) -> Html:
    gen = generated_at or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return Html(f"<h1>Corpus overview</h1><p class=\"wb-meta\">generated {text(gen)} · "
                f"{link('index.html', 'all reports')}</p>")
