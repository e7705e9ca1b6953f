"""explore.timeline: the events timeline as SVG — markers, lanes, escaping, month steps."""
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd

from workbench.explore.timeline import TimelinePlot, _month_counts, _ticks

SVG = "{http://www.w3.org/2000/svg}"


def events(kinds, dates, precision="day"):
    return pd.DataFrame({"kind": kinds, "date": dates, "date_precision": precision,
                         "when": pd.to_datetime(dates), "sources": 1,
                         "key": [f"{k}|{d}" for k, d in zip(kinds, dates)]})


def test_one_marker_per_event_in_its_kinds_lane_and_text_escaped():
    t = TimelinePlot()
    hostile = '<script>alert("x")</script>&'
    assert t.draw(events([hostile, "meeting", "meeting"], ["2026-01-05", "2026-02-01", "2026-03-01"]))
    svg = ET.fromstring(t.image.value)                     # well-formed: every text escaped
    assert not list(svg.iter(f"{SVG}script")) and "<script>" not in t.svg
    texts = [e.text for e in svg.iter(f"{SVG}text")]
    assert hostile in texts and "meeting" in texts and "3 dated event(s)" in texts
    marks = [c for c in svg.iter(f"{SVG}circle") if c.get("class") == "wb-event"]
    assert len(marks) == 3
    ys = [float(c.get("cy")) for c in marks]
    assert ys[1] == ys[2] != ys[0]                         # two lanes
    xs = [float(c.get("cx")) for c in marks]
    assert xs[0] < xs[1] < xs[2]                           # time runs left to right
    assert not t.draw(events([hostile, "meeting", "meeting"], ["2026-01-05", "2026-02-01", "2026-03-01"]))


def test_month_only_events_are_hollow_and_nothing_to_draw_says_so():
    t = TimelinePlot()
    t.draw(events(["visit"], ["2026-02-15"], precision="month"))
    (c,) = [c for c in ET.fromstring(t.image.value).iter(f"{SVG}circle")]
    assert c.get("fill") == "none"
    t.draw(events([], []))
    assert "no dated events match" in t.svg and t.data.empty


def test_ticks_are_round_dates_inside_the_range():
    day = pd.Timestamp("2023-12-01").value / 86_400e9
    ticks = _ticks(day, day + 1278)                        # 3.5 years: every 6 months
    assert [label for _, label in ticks][:3] == ["Jan 2024", "Jul 2024", "Jan 2025"]
    assert all(day <= d <= day + 1278 for d, _ in ticks) and 3 <= len(ticks) <= 8


def test_month_counts_are_the_crosstab_of_months_and_kinds_over_every_month():
    rng = np.random.default_rng(3)
    when = pd.Series(pd.to_datetime("2019-03-01") + pd.to_timedelta(rng.integers(0, 2000, 500), unit="D"))
    kind = pd.Series(rng.choice(["visit", "meeting", "b<i>", "exercise"], 500))
    month = when.dt.to_period("M").dt.to_timestamp()
    want = pd.crosstab(month, kind).sort_index()
    want = want.reindex(pd.date_range(want.index.min(), want.index.max(), freq="MS"), fill_value=0)
    got = _month_counts(when, kind)
    assert list(got.columns) == list(want.columns) and list(got.index) == list(want.index)
    assert np.array_equal(got.to_numpy(), want.to_numpy())
