"""A topic report's data-quality notes: what to keep in mind when reading it.

Undated articles, publication dates not printed on the page (borrowed from a copy,
from the dateline, inferred), events with imprecise or worked-out dates, inputs the
last ingest rejected and extraction warnings, all in readers' words (no ids, no codes).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.explore.correct import corrected_articles  # corrections track (issue 14.2)
from workbench.reports import words as W
from workbench.reports.html import Html, bullets, plain, rows, table_html, text
from workbench.reports.topic import TopicView, _cite, _event_line, cite_groups, cite_html, events_table

# warning codes other stages write -> what a reader is told
WARNING_WORDS = {"title-from-syndicated-copy": "title taken from a copy of the same story"}


def _reader_warnings(a, doc_ids: set[str]) -> list[str]:
    """An article's extraction warnings in readers' words: a "published left unknown"
    warning is dropped when a copy supplied the date, a coded warning ("code: doc id:
    detail") says what the code means, and no document id is shown."""
    out = []
    for w in a["warnings"] or []:
        w = str(w)
        if "published left unknown" in w and not pd.isna(a.get("published")):
            continue
        code, _, rest = w.partition(":")
        if code.strip() in WARNING_WORDS:
            w = WARNING_WORDS[code.strip()]
        parts = [p for p in re.split(r"(\s*:\s*)", w) if p.strip(" :") not in doc_ids]
        w = re.sub(r"(\s*:\s*)+", ": ", "".join(parts)).strip(" :")
        if w:
            out.append(w)
    return out


def quality_notes(view: TopicView) -> dict[str, Any]:
    """Undated articles, borrowed or inferred dates, imprecise events, rejected
    inputs and warnings, as lists of reader-facing records (no ids, no codes)."""
    t = view.topic_all
    undated = [_cite(view, a) for a in rows(t[t["published"].isna()])]
    articles = rows(view.articles)
    inferred = [_cite(view, a) for a in articles
                if plain(a["published_basis"]) not in ("page", "feed", "") and not pd.isna(a["published"])]
    table = rows(events_table(view))
    imprecise = [str(_event_line(r)) for r in table
                 if r["date"] == "undated" or (r["precision"] or "day") != "day"]
    relative = [str(_event_line(r)) for r in table
                if r["date"] != "undated" and (r["precision"] or "day") == "day"
                and W._RELATIVE_BASIS.search(r["basis"] or "")]
    rejected = [{"input": p, "reason": r} for p, r in (view.ledger.get("_run", {}) or {}).get("rejected", [])]
    if not rejected:
        rejected = [{"input": p, "reason": e.get("reason", "")} for p, e in view.ledger.items()
                    if p != "_run" and isinstance(e, dict) and e.get("status") == "rejected"]
    rejected = [{"input": Path(str(r["input"])).name, "reason": r["reason"]} for r in rejected]
    ids = set(view.corpus["doc_id"])
    warned = [dict(_cite(view, a), warnings=_reader_warnings(a, ids)) for a in articles]
    return {"undated": undated, "inferred_dates": inferred, "imprecise_events": imprecise,
            "relative_event_dates": relative, "rejected_inputs": rejected,
            "warnings": [w for w in warned if w["warnings"]],
            "ingested_at": (view.ledger.get("_run") or {}).get("at"),
            "corrected": _corrected(view)}


def _corrected(view: TopicView) -> list[dict[str, Any]]:
    """The topic's corrected articles (corrections track, issue 14.2), looked for among
    the corrected rows only: the whole corpus row by row costs seconds at 20k articles."""
    c = view.corpus
    if "corrections" not in c.columns:
        return []
    return corrected_articles(c[c["corrections"].map(len) > 0], view.topic)


def quality_html(view: TopicView, notes: dict[str, list]) -> Html:
    """The data-quality section: what to keep in mind when reading the figures."""
    n_und = len(notes["undated"])
    excl = " They are not in the date range of this report, so they are left out above." \
        if (view.since or view.until) and not view.include_undated else \
        " They are counted above but not placed on the charts."
    parts = [f"<h3>Undated articles ({n_und})</h3>"]
    if n_und:
        parts.append(f"<p>The page gives no publication date.{excl}</p>")
    parts.append(bullets(cite_groups(notes["undated"]), "Every article of this topic is dated."))
    parts.append(f"<h3>Publication dates not printed on the page itself ({len(notes['inferred_dates'])})</h3>")
    parts.append(bullets([cite_html(c) for c in notes["inferred_dates"]],
                         "All publication dates come from the page itself."))
    parts.append(f"<h3>Events with an imprecise or missing date ({len(notes['imprecise_events'])})</h3>")
    parts.append(bullets([Html(e) for e in notes["imprecise_events"]], "Every event has a day-precise date."))
    if notes["relative_event_dates"]:
        parts.append(f"<h3>Event dates worked out from the article's date ({len(notes['relative_event_dates'])})</h3>"
                     "<p>The text says e.g. \u201con Wednesday\u201d or gives no year; the date follows from the "
                     "article's date, so it is only as good as that.</p>")
        parts.append(bullets([Html(e) for e in notes["relative_event_dates"]]))
    parts.append(f"<h3>Rejected inputs in the last ingest ({len(notes['rejected_inputs'])})</h3>")
    parts.append(table_html([{"File": r["input"], "Reason": r["reason"]} for r in notes["rejected_inputs"]],
                            ["File", "Reason"], empty="No input was rejected."))
    parts.append(f"<h3>Articles with extraction warnings ({len(notes['warnings'])})</h3>")
    parts.append(table_html([{"Article": cite_html(w), "Warnings": w["warnings"]} for w in notes["warnings"]],
                            ["Article", "Warnings"], empty="No warnings."))
    if notes.get("corrected"):   # corrections track (issue 14.2)
        parts.append(f"<h3>Corrected by analyst ({len(notes['corrected'])})</h3>")
        parts.append(table_html([{"Article": c["title"] or W.NO_TITLE, "Corrections": c["corrections"],
                                  "Relevant": "yes" if c["relevant"] else "no"} for c in notes["corrected"]],
                                ["Article", "Corrections", "Relevant"]))
    if notes["ingested_at"]:
        parts.append(f'<p class="wb-meta">Corpus last ingested {text(W.when_words(notes["ingested_at"]))}.</p>')
    return Html("".join(parts))
