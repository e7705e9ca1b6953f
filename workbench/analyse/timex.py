"""Dates in news sentences, resolved against the article's own date.

Small regexes, no date-parsing library on the hot path. A date expression is
found (:func:`find_dates`) and resolved (:func:`resolve`) against an
:class:`Anchor` - the article's publication date, or the month and day of its
dateline ("Seoul, Feb 11") when the year is unknown:

* "on Wednesday" in a story dated Wed 2026-02-11 -> 2026-02-11 (the latest such
  weekday on or before the anchor; the next one for future tense or "next");
* "earlier this month" -> 2026-02, precision month; "last week" -> precision week;
* "June 9" / "Feb. 3, 2026" / "3 February" -> a day; the year comes from the text,
  else from the anchor (the previous year when the day would be well after the
  anchor), else it stays unknown: ``date`` None, ``partial`` "--06-09";
* an anchor whose year was itself inferred passes ``year_inferred`` on.

Dates that only say when something was *reported* ("officials said on February
14", "the ministry said Monday") are marked ``reporting`` so events ignore them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from workbench.dates import MONTHS, parse_day_month
from workbench.record import EventDate, month_range

WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6}

_REPORTING = re.compile(
    r"(?:\b(?:said|says|say|told(?:\s+[A-Z][\w.&-]*){0,3}|announced|reported|stated|noted|added|confirmed|revealed|"
    r"according\s+to\s+\S+(?:\s+\S+)?|statement|briefing|press\s+release)\s*(?:on\s+|late\s+on\s+|early\s+on\s+)?)$",
    re.I)
_FUTURE = re.compile(r"\b(?:will|shall|is\s+to|are\s+to|plans?\s+to|planned\s+to|scheduled|slated|"
                     r"due\s+(?:to|in|for)|set\s+to|"
                     r"expected\s+to|upcoming|to\s+be\s+held|next)\b", re.I)


@dataclass(frozen=True)
class Anchor:
    """The date a story's relative expressions count from."""
    year: int | None
    month: int | None
    day: int | None
    basis: str | None          # "published:page", "published:syndicated-copy", "dateline", ...
    year_inferred: bool = False

    @property
    def full(self) -> date | None:
        if self.year and self.month and self.day:
            try:
                return date(self.year, self.month, self.day)
            except ValueError:
                return None
        return None


NO_ANCHOR = Anchor(None, None, None, None)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    kind: str               # iso | mdy | dmy | month | month_year | weekday | relative | year
    groups: dict
    reporting: bool = False
    comparison: bool = False  # "since October 2017", "than in 2024": a point of comparison


def anchor_from_record(rec: Mapping[str, Any]) -> Anchor:
    """The anchor for a record: its ``published`` date (with its basis), else the
    month and day of its dateline (``dateline_day``, "--02-11" for "Seoul, Feb 11")."""
    pub = rec.get("published")
    basis = rec.get("published_basis")
    if isinstance(pub, str):
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", pub.strip()[:10]) if len(pub) >= 10 else None
        if m:
            y, mo, d = map(int, m.groups())
            return Anchor(y, mo, d, f"published:{basis or 'unknown'}", year_inferred=(basis == "inferred"))
    md = parse_day_month(rec.get("dateline_day"))
    if md:
        return Anchor(None, md[0], md[1], "dateline")
    return NO_ANCHOR


_HIT = re.compile(
    r"\b(?:(?P<iso>(?:19|20)\d{2}-[01]\d-[0-3]\d)"
    r"|(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?![a-z])\.?"
    r"|(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:'s)?"
    r"|(?P<rel>(?i:(?:earlier|later)\s+this\s+(?:month|year|week)|(?:this|last|next)\s+(?:month|year|week)|"
    r"today|yesterday|tomorrow))"
    r"|(?P<ord>(?<=\bthe\s)(?:[12]?\d|3[01])(?:st|nd|rd|th)(?:\s+of\s+(?:last|this|next)\s+month)?)"
    r"|(?P<year>(?:19|20)\d{2}))\b")
_AFTER_DAY = re.compile(r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d{2})\b)?")
_BEFORE_DAY = re.compile(r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?$")
_AFTER_YEAR = re.compile(r",?\s+(?P<y>(?:19|20)\d{2})\b")
_MONTH_LEAD = re.compile(
    r"\b(?P<lead>(?i:(?:earlier|later|early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of)"
    r"(?:\s+in|-)?\s*|(?:in|during|from|through|before|after|of|for|by|until|last|next|this)\s+))$")
_WD_MOD = re.compile(r"\b(?P<mod>last|next|this|on|earlier\s+on|late\s+on|early\s+on)\s+$")
_YEAR_LEAD = re.compile(r"\b(?:in|during|early|late)\s+$|\bmid-$")
# A date after these words is what the event is compared with, never its own date.
_COMPARISON = re.compile(r"\b(?:since|than(?:\s+(?:in|on|at))?|compared\s+(?:with|to)(?:\s+(?:in|on))?)\s+"
                         r"(?:(?:the\s+)?(?:early|late|mid|end\s+of|start\s+of)[-\s]+)?(?:the\s+)?$", re.I)
# Where a clause ends inside a sentence: a future word after one of these does not
# reach a date before it ("arrived on August 28 and is expected to stay ...").
_CLAUSE_BREAK = re.compile(
    r";|,\s*(?:which|while|but|and|where|when)\b|\s+but\s+|"
    r"\s+and\s+(?=(?:is|are|was|were|will|has|have|had|plans?|expects?|expected|would|could|may)\b)", re.I)


def find_dates(sentence: str) -> list[DateMention]:
    """Date expressions in a sentence, non-overlapping, in order (one scan for
    anchor words - month, weekday, relative phrase, year - then local checks)."""
    found: list[DateMention] = []
    last_end = -1
    for h in _HIT.finditer(sentence):
        s, e = h.span()
        if s < last_end:
            continue
        kind = None
        groups: dict = {}
        before = sentence[max(0, s - 30):s]
        if h.group("iso"):
            y, mo, d = h.group("iso").split("-")
            kind, groups = "iso", {"y": y, "m": mo, "d": d}
        elif h.group("mon"):
            mon = h.group("mon")
            if sentence[e:e + 1] == ".":
                e += 1
            a = _AFTER_DAY.match(sentence, e)
            b = _BEFORE_DAY.search(before)
            if a and 1 <= int(a.group("d")) <= 31:
                kind, groups = "mdy", {"mon": mon, "d": a.group("d"), "y": a.group("y")}
                e = a.end()
            elif b and 1 <= int(b.group("d")) <= 31:
                kind, groups = "dmy", {"mon": mon, "d": b.group("d"), "y": None}
                s = s - len(before) + b.start()
                ay = _AFTER_YEAR.match(sentence, e)
                if ay:
                    groups["y"] = ay.group("y")
                    e = ay.end()
            else:
                ay = _AFTER_YEAR.match(sentence, e)
                lead = _MONTH_LEAD.search(before)
                full = len(mon) > 3 or mon == "May" or sentence[e - 1:e] == "."
                if ay and full:
                    kind, groups = "month_year", {"mon": mon, "y": ay.group("y"), "lead": lead.group("lead") if lead else ""}  # noqa: E501
                    e = ay.end()
                elif lead and full:
                    kind, groups = "month", {"mon": mon, "y": None, "lead": lead.group("lead")}
        elif h.group("wd"):
            mm = _WD_MOD.search(before)
            kind, groups = "weekday", {"wd": h.group("wd"), "mod": mm.group("mod") if mm else None}
        elif h.group("rel"):
            kind, groups = "relative", {"rel": h.group("rel")}
        elif h.group("ord"):
            om = re.match(r"(\d+)\D+(?:of\s+(last|this|next)\s+month)?", h.group("ord"))
            if om and not re.match(r"\s+(?:century|anniversary|time|round|day|year|week|floor)\b", sentence[e:]):
                kind, groups = "ordinal_day", {"d": om.group(1), "rel": om.group(2)}
        elif h.group("year"):
            if _YEAR_LEAD.search(before) and not sentence[e:e + 1] == "-":
                kind, groups = "year", {"y": h.group("year")}
        if kind is None:
            continue
        reporting = bool(_REPORTING.search(sentence[max(0, s - 40):s]))
        comparison = bool(_COMPARISON.search(sentence[max(0, s - 30):s]))
        found.append(DateMention(s, e, sentence[s:e], kind, groups, reporting, comparison))
        last_end = e
    return found


def _fmt(d: date, precision: str) -> str:
    if precision in ("day", "week"):
        return d.isoformat()
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return f"{d.year:04d}"


def _day(m: DateMention, y: int, mo: int, d: int, basis: str, inferred: bool) -> EventDate:
    try:
        dd = date(y, mo, d)
    except ValueError:
        return EventDate(None, None, f"invalid date ({basis})", m.text)
    return EventDate(dd.isoformat(), "day", basis, m.text, None, inferred and "anchor" in basis, dd, dd)


def _resolve_day(m: DateMention, anchor: Anchor, future: bool) -> EventDate:
    """A day and month (and maybe a year): the year from the text, else the anchor's."""
    g = m.groups
    inferred = anchor.year_inferred
    src = anchor.basis or "no anchor"
    mo = int(g["m"]) if m.kind == "iso" else MONTHS[g["mon"].rstrip(".").lower()]
    d = int(g["d"])
    if g.get("y"):
        return _day(m, int(g["y"]), mo, d, "explicit", inferred)
    if anchor.year is None:
        return EventDate(None, "day", "month-day; year unknown", m.text, f"--{mo:02d}-{d:02d}")
    y = anchor.year
    if anchor.month and anchor.day:
        try:
            cand = date(y, mo, d)
            ref = date(anchor.year, anchor.month, anchor.day)
        except ValueError:
            return EventDate(None, None, "invalid date", m.text)
        if not future and cand > ref + timedelta(days=7):
            y -= 1
        elif future and cand < ref - timedelta(days=7):
            y += 1
    return _day(m, y, mo, d, f"month-day; year from anchor ({src})", inferred)


def _resolve_month(m: DateMention, anchor: Anchor, future: bool) -> EventDate:
    """A month (and maybe a year); "earlier this month"-style leads cut it at the anchor."""
    g = m.groups
    inferred = anchor.year_inferred
    a_full = anchor.full
    src = anchor.basis or "no anchor"
    mo = MONTHS[g["mon"].rstrip(".").lower()]
    lead = (g.get("lead") or "").strip().lower()
    if g.get("y"):
        lo, hi = month_range(int(g["y"]), mo)
        return EventDate(_fmt(lo, "month"), "month", "explicit", m.text, None, False, lo, hi)
    if anchor.year is None:
        return EventDate(None, "month", "month; year unknown", m.text, f"--{mo:02d}")
    y = anchor.year
    if lead == "last":
        y = y - 1 if (anchor.month and mo >= anchor.month) else y
    elif lead == "next" or future:
        y = y + 1 if (anchor.month and mo < anchor.month) else y
    elif anchor.month and mo > anchor.month:
        y -= 1
    lo, hi = month_range(y, mo)
    if lead.startswith("earlier") and a_full and lo <= a_full <= hi:
        hi = a_full
    return EventDate(_fmt(lo, "month"), "month", f"month; year from anchor ({src})", m.text,
                        None, inferred, lo, hi)


def _resolve_year(m: DateMention, anchor: Anchor, future: bool) -> EventDate:
    """A year as written."""
    g = m.groups
    y = int(g["y"])
    return EventDate(f"{y:04d}", "year", "explicit", m.text, None, False, date(y, 1, 1), date(y, 12, 31))


def _resolve_weekday(m: DateMention, anchor: Anchor, future: bool) -> EventDate:
    """A weekday: the latest on or before the anchor (the next one for the future)."""
    g = m.groups
    inferred = anchor.year_inferred
    a_full = anchor.full
    src = anchor.basis or "no anchor"
    if a_full is None:
        return EventDate(None, None, "weekday; anchor date unknown", m.text)
    wd = WEEKDAYS[g["wd"].lower()]
    mod = (g.get("mod") or "").lower()
    delta_back = (a_full.weekday() - wd) % 7
    if mod == "last":
        delta_back = delta_back or 7
        d = a_full - timedelta(days=delta_back)
    elif mod == "next" or future:
        ahead = (wd - a_full.weekday()) % 7
        if mod == "next":
            ahead = ahead or 7
        d = a_full + timedelta(days=ahead)
    else:
        d = a_full - timedelta(days=delta_back)
    return EventDate(d.isoformat(), "day", f"weekday relative to anchor ({src})", m.text,
                        None, inferred, d, d)


def _resolve_relative(m: DateMention, anchor: Anchor, future: bool) -> EventDate:
    """today/yesterday/tomorrow, this/last/next week, month, year."""
    g = m.groups
    inferred = anchor.year_inferred
    a_full = anchor.full
    src = anchor.basis or "no anchor"
    rel = " ".join(g["rel"].lower().split())
    if rel in ("today", "yesterday", "tomorrow"):
        if a_full is None:
            return EventDate(None, None, "relative; anchor date unknown", m.text)
        d = a_full + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[rel])
        return EventDate(d.isoformat(), "day", f"relative to anchor ({src})", m.text, None, inferred, d, d)
    if rel.endswith("week"):
        if a_full is None:
            return EventDate(None, None, "relative; anchor date unknown", m.text)
        monday = a_full - timedelta(days=a_full.weekday())
        if rel.startswith("last"):
            monday -= timedelta(days=7)
        elif rel.startswith("next"):
            monday += timedelta(days=7)
        return EventDate(monday.isoformat(), "week", f"relative to anchor ({src})", m.text, None,
                            inferred, monday, monday + timedelta(days=6))
    if rel.endswith("month"):
        if anchor.month is None:
            return EventDate(None, None, "relative; anchor date unknown", m.text)
        y, mo = anchor.year, anchor.month
        if rel.startswith("last"):
            y, mo = (y - 1 if y else None, 12) if mo == 1 else (y, mo - 1)
        elif rel.startswith("next"):
            y, mo = (y + 1 if y else None, 1) if mo == 12 else (y, mo + 1)
        if y is None:
            return EventDate(None, "month", "relative month; year unknown", m.text, f"--{mo:02d}")
        lo, hi = month_range(y, mo)
        if rel.startswith("earlier") and a_full:
            hi = a_full
        return EventDate(_fmt(lo, "month"), "month", f"relative to anchor ({src})", m.text, None,
                            inferred, lo, hi)
    if rel.endswith("year"):
        if anchor.year is None:
            return EventDate(None, None, "relative; anchor year unknown", m.text)
        y = anchor.year + (-1 if rel.startswith("last") else 1 if rel.startswith("next") else 0)
        return EventDate(f"{y:04d}", "year", f"relative to anchor ({src})", m.text, None, inferred,
                            date(y, 1, 1), date(y, 12, 31))
    return EventDate(None, None, "unrecognised", m.text)


def _resolve_ordinal_day(m: DateMention, anchor: Anchor, future: bool) -> EventDate:
    """Korean-style "on the 12th" (this month, or last month when the day is still ahead
    of the anchor) and "the 30th of last month"."""
    g = m.groups
    if anchor.year is None or anchor.month is None:
        return EventDate(None, None, "day of month; anchor month unknown", m.text)
    y, mo, d = anchor.year, anchor.month, int(g["d"])
    rel = g.get("rel")
    step = -1 if rel == "last" else 1 if rel == "next" else 0
    if rel is None and anchor.day and not future and d > anchor.day + 1:
        step = -1
    elif rel is None and anchor.day and future and d < anchor.day:
        step = 1
    mo += step
    if mo == 0:
        y, mo = y - 1, 12
    elif mo == 13:
        y, mo = y + 1, 1
    return _day(m, y, mo, d, f"day of month; month from anchor ({anchor.basis})", anchor.year_inferred)


_RESOLVERS = {"iso": _resolve_day, "ordinal_day": _resolve_ordinal_day,
              "mdy": _resolve_day, "dmy": _resolve_day, "month": _resolve_month,
              "month_year": _resolve_month, "year": _resolve_year, "weekday": _resolve_weekday,
              "relative": _resolve_relative}


def resolve(m: DateMention, anchor: Anchor, future: bool = False) -> EventDate:
    """Resolve a date mention against ``anchor``; never invents a year."""
    fn = _RESOLVERS.get(m.kind)
    return fn(m, anchor, future) if fn else EventDate(None, None, "unrecognised", m.text)


def is_future(sentence: str) -> bool:
    return bool(_FUTURE.search(sentence))


def clause_of(sentence: str, start: int, end: int) -> str:
    """The clause of ``sentence`` around ``sentence[start:end]``: cut at the
    clause breaks before and after it (see ``_CLAUSE_BREAK``)."""
    lo, hi = 0, len(sentence)
    for b in _CLAUSE_BREAK.finditer(sentence):
        if b.end() <= start:
            lo = b.start()
        elif b.start() >= end:
            hi = b.start()
            break
    return sentence[lo:hi]


def event_date(sentence: str, anchor: Anchor) -> EventDate | None:
    """The date an event sentence gives for its event: the first date that is
    neither a reporting date nor a point of comparison, resolved with the tense
    of its own clause; None when the sentence gives none."""
    best = None
    for m in find_dates(sentence):
        if m.reporting or m.comparison:
            continue
        r = resolve(m, anchor, is_future(clause_of(sentence, m.start, m.end)))
        if best is None:
            best = r
        elif best.date is None and best.partial is None and (r.date or r.partial):
            best = r      # prefer a resolvable expression over an unresolvable one
    return best


def compatible(a: EventDate | None, b: EventDate | None) -> bool | None:
    """True/False when both dates say something; None when either is unknown."""
    if a is None or b is None:
        return None
    if a.lo and b.lo and a.hi and b.hi:
        return a.lo <= b.hi and b.lo <= a.hi
    pa = a.partial or (a.lo.strftime("--%m-%d") if a.lo and a.precision == "day" else None)
    pb = b.partial or (b.lo.strftime("--%m-%d") if b.lo and b.precision == "day" else None)
    if a.partial or b.partial:
        if pa and pb:
            # "--06" (month) vs "--06-09" (day)
            return pa.startswith(pb) or pb.startswith(pa)
        mon_a = a.partial[:4] if a.partial else (a.lo.strftime("--%m") if a.lo and a.precision == "month" else None)
        mon_b = b.partial[:4] if b.partial else (b.lo.strftime("--%m") if b.lo and b.precision == "month" else None)
        if mon_a and mon_b:
            return mon_a == mon_b
        return None
    return None


def more_precise(a: EventDate | None, b: EventDate | None) -> EventDate | None:
    """The more informative of two compatible dates."""
    rank = {"day": 4, "week": 3, "month": 2, "year": 1, None: 0}
    if a is None:
        return b
    if b is None:
        return a
    ka = (a.date is not None, rank[a.precision], not a.year_inferred)
    kb = (b.date is not None, rank[b.precision], not b.year_inferred)
    return b if kb > ka else a
