"""Query the corpus fast: filters, event rows, co-occurrence, highlighting.

Pure functions over the corpus DataFrame (``workbench.store.load_corpus``),
shared by the explorer widget and anyone doing the same in plain pandas.
``build_index`` does the slow work once (lower-cased text, topic and entity
postings, flattened events, entity pairs); ``filter_corpus`` then answers a
``Filters`` in a few milliseconds on a corpus of thousands of articles.

    from workbench.explore.query import build_index, Filters, filter_corpus
    idx = build_index(load_corpus())
    hits = filter_corpus(idx, Filters(topics=("mro-shipbuilding",), text="submarine"))

Semantics, in one place:

- ``topics``: an article matches if it carries *any* of the topics given.
- ``since``/``until``: inclusive bounds on ``published``. Articles with no
  known date are dropped when a bound is set unless ``include_undated``.
- ``outlets``: the article's source label (see ``source_label``) is one of them.
- ``entity``: an organisation or person by canonical name (case-insensitive);
  text that is not a full name matches every name containing it, so partial
  type-ahead input already narrows the table.
- ``text``: every word (or "quoted phrase") occurs in the title or body,
  case-insensitively.
- ``include_copies=False`` keeps one article per story (``story_id``): the
  best-ranked *matching* copy (has a title, has a date, date basis ``page``
  first, longest body), so filtering by one outlet still shows its copy.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from workbench.explore.search import search_mask as _search_mask
from workbench.explore.search import search_terms  # noqa: F401  (re-exported: query.search_terms)
from workbench.record import date_span

UNKNOWN_SOURCE = "(unknown source)"
NO_TITLE = "(no title)"              # one wording for an article without a title, explorer and reports
BASIS_RANK = {"page": 0, "feed": 0, "dateline": 1, "syndicated-copy": 2, "inferred": 3}
# Columns added by ``build_index`` for display; not part of the record.
DISPLAY_COLUMNS = ("date_label", "source", "topic_names", "copies")


# --------------------------------------------------------------------------- filters

@dataclass
class Filters:
    """What the user asked for; empty values mean "no constraint"."""

    topics: Sequence[str] = ()
    since: dt.date | str | None = None
    until: dt.date | str | None = None
    outlets: Sequence[str] = ()
    entity: str = ""
    text: str = ""
    include_copies: bool = False
    include_undated: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.topics, str):
            self.topics = (self.topics,)
        if isinstance(self.outlets, str):
            self.outlets = (self.outlets,)
        self.topics = tuple(t for t in self.topics if t)
        self.outlets = tuple(o for o in self.outlets if o)
        self.since = as_date(self.since)
        self.until = as_date(self.until)
        self.entity = (self.entity or "").strip()
        self.text = (self.text or "").strip()


def as_date(v) -> dt.date | None:
    """A date from None/str/Timestamp/datetime/date (None when empty or NaT)."""
    if v is None or v == "" or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.date()
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


# --------------------------------------------------------------------------- the index

@dataclass
class CorpusIndex:
    """Everything ``filter_corpus`` needs, computed once per corpus."""

    base: pd.DataFrame                       # the corpus plus DISPLAY_COLUMNS, positional (``frame``)
    text_lc: Any                             # title + body, lower-cased: a list, or an Arrow string array
    published: np.ndarray                    # datetime64[D], NaT when unknown
    source: np.ndarray                       # source label per row (object)
    story: np.ndarray                        # story code per row (int)
    quality: np.ndarray                      # rank within the story (lower is better)
    order: np.ndarray                        # display order: newest first, undated last
    topic_rows: dict[str, np.ndarray]        # topic -> row positions
    entity_rows: dict[str, np.ndarray]       # lower-cased canonical name -> row positions
    entity_names: dict[str, str]             # lower-cased -> canonical spelling
    entity_kind: dict[str, str]              # lower-cased -> "organization" | "person"
    events: pd.DataFrame                     # one row per event mention, with ``row``
    pair_row: np.ndarray                     # entity pairs: the row they co-occur in
    pair_id: np.ndarray                      # ... and the pair's id
    pairs: list[tuple[str, str]]             # pair id -> (canonical a, canonical b)
    lazy: list[str] = field(default_factory=list)   # ``base`` columns still Arrow (``ArrowDtype``) lists
    _search_cache: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _text_bytes: Any = field(default=None, repr=False)     # ``search.TextBytes`` of an Arrow ``text_lc``
    _event_keys: Any = field(default=None, repr=False)     # ``events_for``'s columns of ``events``, as numpy

    def __len__(self) -> int:
        return len(self.base)

    @property
    def frame(self) -> pd.DataFrame:
        """The corpus plus DISPLAY_COLUMNS, positional, list columns as Python lists. A cached
        index keeps its nested columns in Arrow (``lazy``) until a whole frame is asked for:
        making every row's lists and dicts was most of a start at 100k articles."""
        for c in list(self.lazy):
            values = _python_lists(self.base[c])        # as ``_normalised_frame`` then ``frame_of_table``
            self.base[c] = values if c in FRAME_LISTS else pd.Series(values, index=self.base.index, dtype=object)
            self.lazy.remove(c)
        return self.base

    def rows(self, positions: np.ndarray) -> pd.DataFrame:
        """``frame.iloc[positions]``; while ``lazy``, only those rows' lists are made when they are few."""
        if not self.lazy or len(positions) > LAZY_ROWS or not len(self.base):
            return self.frame.iloc[positions]
        out = self.base.iloc[positions].copy()
        for c in self.lazy:          # ``frame``'s dtype: object (the frame has rows)
            out[c] = pd.Series(_python_lists(out[c]), index=out.index, dtype=object)
        return out

    @property
    def topics(self) -> list[str]:
        return sorted(self.topic_rows)

    @property
    def sources(self) -> list[str]:
        return sorted(set(self.source.tolist()), key=lambda s: (s == UNKNOWN_SOURCE, s.lower()))

    @property
    def names(self) -> list[str]:
        """Canonical organisation and person names, for type-ahead."""
        return sorted(self.entity_names.values(), key=str.lower)


FRAME_LISTS = ("organizations", "people", "places", "events", "topics", "warnings")   # made lists by the index
LAZY_ROWS = 2000     # ``CorpusIndex.rows``: more rows than this make the whole frame's lists once


def _python_lists(col: pd.Series) -> list[list]:
    """An Arrow (``ArrowDtype``) list column's values as ``_normalised_frame`` makes them: lists, [] for null."""
    return [v if isinstance(v, list) else _list(v) for v in col.tolist()]


def _list(v) -> list:
    if isinstance(v, list):
        return v
    if isinstance(v, (tuple, np.ndarray)):
        return list(v)
    return []


def _str(v) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return ""
    return str(v)


def source_label(outlet, agency) -> str:
    """The outlet; else the wire agency, marked; else ``UNKNOWN_SOURCE``."""
    o, a = _str(outlet).strip(), _str(agency).strip()
    if o:
        return o
    if a:
        return f"{a} (agency)"
    return UNKNOWN_SOURCE


# (kind, mode) as the event extractor writes them -> what a reader calls it (explorer and reports).
KIND_MODE_WORDS = {
    ("CONSULT", "meet"): "meeting", ("CONSULT", "phone"): "phone call", ("CONSULT", "visit"): "visit",
    ("AGREE", "sign"): "signing", ("AGREE", "agree"): "agreement", ("COOPERATE", "contract"): "contract award",
    ("MOBILIZE", "exercise"): "exercise",
}
KIND_WORDS = {"CONSULT": "consultation", "AGREE": "agreement", "COOPERATE": "cooperation",
              "MOBILIZE": "mobilisation", "event": "event"}


def kind_words(kind, mode=None) -> str:
    """``("CONSULT", "meet")`` -> ``"meeting"``; an unknown code in lower-case words."""
    k, m = _str(kind).strip(), _str(mode).strip()
    if (k, m) in KIND_MODE_WORDS:
        return KIND_MODE_WORDS[(k, m)]
    if k in KIND_WORDS:
        return KIND_WORDS[k]
    return re.sub(r"[_\s]+", " ", k).lower() or "event"


def date_label(published, basis) -> str:
    """``2026-02-11 (page)``; ``undated``."""
    if published is None or pd.isna(published):
        return "undated"
    d = pd.Timestamp(published).strftime("%Y-%m-%d")
    b = _str(basis)
    return f"{d} ({b})" if b else d


def topic_names(topics) -> list[str]:
    out = []
    for t in _list(topics):
        name = t["topic"]
        if name and name not in out:
            out.append(str(name))
    return out


def entity_list(row) -> list[tuple[str, str]]:
    """(canonical name, kind) of the organisations then people of a record."""
    out: list[tuple[str, str]] = []
    seen = set()
    for kind, col in (("organization", "organizations"), ("person", "people")):
        for e in _list(row.get(col) if hasattr(row, "get") else row[col]):
            name = e["name"] or ""
            name = str(name).strip()
            if name and name.lower() not in seen:
                seen.add(name.lower())
                out.append((name, kind))
    return out


def _normalised_frame(corpus: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``corpus`` with every column filtering reads, list columns as lists
    (Arrow list columns, ``ArrowDtype``, are left as they are: ``CorpusIndex.lazy``)."""
    df = corpus.copy().reset_index(drop=True)
    n = len(df)
    for col, default in (("doc_id", None), ("title", None), ("body", None), ("published", pd.NaT),
                         ("published_basis", None), ("outlet", None), ("agency", None),
                         ("story_id", None)):
        if col not in df:
            df[col] = default
    for col in FRAME_LISTS:
        if col not in df:
            df[col] = [[] for _ in range(n)]
        elif not isinstance(df[col].dtype, pd.ArrowDtype):
            df[col] = [_list(v) for v in df[col]]
    if "doc_id" in df and df["doc_id"].isna().any():
        df["doc_id"] = [d if isinstance(d, str) and d else f"row{i}" for i, d in enumerate(df["doc_id"])]
    df["published"] = pd.to_datetime(df["published"], errors="coerce")
    return df


def _entity_postings(df: pd.DataFrame) -> tuple[dict, dict, dict, list[list[str]]]:
    """Rows of each organisation/person (by lower-cased name), their display names and kinds."""
    ent_post: dict[str, list[int]] = {}
    ent_names: dict[str, str] = {}
    ent_kind: dict[str, str] = {}
    row_entities: list[list[str]] = []
    for i, (orgs, people) in enumerate(zip(df["organizations"].tolist(), df["people"].tolist())):
        ents = entity_list({"organizations": orgs, "people": people})
        lows = []
        for name, kind in ents:
            low = name.lower()
            ent_names.setdefault(low, name)
            ent_kind.setdefault(low, kind)
            ent_post.setdefault(low, []).append(i)
            lows.append(low)
        row_entities.append(sorted(set(lows)))
    return ent_post, ent_names, ent_kind, row_entities


def _entity_pairs(row_entities: list[list[str]], ent_names: dict[str, str]) -> tuple[np.ndarray, np.ndarray, list]:
    """(row, pair id) for every pair of entities in every row, and the pairs' names.

    Pairs are (a, b) with a < b in each row's sorted list, listed row by row; a pair's
    id is its rank of first appearance in that listing. Computed with numpy, rows of
    one length at a time (a Python loop over every pair cost ~1 s per 5,000 articles)."""
    names = sorted(ent_names)
    code = {k: i for i, k in enumerate(names)}
    by_len: dict[int, list[int]] = {}
    for i, lows in enumerate(row_entities):
        if len(lows) > 1:
            by_len.setdefault(len(lows), []).append(i)
    groups = ((np.array(rows, dtype=np.int64),
               np.array([[code[x] for x in row_entities[i]] for i in rows], dtype=np.int64))
              for rows in by_len.values())
    return pairs_of_rows(groups, names, ent_names)


def pairs_of_rows(groups: Iterable[tuple[np.ndarray, np.ndarray]], names: list[str],
                  ent_names: dict[str, str]) -> tuple[np.ndarray, np.ndarray, list]:
    """``_entity_pairs`` from groups of rows of one length: (row numbers, their sorted entity
    codes as a rows × length matrix, codes indexing ``names``). Shared with ``indexmerge``."""
    rows_l, a_l, b_l, k_l = [], [], [], []
    for rows, codes in groups:
        ai, bi = np.triu_indices(codes.shape[1], 1)        # (0,1), (0,2), ... as the nested loops go
        rows_l.append(np.repeat(rows, len(ai)))
        a_l.append(codes[:, ai].ravel())
        b_l.append(codes[:, bi].ravel())
        k_l.append(np.tile(np.arange(len(ai), dtype=np.int64), len(rows)))
    if not rows_l:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), []
    prow, a, b, k = (np.concatenate(x) for x in (rows_l, a_l, b_l, k_l))
    order = np.lexsort((k, prow))                  # row by row, each row's pairs in loop order
    prow, key = prow[order], a[order] * len(names) + b[order]
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    rank = np.argsort(first, kind="stable")        # ids by first appearance
    new_id = np.empty(len(uniq), dtype=np.int64)
    new_id[rank] = np.arange(len(uniq), dtype=np.int64)
    pairs = [(ent_names[names[int(x) // len(names)]], ent_names[names[int(x) % len(names)]]) for x in uniq[rank]]
    return prow, new_id[inverse.ravel()], pairs


def search_texts(titles: Iterable, bodies: Iterable) -> list[str]:
    """What free-text search looks in: title and body, lower-cased (``CorpusIndex.text_lc``)."""
    return [f"{_str(t)}\n{_str(b)}".lower() for t, b in zip(titles, bodies)]


def build_index(corpus: pd.DataFrame, text_lc: list[str] | None = None) -> CorpusIndex:
    """Precompute what filtering needs. ``corpus`` is left unchanged. ``text_lc``:
    ``search_texts(corpus["title"], corpus["body"])`` when already made (the explorer's cache keeps it)."""
    df = _normalised_frame(corpus)
    for c in df.columns:
        if isinstance(df[c].dtype, pd.ArrowDtype):      # a cached frame's list columns: as lists here
            df[c] = _python_lists(df[c]) if c in FRAME_LISTS else pd.Series(_python_lists(df[c]), dtype=object)
    n = len(df)
    col = {c: df[c].tolist() for c in ("title", "body", "doc_id", "story_id", "outlet", "agency",
                                        "published", "published_basis", "topics")}   # not cell by cell
    titles = [_str(t) for t in col["title"]]
    bodies = [_str(b) for b in col["body"]]
    if text_lc is None or len(text_lc) != n:
        text_lc = search_texts(titles, bodies)
    published = df["published"].to_numpy(dtype="datetime64[D]")
    source = np.array([source_label(o, a) for o, a in zip(col["outlet"], col["agency"])], dtype=object)

    story_ids = [_str(s) or _str(d) for s, d in zip(col["story_id"], col["doc_id"])]
    story_codes, story_uniques = pd.factorize(pd.Series(story_ids, dtype=object))
    story = np.asarray(story_codes, dtype=np.int64)
    sizes = np.bincount(story, minlength=len(story_uniques)) if n else np.zeros(0, dtype=np.int64)

    bases = [_str(b) for b in col["published_basis"]]
    keys = [(0 if t else 1, 0 if not pd.isna(p) else 1, BASIS_RANK.get(b, 9), -len(body), _str(d))
            for t, p, b, body, d in zip(titles, col["published"], bases, bodies, col["doc_id"])]
    best_first = sorted(range(n), key=keys.__getitem__)
    quality = np.empty(n, dtype=np.int64)
    quality[best_first] = np.arange(n)

    # newest first, undated last, then title, then doc_id
    undated = np.isnat(published)
    days = np.where(undated, 0, published.astype(np.int64))
    order = np.lexsort((np.array([_str(d) for d in col["doc_id"]], dtype=str),
                        np.array([t.lower() for t in titles], dtype=str), -days, undated)).astype(np.int64)

    topic_post: dict[str, list[int]] = {}
    tnames = []
    for i, ts in enumerate(col["topics"]):
        names = topic_names(ts)
        tnames.append(", ".join(names))
        for t in names:
            topic_post.setdefault(t, []).append(i)

    ent_post, ent_names, ent_kind, row_entities = _entity_postings(df)
    prow, pid, pairs = _entity_pairs(row_entities, ent_names)

    df["date_label"] = [date_label(p, b) for p, b in zip(col["published"], col["published_basis"])]
    df["source"] = source
    df["topic_names"] = tnames
    df["copies"] = (sizes[story] - 1) if n else np.zeros(0, dtype=np.int64)

    return CorpusIndex(
        base=df, text_lc=text_lc, published=published, source=source, story=story,
        quality=quality, order=order,
        topic_rows={k: np.array(v, dtype=np.int64) for k, v in topic_post.items()},
        entity_rows={k: np.array(v, dtype=np.int64) for k, v in ent_post.items()},
        entity_names=ent_names, entity_kind=ent_kind,
        events=_flatten_events(df),
        pair_row=np.array(prow, dtype=np.int64), pair_id=np.array(pid, dtype=np.int64), pairs=pairs,
    )


# --------------------------------------------------------------------------- filtering

def _rows_mask(n: int, rows: Iterable[np.ndarray]) -> np.ndarray:
    m = np.zeros(n, dtype=bool)
    for r in rows:
        m[r] = True
    return m


def matching_entities(index: CorpusIndex, text: str) -> list[str]:
    """Lower-cased canonical names the entity filter ``text`` stands for."""
    low = (text or "").strip().lower()
    if not low:
        return []
    if low in index.entity_rows:
        return [low]
    return [k for k in index.entity_rows if low in k]


def filter_mask(index: CorpusIndex, filters: Filters) -> np.ndarray:
    """Boolean mask over ``index.frame`` rows (copies not yet collapsed)."""
    n = len(index)
    m = np.ones(n, dtype=bool)
    if filters.topics:
        m &= _rows_mask(n, (index.topic_rows.get(t, np.zeros(0, dtype=np.int64)) for t in filters.topics))
    if filters.outlets:
        m &= np.isin(index.source, np.array(list(filters.outlets), dtype=object))
    if filters.since or filters.until:
        p = index.published
        ok = np.ones(n, dtype=bool)
        if filters.since:
            ok &= p >= np.datetime64(filters.since, "D")
        if filters.until:
            ok &= p <= np.datetime64(filters.until, "D")
        undated = np.isnat(p)
        m &= (ok & ~undated) | (undated & filters.include_undated)
    if filters.entity:
        m &= _rows_mask(n, (index.entity_rows[k] for k in matching_entities(index, filters.entity)))
    if filters.text:
        m &= _search_mask(index, filters.text, rows=m)      # last: only the rows still in play
    return m


def collapse_copies(index: CorpusIndex, positions: np.ndarray) -> np.ndarray:
    """Of ``positions``, the best-ranked one per story (in no particular order)."""
    if len(positions) == 0:
        return positions
    order = np.lexsort((index.quality[positions], index.story[positions]))
    srt = positions[order]
    st = index.story[srt]
    first = np.ones(len(srt), dtype=bool)
    first[1:] = st[1:] != st[:-1]
    return srt[first]


def filter_positions(index: CorpusIndex, filters: Filters, mask: np.ndarray | None = None) -> np.ndarray:
    """Row positions matching ``filters`` in display order (newest first).
    ``mask``: ``filter_mask(index, filters)`` if already computed."""
    m = filter_mask(index, filters) if mask is None else mask
    if not filters.include_copies:
        keep = np.zeros(len(index), dtype=bool)
        keep[collapse_copies(index, np.flatnonzero(m))] = True
        m = keep
    return index.order[m[index.order]]


def filter_corpus(index: CorpusIndex, filters: Filters) -> pd.DataFrame:
    """The matching articles, newest first, indexed by ``doc_id``."""
    pos = filter_positions(index, filters)
    out = index.rows(pos)
    return out.set_index(out["doc_id"].to_numpy(), drop=False).rename_axis(None)


def hidden_copies(index: CorpusIndex, filters: Filters) -> int:
    """How many matching articles ``include_copies=False`` hides."""
    return int(filter_mask(index, filters).sum()) - len(filter_positions(index, filters))


def siblings(index: CorpusIndex, doc_id: str) -> pd.DataFrame:
    """The other articles of ``doc_id``'s story (its syndicated copies)."""
    return index.rows(sibling_positions(index, doc_id))


def sibling_positions(index: CorpusIndex, doc_id: str) -> np.ndarray:
    """Row positions of ``siblings(index, doc_id)``."""
    hit = np.flatnonzero(index.base["doc_id"].to_numpy() == doc_id)
    if not len(hit):
        return np.zeros(0, dtype=np.int64)
    i = hit[0]
    return np.flatnonzero((index.story == index.story[i]) & (np.arange(len(index)) != i))


# --------------------------------------------------------------------------- events

EVENT_COLUMNS = ["row", "doc_id", "story", "kind", "date", "date_precision", "date_basis", "place",
                 "participants", "organizations", "sentence", "when", "key"]


def event_when(date, precision=None) -> tuple[pd.Timestamp, str | None]:
    """A plotting date for an event date string and its precision: the day, the
    middle of the month, or the middle of the year."""
    s = _str(date).strip()
    lo, _ = date_span(s)
    if lo is None:
        return pd.NaT, None
    if len(s) == 10:
        return pd.Timestamp(lo), precision or "day"
    if len(s) == 7:
        return pd.Timestamp(lo.replace(day=15)), precision or "month"
    return pd.Timestamp(lo.replace(month=7)), precision or "year"


def _flatten_events(df: pd.DataFrame) -> pd.DataFrame:
    rows = []
    doc_ids = df["doc_id"].tolist()
    stories = [(_str(s) or _str(d)) for s, d in zip(df["story_id"].tolist(), doc_ids)]
    for i, evs in enumerate(df["events"].tolist()):
        for e in _list(evs):
            parts = tuple(str(p) for p in _list(e.get("participants")))
            orgs = tuple(str(o) for o in _list(e.get("organizations")))
            when, prec = event_when(e.get("date"), e.get("date_precision"))
            kind = kind_words(e.get("kind"), e.get("mode"))     # the timeline's lanes, in words
            place = _str(e.get("place"))
            who = ";".join(sorted(p.lower() for p in parts)) or ";".join(sorted(o.lower() for o in orgs))
            key = f"{kind}|{_str(e.get('date'))}|{place.lower()}|{who or stories[i]}"
            rows.append((i, doc_ids[i], stories[i], kind, _str(e.get("date")) or None, prec,
                         e.get("date_basis"), place or None, parts, orgs, e.get("sentence"), when, key))
    return events_frame(rows)


def events_frame(rows: list[tuple]) -> pd.DataFrame:
    """``CorpusIndex.events`` of its rows (tuples in ``EVENT_COLUMNS`` order)."""
    ev = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    ev["when"] = pd.to_datetime(ev["when"])
    ev["key_code"] = pd.factorize(ev["key"])[0].astype(np.int64) if len(ev) else np.zeros(0, dtype=np.int64)
    return ev


def events_for(index: CorpusIndex, positions: np.ndarray, with_docs: bool = False) -> pd.DataFrame:
    """The distinct events reported by the articles at ``positions``, by date.

    An event reported by several articles (syndicated copies, follow-ups)
    is one row; ``sources`` counts those articles (``with_docs`` adds
    ``doc_ids``, their ids, at some cost on large selections).
    """
    ev = index.events
    if index._event_keys is None:           # per event mention, once: its row, key, and sort keys
        kind_rank = pd.factorize(ev["kind"].to_numpy(dtype=str), sort=True)[0] if len(ev) else np.zeros(0)
        index._event_keys = (ev["row"].to_numpy(), ev["key_code"].to_numpy(), kind_rank,
                             ev["when"].to_numpy(dtype="datetime64[ns]").astype(np.int64),
                             ev["when"].isna().to_numpy())
    row, key, kind_rank, when, undated = index._event_keys
    sel = np.zeros(len(index), dtype=bool)
    sel[positions] = True
    rows = np.flatnonzero(sel[row]) if len(ev) else np.zeros(0, dtype=np.int64)
    codes = key[rows]
    counts = np.bincount(codes, minlength=int(key.max()) + 1 if len(ev) else 0)
    _, first = np.unique(codes, return_index=True)
    take = rows[first]
    order = np.lexsort((kind_rank[take], when[take], undated[take]))     # dated by date, then undated; then kind
    out = ev.iloc[take[order]].drop(columns=["row"])
    out["sources"] = counts[codes[first][order]].astype("int64")
    if with_docs:
        docs = ev.iloc[rows].groupby("key_code", sort=False)["doc_id"].agg(list)
        out["doc_ids"] = out["key_code"].map(docs)
    return out.drop(columns=["key_code"]).reset_index(drop=True)


# --------------------------------------------------------------------------- co-occurrence

def cooccurrence(index: CorpusIndex, positions: np.ndarray, top: int = 15,
                 entity: str | None = None) -> pd.DataFrame:
    """Pairs of organisations/people named in the same article, most frequent first.

    ``articles`` counts the articles at ``positions`` naming both. With
    ``entity`` (text as for ``Filters.entity``), only pairs involving it.
    """
    cols = ["a", "b", "articles"]
    if len(index.pair_id) == 0 or len(positions) == 0:
        return pd.DataFrame(columns=cols).astype({"articles": "int64"})
    sel = np.zeros(len(index), dtype=bool)
    sel[positions] = True
    counts = np.bincount(index.pair_id[sel[index.pair_row]], minlength=len(index.pairs))
    ids = np.flatnonzero(counts)
    if entity:
        wanted = {index.entity_names[k] for k in matching_entities(index, entity)}
        ids = np.array([j for j in ids if index.pairs[j][0] in wanted or index.pairs[j][1] in wanted],
                       dtype=np.int64)
    if len(ids) == 0:
        return pd.DataFrame(columns=cols).astype({"articles": "int64"})
    ids = ids[np.lexsort((ids, -counts[ids]))][:top]
    return pd.DataFrame({"a": [index.pairs[j][0] for j in ids], "b": [index.pairs[j][1] for j in ids],
                         "articles": counts[ids].astype("int64")})
