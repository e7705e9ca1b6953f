"""Reader-facing words: what a report or the index says instead of internal codes.

Every value a colleague reading a report sees passes through one of these small
pure functions: event kinds in words ("meeting", "contract award"), dates in words
with their certainty ("9 June, year unknown", "February 2026"), publication dates
with where they came from, human timestamps, counts with the right plural, and the
one "(no title)" wording the explorer uses too.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from workbench.explore.query import NO_TITLE, kind_words

__all__ = ["NO_TITLE", "kind_words", "event_date_words", "published_words", "when_words", "plural",
           "date_words", "topic_label", "range_words"]

# How a publication date was obtained -> the caveat a reader sees (empty: the page says so).
PUBLISHED_BASIS_WORDS = {
    "page": "", "feed": "", "dateline": "from the dateline",
    "syndicated-copy": "taken from a copy of the same story", "inferred": "inferred",
}
# Event-date bases that mean "worked out from the article's date", not written in full.
_RELATIVE_BASIS = re.compile(r"relative|anchor|inferred|context|guess", re.I)


def _s(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def date_words(d: dt.date | Any) -> str:
    """A calendar day in words: ``11 February 2026``."""
    d = d.date() if hasattr(d, "date") and callable(d.date) else d
    return f"{d.day} {d.strftime('%B')} {d.year}"


def _month_name(m: int) -> str:
    return dt.date(2000, m, 1).strftime("%B")


def event_date_words(date: Any, precision: Any = None, partial: Any = None, basis: Any = None) -> str:
    """An event's date in words with its certainty: ``11 February 2026``, ``week of
    9 February 2026``, ``February 2026``, ``9 June, year unknown``, ``date unknown``;
    ``(worked out from the article's date)`` when the text gave no full date."""
    s, p = _s(date), _s(precision)
    words = ""
    if len(s) == 10 and s[4] == "-":
        try:
            day = dt.date.fromisoformat(s)
            words = ("week of " if p == "week" else "") + date_words(day)
        except ValueError:
            words = ""
    elif len(s) == 7 and s[4] == "-" and s[5:].isdigit() and 1 <= int(s[5:]) <= 12:
        words = f"{_month_name(int(s[5:]))} {s[:4]}"
    elif len(s) == 4 and s.isdigit():
        words = s
    if not words:
        m = re.fullmatch(r"--(\d{2})(?:-(\d{2}))?", _s(partial))
        if m and 1 <= int(m.group(1)) <= 12:
            month = _month_name(int(m.group(1)))
            return f"{int(m.group(2))} {month}, year unknown" if m.group(2) else f"{month}, year unknown"
        return "date unknown"
    if _RELATIVE_BASIS.search(_s(basis)):
        words += " (worked out from the article's date)"
    return words


def published_words(published: Any, basis: Any = None) -> str:
    """A publication date in words with where it came from: ``11 February 2026``,
    ``11 February 2026 (taken from a copy of the same story)``, ``date unknown``."""
    if published is None or _s(published) in ("", "NaT", "nan"):
        return "date unknown"
    try:
        import pandas as pd
        day = pd.Timestamp(published).date()
    except (ValueError, TypeError):
        return "date unknown"
    b = _s(basis)
    note = PUBLISHED_BASIS_WORDS.get(b, "date inferred" if b else "")
    return date_words(day) + (f" ({note})" if note else "")


def when_words(timestamp: Any) -> str:
    """An ISO timestamp as people write it: ``29 November 2026, 21:54 UTC`` (empty if none)."""
    s = _s(timestamp)
    if not s:
        return ""
    try:
        t = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return s
    if t.tzinfo is not None:
        t = t.astimezone(dt.UTC)
    return f"{date_words(t.date())}, {t:%H:%M} UTC"


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """``1 article``, ``2 articles`` (``nouns`` for an irregular plural)."""
    return f"{n} {noun if n == 1 else (nouns or noun + 's')}"


def range_words(since: Any = None, until: Any = None) -> str:
    """A report's date range in words: ``1 February 2026 to 28 February 2026``, ``all dates``."""
    def w(v: Any) -> str:
        try:
            return date_words(dt.date.fromisoformat(_s(v)[:10]))
        except ValueError:
            return _s(v)
    if since and until:
        return f"{w(since)} to {w(until)}"
    if since:
        return f"from {w(since)}"
    if until:
        return f"up to {w(until)}"
    return "all dates"


@functools.lru_cache(maxsize=4)
def _labels(reference_dir: str) -> dict[str, str]:
    try:
        from workbench.reference import load_reference
        return {t.name: getattr(t, "label", "") or "" for t in load_reference(reference_dir).topics}
    except Exception:  # a page still renders without the taxonomy file
        return {}


def topic_label(name: Any, labels: dict[str, str] | None = None) -> str:
    """A topic's name for readers: its ``label`` in ``topics.toml``, else the name in words."""
    n = _s(name)
    if labels is None:
        from workbench import settings
        labels = _labels(str(settings.reference_dir()))
    return labels.get(n) or n.replace("-", " ").replace("_", " ").capitalize()
