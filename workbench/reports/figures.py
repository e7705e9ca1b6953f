"""The reports' figures (matplotlib, no pyplot state): events on a time axis,
articles per outlet over time, dated articles per month.

Every text drawn comes from untrusted pages, so it is drawn as plain text: figures
are built with maths parsing and TeX off (an outlet named "$$ Finance $$" is shown
as written, never parsed). Text sizes are in points at the rendered size (the PNG
is embedded at 100 dpi and shown at most at its own width), never below ``MIN_PT``.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from workbench.explore.query import source_label
from workbench.reports import words as W
from workbench.reports.html import rows
from workbench.reports.topic import TopicView, event_span

MIN_PT = 9            # the smallest text any figure draws (legend, ticks, notes)
TIMELINE_ROWS = 25    # events drawn on a timeline; the rest are counted under it ("+N more")
PERIOD_WORDS = {"W": "week", "M": "month", "Q": "quarter"}


@contextlib.contextmanager
def plain_text() -> Iterator[None]:
    """Within the block, every Text made is plain (no mathtext, no TeX)."""
    with matplotlib.rc_context({"text.usetex": False, "text.parse_math": False}):
        yield


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` x ``height`` inches with constrained layout."""
    return Figure(figsize=(width, height), layout="constrained")


def timeline_rows(view: TopicView, cap: int = TIMELINE_ROWS) -> tuple[pd.DataFrame, int]:
    """The dated events a timeline draws, at most ``cap`` (the most widely reported:
    independent outlets, then sources), in date order; and how many were left out."""
    ev = view.events[view.events["when"].notna()] if len(view.events) else view.events
    if len(ev) <= cap:
        return ev, 0
    n_outlets, sources = ev["n_outlets"].tolist(), ev["sources"].tolist()
    rank = sorted(range(len(ev)), key=lambda i: (-int(n_outlets[i]), -len(sources[i]), i))
    keep = sorted(rank[:cap])
    return ev.iloc[keep], len(ev) - cap


def _date_axis(ax, lo: pd.Timestamp, hi: pd.Timestamp) -> str:
    """Ticks and labels that suit the span drawn; returns the axis label (the year
    when every tick is in one year)."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter
    days = (hi - lo).days
    if days <= 120:
        loc: mdates.DateLocator = mdates.AutoDateLocator(minticks=3, maxticks=6)
        one_year = lo.year == hi.year

        def fmt(d) -> str:
            return f"{d.day} {d:%b}" + ("" if one_year else f" {d.year}")
    elif days <= 3 * 365:
        loc = mdates.MonthLocator(interval=max(1, days // 240))

        def fmt(d) -> str:
            return f"{d:%b %Y}"
    else:
        loc = mdates.YearLocator()

        def fmt(d) -> str:
            return str(d.year)
    from matplotlib.ticker import FixedLocator
    first, last = mdates.date2num(lo), mdates.date2num(hi + pd.Timedelta(days=1))
    ticks = [t for t in loc.tick_values(lo.to_pydatetime(), hi.to_pydatetime()) if first <= t < last]
    ax.xaxis.set_major_locator(FixedLocator(ticks))     # no tick in a month the data does not reach
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: fmt(mdates.num2date(x))))
    return str(lo.year) if days <= 120 and lo.year == hi.year else ""


def _row_label(e) -> str:
    who = ", ".join(e["participants"][:3]) or ", ".join(e["organizations"][:2]) or "participants unknown"
    return _short(f"{W.kind_words(e['kind'], e.get('mode'))}: {who}", 45)


def timeline_figure(view: TopicView, cap: int = TIMELINE_ROWS):
    """Events on a time axis: a dot per day-precise event (bigger when more
    outlets report it), a bar across the month or year when that is all we know.
    At most ``cap`` rows, so a big corpus never makes a giant image."""
    with plain_text():
        ev, more = timeline_rows(view, cap)
        n = len(ev)
        fig = new_figure(9, max(2.4, 0.42 * n + 1.4))
        ax = fig.add_subplot()
        if n == 0:
            ax.text(0.5, 0.5, "No dated events in this range", ha="center", va="center", transform=ax.transAxes,
                    fontsize=11)
            ax.set_axis_off()
            return fig
        labels = []
        for y, e in enumerate(rows(ev)):
            start, end = event_span(e["date"], e["date_precision"])
            labels.append(_row_label(e))
            if start == end:
                ax.scatter([pd.Timestamp(start)], [y], s=40 + 40 * max(1, e["n_outlets"]), zorder=3,
                           color="#0969da")
            else:
                ax.barh(y, (pd.Timestamp(end) - pd.Timestamp(start)).days + 1, left=pd.Timestamp(start),
                        height=0.4, color="#8c959f", alpha=0.7)
            ax.annotate(W.plural(int(e["n_outlets"]), "outlet"), (pd.Timestamp(start), y), xytext=(8, 6),
                        textcoords="offset points", fontsize=MIN_PT, color="#57606a")
        ax.set_yticks(range(n), labels, fontsize=MIN_PT + 1)
        spans = [event_span(d, p) for d, p in zip(ev["date"], ev["date_precision"])]
        lo = pd.Timestamp(min(a for a, _ in spans if a is not None))
        hi = pd.Timestamp(max(b for _, b in spans if b is not None))
        pad = max(pd.Timedelta(days=2), (hi - lo) * 0.05)
        ax.set_xlim(lo - pad, hi + pd.Timedelta(days=1) + pad)
        ax.set_xlabel(_date_axis(ax, lo, hi), fontsize=MIN_PT + 1)
        ax.tick_params(axis="x", labelsize=MIN_PT + 1)
        ax.set_ylim(n - 0.4, -0.8)
        ax.grid(axis="x", alpha=0.3)
        title = f"Events: {view.label} ({W.range_words(view.since, view.until)})"
        if more:
            title += f" — the {n} most widely reported; +{more} more in the events table"
        ax.set_title(_short(title, 110), fontsize=MIN_PT + 2)
        return fig


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def period_of(articles: pd.DataFrame) -> str:
    """The counting period that suits the articles' date span: W, M or Q."""
    a = articles["published"].dropna()
    if len(a) == 0:
        return "W"
    span = (a.max() - a.min()).days
    return "W" if span <= 120 else ("M" if span <= 3 * 365 else "Q")


def outlets_over_time(articles: pd.DataFrame, freq: str = "auto") -> pd.DataFrame:
    """Dated articles counted per period (rows) and outlet (columns)."""
    a = articles[articles["published"].notna()]
    if len(a) == 0:
        return pd.DataFrame()
    if freq == "auto":
        freq = period_of(a)
    period = a["published"].dt.to_period(freq).dt.start_time
    out = pd.crosstab(period, [source_label(o, g) for o, g in zip(a["outlet"].tolist(), a["agency"].tolist())])
    full = pd.date_range(out.index.min(), out.index.max(), freq={"W": "W-MON", "M": "MS", "Q": "QS"}[freq])
    return out.reindex(full.union(out.index), fill_value=0)


def _stacked_bars(ax, x, tab: pd.DataFrame) -> None:
    """One bar series per column of ``tab``, stacked. The data limits are updated once, from
    every bar's corners, instead of per bar (matplotlib's ``add_patch`` works them out through
    each rectangle's transforms: half the chart's time for hundreds of bars). The corners are
    the values ``_update_patch_limits`` finds for an unrotated rectangle (its unit square through
    ``BboxTransformTo``: ``x0`` and ``(x0 + w - x0) + x0``), and a bounding box of points is the
    same whether they come one bar at a time or all at once: the same limits, the same PNG."""
    import numpy as np
    bottom = [0] * len(tab)
    bars = []
    ax._update_patch_limits = lambda patch: None    # an instance attribute: the method is back below
    try:
        for col in tab.columns:
            vals = tab[col].tolist()
            bars.extend(ax.bar(x, vals, bottom=bottom, label=_short(str(col), 30)).patches)
            bottom = [b + v for b, v in zip(bottom, vals)]
    finally:
        del ax._update_patch_limits
    if bars:
        x0 = np.array([b.get_x() for b in bars], dtype=float)
        y0 = np.array([b.get_y() for b in bars], dtype=float)
        x1 = ((x0 + np.array([b.get_width() for b in bars], dtype=float)) - x0) + x0
        y1 = ((y0 + np.array([b.get_height() for b in bars], dtype=float)) - y0) + y0
        ax.update_datalim(np.column_stack([np.concatenate([x0, x1, x1, x0]), np.concatenate([y0, y0, y1, y1])]))


def _period_tick(d: pd.Timestamp, freq: str) -> str:
    if freq == "W":
        return f"{d.day} {d:%b}"
    if freq == "M":
        return f"{d:%b %Y}"
    return f"Q{(d.month - 1) // 3 + 1} {d.year}"


def outlets_figure(view: TopicView, top: int = 8):
    """Articles over time, stacked by outlet (the ``top`` outlets, the rest as "other");
    the title names the period counted ("Articles per week by outlet")."""
    with plain_text():
        freq = period_of(view.articles)
        tab = outlets_over_time(view.articles, freq)
        fig = new_figure(9, 3.6)
        ax = fig.add_subplot()
        if tab.empty:
            ax.text(0.5, 0.5, "No dated articles in this range", ha="center", va="center", transform=ax.transAxes,
                    fontsize=11)
            ax.set_axis_off()
            return fig
        order = tab.sum().sort_values(ascending=False).index
        if len(order) > top:
            tab["other outlets"] = tab[order[top:]].sum(axis=1)
            tab = tab[list(order[:top]) + ["other outlets"]]
        else:
            tab = tab[list(order)]
        x = range(len(tab))
        _stacked_bars(ax, x, tab)
        step = max(1, len(tab) // 12)
        ax.set_xticks(list(x)[::step], [_period_tick(d, freq) for d in tab.index][::step], rotation=30,
                      ha="right", fontsize=MIN_PT)
        if freq == "W":
            ax.set_xlabel("week starting (Monday)", fontsize=MIN_PT)
        ax.set_ylabel("articles", fontsize=MIN_PT)
        ax.tick_params(axis="y", labelsize=MIN_PT)
        ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # MaxNLocator
        ax.legend(fontsize=MIN_PT, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        n_dated = int(view.articles["published"].notna().sum())
        ax.set_title(f"Articles per {PERIOD_WORDS[freq]} by outlet ({n_dated} dated)", fontsize=MIN_PT + 2)
        return fig


def articles_figure(corpus: pd.DataFrame):
    """Dated articles per month."""
    with plain_text():
        return _articles_figure(corpus)


def _articles_figure(corpus: pd.DataFrame):
    fig = new_figure(9, 3)
    ax = fig.add_subplot()
    dated = corpus["published"].dropna()
    if dated.empty:
        ax.text(0.5, 0.5, "No dated articles", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    per = dated.dt.to_period("M").value_counts().sort_index()
    idx = pd.period_range(per.index.min(), per.index.max(), freq="M")
    per = per.reindex(idx, fill_value=0)
    ax.bar(range(len(per)), per.values, color="#0969da")
    step = max(1, len(per) // 12)
    ax.set_xticks(list(range(len(per)))[::step], [f"{p:%b %Y}" for p in per.index][::step], rotation=30,
                  ha="right", fontsize=MIN_PT)
    ax.tick_params(axis="y", labelsize=MIN_PT)
    ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # MaxNLocator
    ax.set_ylabel("articles")
    ax.set_title(f"Dated articles per month ({len(dated)} of {len(corpus)})", fontsize=MIN_PT + 2)
    return fig
