"""The reports' figures (matplotlib, no pyplot state): events on a time axis,
articles per outlet over time, dated articles per month."""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from workbench.explore.query import source_label
from workbench.reports.topic import TopicView, event_span


def _outlet(a) -> str:
    return source_label(a.get("outlet"), a.get("agency"))


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` x ``height`` inches with constrained layout."""
    return Figure(figsize=(width, height), layout="constrained")


def timeline_figure(view: TopicView):
    """Events on a time axis: a dot per day-precise event (bigger when more
    outlets report it), a bar across the month or year when that is all we know."""
    ev = view.events[view.events["when"].notna()] if len(view.events) else view.events
    n = len(ev)
    fig = new_figure(9, max(2.2, 0.45 * n + 1.2))
    ax = fig.add_subplot()
    if n == 0:
        ax.text(0.5, 0.5, "No dated events in this range", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    import matplotlib.dates as mdates
    labels = []
    for y, (_, e) in enumerate(ev.iterrows()):
        start, end = event_span(e["date"], e["date_precision"])
        who = ", ".join(e["participants"][:3]) or ", ".join(e["organizations"][:2]) or "?"
        labels.append(_short(f"{e['kind']}: {who}", 60))
        if start == end:
            ax.scatter([pd.Timestamp(start)], [y], s=40 + 40 * max(1, e["n_outlets"]), zorder=3,
                       color="#0969da")
        else:
            ax.barh(y, (pd.Timestamp(end) - pd.Timestamp(start)).days + 1, left=pd.Timestamp(start),
                    height=0.4, color="#8c959f", alpha=0.7)
        ax.annotate(f"{e['n_outlets']} outlet{'s' if e['n_outlets'] != 1 else ''}",
                    (pd.Timestamp(start), y), xytext=(8, 6), textcoords="offset points", fontsize=7,
                    color="#57606a")
    ax.set_yticks(range(n), labels, fontsize=8)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    spans = [event_span(d, p) for d, p in zip(ev["date"], ev["date_precision"])]
    lo = pd.Timestamp(min(a for a, _ in spans if a is not None))
    hi = pd.Timestamp(max(b for _, b in spans if b is not None)) + pd.Timedelta(days=1)
    pad = max(pd.Timedelta(days=5), (hi - lo) * 0.06)
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(n - 0.4, -0.8)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(f"Events: {view.topic} ({view.range_label})", fontsize=10)
    return fig


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def outlets_over_time(articles: pd.DataFrame, freq: str = "auto") -> pd.DataFrame:
    """Dated articles counted per period (rows) and outlet (columns)."""
    a = articles[articles["published"].notna()]
    if len(a) == 0:
        return pd.DataFrame()
    if freq == "auto":
        span = (a["published"].max() - a["published"].min()).days
        freq = "W" if span <= 120 else ("M" if span <= 3 * 365 else "Q")
    period = a["published"].dt.to_period(freq).dt.start_time
    out = pd.crosstab(period, [_outlet(r) for _, r in a.iterrows()])
    full = pd.date_range(out.index.min(), out.index.max(), freq={"W": "W-MON", "M": "MS", "Q": "QS"}[freq])
    return out.reindex(full.union(out.index), fill_value=0)


def outlets_figure(view: TopicView, top: int = 8):
    """Articles over time, stacked by outlet (the ``top`` outlets, the rest as "other")."""
    tab = outlets_over_time(view.articles)
    fig = new_figure(9, 3.4)
    ax = fig.add_subplot()
    if tab.empty:
        ax.text(0.5, 0.5, "No dated articles in this range", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    order = tab.sum().sort_values(ascending=False).index
    if len(order) > top:
        tab["other"] = tab[order[top:]].sum(axis=1)
        tab = tab[list(order[:top]) + ["other"]]
    else:
        tab = tab[list(order)]
    x = range(len(tab))
    bottom = [0] * len(tab)
    for col in tab.columns:
        vals = tab[col].tolist()
        ax.bar(x, vals, bottom=bottom, label=_short(str(col), 30))
        bottom = [b + v for b, v in zip(bottom, vals)]
    step = max(1, len(tab) // 12)
    ax.set_xticks(list(x)[::step], [d.strftime("%Y-%m-%d") for d in tab.index][::step], rotation=30,
                  ha="right", fontsize=8)
    ax.set_ylabel("articles")
    ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # MaxNLocator
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.set_title(f"Articles per period by outlet ({len(view.articles) - int(view.articles['published'].isna().sum())}"
                 " dated)", fontsize=10)
    return fig


def articles_figure(corpus: pd.DataFrame):
    """Dated articles per month."""
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
    ax.set_xticks(list(range(len(per)))[::step], [str(p) for p in per.index][::step], rotation=30,
                  ha="right", fontsize=8)
    ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # MaxNLocator
    ax.set_ylabel("articles")
    ax.set_title(f"Dated articles per month ({len(dated)} of {len(corpus)})", fontsize=10)
    return fig
