"""record: the typed Article, its link overlay, and the one EventDate."""
from __future__ import annotations

import datetime as dt

import pytest

from workbench.record import Article, EventDate, Link, apply_link, date_span, empty_record


def _copy(**kw) -> Article:
    return Article(doc_id="b", title=None, published=None, published_basis=None, body="Talks in Seoul.",
                   dateline="Seoul", dateline_day="--02-11", warnings=["own warning"], **kw)


def test_link_overlay_shows_in_the_view_not_in_the_extracted_values():
    art = _copy(link=Link(story_id="a", published="2026-02-11", published_from="a",
                          title_from="a", sibling_title="Allies meet", notes=["syndicated note"]))
    rec = art.record()
    assert (rec["published"], rec["published_basis"], rec["story_id"]) == ("2026-02-11", "syndicated-copy", "a")
    assert rec["title"] is None                         # only noted, not borrowed
    assert rec["warnings"] == ["own warning", "syndicated note"]
    assert (art.published, art.published_basis, art.warnings) == (None, None, ["own warning"])
    art.link = None                                     # dropping the overlay gives the page's own values back
    assert art.record()["published"] is None and art.record()["story_id"] is None


def test_apply_link_adds_each_note_once():
    rec = {"warnings": ["x"]}
    ln = Link(story_id="s", notes=["x", "y"])
    assert apply_link(rec, ln) == {"story_id": "s", "warnings": ["x", "y"]}


def test_unknown_published_basis_is_refused():
    with pytest.raises(ValueError, match="published_basis"):
        Article(doc_id="a", published_basis="guessed")


def test_from_record_round_trip():
    rec = empty_record(doc_id="a", title="T", published="2026-02-11", published_basis="page", body="B",
                       story_id="s", places=["Seoul"])
    art = Article.from_record(rec)
    assert art.link == Link(story_id="s") and art.places == ["Seoul"]
    back = art.record()
    assert all(back[k] == rec[k] for k in rec)


@pytest.mark.parametrize("date, precision, span", [
    ("2026-02-11", "day", (dt.date(2026, 2, 11), dt.date(2026, 2, 11))),
    ("2026-02-09", "week", (dt.date(2026, 2, 9), dt.date(2026, 2, 15))),
    ("2024-02", "month", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
    ("2026", "year", (dt.date(2026, 1, 1), dt.date(2026, 12, 31))),
    ("2026-13", "month", (None, None)),
    ("soon", None, (None, None)),
])
def test_date_span(date, precision, span):
    assert date_span(date, precision) == span


def test_event_date_round_trips_through_event_fields():
    d = EventDate("2026-02", "month", "explicit", "in February", None, False, dt.date(2026, 2, 1),
                  dt.date(2026, 2, 28))
    assert EventDate.of_event(d.event_fields()) == d
    partial = EventDate(None, "day", "month-day; year unknown", "June 9", "--06-09")
    assert EventDate.of_event(partial.event_fields()) == partial
    assert EventDate.of_event({"date": None, "date_partial": None}) is None
