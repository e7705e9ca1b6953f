"""The whole corpus at a glance: what the corpus overview report shows (with a link
to every topic report; ``notebooks/corpus_overview.ipynb`` calls these), and the
short plain-text summary ``workbench summary`` prints."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.explore.query import source_label, topic_names
from workbench.reports.html import Html, link, report_slug, table_html, text
from workbench.store import input_files, read_store, records_to_frame, store_path


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
        "inputs": len(input_files(ledger)),
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
    gen = generated_at or dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return Html(f"<h1>Corpus overview</h1><p class=\"wb-meta\">generated {text(gen)} · "
                f"{link('index.html', 'all reports')}</p>")


def corpus_summary(store: str | Path | None = None) -> str:
    """Documents, date range, outlets, topics, stories and data-quality counts."""
    records, ledger = read_store(store)
    df = records_to_frame(records)
    if df.empty:
        return f"the corpus store {store_path(store)} is empty or missing: run `workbench ingest`"
    lines = [f"{len(df)} document(s) from {len(input_files(ledger))} input file(s)"]
    dated = df["published"].dropna()
    if len(dated):
        lines.append(f"published {dated.min():%Y-%m-%d} .. {dated.max():%Y-%m-%d}; "
                     f"{len(df) - len(dated)} undated")
    bases = Counter(b for b in df["published_basis"].dropna())
    if bases:
        lines.append("date basis: " + ", ".join(f"{k} {v}" for k, v in bases.most_common()))
    outlets = Counter(o for o in df["outlet"].dropna())
    lines.append("outlets: " + (", ".join(f"{k} ({v})" for k, v in outlets.most_common(8)) or "none known"))
    agencies = Counter(a for a in df["agency"].dropna())
    if agencies:
        lines.append("wire agencies: " + ", ".join(f"{k} ({v})" for k, v in agencies.most_common(8)))
    topics = Counter(t["topic"] for ts in df["topics"] for t in ts)
    if topics:
        lines.append("topics: " + ", ".join(f"{k} ({v})" for k, v in topics.most_common()))
    if "story_id" in df:
        stories = df["story_id"].dropna().nunique()
        lines.append(f"{stories} distinct stories ({len(df) - stories} syndicated copies)")
    orgs = Counter(o["name"] for os_ in df["organizations"] for o in os_)
    if orgs:
        lines.append("top organisations: " + ", ".join(f"{k} ({v})" for k, v in orgs.most_common(6)))
    warned = int((df["warnings"].map(len) > 0).sum())
    rejected = (ledger.get("_run") or {}).get("rejected", [])
    lines.append(f"{warned} document(s) with warnings; {len(rejected)} input(s) rejected in the last run")
    return "\n".join(lines)
