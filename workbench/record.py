"""The article record: one typed ``Article`` per document, its nested items, its store schema.

* ``Article`` is what extraction returns and what the store keeps: the values the
  page itself gave (``dateline_day`` is the dateline's month and day, parsed once),
  then the analysis fields.
* ``Link`` is the overlay cross-document linking adds (story id, a date or title
  borrowed from a syndicated copy, with where it came from). It is kept beside the
  extracted values, never written into them, so a later run can link afresh.
* ``Article.record()`` is the flat view every consumer reads (reports, explorer,
  export): extracted values with the overlay applied, under the export's field names.
* Nested items are ``TypedDict``s; ``EventDate`` is the one shape of an event's date
  for analysis, merging, reports and the explorer.
* ``arrow_schema()`` is the store's one schema: nested items are Arrow
  ``list<struct>`` columns, so the Parquet file is typed and readable by any tool.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any, TypedDict

# --------------------------------------------------------------------------- nested items


class Embedded(TypedDict):
    """A related story embedded in a page (title, outlet, its text)."""

    title: str | None
    outlet: str | None
    body: str


class Organization(TypedDict):
    name: str
    aliases: list[str]
    mentions: int
    kind: str | None
    misprints: list[str]


class Person(TypedDict):
    name: str
    role: str | None
    rank: str | None
    mentions: int
    aliases: list[str]
    known: bool


class Event(TypedDict):
    """An event one article reports; its date fields are ``EventDate.event_fields()``."""

    kind: str
    mode: str | None
    date: str | None
    date_precision: str | None
    date_basis: str | None
    date_text: str | None
    date_partial: str | None
    year_inferred: bool
    place: str | None
    participants: list[str]
    organizations: list[str]
    platforms: list[str]            # ships taking part
    sentence: str
    evidence: list[str]
    planned: bool


class Platform(TypedDict):
    """A platform the story names: a ship (USNS/USS/ROKS ...), or an aircraft, system,
    programme or agreement of the gazetteer's [[platform]] entries."""

    name: str
    kind: str | None
    mentions: int


class TopicHit(TypedDict):
    topic: str
    score: float
    weight: float
    evidence: list[str]
    cues: list[str]


Place = str   # places are canonical gazetteer names


# --------------------------------------------------------------------------- event dates


def month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    """First and last day of a month."""
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def date_span(date: str | None, precision: str | None = None) -> tuple[dt.date | None, dt.date | None]:
    """First and last day an event date string can mean ("2026-02" is all February,
    a week-precision date its seven days); (None, None) when not a date."""
    s = date.strip() if isinstance(date, str) else ""
    try:
        if len(s) == 10 and s[4] == "-" and s[7] == "-":
            lo = dt.date.fromisoformat(s)
            return lo, (lo + dt.timedelta(days=6) if precision == "week" else lo)
        if len(s) == 7 and s[4] == "-" and s[:4].isdigit() and s[5:].isdigit():
            return month_range(int(s[:4]), int(s[5:]))
        if len(s) == 4 and s.isdigit():
            return dt.date(int(s), 1, 1), dt.date(int(s), 12, 31)
    except ValueError:
        pass
    return None, None


@dataclass(frozen=True)
class EventDate:
    """When an event happened, as resolved from its sentence and the article's anchor."""

    date: str | None            # "YYYY-MM-DD" / "YYYY-MM" / "YYYY" (week: its Monday)
    precision: str | None       # day | week | month | year
    basis: str                  # how it was obtained
    text: str                   # the expression in the source
    partial: str | None = None  # "--MM-DD" / "--MM" when the year is unknown
    year_inferred: bool = False
    lo: dt.date | None = None   # the interval the date stands for
    hi: dt.date | None = None

    @property
    def known(self) -> bool:
        return self.date is not None

    def event_fields(self) -> dict[str, Any]:
        """The date fields of an ``Event`` record."""
        return {"date": self.date, "date_precision": self.precision if (self.date or self.partial) else None,
                "date_basis": self.basis, "date_text": self.text, "date_partial": self.partial,
                "year_inferred": bool(self.year_inferred)}

    @classmethod
    def of_event(cls, ev: Event | dict[str, Any]) -> EventDate | None:
        """The date of a stored event (None when it has none), its interval recomputed."""
        if ev.get("date"):
            s, p = str(ev["date"]), ev.get("date_precision")
            if not ((p in ("day", "week") and len(s) == 10) or len(s) in (4, 7)):
                return None
            lo, hi = date_span(s, p)
            if lo is None:
                return None
            return cls(s, p, ev.get("date_basis") or "", ev.get("date_text") or "", None,
                       bool(ev.get("year_inferred")), lo, hi)
        if ev.get("date_partial"):
            return cls(None, ev.get("date_precision"), ev.get("date_basis") or "",
                       ev.get("date_text") or "", ev["date_partial"])
        return None


NO_EVENT_DATE_FIELDS: dict[str, Any] = {"date": None, "date_precision": None, "date_basis": None,
                                        "date_text": None, "date_partial": None, "year_inferred": False}


# --------------------------------------------------------------------------- the article

# Export order of the flat record's fields.
SCALAR_FIELDS = (
    "doc_id", "source_path", "sha256", "format", "title", "title_basis", "headline_near_body",
    "published", "published_basis",
    "outlet", "author", "agency", "dateline", "body", "summary", "language",
    "url",   # where the page was fetched from (collect sidecar or an export's url field)
    "embedded_in",   # corrections track (issue 14.3): the page a related story was carried by
)
INT_FIELDS = ("word_count",)
LIST_FIELDS = (
    "comments", "captions", "embedded_articles", "warnings",
    # analysis fields
    "organizations", "people", "places", "platforms", "events", "topics",
)
ANALYSIS_FIELDS = ("organizations", "people", "places", "platforms", "events", "topics")
ANALYSIS_SCALARS = ("story_id",)
# corrections track (issue 14.2): what the analyst's corrections add to the flat view
CORRECTION_LIST_FIELDS = ("corrections",)   # what was corrected, as shown ("title set by analyst [c1]")
BOOL_FIELDS = ("relevant",)                 # False: the analyst marked the article not relevant
VIEW_LIST_FIELDS = LIST_FIELDS + CORRECTION_LIST_FIELDS
FIELDS = SCALAR_FIELDS + INT_FIELDS + LIST_FIELDS + ANALYSIS_SCALARS + CORRECTION_LIST_FIELDS + BOOL_FIELDS

PUBLISHED_BASES = ("page", "dateline", "feed", "syndicated-copy", "inferred",   # feed: an RSS/Atom item's date
                   "analyst")   # corrections track: set in data/corrections.toml


@dataclass
class Link:
    """What linking syndicated copies adds to an article, kept apart from what it extracted."""

    story_id: str
    published: str | None = None        # a date borrowed from a sibling copy ...
    published_from: str | None = None   # ... and that sibling's doc_id
    title: str | None = None            # a title borrowed from a sibling (``fill_title``) ...
    title_from: str | None = None       # ... or only noted: the sibling that has one
    sibling_title: str | None = None    # that sibling's title
    notes: list[str] = field(default_factory=list)   # warnings linking wrote


class FixValue(TypedDict):
    """One scalar field an analyst's correction sets (``value`` None: the field is cleared)."""

    field: str
    value: str | None


@dataclass
class Fix:
    """What the analyst's corrections (``data/corrections.toml``) change, kept beside the
    extracted and analysed values like ``Link`` and recomputed every run by
    ``workbench.corrections``: deleting a correction undoes it. A list left None is not corrected."""

    notes: list[str] = field(default_factory=list)       # shown as "corrected by analyst"
    values: list[FixValue] = field(default_factory=list)  # scalar fields set (title, published, story_id, ...)
    relevant: bool = True
    organizations: list[Organization] | None = None
    people: list[Person] | None = None
    topics: list[TopicHit] | None = None
    events: list[Event] | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Fix:
        """A ``Fix`` from its stored struct."""
        vals: dict[str, Any] = {k: (list(v) if isinstance(v, list | tuple) else v) for k, v in row.items()}
        return cls(**vals)


@dataclass
class Article:
    """One article: the values its page gave, the analysis of its body, the link overlay."""

    doc_id: str
    source_path: str | None = None
    sha256: str | None = None
    format: str | None = None
    title: str | None = None
    title_basis: str | None = None       # "syndicated-copy" for a headline borrowed from a sibling, else None
    headline_near_body: str | None = None   # a second headline right above the story (wire's, under a rewrite)
    published: str | None = None         # YYYY-MM-DD, or None when the page does not say
    published_basis: str | None = None   # one of PUBLISHED_BASES, or None
    outlet: str | None = None
    author: str | None = None
    agency: str | None = None
    dateline: str | None = None
    dateline_day: str | None = None      # "--MM-DD" when the dateline gave a day without a year
    body: str = ""
    summary: str | None = None
    language: str | None = None
    url: str | None = None               # where the page came from (collect sidecar, export url field)
    word_count: int = 0
    comments: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)   # photo captions taken out of the body
    embedded_articles: list[Embedded] = field(default_factory=list)
    embedded_in: str | None = None       # the doc_id of the page that carried this related story
    warnings: list[str] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    platforms: list[Platform] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    topics: list[TopicHit] = field(default_factory=list)
    analysis_key: str | None = None      # what the analysis fields were computed from
    link: Link | None = None
    fix: Fix | None = None               # the analyst's corrections (workbench.corrections)

    def __post_init__(self) -> None:
        if self.published_basis is not None and self.published_basis not in PUBLISHED_BASES:
            raise ValueError(f"{self.doc_id}: published_basis {self.published_basis!r} is not one of "
                             f"{', '.join(PUBLISHED_BASES)}")

    def record(self) -> dict[str, Any]:
        """The flat record consumers read: export fields, with the link overlay applied."""
        rec: dict[str, Any] = {f: getattr(self, f) for f in SCALAR_FIELDS + INT_FIELDS + LIST_FIELDS}
        rec["story_id"] = None
        rec["dateline_day"] = self.dateline_day
        if self.link is not None:
            rec.update(apply_link(rec, self.link))
        rec["corrections"], rec["relevant"] = [], True
        if self.fix is not None:
            rec.update(apply_fix(self.fix))
        return rec

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> Article:
        """An article from a flat record (as ``record()`` or ``empty_record`` give): its values
        are taken as extracted ones; a ``story_id`` becomes a bare link."""
        known = {f.name for f in fields(cls)} - {"link", "fix"}
        art = cls(**{k: v for k, v in rec.items() if k in known and v is not None})
        if rec.get("story_id"):
            art.link = Link(story_id=rec["story_id"])
        return art


def apply_link(rec: dict[str, Any], link: Link) -> dict[str, Any]:
    """The fields of flat record ``rec`` that ``link`` changes, with their new values."""
    out: dict[str, Any] = {"story_id": link.story_id}
    if link.published:
        out["published"], out["published_basis"] = link.published, "syndicated-copy"
    if link.title:
        out["title"], out["title_basis"] = link.title, "syndicated-copy"
    own = rec.get("warnings") or []
    new = [n for n in link.notes if n not in own]
    if new:
        out["warnings"] = [*own, *new]
    return out


def apply_fix(fix: Fix) -> dict[str, Any]:
    """The fields of the flat record that the analyst's corrections ``fix`` change."""
    out: dict[str, Any] = {v["field"]: v["value"] for v in fix.values}
    for name in ("organizations", "people", "topics", "events"):
        if getattr(fix, name) is not None:
            out[name] = getattr(fix, name)
    out["corrections"], out["relevant"] = list(fix.notes), fix.relevant
    return out


def empty_record(**values: Any) -> dict:
    """A flat record with every field present (null or empty list), updated with ``values``."""
    rec: dict[str, Any] = {f: None for f in SCALAR_FIELDS + ANALYSIS_SCALARS}
    rec.update({f: [] for f in VIEW_LIST_FIELDS})
    rec["word_count"], rec["relevant"] = 0, True
    unknown = set(values) - set(FIELDS) - {"dateline_day"}
    if unknown:
        raise KeyError(f"unknown record fields: {sorted(unknown)}")
    rec.update(values)
    return rec


# --------------------------------------------------------------------------- the store's schema

def arrow_schema() -> Any:
    """The Parquet store's columns: ``Article`` fields, nested items as ``list<struct>``."""
    import pyarrow as pa
    s, i, b, f = pa.string(), pa.int64(), pa.bool_(), pa.float64()
    strs = pa.list_(s)

    def items(*cols: tuple[str, Any]) -> Any:
        return pa.list_(pa.struct([pa.field(n, t) for n, t in cols]))

    nested = {
        "comments": strs, "captions": strs, "warnings": strs, "places": strs,
        "embedded_articles": items(("title", s), ("outlet", s), ("body", s)),
        "organizations": items(("name", s), ("aliases", strs), ("mentions", i), ("kind", s), ("misprints", strs)),
        "people": items(("name", s), ("role", s), ("rank", s), ("mentions", i), ("aliases", strs), ("known", b)),
        "platforms": items(("name", s), ("kind", s), ("mentions", i)),
        "events": items(("kind", s), ("mode", s), ("date", s), ("date_precision", s), ("date_basis", s),
                        ("date_text", s), ("date_partial", s), ("year_inferred", b), ("place", s),
                        ("participants", strs), ("organizations", strs), ("platforms", strs),
                        ("sentence", s), ("evidence", strs),
                        ("planned", b)),
        "topics": items(("topic", s), ("score", f), ("weight", f), ("evidence", strs), ("cues", strs)),
    }
    link = pa.struct([pa.field(n, s) for n in ("story_id", "published", "published_from", "title",
                                               "title_from", "sibling_title")] + [pa.field("notes", strs)])
    fix = pa.struct([pa.field("notes", strs), pa.field("values", items(("field", s), ("value", s))),
                     pa.field("relevant", b)] + [pa.field(n, nested[n]) for n in
                                                 ("organizations", "people", "topics", "events")])
    cols = []
    for fl in fields(Article):
        if fl.name == "link":
            cols.append(pa.field("link", link))
        elif fl.name == "fix":
            cols.append(pa.field("fix", fix))
        elif fl.name in nested:
            cols.append(pa.field(fl.name, nested[fl.name]))
        else:
            cols.append(pa.field(fl.name, i if fl.name in INT_FIELDS else s))
    return pa.schema(cols)
