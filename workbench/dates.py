"""Find and parse calendar dates written the ways news pages write them.

Small regexes instead of a date-parsing library: this runs on every header
line of every page, and a library call costs milliseconds. Only dates that
carry a year become full dates; a day and month alone are reported as such
(the year stays unknown).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    # German, French, Spanish, Italian, Portuguese (common in saved pages)
    "januar": 1, "februar": 2, "märz": 3, "mai": 5, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "settembre": 9, "ottobre": 10, "dicembre": 12,
    "janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7,
    "setembro": 9, "outubro": 10, "dezembro": 12,
}
_MON = r"(?P<mon>" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# Patterns with a year, most specific first. Each has named groups year/mon/day.
_FULL = [
    re.compile(r"(?<!\d)" + _YEAR + r"-(?P<mon>[01]?\d)-(?P<day>[0-3]?\d)(?!\d)"),            # 2026-02-11
    re.compile(r"(?<!\d)" + _YEAR + r"[./](?P<mon>[01]?\d)[./](?P<day>[0-3]?\d)(?!\d)"),       # 2026.02.11
    re.compile(r"(?<!\d)" + _YEAR + r"\s*년\s*(?P<mon>[01]?\d)\s*월\s*(?P<day>[0-3]?\d)\s*일"),  # 2026년 2월 11일
    re.compile(r"\b" + _MON + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", re.I),                 # Feb. 11, 2026
    re.compile(r"(?<!\d)" + _DAY + r"\.?\s+(?:de\s+)?" + _MON + r",?\s+(?:de\s+)?" + _YEAR + r"\b", re.I),  # 14 February 2026  # noqa: E501
]
# Numbers only, year last: "11.02.2026", "4/5/2006", "14-03-2025". The order is decided by
# :func:`_numeric_order`.
_NUMERIC = re.compile(r"(?<!\d)(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[0-3]?\d)(?P=sep)" + _YEAR + r"(?!\d)")
_DIGIT = re.compile(r"\d")
# A day and a month with no year ("Feb 11", "11 February").
_PARTIAL = [
    re.compile(r"\b" + _MON + r"\s+" + _DAY + r"\b(?!,?\s+(?:19|20)\d\d)", re.I),
    re.compile(r"(?<!\d)" + _DAY + r"\s+" + _MON + r"\b(?!,?\s+(?:19|20)\d\d)", re.I),
]


@dataclass(frozen=True)
class FoundDate:
    """A date found in text: ``year`` is None when the text gave none."""

    year: int | None
    month: int
    day: int
    start: int
    end: int

    def iso(self) -> str | None:
        if self.year is None:
            return None
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def _month(s: str) -> int | None:
    if s.isdigit():
        m = int(s)
        return m if 1 <= m <= 12 else None
    return MONTHS.get(s.lower().rstrip("."))


def _valid(y: int | None, m: int | None, d: int) -> bool:
    if m is None:
        return False
    try:
        dt.date(y or 2000, m, d)  # 2000 is a leap year: Feb 29 stays possible
    except ValueError:
        return False
    return True


def _numeric_order(a: int, b: int, sep: str, month_first: bool | None) -> tuple[int, int] | None:
    """(month, day) of a numeric date "a<sep>b<sep>year": a first number over 12 is the
    day, a second over 12 the day; otherwise the site's convention decides
    (``month_first``); without one, dots mean day first (European) and slashes or hyphens stay unknown."""
    if a > 12 and b <= 12:
        return b, a
    if b > 12 and a <= 12:
        return a, b
    if a > 12 or b > 12:
        return None
    if month_first is None:
        return (b, a) if sep == "." else None
    return (a, b) if month_first else (b, a)


def find_full_date(text: str, today: dt.date | None = None, month_first: bool | None = None) -> FoundDate | None:
    """The first plausible full date (with a year, 1990..today+1) in ``text``.
    ``month_first``: the site's order for all-number dates (True on US sites), None when unknown."""
    if "19" not in text and "20" not in text:
        return None          # every pattern needs a year "19xx"/"20xx": most lines have none
    limit = (today or dt.date.today()) + dt.timedelta(days=1)
    best: FoundDate | None = None
    for rx in _FULL:
        for m in rx.finditer(text):
            y, mon, d = int(m["year"]), _month(m["mon"]), int(m["day"])
            if mon is None or not _valid(y, mon, d) or y < 1990 or dt.date(y, mon, d) > limit:
                continue
            if best is None or m.start() < best.start:
                best = FoundDate(y, mon, d, m.start(), m.end())
            break
    for m in _NUMERIC.finditer(text):
        if best is not None and m.start() >= best.start:
            break
        md = _numeric_order(int(m["a"]), int(m["b"]), m["sep"], month_first)
        y = int(m["year"])
        if md is None or not _valid(y, *md) or y < 1990 or dt.date(y, *md) > limit:
            continue
        best = FoundDate(y, md[0], md[1], m.start(), m.end())
        break
    return best


def find_partial_date(text: str) -> FoundDate | None:
    """The first day-and-month without a year in ``text`` (year None)."""
    if not _DIGIT.search(text):
        return None          # a day is a number: no regex scans for a line without one
    best: FoundDate | None = None
    for rx in _PARTIAL:
        for m in rx.finditer(text):
            mon, d = _month(m["mon"]), int(m["day"])
            if mon is None or not _valid(None, mon, d):
                continue
            if best is None or m.start() < best.start:
                best = FoundDate(None, mon, d, m.start(), m.end())
            break
    return best


def day_month(text: str | None) -> str | None:
    """``--MM-DD`` for the first day and month written in ``text`` ("Feb 11" -> "--02-11"), else None."""
    found = find_partial_date(text) if text else None
    return f"--{found.month:02d}-{found.day:02d}" if found else None


def parse_day_month(value: str | None) -> tuple[int, int] | None:
    """(month, day) of a ``--MM-DD`` string, else None."""
    if isinstance(value, str) and len(value) == 7 and value.startswith("--") and value[4] == "-":
        try:
            return int(value[2:4]), int(value[5:7])
        except ValueError:
            return None
    return None


def range_label(since: object = None, until: object = None) -> str:
    """``2026-02-01 to 2026-02-28``, ``from …``, ``up to …`` or ``all dates`` (bounds as given)."""
    if since and until:
        return f"{since} to {until}"
    if since:
        return f"from {since}"
    if until:
        return f"up to {until}"
    return "all dates"
