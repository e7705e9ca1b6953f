"""The whole corpus at a glance: what the corpus overview report shows (with a link
to every topic report; ``notebooks/corpus_overview.ipynb`` calls these), and the
short plain-text summary ``workbench summary`` prints."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.explore.query import topic_names
from workbench.reports import words as W
from workbench.reports.html import Html, link, report_slug, table_html, text
from workbench.reports.topic import outlet_count
from workbench.store import input_files, read_store, records_to_frame, store_files

# the fields the overview counts (its figures, topic and outlet tables): the store reads no others
OVERVIEW_FIELDS = ["doc_id", "published", "story_id", "outlet", "agency", "events", "topics"]


def load(store: str | Path | None = None) -> tuple[pd.DataFrame, dict]:
    """The corpus as the overview needs it (``OVERVIEW_FIELDS``) and the inputs ledger
    (``read_store(store, columns=OVERVIEW_FIELDS)``; in a kernel that ran topic reports
    before, from the table and ledger it keeps: ``reports.reading``)."""
    from workbench.reports import reading
    records, ledger = reading.outline(store, OVERVIEW_FIELDS)
    return records_to_frame(records, OVERVIEW_FIELDS), ledger


def headline(corpus: pd.DataFrame, ledger: dict) -> dict[str, Any]:
    dated = corpus["published"].dropna()
    run = ledger.get("_run") or {}
    return {
        "articles": int(len(corpus)),
        "stories": int(corpus["story_id"].fillna(corpus["doc_id"]).nunique()) if len(corpus) else 0,
        "outlets": outlet_count(corpus),          # named outlets, as `workbench summary` counts them
        "events": int(sum(len(e or []) for e in corpus["events"])),
        "first": dated.min().strftime("%Y-%m-%d") if len(dated) else None,
        "last": dated.max().strftime("%Y-%m-%d") if len(dated) else None,
        "undated": int(corpus["published"].isna().sum()),
        "inputs": len(input_files(ledger)),
        "rejected": int(len(run.get("rejected", []))),
        "ingested_at": run.get("at"),
    }


def headline_html(h: dict[str, Any]) -> Html:
    def day(v):
        return W.published_words(v) if v else "–"
    cards = [(h["articles"], "article", "articles"), (h["stories"], "distinct story", "distinct stories"),
             (h["outlets"], "outlet", "outlets"), (h["events"], "event mention", "event mentions"),
             (day(h["first"]), "first article", None), (day(h["last"]), "latest article", None),
             (h["undated"], "undated article", "undated articles"), (h["inputs"], "input file", "input files"),
             (h["rejected"], "rejected input", "rejected inputs")]
    return Html('<div class="wb-cards">' + "".join(
        f'<div class="wb-card"><b>{text(v)}</b>{text(one if many is None or v == 1 else many)}</div>'
        for v, one, many in cards) + "</div>")


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
    rows = [{"topic": t, "label": W.topic_label(t), "description": topics.get(t, ""), "articles": counts.get(t, 0),
             "first": first[t].strftime("%Y-%m-%d") if t in first else "",
             "last": last[t].strftime("%Y-%m-%d") if t in last else "",
             "report": f"{report_slug(t)}.html"} for t in names]
    return pd.DataFrame(rows, columns=["topic", "label", "description", "articles", "first", "last", "report"])


def topics_html(table: pd.DataFrame) -> Html:
    rows = [{"Topic": link(r["report"], r["label"]), "Description": r["description"], "Articles": r["articles"],
             "First": W.published_words(r["first"]) if r["first"] else "",
             "Latest": W.published_words(r["last"]) if r["last"] else ""} for _, r in table.iterrows()]
    return table_html(rows, ["Topic", "Description", "Articles", "First", "Latest"], empty="No topics.")


def outlets_table(corpus: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The named outlets with their article counts (the ones ``workbench summary`` lists)."""
    named = [str(o).strip() for o in corpus["outlet"].dropna() if str(o).strip()]
    c = Counter(named)
    return pd.DataFrame([{"outlet": k, "articles": v} for k, v in c.most_common(n)], columns=["outlet", "articles"])


def outlets_note(corpus: pd.DataFrame) -> Html:
    """What the outlet count leaves out: wire stories with no outlet, unknown sources."""
    no_outlet = corpus["outlet"].isna() | (corpus["outlet"].astype(str).str.strip() == "")
    agency = int((no_outlet & corpus["agency"].notna()).sum())
    unknown = int((no_outlet & corpus["agency"].isna()).sum())
    parts = []
    if agency:
        parts.append(f"{W.plural(agency, 'article')} {'names' if agency == 1 else 'name'} only a wire agency")
    if unknown:
        parts.append(f"{W.plural(unknown, 'article')} {'names' if unknown == 1 else 'name'} no source")
    return Html(f'<p class="wb-meta">Not counted as outlets: {text("; ".join(parts))}.</p>' if parts else "")


def rejected_table(ledger: dict) -> pd.DataFrame:
    """Inputs the last ingest refused: the file's name and the reason."""
    rows = [{"file": Path(str(p)).name, "reason": r} for p, r in (ledger.get("_run") or {}).get("rejected", [])]
    return pd.DataFrame(rows, columns=["file", "reason"])


def title_html(generated_at: str | None = None) -> Html:
    gen = W.when_words(generated_at or dt.datetime.now(dt.UTC).isoformat(timespec="minutes"))
    return Html(f"<h1>Corpus overview</h1><p class=\"wb-meta\">generated {text(gen)} · "
                f"{link('index.html', 'all reports')}</p>")


def corpus_summary(store: str | Path | None = None) -> str:
    """Documents, date range, outlets, topics, stories and data-quality counts."""
    records, ledger = read_store(store)
    df = records_to_frame(records)
    if df.empty:
        return f"the corpus store {store_files(store).manifest_name} is empty or missing: run `workbench ingest`"
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
