"""What a topic report shows: the topic's articles and events in a date range,
its headline figures, charts, tables, evidence, changes and data-quality notes.

The notebook ``notebooks/topic_report.ipynb`` is narrative plus calls into
this module; everything here is a plain function of the corpus so it can be
tested without a kernel::

    from workbench.reports import topic as tv
    view = tv.load_topic("logistics-sustainment", since="2026-01-01")
    tv.events_table(view)            # merged events, one row each
    tv.timeline_figure(view)         # a matplotlib Figure (no pyplot)

Semantics: an article belongs to a topic when its ``topics`` list carries it
(any score). ``since``/``until`` are inclusive bounds on ``published``; with a
bound set, undated articles are left out unless ``include_undated`` (as in
``workbench.explore.query``). Syndicated copies stay in (they are articles by
different outlets); ``n_outlets`` of an event counts independent outlets.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from workbench import dates
from workbench.explore.correct import corrected_articles, relevant_only  # corrections track (issue 14.2)
from workbench.explore.query import (
    Filters,
    as_date,
    build_index,
    date_label,
    event_when,
    filter_corpus,
    source_label,
    topic_names,
)
from workbench.record import date_span
from workbench.reports import state
from workbench.reports.html import Html, anchor_id, bullets, link, plain, report_slug, table_html, text
from workbench.store import read_store, records_to_frame


def topic_descriptions(reference_dir: str | Path | None = None) -> dict[str, str]:
    """Topic name -> description, from the reference taxonomy (``topics.toml``)."""
    from workbench.reference import load_reference
    return {t.name: t.description for t in load_reference(reference_dir).topics}


# --------------------------------------------------------------------------- the view

@dataclass
class TopicView:
    """The slice of the corpus one report is about."""

    topic: str
    description: str
    since: dt.date | None
    until: dt.date | None
    include_undated: bool
    corpus: pd.DataFrame                 # the whole corpus (for citations and totals)
    articles: pd.DataFrame               # the topic's articles in range, newest first
    topic_all: pd.DataFrame              # the topic's articles, any date
    events: pd.DataFrame                 # merged events of ``articles`` in range
    ledger: dict = field(default_factory=dict)
    store: str = ""

    @property
    def range_label(self) -> str:
        return range_label(self.since, self.until)


def range_label(since, until) -> str:
    """The report's date range in words (``2026-02-01 to 2026-02-28``, ``all dates``)."""
    return dates.range_label(as_date(since), as_date(until))


def load_topic(topic: str, since=None, until=None, store: str | Path | None = None,
               include_undated: bool = False, description: str | None = None) -> TopicView:
    """The topic's articles and merged events in ``[since, until]`` from ``store``."""
    records, ledger = read_store(store)
    corpus = records_to_frame(records)
    return view_of(corpus, topic, since, until, include_undated, description, ledger, str(store or ""))


def view_of(corpus: pd.DataFrame, topic: str, since=None, until=None, include_undated: bool = False,
            description: str | None = None, ledger: dict | None = None, store: str = "") -> TopicView:
    """Like ``load_topic`` for a corpus already in memory."""
    since, until = as_date(since), as_date(until)
    if since and until and since > until:
        raise ValueError(f"since {since} is after until {until}")
    if description is None:
        try:
            description = topic_descriptions().get(topic, "")
        except Exception:  # a report still renders without the taxonomy text
            description = ""
    pool = relevant_only(corpus)   # corrections track: articles the analyst marked not relevant are left out
    idx = build_index(pool)
    allf = Filters(topics=(topic,), include_copies=True)
    topic_all = filter_corpus(idx, allf) if len(pool) else corpus.iloc[0:0]
    f = Filters(topics=(topic,), since=since, until=until, include_copies=True,
                include_undated=include_undated)
    articles = filter_corpus(idx, f) if len(pool) else corpus.iloc[0:0]
    events = _events_in_range(merged_events(articles), since, until, include_undated)
    return TopicView(topic=topic, description=description or "", since=since, until=until,
                     include_undated=include_undated, corpus=corpus, articles=articles,
                     topic_all=topic_all, events=events, ledger=ledger or {}, store=store)


# --------------------------------------------------------------------------- events

EVENT_COLUMNS = ["kind", "date", "date_precision", "place", "participants", "organizations",
                 "sentences", "sources", "n_outlets"]


def merged_events(articles: pd.DataFrame) -> pd.DataFrame:
    """Events of ``articles`` merged across them (``workbench.analyse.merge_events``),
    with ``when`` (a plotting date) added."""
    if len(articles) == 0:
        ev = pd.DataFrame(columns=EVENT_COLUMNS)
    else:
        from workbench.analyse.merge import merge_events
        ev = merge_events(articles)
        if not isinstance(ev, pd.DataFrame):
            ev = pd.DataFrame(list(ev))
        ev = ev.reset_index(drop=True)
        for c in EVENT_COLUMNS:
            if c not in ev:
                ev[c] = None
    for c in ("participants", "organizations", "sentences", "sources"):
        ev[c] = [_names(v) if c in ("participants", "organizations") else _as_list(v) for v in ev[c]]
    ev["date"] = [_date_str(d) for d in ev["date"]]
    ev["when"] = pd.to_datetime(pd.Series([event_when(d, p)[0] for d, p in zip(ev["date"], ev["date_precision"])],
                                          dtype=object), errors="coerce")
    ev["n_outlets"] = pd.to_numeric(ev["n_outlets"], errors="coerce").fillna(0).astype("int64")
    order = sorted(range(len(ev)), key=lambda i: (pd.isna(ev["when"][i]),
                                                  ev["when"][i] if not pd.isna(ev["when"][i]) else 0,
                                                  str(ev["kind"][i])))
    return ev.iloc[order].reset_index(drop=True)


def _as_list(v) -> list:
    if v is None:
        return []
    if isinstance(v, (list, tuple, set)):
        return list(v)
    if hasattr(v, "tolist"):
        return list(v.tolist())
    return [v]


def _names(v) -> list[str]:
    return [str(x) for x in _as_list(v) if x]


def _date_str(d) -> str | None:
    if d is None or (not isinstance(d, str) and pd.isna(d)):
        return None
    if isinstance(d, (pd.Timestamp, dt.date)):
        return pd.Timestamp(d).strftime("%Y-%m-%d")
    return str(d) or None


def _events_in_range(ev: pd.DataFrame, since, until, include_undated: bool) -> pd.DataFrame:
    if not (since or until) or len(ev) == 0:
        return ev
    keep = []
    for d, p in zip(ev["date"], ev["date_precision"]):
        start, end = event_span(d, p)
        if start is None:
            keep.append(include_undated)
            continue
        ok = (not since or end >= since) and (not until or start <= until)
        keep.append(ok)
    return ev[keep].reset_index(drop=True)


def event_span(date, precision=None) -> tuple[dt.date | None, dt.date | None]:
    """First and last day an event date string can mean ("2026-02" is all February).
    A report places a week-precision event on its Monday, as it always has."""
    return date_span(date if isinstance(date, str) else None)


def event_key(row) -> str:
    """A stable key for a merged event (for "what is new")."""
    who = ";".join(sorted(p.lower() for p in row["participants"])) or \
        ";".join(sorted(o.lower() for o in row["organizations"]))
    return f"{plain(row['kind'])}|{plain(row['date'])}|{plain(row['place']).lower()}|{who}"


# --------------------------------------------------------------------------- figures and tables

def _outlet(a) -> str:
    return source_label(a.get("outlet"), a.get("agency"))


def headline(view: TopicView) -> dict[str, Any]:
    """The numbers at the top of the report."""
    a = view.articles
    dated = a["published"].dropna()
    stories = a["story_id"].fillna(a["doc_id"]).nunique() if len(a) else 0
    return {
        "articles": int(len(a)),
        "stories": int(stories),
        "outlets": int(len({_outlet(r) for _, r in a.iterrows()})),
        "events": int(len(view.events)),
        "events_multi_outlet": int((view.events["n_outlets"] >= 2).sum()) if len(view.events) else 0,
        "first": dated.min().strftime("%Y-%m-%d") if len(dated) else None,
        "last": dated.max().strftime("%Y-%m-%d") if len(dated) else None,
        "undated": int(a["published"].isna().sum()),
        "topic_articles_all_dates": int(len(view.topic_all)),
    }


def headline_html(h: dict[str, Any]) -> Html:
    cards = [("articles", h["articles"]), ("distinct stories", h["stories"]), ("outlets", h["outlets"]),
             ("events", h["events"]), ("events in 2+ outlets", h["events_multi_outlet"]),
             ("first article", h["first"] or "–"), ("latest article", h["last"] or "–"),
             ("undated articles", h["undated"])]
    return Html('<div class="wb-cards">' + "".join(
        f'<div class="wb-card"><b>{text(v)}</b>{text(k)}</div>' for k, v in cards) + "</div>")


def top_entities(view: TopicView, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The most frequent organisations and people: how many articles name them."""
    orgs: Counter = Counter()
    mentions: Counter = Counter()
    people: Counter = Counter()
    roles: dict[str, Counter] = {}
    for _, a in view.articles.iterrows():
        for o in {x["name"] for x in a["organizations"] or []}:
            if o:
                orgs[o] += 1
        for x in a["organizations"] or []:
            if x["name"]:
                mentions[x["name"]] += int(x.get("mentions") or 1)
        seen = set()
        for p in a["people"] or []:
            name = p["name"]
            if not name or name in seen:
                continue
            seen.add(name)
            people[name] += 1
            role = p.get("role") or ""
            if p.get("rank"):
                role = f"{role} ({p['rank']})" if role else p["rank"]
            if role:
                roles.setdefault(name, Counter())[role] += 1
    org_df = pd.DataFrame([{"organisation": k, "articles": v, "mentions": mentions.get(k, v)}
                           for k, v in sorted(orgs.items(), key=lambda kv: (-kv[1], kv[0]))[:n]],
                          columns=["organisation", "articles", "mentions"])
    ppl_df = pd.DataFrame([{"person": k, "role": roles[k].most_common(1)[0][0] if k in roles else "",
                            "articles": v}
                           for k, v in sorted(people.items(), key=lambda kv: (-kv[1], kv[0]))[:n]],
                          columns=["person", "role", "articles"])
    return org_df, ppl_df


def citation(doc: pd.Series | dict) -> dict[str, Any]:
    """How a report cites an article: id, title, outlet and date."""
    title = doc.get("title")
    title = str(title) if isinstance(title, str) and title.strip() else f"(untitled: {doc.get('doc_id')})"
    return {"doc_id": str(doc.get("doc_id")), "title": title, "outlet": _outlet(doc),
            "date": date_label(doc.get("published"), doc.get("published_basis"))}


def cite_html(c: dict[str, Any]) -> Html:
    ref = link("#" + anchor_id("doc-", c["doc_id"]), c["title"])
    return Html(f'<span class="wb-cite">{ref} — {text(c["outlet"])}, {text(c["date"])}</span>')


def partial_date_label(partial) -> str:
    """``--06-09`` -> ``9 June (year unknown)``; empty when there is no partial date."""
    m = re.fullmatch(r"--(\d{2})(?:-(\d{2}))?", plain(partial))
    if not m:
        return ""
    month = dt.date(2000, int(m.group(1)), 1).strftime("%B")
    return f"{int(m.group(2))} {month} (year unknown)" if m.group(2) else f"{month} (year unknown)"


def events_table(view: TopicView) -> pd.DataFrame:
    """Merged events: date, kind, place, participants, organisations, sources
    (doc ids) and the number of independent outlets reporting each."""
    ev = view.events
    rows = []
    for _, e in ev.iterrows():
        rows.append({"date": plain(e["date"]) or "undated", "precision": plain(e["date_precision"]),
                     "partial": plain(e.get("date_partial")), "basis": plain(e.get("date_basis")),
                     "kind": plain(e["kind"]) or "event", "mode": plain(e.get("mode")),
                     "place": plain(e["place"]),
                     "participants": list(e["participants"]),
                     "organizations": list(e["organizations"]), "sources": list(e["sources"]),
                     "n_outlets": int(e["n_outlets"]), "key": event_key(e)})
    return pd.DataFrame(rows, columns=["date", "precision", "partial", "basis", "kind", "mode", "place",
                                       "participants", "organizations", "sources", "n_outlets", "key"])


def _date_cell(e) -> str:
    if e["date"] != "undated":
        return e["date"] + (f" ({e['precision']})" if e["precision"] not in ("", "day") else "")
    return partial_date_label(e["partial"]) or "undated"


def events_html(view: TopicView, table: pd.DataFrame | None = None) -> Html:
    table = events_table(view) if table is None else table
    by_id = _docs(view)
    rows = []
    for _, e in table.iterrows():
        cites = Html("<br>".join(cite_html(citation(by_id[d])) for d in e["sources"] if d in by_id))
        kind = e["kind"] + (f" ({e['mode']})" if e["mode"] and e["mode"].lower() != e["kind"].lower() else "")
        rows.append({"Date": _date_cell(e), "Kind": kind, "Place": e["place"], "Participants": e["participants"],
                     "Organisations": e["organizations"], "Sources": cites,
                     "Independent outlets": e["n_outlets"]})
    return table_html(rows, ["Date", "Kind", "Place", "Participants", "Organisations", "Sources",
                             "Independent outlets"], empty="No events found for this topic and range.")


def _docs(view: TopicView) -> dict[str, pd.Series]:
    return {d: r for d, r in zip(view.corpus["doc_id"], (r for _, r in view.corpus.iterrows()))}


def evidence(view: TopicView, n: int = 12) -> pd.DataFrame:
    """The sentences that placed articles in this topic, one row per distinct
    sentence, most widely reported first, each with its citations."""
    found: dict[str, dict] = {}
    for _, a in view.articles.iterrows():
        for t in a["topics"] or []:
            if t.get("topic") != view.topic:
                continue
            for s in t.get("evidence") or []:
                s = " ".join(str(s).split())
                if len(s) < 3:
                    continue
                key = re.sub(r"\W+", " ", s.lower()).strip()
                g = found.setdefault(key, {"sentence": s, "score": 0.0, "citations": []})
                g["score"] = max(g["score"], float(t.get("score") or 0))
                if a["doc_id"] not in [c["doc_id"] for c in g["citations"]]:
                    g["citations"].append(citation(a))
    rows = sorted(found.values(), key=lambda g: (-len(g["citations"]), -g["score"], g["sentence"]))[:n]
    return pd.DataFrame(rows, columns=["sentence", "score", "citations"])


def evidence_html(ev: pd.DataFrame) -> Html:
    if len(ev) == 0:
        return Html('<p class="wb-empty">No evidence sentences recorded for this topic and range.</p>')
    parts = []
    for _, r in ev.iterrows():
        cites = "; ".join(cite_html(c) for c in r["citations"])
        parts.append(f'<blockquote class="wb-quote"><p>{text(r["sentence"])}</p><p>{cites}</p></blockquote>')
    return Html("".join(parts))


def sources_table(view: TopicView) -> pd.DataFrame:
    """Every article the report cites or counts, with its citation fields."""
    cited = list(view.articles["doc_id"])
    for s in view.events["sources"] if len(view.events) else []:
        cited += [d for d in s if d not in cited]
    by_id = _docs(view)
    rows = []
    for d in cited:
        if d in by_id:
            a = by_id[d]
            c = citation(a)
            rows.append({**c, "source_file": a.get("source_path") or "", "words": int(a.get("word_count") or 0),
                         "in_topic": d in set(view.articles["doc_id"])})
    return pd.DataFrame(rows, columns=["doc_id", "title", "outlet", "date", "source_file", "words", "in_topic"])


def sources_html(table: pd.DataFrame) -> Html:
    rows = [{"Document": r["doc_id"], "Title": r["title"], "Outlet": r["outlet"], "Date": r["date"],
             "Input file": r["source_file"]} for _, r in table.iterrows()]
    return table_html(rows, ["Document", "Title", "Outlet", "Date", "Input file"],
                      row_ids=[anchor_id("doc-", r["doc_id"]) for _, r in table.iterrows()],
                      empty="No articles.")


# --------------------------------------------------------------------------- what is new

def report_content(view: TopicView) -> dict[str, Any]:
    """What a report covered, kept so the next report can say what is new."""
    h = headline(view)
    return {"topic": view.topic, "since": str(view.since or "") or None, "until": str(view.until or "") or None,
            "doc_ids": sorted(view.articles["doc_id"]), "event_keys": sorted(events_table(view)["key"]),
            "first": h["first"], "last": h["last"], "articles": h["articles"], "events": h["events"],
            "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}


def previous_content(topic: str, reports_dir: str | Path | None = None) -> dict | None:
    """What the previous successful report of ``topic`` covered (None for the first)."""
    return state.previous_content(report_slug(topic), reports_dir)


def save_pending(view: TopicView, reports_dir: str | Path | None = None) -> Path:
    """Write this report's content next to the state; ``workbench report``
    adopts it once the whole notebook has run and been exported."""
    return state.write_pending(report_slug(view.topic), report_content(view), reports_dir)


def whats_new(view: TopicView, previous: dict | None) -> dict[str, Any]:
    """Articles and events not in the previous report, and what left."""
    cur = report_content(view)
    if not previous:
        return {"first_report": True, "previous_at": None, "new_articles": cur["doc_ids"],
                "new_events": cur["event_keys"], "gone_articles": []}
    old_docs, old_events = set(previous.get("doc_ids", [])), set(previous.get("event_keys", []))
    return {"first_report": False, "previous_at": previous.get("generated_at"),
            "previous_range": range_label(previous.get("since"), previous.get("until")),
            "new_articles": [d for d in cur["doc_ids"] if d not in old_docs],
            "new_events": [k for k in cur["event_keys"] if k not in old_events],
            "gone_articles": sorted(old_docs - set(cur["doc_ids"]))}


def whats_new_html(view: TopicView, new: dict[str, Any]) -> Html:
    by_id = _docs(view)
    table = events_table(view)
    if new["first_report"]:
        head = "<p>This is the first report of this topic: everything below is new.</p>"
    else:
        head = (f"<p>Compared with the previous report of {text(new['previous_at'])} "
                f"({text(new['previous_range'])}): {len(new['new_articles'])} new article(s), "
                f"{len(new['new_events'])} new event(s).</p>")
    arts = [cite_html(citation(by_id[d])) for d in new["new_articles"] if d in by_id]
    evs = table[table["key"].isin(new["new_events"])]
    ev_items = [Html(f"{text(r['date'])} — {text(r['kind'])}: {text(r['participants'] or r['organizations'])}"
                     f"{' in ' + text(r['place']) if r['place'] else ''}") for _, r in evs.iterrows()]
    gone = ("<p>No longer in the report (out of range or removed from the corpus): "
            f"{text(', '.join(new['gone_articles']))}</p>") if new["gone_articles"] else ""
    if new["first_report"]:
        return Html(head)
    return Html(head + "<h3>New articles</h3>" + bullets(arts, "No new articles.") +
                "<h3>New events</h3>" + bullets(ev_items, "No new events.") + gone)


# --------------------------------------------------------------------------- data quality

def quality_notes(view: TopicView) -> dict[str, Any]:
    """Undated articles, inferred dates, rejected inputs and warnings, as lists."""
    t = view.topic_all
    undated = [citation(a) for _, a in t[t["published"].isna()].iterrows()]
    inferred = [dict(citation(a), basis=str(a["published_basis"]))
                for _, a in view.articles.iterrows()
                if isinstance(a["published_basis"], str) and a["published_basis"] not in ("page", "")]
    ev_inferred = [{"date": plain(r["date"]) or partial_date_label(r.get("date_partial")) or "undated",
                    "kind": plain(r["kind"]), "participants": list(r["participants"]),
                    "precision": plain(r["date_precision"]) or "unknown", "basis": plain(r.get("date_basis"))}
                   for _, r in view.events.iterrows()
                   if (plain(r["date_precision"]) or "day") != "day" or not plain(r["date"])]
    ev_relative = [{"date": plain(r["date"]), "kind": plain(r["kind"]), "participants": list(r["participants"]),
                    "basis": plain(r.get("date_basis"))}
                   for _, r in view.events.iterrows()
                   if plain(r["date"]) and (r.get("year_inferred") is True
                                            or re.search(r"relative|anchor|inferred", plain(r.get("date_basis"))))]
    event_basis = []
    for _, a in view.articles.iterrows():
        for e in a["events"] or []:
            if e.get("date") and e.get("date_basis") in ("inferred", "context", "guess"):
                event_basis.append({"doc_id": a["doc_id"], "date": e["date"], "basis": e["date_basis"],
                                    "kind": e.get("kind")})
    rejected = [{"input": p, "reason": r} for p, r in (view.ledger.get("_run", {}) or {}).get("rejected", [])]
    if not rejected:
        rejected = [{"input": p, "reason": e.get("reason", "")} for p, e in view.ledger.items()
                    if p != "_run" and isinstance(e, dict) and e.get("status") == "rejected"]
    warned = [{"doc_id": a["doc_id"], "warnings": list(a["warnings"])}
              for _, a in view.articles.iterrows() if a["warnings"]]
    return {"undated": undated, "inferred_dates": inferred, "imprecise_events": ev_inferred,
            "inferred_event_dates": event_basis, "relative_event_dates": ev_relative, "rejected_inputs": rejected, "warnings": warned,  # noqa: E501
            "ingested_at": (view.ledger.get("_run") or {}).get("at"),
            "corrected": corrected_articles(view.corpus, view.topic)}   # corrections track (issue 14.2)


def quality_html(view: TopicView, notes: dict[str, list]) -> Html:
    parts = []
    n_und = len(notes["undated"])
    excl = " They are not in the date range of this report, so they are left out above." \
        if (view.since or view.until) and not view.include_undated else \
        " They are counted above but not placed on the charts."
    parts.append(f"<h3>Undated articles ({n_und})</h3>")
    if n_und:
        parts.append(f"<p>The page gives no publication date.{excl}</p>")
    parts.append(bullets([cite_html(c) for c in notes["undated"]], "Every article of this topic is dated."))
    parts.append(f"<h3>Inferred or borrowed publication dates ({len(notes['inferred_dates'])})</h3>")
    parts.append(bullets([Html(f"{cite_html(c)}: date from {text(c['basis'])}") for c in notes["inferred_dates"]],
                         "All publication dates come from the page itself."))
    parts.append(f"<h3>Events with an imprecise or missing date ({len(notes['imprecise_events'])})</h3>")
    parts.append(bullets([f"{e['kind']}: {', '.join(e['participants'])} — {e['date']} ({e['precision']}"
                          f"{'; ' + e['basis'] if e['basis'] else ''})"
                          for e in notes["imprecise_events"]], "Every event has a day-precise date."))
    if notes["relative_event_dates"]:
        parts.append(f"<h3>Event dates worked out from the publication date ({len(notes['relative_event_dates'])})</h3>"
                     "<p>The text says e.g. \u201con Wednesday\u201d or gives no year; the date follows from the "
                     "article's date, so it is only as good as that.</p>")
        parts.append(bullets([f"{e['date']} — {e['kind']}: {', '.join(e['participants'])} ({e['basis']})"
                              for e in notes["relative_event_dates"]]))
    if notes["inferred_event_dates"]:
        parts.append(f"<h3>Event dates inferred from context ({len(notes['inferred_event_dates'])})</h3>")
        parts.append(bullets([f"{e['doc_id']}: {e['kind']} {e['date']} ({e['basis']})"
                              for e in notes["inferred_event_dates"]]))
    parts.append(f"<h3>Rejected inputs in the last ingest ({len(notes['rejected_inputs'])})</h3>")
    parts.append(table_html(notes["rejected_inputs"], ["input", "reason"], empty="No input was rejected."))
    parts.append(f"<h3>Articles with extraction warnings ({len(notes['warnings'])})</h3>")
    parts.append(table_html(notes["warnings"], ["doc_id", "warnings"], empty="No warnings."))
    if notes.get("corrected"):   # corrections track (issue 14.2)
        parts.append(f"<h3>Corrected by analyst ({len(notes['corrected'])})</h3>")
        parts.append(table_html(notes["corrected"], ["doc_id", "title", "corrections", "relevant"]))
    if notes["ingested_at"]:
        parts.append(f'<p class="wb-meta">Corpus last ingested {text(notes["ingested_at"])}.</p>')
    return Html("".join(parts))


def title_html(view: TopicView, generated_at: str | None = None) -> Html:
    gen = generated_at or dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    desc = f"<p>{text(view.description)}</p>" if view.description else ""
    return Html(f"<h1>Topic report: {text(view.topic)}</h1>{desc}"
                f'<p class="wb-meta">Articles published {text(view.range_label)}'
                f"{' (undated articles included)' if view.include_undated and (view.since or view.until) else ''}"
                f" · generated {text(gen)} · {link('index.html', 'all reports')}"
                f" · {link('corpus_overview.html', 'corpus overview')}</p>")


__all__ = [
    "TopicView", "load_topic", "view_of", "report_slug", "topic_descriptions", "range_label",
    "merged_events", "event_span", "event_key", "headline", "headline_html",
    "top_entities", "citation", "events_table", "events_html",
    "evidence", "evidence_html", "sources_table", "sources_html", "report_content", "previous_content",
    "save_pending", "whats_new", "whats_new_html", "quality_notes", "quality_html", "title_html",
    "topic_names",
]
