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
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from workbench import dates, settings
from workbench.explore.correct import relevant_only  # corrections track (issue 14.2)
from workbench.explore.query import (
    Filters,
    as_date,
    build_index,
    event_when,
    filter_corpus,
    source_label,
    topic_names,
)
from workbench.record import date_span
from workbench.reports import state
from workbench.reports import words as W
from workbench.reports.cite import citation, cite_groups, cite_html, story_titles
from workbench.reports.html import Html, anchor_id, bullets, link, plain, report_slug, rows, table_html, text


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
    titles: dict = field(default_factory=dict)   # story id -> a known title of its copies
    _articles_by_id: dict | None = field(default=None, repr=False)   # doc id -> article, for citations
    _events_table: pd.DataFrame | None = field(default=None, repr=False)
    _citations: dict = field(default_factory=dict, repr=False)   # doc id -> its citation (``_cite``)

    @property
    def label(self) -> str:
        """The topic's name for readers (``label`` in topics.toml)."""
        return W.topic_label(self.topic)

    @property
    def range_label(self) -> str:
        return range_label(self.since, self.until)


def range_label(since, until) -> str:
    """The report's date range in words (``2026-02-01 to 2026-02-28``, ``all dates``)."""
    return dates.range_label(as_date(since), as_date(until))


# what a report needs of the articles outside its topic: citation titles of copies, ids, corrections
OUTLINE_FIELDS = ["doc_id", "title", "story_id", "topics", "relevant", "corrections"]


def load_topic(topic: str, since=None, until=None, store: str | Path | None = None,
               include_undated: bool = False, description: str | None = None) -> TopicView:
    """The topic's articles and merged events in ``[since, until]`` from ``store``.

    ``corpus``: every field of the topic's own articles, the ``OUTLINE_FIELDS`` of the others
    (which carry the topic, story titles for citations); ``ledger``: the entries the report
    reads (``reading.topic_ledger``). The store is read once per kernel (``reports.reading``)."""
    from workbench.reports import reading  # read once per kernel (``reports.run`` keeps kernels)
    outline = reading.outline_records(store, OUTLINE_FIELDS, whole=True)
    ids = [r["doc_id"] for r in outline if topic in topic_names(r["topics"])]
    full = reading.rows_of(store, ids) if ids else []
    corpus = reading.spliced(reading.outline_frame(store, OUTLINE_FIELDS), outline, {r["doc_id"]: r for r in full})
    return view_of(corpus, topic, since, until, include_undated, description,
                   reading.topic_ledger(store), str(store or ""))


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
    # the filter index over the topic's own articles (the others cannot match), or over one
    # other article when it has none, so that an empty result has the usual columns
    mine = [topic in topic_names(ts) for ts in pool["topics"]] if len(pool) else []
    idx = build_index(pool[mine] if any(mine) else pool.iloc[:1])
    allf = Filters(topics=(topic,), include_copies=True)
    topic_all = filter_corpus(idx, allf) if len(pool) else corpus.iloc[0:0]
    f = Filters(topics=(topic,), since=since, until=until, include_copies=True,
                include_undated=include_undated)
    articles = filter_corpus(idx, f) if len(pool) else corpus.iloc[0:0]
    events = _events_in_range(merged_events(articles), since, until, include_undated)
    return TopicView(topic=topic, description=description or "", since=since, until=until,
                     include_undated=include_undated, corpus=corpus, articles=articles,
                     topic_all=topic_all, events=events, ledger=ledger or {}, store=store,
                     titles=story_titles(corpus))


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
    whens, kinds = list(ev["when"]), list(ev["kind"])
    order = sorted(range(len(ev)), key=lambda i: (pd.isna(whens[i]), whens[i] if not pd.isna(whens[i]) else 0,
                                                  str(kinds[i])))
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
        "outlets": outlet_count(a),
        "events": int(len(view.events)),
        "events_multi_outlet": int((view.events["n_outlets"] >= 2).sum()) if len(view.events) else 0,
        "first": dated.min().strftime("%Y-%m-%d") if len(dated) else None,
        "last": dated.max().strftime("%Y-%m-%d") if len(dated) else None,
        "undated": int(a["published"].isna().sum()),
        "topic_articles_all_dates": int(len(view.topic_all)),
    }


def outlet_count(articles: pd.DataFrame) -> int:
    """Distinct named outlets, counted as ``workbench summary`` counts them: an
    article with no outlet (unknown source, or a wire agency alone) adds none."""
    if len(articles) == 0 or "outlet" not in articles:
        return 0
    return int(articles["outlet"].dropna().map(lambda o: str(o).strip()).replace("", None).dropna().nunique())


def headline_html(h: dict[str, Any]) -> Html:
    def day(v):
        return W.published_words(v) if v else "–"
    cards = [(h["articles"], "article", "articles"), (h["stories"], "distinct story", "distinct stories"),
             (h["outlets"], "outlet", "outlets"), (h["events"], "event", "events"),
             (h["events_multi_outlet"], "event in 2+ outlets", "events in 2+ outlets"),
             (day(h["first"]), "first article", None), (day(h["last"]), "latest article", None),
             (h["undated"], "undated article", "undated articles")]
    return Html('<div class="wb-cards">' + "".join(
        f'<div class="wb-card"><b>{text(v)}</b>{text(one if many is None or v == 1 else many)}</div>'
        for v, one, many in cards) + "</div>")


def top_entities(view: TopicView, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The most frequent organisations and people: how many articles name them."""
    orgs: Counter = Counter()
    mentions: Counter = Counter()
    people: Counter = Counter()
    roles: dict[str, Counter] = {}
    for a in rows(view.articles, ["organizations", "people"]):
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


def events_table(view: TopicView) -> pd.DataFrame:
    """Merged events: date, kind, place, participants, organisations, sources
    (doc ids) and the number of independent outlets reporting each (made once per view)."""
    if view._events_table is None:
        view._events_table = _events_table(view)
    return view._events_table.copy()


def _events_table(view: TopicView) -> pd.DataFrame:
    ev = view.events
    out = []
    for e in rows(ev):
        out.append({"date": plain(e["date"]) or "undated", "precision": plain(e["date_precision"]),
                     "partial": plain(e.get("date_partial")), "basis": plain(e.get("date_basis")),
                     "kind": plain(e["kind"]) or "event", "mode": plain(e.get("mode")),
                     "place": plain(e["place"]),
                     "participants": list(e["participants"]),
                     "organizations": list(e["organizations"]), "sources": list(e["sources"]),
                     "n_outlets": int(e["n_outlets"]), "key": event_key(e)})
    return pd.DataFrame(out, columns=["date", "precision", "partial", "basis", "kind", "mode", "place",
                                       "participants", "organizations", "sources", "n_outlets", "key"])


def _date_cell(e) -> Html:
    """An event's date in words; the calendar part never wraps, the caveat may."""
    words = W.event_date_words(None if e["date"] == "undated" else e["date"], e["precision"], e["partial"],
                               e["basis"])
    head, _, rest = words.partition(" (")
    return Html(f'<span class="wb-date">{text(head)}</span>' + (text(" (" + rest) if rest else ""))


def events_html(view: TopicView, table: pd.DataFrame | None = None) -> Html:
    table = events_table(view) if table is None else table
    by_id = _docs(view)
    out = []
    for e in rows(table):
        cites = Html("<br>".join(cite_groups([_cite(view, by_id[d]) for d in e["sources"] if d in by_id])))
        kind = Html(f'<span class="wb-kind">{text(W.kind_words(e["kind"], e["mode"]))}</span>')
        out.append({"Date": _date_cell(e), "Kind": kind, "Place": _words_whole(e["place"]),
                    "Participants": e["participants"], "Organisations": e["organizations"], "Sources": cites,
                    "Outlets": e["n_outlets"]})
    return table_html(out, ["Date", "Kind", "Place", "Participants", "Organisations", "Sources", "Outlets"],
                      empty="No events found for this topic and range.")


def _words_whole(value: Any) -> Any:
    """A short name (a place) that wraps between words, never inside one ("Washi|ngton" in a narrow
    column); a long string keeps the page's wrap-anywhere rule so it cannot widen the table."""
    if isinstance(value, str) and 0 < len(value) <= SHORT_NAME_CHARS:
        return Html(f'<span class="wb-words">{text(value)}</span>')
    return value


SHORT_NAME_CHARS = 40


def _docs(view: TopicView) -> dict[str, dict]:
    """doc id -> article, for every article a report cites: the topic's (its events'
    sources are among them). Built once per view."""
    if view._articles_by_id is None:
        frames = [f for f in (view.topic_all, view.articles) if len(f)]
        view._articles_by_id = {r["doc_id"]: r for f in frames for r in f.to_dict("records")}
    return view._articles_by_id


def _cite(view: TopicView, doc) -> dict[str, Any]:
    key = str(doc.get("doc_id"))     # one citation per article and view (do not modify it)
    if key not in view._citations:
        view._citations[key] = citation(doc, view.titles)
    return view._citations[key]


NEAR_SAME = 0.8     # word-set overlap (Jaccard) above which two evidence sentences are one


def _words(sentence: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", sentence.lower()))


def _same_group(groups: list[dict], words: frozenset[str], postings: dict[str, list[int]] | None = None) -> dict | None:
    """The first evidence group whose sentence is near-identical to ``words`` (copies edit lightly).

    With ``postings`` (word -> indexes of the groups whose sentence has it) only groups
    sharing one of a few of ``words`` are compared: a set with Jaccard >= NEAR_SAME holds
    all but ``len - ceil(NEAR_SAME * len)`` of them, so it shares one of any that many + 1
    (the rarest are taken). Same answer as comparing every group, in linear time."""
    if postings is None:
        cands: Iterable[int] = range(len(groups))
    else:
        k = len(words) - math.ceil(NEAR_SAME * len(words) - 1e-9) + 1
        rare = sorted(words, key=lambda w: (len(postings.get(w, ())), w))[:k]
        cands = sorted({i for w in rare for i in postings.get(w, ())})
    n = len(words)
    for i in cands:
        g = groups[i]
        m = len(g["words"])
        if min(n, m) / max(n, m, 1) < NEAR_SAME:
            continue        # Jaccard <= the smaller set's size over the larger's
        union = len(words | g["words"])
        if union and len(words & g["words"]) / union >= NEAR_SAME:
            return g
    return None


def evidence(view: TopicView, n: int = 12) -> pd.DataFrame:
    """The sentences that placed articles in this topic, near-identical ones (from
    syndicated copies) shown once, most widely reported first, each with its citations."""
    groups: list[dict] = []
    postings: dict[str, list[int]] = {}
    for a in map(_docs(view).__getitem__, view.articles["doc_id"].tolist()):     # _docs once
        for t in a["topics"] or []:
            if t.get("topic") != view.topic:
                continue
            for s in t.get("evidence") or []:
                s = " ".join(str(s).split())
                words = _words(s)
                if len(s) < 3 or not words:
                    continue
                g = _same_group(groups, words, postings)
                if g is None:
                    g = {"sentence": s, "words": words, "score": 0.0, "citations": []}
                    for w in words:
                        postings.setdefault(w, []).append(len(groups))
                    groups.append(g)
                g["score"] = max(g["score"], float(t.get("score") or 0))
                if a["doc_id"] not in [c["doc_id"] for c in g["citations"]]:
                    g["citations"].append(_cite(view, a))
    ranked = sorted(groups, key=lambda g: (-len({c["story"] for c in g["citations"]}), -len(g["citations"]),
                                           -g["score"], g["sentence"]))
    return pd.DataFrame(_per_story_cap(ranked, n), columns=["sentence", "score", "citations"])


def _per_story_cap(ranked: list[dict], n: int) -> list[dict]:
    """The first ``n`` evidence rows, no story cited by more than ``settings.EVIDENCE_PER_ARTICLE``
    of them: one story's copies must not fill the key evidence."""
    used: Counter = Counter()
    rows: list[dict] = []
    for g in ranked:
        stories = {c["story"] for c in g["citations"]}
        if any(used[s] >= settings.EVIDENCE_PER_ARTICLE for s in stories):
            continue
        used.update(stories)
        rows.append(g)
        if len(rows) == n:
            break
    return rows


def evidence_html(ev: pd.DataFrame) -> Html:
    if len(ev) == 0:
        return Html('<p class="wb-empty">No evidence sentences recorded for this topic and range.</p>')
    parts = []
    for r in rows(ev):
        cites = "; ".join(cite_groups(r["citations"]))
        parts.append(f'<blockquote class="wb-quote"><p>{text(r["sentence"])}</p><p>{cites}</p></blockquote>')
    return Html("".join(parts))


def sources_table(view: TopicView) -> pd.DataFrame:
    """Every article the report cites or counts, with its citation fields."""
    cited = list(view.articles["doc_id"])
    seen = set(cited)
    for s in view.events["sources"] if len(view.events) else []:
        for d in s:
            if d not in seen:
                seen.add(d)
                cited.append(d)
    by_id = _docs(view)
    in_topic = set(view.articles["doc_id"])
    rows = []
    for d in cited:
        if d in by_id:
            a = by_id[d]
            rows.append({**_cite(view, a), "words": int(a.get("word_count") or 0), "in_topic": d in in_topic})
    return pd.DataFrame(rows, columns=["doc_id", "story", "title", "outlet", "date", "url", "words", "in_topic"])


def sources_html(table: pd.DataFrame) -> Html:
    """Headline (linked to the original when its URL is known), outlet and date; each
    row carries the anchor citations jump to."""
    recs = rows(table)
    out = [{"Headline": link(r["url"], r["title"]) if r["url"] else r["title"], "Outlet": r["outlet"],
            "Published": r["date"]} for r in recs]
    return table_html(out, ["Headline", "Outlet", "Published"],
                      row_ids=[anchor_id("doc-", r["doc_id"]) for r in recs],
                      empty="No articles.")


# --------------------------------------------------------------------------- what is new

def report_content(view: TopicView) -> dict[str, Any]:
    """What a report covered, kept so the next report can say what is new."""
    h = headline(view)
    return {"topic": view.topic, "since": str(view.since or "") or None, "until": str(view.until or "") or None,
            "doc_ids": sorted(view.articles["doc_id"]), "event_keys": sorted(events_table(view)["key"]),
            "first": h["first"], "last": h["last"], "articles": h["articles"], "events": h["events"],
            "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}


def previous_content(topic: str, reports_dir: str | Path | None = None, whats_new_page: bool = False) -> dict | None:
    """What the previous successful report of ``topic`` covered (None for the first);
    for a what's-new page, the latest of the standing report and the earlier pages."""
    if whats_new_page:
        from workbench import settings
        return state.latest_content(Path(reports_dir or settings.reports_dir()), report_slug(topic)) or None
    return state.previous_content(report_slug(topic), reports_dir)


def save_pending(view: TopicView, reports_dir: str | Path | None = None, name: str | None = None) -> Path:
    """Write this report's content next to the state of report ``name`` (default: the
    topic's standing report); ``workbench report`` adopts it once the whole notebook
    has run and been exported."""
    return state.write_pending(name or report_slug(view.topic), report_content(view), reports_dir)


def whats_new(view: TopicView, previous: dict | None) -> dict[str, Any]:
    """Articles and events not in the previous report, and what left."""
    cur = report_content(view)
    if not previous:
        return {"first_report": True, "previous_at": None, "new_articles": cur["doc_ids"],
                "new_events": cur["event_keys"], "gone_articles": []}
    old_docs, old_events = set(previous.get("doc_ids", [])), set(previous.get("event_keys", []))
    return {"first_report": False, "previous_at": previous.get("generated_at"),
            "previous_range": range_label(previous.get("since"), previous.get("until")),
            "previous_bounds": [previous.get("since"), previous.get("until")],
            "old_event_keys": sorted(old_events),
            "new_articles": [d for d in cur["doc_ids"] if d not in old_docs],
            "new_events": [k for k in cur["event_keys"] if k not in old_events],
            "gone_articles": sorted(old_docs - set(cur["doc_ids"]))}


def _event_line(r) -> Html:
    who = r["participants"] or r["organizations"]
    date = W.event_date_words(None if r["date"] == "undated" else r["date"], r["precision"], r["partial"],
                              r["basis"])
    return Html(f"{text(date)} — {text(W.kind_words(r['kind'], r['mode']))}"
                f"{': ' + text(who) if who else ''}{' in ' + text(r['place']) if r['place'] else ''}")


def _undated_key(key: str) -> str:
    """An event key without its date: the same event with a revised date keeps it."""
    parts = key.split("|")
    return "|".join(parts[:1] + parts[2:])


def whats_new_html(view: TopicView, new: dict[str, Any], whats_new_page: bool = False) -> Html:
    """New articles and events since the previous report, in readers' words (no ids); a
    what's-new page covers a shorter range, so it does not count what is outside it."""
    by_id = _docs(view)
    table = events_table(view)
    if new["first_report"]:
        return Html("<p>This is the first report of this topic: everything below is new.</p>")
    head = (f"<p>Compared with the previous report of {text(W.when_words(new['previous_at']) or 'an earlier run')}"
            f" ({text(W.range_words(*_range_of(new)))}): {text(W.plural(len(new['new_articles']), 'new article'))}, "
            f"{text(W.plural(len(new['new_events']), 'new event'))}.</p>")
    arts = cite_groups([_cite(view, by_id[d]) for d in new["new_articles"] if d in by_id])
    evs = table[table["key"].isin(new["new_events"])]
    old_keys = {_undated_key(k) for k in new.get("old_event_keys", [])}
    fresh = [_event_line(r) for r in rows(evs) if _undated_key(r["key"]) not in old_keys]
    revised = [_event_line(r) for r in rows(evs) if _undated_key(r["key"]) in old_keys]
    n_gone = len(new["gone_articles"])
    gone = (f"<p>{text(W.plural(n_gone, 'article'))} of the previous report "
            f"{'is' if n_gone == 1 else 'are'} no longer in it (out of range or removed from the corpus).</p>"
            if n_gone and not whats_new_page else "")
    out = head + "<h3>New articles</h3>" + bullets(arts, "No new articles.")
    out += "<h3>New events</h3>" + bullets(fresh, "No new events.")
    if revised:
        out += "<h3>Events with a revised date</h3>" + bullets(revised)
    return Html(out + gone)


def _range_of(new: dict[str, Any]) -> tuple[Any, Any]:
    rng = new.get("previous_bounds") or (None, None)
    return rng[0], rng[1]


def title_html(view: TopicView, generated_at: str | None = None, whats_new_page: bool = False) -> Html:
    """The report's heading: the topic's name for readers, its range and when it was made
    (a what's-new page says so: it covers only what came in since the last report)."""
    gen = W.when_words(generated_at or dt.datetime.now(dt.UTC).isoformat(timespec="minutes"))
    desc = f"<p>{text(view.description)}</p>" if view.description else ""
    head = f"What's new: {view.label}" if whats_new_page else view.label
    if whats_new_page:
        desc += ("<p>Only articles published since the previous report; the standing report "
                 f"({link(report_slug(view.topic) + '.html', 'all dates')}) is unchanged.</p>")
    return Html(f"<h1>{text(head)}</h1>{desc}"
                f'<p class="wb-meta">Articles published {text(W.range_words(view.since, view.until))}'
                f"{' (undated articles included)' if view.include_undated and (view.since or view.until) else ''}"
                f" · generated {text(gen)} · {link('index.html', 'all reports')}"
                f" · {link('corpus_overview.html', 'corpus overview')}</p>")


__all__ = [
    "TopicView", "load_topic", "view_of", "report_slug", "topic_descriptions", "range_label", "merged_events",
    "event_span", "event_key", "headline", "headline_html", "top_entities", "citation", "events_table", "events_html",
    "evidence", "evidence_html", "sources_table", "sources_html", "report_content", "previous_content",
    "save_pending", "whats_new", "whats_new_html", "title_html", "cite_html", "cite_groups", "story_titles",
    "outlet_count", "topic_names",
]
