"""Reader-facing words: kinds, dates with their certainty, times, plurals, topic labels."""
from __future__ import annotations

import datetime as dt

import pytest

from workbench.explore.query import NO_TITLE
from workbench.reports import words as W


@pytest.mark.parametrize("kind, mode, expected", [
    ("CONSULT", "meet", "meeting"), ("CONSULT", "visit", "visit"), ("COOPERATE", "contract", "contract award"),
    ("AGREE", "sign", "signing"), ("MOBILIZE", "exercise", "exercise"), ("CONSULT", None, "consultation"),
    ("SOME_NEW_KIND", None, "some new kind"), (None, None, "event")])
def test_kind_words(kind, mode, expected):
    assert W.kind_words(kind, mode) == expected


@pytest.mark.parametrize("date, precision, partial, basis, expected", [
    ("2026-02-11", "day", None, "text", "11 February 2026"),
    ("2026-02-09", "week", None, "text", "week of 9 February 2026"),
    ("2026-02", "month", None, "text", "February 2026"),
    ("2026", "year", None, "text", "2026"),
    (None, "day", "--06-09", "text", "9 June, year unknown"),
    (None, "month", "--06", None, "June, year unknown"),
    (None, None, None, None, "date unknown"),
    ("2026-02-11", "day", None, "relative to anchor", "11 February 2026 (worked out from the article's date)"),
])
def test_event_date_words(date, precision, partial, basis, expected):
    assert W.event_date_words(date, precision, partial, basis) == expected


def test_published_words_say_where_the_date_came_from():
    assert W.published_words("2026-02-11", "page") == "11 February 2026"
    assert W.published_words("2026-02-11", "syndicated-copy") == \
        "11 February 2026 (taken from a copy of the same story)"
    assert W.published_words(None, None) == "date unknown"
    assert "syndicated-copy" not in W.published_words("2026-02-11", "syndicated-copy")


def test_when_words_and_plural():
    assert W.when_words("2026-11-29T21:54:54+00:00") == "29 November 2026, 21:54 UTC"
    assert W.when_words("2026-11-29T23:30:00+02:00") == "29 November 2026, 21:30 UTC"
    assert W.when_words(None) == ""
    assert (W.plural(1, "article"), W.plural(2, "article"), W.plural(0, "copy", "copies")) == \
        ("1 article", "2 articles", "0 copies")
    assert W.range_words("2026-02-01", None) == "from 1 February 2026" and W.range_words() == "all dates"
    assert W.date_words(dt.date(2026, 3, 1)) == "1 March 2026"


def test_topic_labels_come_from_the_taxonomy():
    assert W.topic_label("logistics-sustainment") == "Logistics and sustainment"
    assert W.topic_label("x", labels={"x": "Ex"}) == "Ex"
    assert W.topic_label("new-topic", labels={}) == "New topic"
    assert W.NO_TITLE == NO_TITLE == "(no title)"
