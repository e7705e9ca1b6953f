"""The explorer's timeline of events, drawn as SVG: one lane per kind of event.

Why SVG and not a matplotlib PNG: a matplotlib redraw (clearing the axes, ticks,
text, Agg, PNG) cost ~0.3 s of CPU per filter change, several times the whole rest
of the change; this SVG is a few hundred short elements written with numpy and
f-strings (a few ms). Every text in it (kinds, dates) is XML-escaped, and the
widget shows it as an ``<img>``, where a browser never runs scripts.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
import pandas as pd

# matplotlib's default colour cycle ("tab10"), as the PNG timeline used
CYCLE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
         "#bcbd22", "#17becf")
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'
DAY_NS = 86_400 * 10**9


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def _days(when) -> np.ndarray:
    """Float days since 1970 of a datetime64 array (or Series)."""
    return np.asarray(when, dtype="datetime64[ns]").astype(np.int64) / DAY_NS


def _ticks(lo: float, hi: float, max_ticks: int = 8) -> list[tuple[float, str]]:
    """(day, label) of round dates between ``lo`` and ``hi`` (float days): days, months or years."""
    a, b = pd.Timestamp(lo * DAY_NS), pd.Timestamp(hi * DAY_NS)
    span = max(hi - lo, 1e-9)
    for step, unit in ((1, "D"), (2, "D"), (7, "D"), (14, "D"), (1, "M"), (2, "M"), (3, "M"), (6, "M"),
                       (1, "Y"), (2, "Y"), (5, "Y"), (10, "Y"), (20, "Y"), (50, "Y"), (100, "Y")):
        approx = {"D": 1, "M": 30.44, "Y": 365.25}[unit] * step
        if span / approx > max_ticks:
            continue
        if unit == "D":
            start = a.normalize()
            dates = pd.date_range(start, b, freq=f"{step}D")
            fmt = "%b %d" if a.year == b.year else "%Y-%m-%d"
        elif unit == "M":
            start = pd.Timestamp(a.year, (a.month - 1) // step * step + 1, 1)    # Jan, Jul, ... for 6 months
            dates = pd.date_range(start, b, freq=f"{step}MS")
            fmt = "%b %Y"
        else:
            dates = pd.date_range(pd.Timestamp(a.year // step * step, 1, 1), b, freq=f"{step}YS")
            fmt = "%Y"
        days = _days(dates.to_numpy())
        keep = (days >= lo) & (days <= hi)
        return [(float(d), t.strftime(fmt)) for d, t in zip(days[keep], dates[keep])]
    return []


class TimelinePlot:
    """The events timeline as SVG: one lane per kind of event.

    ``data`` is the events plotted (one row per distinct event with a date),
    ``undated`` how many matching events have no date, ``svg`` the drawing and
    ``image`` the widget showing it. Up to ``max_points`` events are drawn one
    circle each (``mode == "points"``); beyond that, as events per month stacked
    by kind (``mode == "monthly"``, the bar heights in ``counts``, one filled
    step outline per kind).
    """

    def __init__(self, width: float = 7.2, height: float = 2.8, dpi: int = 90, max_points: int = 300):
        self.max_points = max_points
        self.mode = "points"
        self.counts: pd.DataFrame | None = None
        self.width, self.height = int(width * dpi), int(height * dpi)
        self.image = widgets.Image(format="svg+xml", layout=widgets.Layout(width="100%", max_width=f"{self.width}px"))
        self.image.add_class("wb-timeline")
        self.caption = widgets.HTML()
        self.widget = widgets.VBox([self.image, self.caption])
        self.data = pd.DataFrame(columns=["kind", "when", "sources"])
        self.undated = 0
        self.draws = 0
        self.svg = ""
        self._signature: tuple | None = None

    # ------------------------------------------------------------------ drawing
    def draw(self, events: pd.DataFrame) -> bool:
        """Plot ``events`` (from ``query.events_for``); False if nothing changed."""
        dated = events[events["when"].notna()] if len(events) else events
        sig = (tuple(dated["key"]) if len(dated) else (), tuple(dated["sources"]) if len(dated) else (),
               len(events) - len(dated))
        if sig == self._signature:
            return False
        self._signature = sig
        self.data = dated.reset_index(drop=True)
        self.undated = len(events) - len(dated)
        self.mode = "points" if len(self.data) <= self.max_points else "monthly"
        self.counts = None
        if len(self.data) and self.mode == "points":
            body, caption = self._points(), "one marker per event; size: articles reporting it; hollow: day unknown"
        elif len(self.data):
            body, caption = self._monthly(), "events per month, by kind (too many to show one by one)"
        else:
            body = (f'<text x="{self.width / 2:.0f}" y="{self.height / 2:.0f}" text-anchor="middle" '
                    f'fill="#777" font-size="12">no dated events match</text>')
            caption = ""
        title = f"{len(self.data)} dated event(s)" + (f"; {self.undated} undated not shown" if self.undated else "")
        self.svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
                    f'viewBox="0 0 {self.width} {self.height}" {FONT} font-size="11">'
                    f'<rect width="100%" height="100%" fill="#fff"/>'
                    f'<text x="{self.width / 2:.0f}" y="16" text-anchor="middle" font-size="12">{_esc(title)}</text>'
                    f"{body}</svg>")
        self.image.value = self.svg.encode("utf-8")
        self.draws += 1
        self.caption.value = (f'<span class="wb-muted wb-timeline-caption" data-events="{len(self.data)}">'
                              f'{caption}</span>')
        return True

    def _frame(self, left: float, lo: float, hi: float) -> tuple[float, float, float, float, str]:
        """The plot box (x0, x1, y0 top, y1 bottom) and its x axis: line, ticks, grid, labels."""
        x0, x1, y0, y1 = left, self.width - 0.05 * self.width, 30.0, self.height - 0.16 * self.height
        sx = (x1 - x0) / max(hi - lo, 1e-9)
        out = [f'<line x1="{x0:.1f}" y1="{y1:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="#000" stroke-width="0.8"/>',
               f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x0:.1f}" y2="{y1:.1f}" stroke="#000" stroke-width="0.8"/>']
        for d, label in _ticks(lo, hi):
            x = x0 + (d - lo) * sx
            out.append(f'<line x1="{x:.1f}" y1="{y0:.1f}" x2="{x:.1f}" y2="{y1 + 4:.1f}" stroke="#b0b0b0" '
                       f'stroke-width="0.8" stroke-opacity="0.6"/>'
                       f'<text x="{x:.1f}" y="{y1 + 16:.1f}" text-anchor="middle" font-size="10">{_esc(label)}</text>')
        return x0, x1, y0, y1, "".join(out)

    def _points(self) -> str:
        d = self.data
        kinds = sorted(set(d["kind"]))
        lane = {k: i for i, k in enumerate(kinds)}
        left = min(0.4 * self.width, max(0.1 * self.width, 6.2 * max(map(len, kinds)) + 18))
        days = _days(d["when"])
        lo, hi = float(days.min()), float(days.max())
        pad = max(5.0, (hi - lo) * 0.05)
        lo, hi = lo - pad, hi + pad
        x0, x1, y0, y1, axis = self._frame(left, lo, hi)
        step = (y1 - y0) / (len(kinds) + 0.4)
        ys = {k: y1 - (0.7 + i) * step for k, i in lane.items()}
        out = [axis]
        for k, y in ys.items():
            out.append(f'<text x="{x0 - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{_esc(k)}</text>')
        exact = (d["date_precision"].fillna("day") == "day").to_numpy()
        # matplotlib's marker area s (pt^2) as the PNG timeline had it, as a radius in px (90 dpi)
        radius = np.sqrt(24 + 14 * np.sqrt(d["sources"].to_numpy(dtype=float))) / 2 * 90 / 72
        xs = x0 + (days - lo) * (x1 - x0) / (hi - lo)
        dates = d["date"].fillna("").astype(str).tolist()
        for x, k, r, ex, date, n in zip(xs.tolist(), d["kind"].tolist(), radius.tolist(), exact.tolist(),
                                        dates, d["sources"].tolist()):
            style = ('fill="#1f6fb2" fill-opacity="0.6" stroke="#0b3b66" stroke-width="0.75"' if ex else
                     'fill="none" stroke="#b25b1f" stroke-width="1.5"')
            out.append(f'<circle class="wb-event" cx="{x:.1f}" cy="{ys[k]:.1f}" r="{r:.1f}" {style}>'
                       f'<title>{_esc(k)} {_esc(date)}: {int(n)} article(s)</title></circle>')
        if not exact.all():
            out.append(self._legend(x0 + 6, y0 + 4, [("day known", "#1f6fb2", True),
                                                     ("month/year only", "#b25b1f", False)]))
        return "".join(out)

    def _monthly(self) -> str:
        self.counts = counts = _month_counts(self.data["when"], self.data["kind"])
        edges = _days(list(counts.index) + [counts.index[-1] + pd.offsets.MonthBegin(1)])
        lo, hi = float(edges[0]), float(edges[-1])
        x0, x1, y0, y1, axis = self._frame(0.1 * self.width, lo, hi)
        cum = counts.to_numpy().cumsum(axis=1)
        top = max(1, int(cum[:, -1].max())) * 1.15
        sy = (y1 - y0) / top
        xs = x0 + (edges - lo) * (x1 - x0) / (hi - lo)
        out = [axis]
        for v in _nice(top):
            y = y1 - v * sy
            out.append(f'<text x="{x0 - 5:.1f}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{v:g}</text>')
        out.append(f'<text transform="translate(12,{(y0 + y1) / 2:.0f}) rotate(-90)" text-anchor="middle" '
                   f'font-size="10">events / month</text>')
        base = np.zeros(len(counts))
        for i, k in enumerate(counts.columns):
            tops = cum[:, i]
            out.append(f'<path class="wb-kind" data-kind="{_esc(k)}" fill="{CYCLE[i % len(CYCLE)]}" '
                       f'fill-opacity="0.85" d="{_step_path(xs, y1 - tops * sy, y1 - base * sy)}"/>')
            base = tops
        if len(counts.columns) > 1:
            out.append(self._legend(x0 + 6, y0 + 4, [(k, CYCLE[i % len(CYCLE)], True)
                                                     for i, k in enumerate(counts.columns)]))
        return "".join(out)

    def _legend(self, x: float, y: float, items: list[tuple[str, str, bool]]) -> str:
        out = ['<g class="wb-legend">']
        for j, (label, color, filled) in enumerate(items):
            cx, cy = x + (j % 4) * 120, y + (j // 4) * 14
            fill = f'fill="{color}" fill-opacity="0.85"' if filled else f'fill="none" stroke="{color}"'
            out.append(f'<rect x="{cx:.1f}" y="{cy:.1f}" width="9" height="9" {fill}/>'
                       f'<text x="{cx + 13:.1f}" y="{cy + 8:.1f}" font-size="9">{_esc(label)}</text>')
        return "".join(out) + "</g>"


def _nice(top: float) -> list[float]:
    """Round y-axis values from 0 to ``top`` (at most ~5)."""
    raw = top / 5
    mag = 10 ** np.floor(np.log10(raw)) if raw > 0 else 1
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    return [float(v) for v in np.arange(0, top, step)]


def _month_counts(when: pd.Series, kind: pd.Series) -> pd.DataFrame:
    """Events per month (rows: every month from the first to the last) and kind (columns, sorted):
    ``pd.crosstab`` of the months and kinds, reindexed to every month, with numpy."""
    m = np.asarray(when, dtype="datetime64[M]").astype(np.int64)
    codes, kinds = pd.factorize(kind.to_numpy(dtype=object), sort=True)
    lo = int(m.min())
    table = np.zeros((int(m.max()) - lo + 1, len(kinds)), dtype=np.int64)
    np.add.at(table, (m - lo, codes), 1)
    months = pd.DatetimeIndex(np.arange(lo, lo + len(table)).astype("datetime64[M]").astype("datetime64[ns]"),
                              freq="MS")
    return pd.DataFrame(table, index=months, columns=pd.Index(list(kinds), name="kind"))


def _step_path(xs: np.ndarray, tops: np.ndarray, bases: np.ndarray) -> str:
    """A closed outline: the step of ``tops`` over the months ``xs`` (edges), back along ``bases``
    (horizontal and vertical moves, one number each)."""
    up = np.column_stack([xs[1:], np.append(tops[1:], bases[-1])]).ravel()     # H x_right V next top
    down = np.column_stack([xs[-2::-1], np.append(bases[-2::-1], tops[0])]).ravel()   # H x_left V next base
    vals: list[float] = np.round(np.concatenate([xs[:1], tops[:1], up, down]), 1).tolist()
    rest = vals[2:]                 # pairs: H x, V y (``%s`` of a float is its repr, as an f-string's)
    return f"M{vals[0]},{vals[1]}" + ("H%sV%s" * (len(rest) // 2)) % tuple(rest) + "Z"
