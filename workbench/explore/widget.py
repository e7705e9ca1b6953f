"""The corpus explorer: filters, a results table, the article, a timeline.

    from workbench.explore.widget import explorer
    ex = explorer()          # the corpus store; or explorer(corpus=df), explorer(store="path")
    ex                       # displays the widget in JupyterLab, a notebook or Voilà

Every part is an attribute, so code (and tests) can drive it: the filters
``topic``, ``outlet``, ``entity`` (type-ahead), ``since``, ``until``,
``search``, ``include_copies``, ``include_undated``; the ``table`` (its
value is the selected ``doc_id``); the ``article`` view and its
``siblings``; the ``timeline`` (``timeline.data`` holds the plotted events);
``cooccurrence``. ``results`` is the matching articles as a DataFrame,
``selection_frame()`` a copy to keep, ``export_csv(path)`` writes them.

The filtering itself is ``workbench.explore.query`` (pure functions, tested alone).
Article text is untrusted: it is HTML-escaped before any <mark> is added.
"""
from __future__ import annotations

import base64
import datetime as dt
import html
import time
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from workbench.explore import query as q
from workbench.explore.correct import CorrectionPanel, correction_cells  # corrections track (issue 14.2)
from workbench.explore.export import write_csv
from workbench.explore.grid import CSS as GRID_CSS
from workbench.explore.grid import ResultsGrid
from workbench.explore.highlight import article_spans, highlight
from workbench.explore.query import Filters
from workbench.explore.timeline import TimelinePlot

ANY = "(any)"
TABLE_ROWS = 15              # rows per page of the results grid (every match is in it, a page at a time)
DOWNLOAD_LINK_MAX = 20 * 1024 * 1024

CSS = """
<style>
.wb-explorer { font-size: 13px; }
.wb-siblings select { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.wb-article { border: 1px solid #ddd; padding: 6px 10px; }
.wb-body { white-space: pre-wrap; max-height: 460px; overflow-y: auto; line-height: 1.45; }
.wb-meta td { padding: 1px 8px 1px 0; vertical-align: top; }
.wb-meta td:first-child { color: #666; }
mark.wb-evidence { background: #fff1a8; }
mark.wb-org { background: #cfe2ff; }
mark.wb-person { background: #c8f0cf; }
mark.wb-hit { background: #ffc48a; }
mark.wb-evidence.wb-org, mark.wb-evidence.wb-person { text-decoration: underline #c9a400 2px; }
.wb-legend mark { padding: 0 4px; margin-right: 6px; }
.wb-cooc table { border-collapse: collapse; font-size: 12px; }
.wb-cooc td, .wb-cooc th { padding: 1px 6px; text-align: left; }
.wb-muted { color: #777; }
</style>
"""
LEGEND = ('<div class="wb-legend wb-muted">highlighted: <mark class="wb-org">organisation</mark>'
          '<mark class="wb-person">person</mark><mark class="wb-evidence">topic evidence</mark>'
          '<mark class="wb-hit">search hit</mark></div>')

# widths of the table's text columns (characters)
COLS = (("date (basis)", 28), ("outlet", 22), ("copies", 7), ("title", 72), ("topics", 64))
NBSP = "\u00a0"  # browsers collapse ordinary spaces inside <option>


def _cell(text: str, width: int) -> str:
    text = " ".join(str(text or "").split())
    if len(text) > width:
        text = text[: width - 1] + "…"
    return text.ljust(width)


def row_label(row) -> str:
    """One table line: date (basis), outlet, copies, title, topics; padded to columns."""
    title = q._str(row["title"]) or q.NO_TITLE
    copies = int(row.get("copies") or 0)
    cells = [row["date_label"], row["source"], f"+{copies}" if copies else "", title, row["topic_names"]]
    line = " ".join(_cell(c, w) for c, (_, w) in zip(cells, COLS)).rstrip()
    return line.replace(" ", NBSP)


class Explorer:
    """The explorer widget; see the module docstring. Display it as is."""

    def __init__(self, corpus: pd.DataFrame, *, max_rows: int = TABLE_ROWS, empty_note: str = "",
                 text_lc: list[str] | None = None, index: q.CorpusIndex | None = None):
        t0 = time.perf_counter()
        # text_lc: the search texts, when cached; index: ``build_index(corpus)``, when cached
        self.index = index if index is not None else q.build_index(corpus, text_lc=text_lc)
        self.index_seconds = time.perf_counter() - t0
        self.max_rows = max_rows
        self.empty_note = empty_note
        self._pos = np.zeros(0, dtype=np.int64)
        self._results: pd.DataFrame | None = None
        self.events: pd.DataFrame = pd.DataFrame()
        self.filters = Filters()
        self.timing: dict[str, float] = {}
        self._suspended = False
        self._hidden = 0
        self.shown: str | None = None
        self.cooccurrence_data = pd.DataFrame(columns=["a", "b", "articles"])
        t1 = time.perf_counter()
        self._grid: dict[str, Any] | None = None
        self._build()
        t2 = time.perf_counter()
        self.refresh()
        # wall seconds of the start, by step (``explorer`` adds the store read)
        self.start_seconds = {"index": self.index_seconds, "widgets": t2 - t1,
                              "first_render": time.perf_counter() - t2}

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        idx = self.index
        W = widgets
        lay = lambda w: W.Layout(width=w)  # noqa: E731
        style = {"description_width": "initial"}
        self.topic = W.Dropdown(options=[ANY, *idx.topics], value=ANY, description="Topic", layout=lay("260px"))
        self.outlet = W.Dropdown(options=[ANY, *idx.sources], value=ANY, description="Outlet", layout=lay("260px"))
        self.entity = W.Combobox(options=idx.names, value="", placeholder="organisation or person…",
                                 description="Who", ensure_option=False, layout=lay("320px"))
        self.since = W.DatePicker(description="From", layout=lay("200px"))
        self.until = W.DatePicker(description="To", layout=lay("200px"))
        self.include_undated = W.Checkbox(value=False, description="keep undated when dates are set",
                                          indent=False, style=style, layout=lay("250px"))
        self.search = W.Text(value="", placeholder='words or "a phrase", then Enter', description="Text",
                             continuous_update=False, layout=lay("320px"))
        self.include_copies = W.Checkbox(value=False, description="include syndicated copies", indent=False,
                                         style=style, layout=lay("200px"))
        self.reset = W.Button(description="Clear filters", icon="times", layout=lay("130px"))
        for w in (self.topic, self.outlet, self.entity, self.since, self.until, self.include_undated,
                  self.search, self.include_copies):
            w.add_class("wb-filter")
            w.observe(self._on_filter, names="value")
        self.topic.add_class("wb-topic")
        self.outlet.add_class("wb-outlet")
        self.entity.add_class("wb-entity")
        self.search.add_class("wb-search")
        self.reset.on_click(lambda _: self.clear_filters())

        self.status = W.HTML()
        self.status.add_class("wb-status")
        self.table = ResultsGrid(page_rows=self.max_rows)
        self.table.add_class("wb-table")
        self.table.observe(self._on_select, names="value")

        self.article = W.HTML('<div class="wb-muted">Select an article in the table.</div>')
        self.article.add_class("wb-article")
        self.siblings = W.Select(options=[], value=None, rows=3, description="Copies",
                                 layout=W.Layout(width="100%", display="none"))
        self.siblings.add_class("wb-siblings")
        self.siblings.observe(self._on_sibling, names="value")

        self.timeline = TimelinePlot()
        self.cooccurrence = W.HTML()
        self.cooccurrence.add_class("wb-cooc")

        self.export_path = W.Text(value="", placeholder="CSV path (default: reports/explorer/…)",
                                  layout=lay("360px"))
        self.export_button = W.Button(description="Export CSV", icon="download", layout=lay("130px"))
        self.frame_name = W.Text(value="selection", description="DataFrame", layout=lay("220px"))
        self.frame_button = W.Button(description="Send to kernel", icon="table", layout=lay("140px"))
        self.export_status = W.HTML()
        self.export_button.on_click(lambda _: self._export_clicked())
        self.frame_button.on_click(lambda _: self._frame_clicked())

        filters = W.VBox([
            W.HBox([self.topic, self.outlet, self.entity]),
            W.HBox([self.since, self.until, self.include_undated]),
            W.HBox([self.search, self.include_copies, self.reset]),
        ])
        table = self.table
        # corrections track (issue 14.2): write an analyst's correction for the article shown
        self.correction = CorrectionPanel(lambda: self._row(self.shown) if self.shown else None)
        left = W.VBox([self.siblings, self.article, self.correction.widget],
                      layout=W.Layout(width="56%", min_width="480px"))
        right = W.VBox([self.timeline.widget,
                        W.HTML("<b>Who appears with whom</b>"), self.cooccurrence],
                       layout=W.Layout(width="44%", min_width="400px"))
        kernel_only = [] if under_voila() else [self.frame_name, self.frame_button]   # no kernel for the reader
        export = W.HBox([self.export_path, self.export_button, *kernel_only])
        self.widget = W.VBox([W.HTML(CSS + f"<style>{GRID_CSS}</style>"), filters, self.status, table,
                              W.HBox([left, right]), export, self.export_status])
        self.widget.add_class("wb-explorer")

    @property
    def results(self) -> pd.DataFrame:
        """The matching articles (every corpus column), newest first, by ``doc_id``.

        Taken from the corpus when first asked for after a filter change, not at
        each change: copying every column (bodies included) of tens of thousands
        of rows cost more than the filtering itself."""
        if self._results is None:
            pos = self._pos
            self._results = self.index.rows(pos).set_index(self.index.base["doc_id"].to_numpy()[pos],
                                                           drop=False).rename_axis(None)
        return self._results

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------------ state
    def current_filters(self) -> Filters:
        return Filters(
            topics=() if self.topic.value in (ANY, None) else (self.topic.value,),
            outlets=() if self.outlet.value in (ANY, None) else (self.outlet.value,),
            since=self.since.value, until=self.until.value, entity=self.entity.value,
            text=self.search.value, include_copies=self.include_copies.value,
            include_undated=self.include_undated.value)

    def _on_filter(self, _change=None) -> None:
        if not self._suspended:
            self.refresh()

    def clear_filters(self) -> None:
        """Every filter back to "no constraint" (one refresh)."""
        self._suspended = True
        try:
            self.topic.value = ANY
            self.outlet.value = ANY
            self.entity.value = ""
            self.since.value = None
            self.until.value = None
            self.search.value = ""
            self.include_copies.value = False
            self.include_undated.value = False
        finally:
            self._suspended = False
        self.refresh()

    def refresh(self) -> None:
        """Apply the filters: results and table first, then co-occurrence and the timeline.

        Widget changes reach the browser as they are made, so the table and the
        count show before the timeline is drawn.
        """
        t0 = time.perf_counter()
        f = self.current_filters()
        self.filters = f
        mask = q.filter_mask(self.index, f)
        pos = q.filter_positions(self.index, f, mask=mask)
        self._hidden = int(mask.sum()) - len(pos)
        self._pos, self._results = pos, None
        t1 = time.perf_counter()

        keep = self.table.value
        self.table.set_rows(self._grid_rows(pos))
        if self.table.value is None and keep is not None:
            self._show(None)
        t2 = time.perf_counter()
        self._draw_cooccurrence(pos, f)
        t3 = time.perf_counter()
        self.timing = {"filter_ms": (t1 - t0) * 1e3, "table_ms": (t2 - t1) * 1e3,
                       "cooccurrence_ms": (t3 - t2) * 1e3, "ready_ms": (t3 - t0) * 1e3}
        self._draw_status(pos, f)

        self.events = q.events_for(self.index, pos)
        redrawn = self.timeline.draw(self.events)
        t4 = time.perf_counter()
        self.timing.update(timeline_ms=(t4 - t3) * 1e3, total_ms=(t4 - t0) * 1e3, timeline_redrawn=redrawn)
        self._draw_status(pos, f)

    def _grid_rows(self, pos) -> pd.DataFrame:
        """The grid's rows for index positions ``pos``: display text plus sort keys."""
        if self._grid is None:      # every row's cells, made once: a change then only takes its rows
            fr = self.index.base[["doc_id", "date_label", "published", "source", "copies", "title",
                                   "topic_names"]]     # not the other columns (bodies)
            copies = fr["copies"].fillna(0).astype(int).to_numpy()
            self._grid = {
                "doc_id": fr["doc_id"].to_numpy(dtype=object), "date": fr["date_label"].to_numpy(dtype=object),
                "date_sort": fr["published"].to_numpy(), "source": fr["source"].to_numpy(dtype=object),
                "copies": np.array([f"+{c}" if c else "" for c in copies.tolist()], dtype=object),
                "copies_sort": copies,
                "title": np.array([q._str(t) or q.NO_TITLE for t in fr["title"].to_numpy(dtype=object)],
                                  dtype=object),
                "topics": np.array([t if isinstance(t, str) else ", ".join(t) for t in fr["topic_names"]],
                                   dtype=object)}
            for k, v in self._grid.items():     # text as Arrow strings: what the frame made of them, taken as is
                if v.dtype == object:
                    self._grid[k] = pd.array(v, dtype="str")
        return pd.DataFrame({k: v[pos] if len(pos) or isinstance(v, np.ndarray) else np.zeros(0, dtype=object)
                             for k, v in self._grid.items()})

    def _draw_status(self, pos, f: Filters) -> None:
        n = len(pos)
        total = len(self.index)
        parts = [f'<b data-count="{n}">{n:,}</b> of {total:,} article(s) match']
        if not f.include_copies and self._hidden:
            hidden = self._hidden
            parts.append(f"{hidden:,} syndicated cop{'y' if hidden == 1 else 'ies'} folded in")
        if f.entity and not q.matching_entities(self.index, f.entity):
            parts.append(f"no organisation or person matches {html.escape(f.entity)!s}")
        if not total:
            parts.append(html.escape(self.empty_note or "the corpus is empty"))
        t = self.timing
        parts.append(f'<span class="wb-muted">filtered in {t["filter_ms"]:.0f} ms'
                     + (f', plot in {t["timeline_ms"]:.0f} ms' if "timeline_ms" in t else "") + "</span>")
        self.status.value = " · ".join(parts)

    def _draw_cooccurrence(self, pos, f: Filters) -> None:
        pairs = q.cooccurrence(self.index, pos, top=12, entity=f.entity or None)
        self.cooccurrence_data = pairs
        if pairs.empty:
            self.cooccurrence.value = '<div class="wb-muted">no two organisations or people named together</div>'
            return
        rows = "".join(f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td><td>{n}</td></tr>"
                       for a, b, n in pairs.itertuples(index=False))
        self.cooccurrence.value = ("<table><tr><th>named</th><th>with</th><th>articles</th></tr>"
                                   f"{rows}</table>")

    # ------------------------------------------------------------------ article
    def select(self, doc_id: str | None) -> None:
        """Select ``doc_id`` in the table (it must be among the rows shown)."""
        self.table.value = doc_id

    def _on_select(self, change) -> None:
        self._show(change["new"])

    def _on_sibling(self, change) -> None:
        if change["new"]:
            self._show(change["new"], from_sibling=True)

    def _row(self, doc_id: str):
        hit = np.flatnonzero(self.index.base["doc_id"].to_numpy() == doc_id)
        return self.index.rows(hit[:1]).iloc[0] if len(hit) else None

    def _show(self, doc_id: str | None, from_sibling: bool = False) -> None:
        if doc_id is None:
            self.shown = None
            self.article.value = '<div class="wb-muted">Select an article in the table.</div>'
            self.siblings.unobserve(self._on_sibling, names="value")
            self.siblings.options = []
            self.siblings.layout.display = "none"
            self.siblings.observe(self._on_sibling, names="value")
            return
        row = self._row(doc_id)
        if row is None:
            return
        self.shown = doc_id
        self.article.value = article_html(row, self.filters.text)
        if not from_sibling:
            sib = q.sibling_positions(self.index, doc_id)
            self.siblings.unobserve(self._on_sibling, names="value")
            self.siblings.options = self._sibling_options(sib)
            self.siblings.value = None
            self.siblings.layout.display = "" if len(sib) else "none"
            self.siblings.observe(self._on_sibling, names="value")

    def _sibling_options(self, sib: np.ndarray) -> list[tuple[str, str]]:
        """(table line, doc_id) of the copies at positions ``sib``, in corpus order (lines made here, not at start)."""
        rows = self.index.base[["doc_id", "title", "copies", "date_label", "source", "topic_names"]].iloc[sib]
        return [(row_label(r), r["doc_id"]) for r in rows.to_dict("records")]

    # ------------------------------------------------------------------ export
    def selection_frame(self) -> pd.DataFrame:
        """A copy of the matching articles with the corpus columns, by ``doc_id``."""
        cols = [c for c in self.results.columns if c not in q.DISPLAY_COLUMNS]
        return self.results[cols].copy()

    def export_csv(self, path: str | Path | None = None) -> Path:
        """Write the matching articles to CSV (list fields as JSON); returns the path."""
        if not path:
            from workbench import settings
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            path = settings.reports_dir() / "explorer" / f"selection-{stamp}.csv"
        return write_csv(self.results, path)

    def _export_clicked(self) -> None:
        try:
            path = self.export_csv(self.export_path.value.strip() or None)
        except Exception as e:  # shown to the user, not raised into the widget machinery
            self.export_status.value = f'<span style="color:#b00">export failed: {html.escape(str(e))}</span>'
            return
        msg = f"wrote {len(self.results):,} article(s) to <code>{html.escape(str(path))}</code>"
        data = Path(path).read_bytes()
        if len(data) <= DOWNLOAD_LINK_MAX:
            b64 = base64.b64encode(data).decode()
            msg += (f' · <a download="{html.escape(Path(path).name, quote=True)}" '
                    f'href="data:text/csv;base64,{b64}">download</a>')
        self.export_status.value = msg

    def _frame_clicked(self) -> None:
        name = self.frame_name.value.strip()
        if not name.isidentifier():
            self.export_status.value = f"{html.escape(name)!s} is not a Python variable name"
            return
        try:
            from IPython import get_ipython
            shell = get_ipython()
        except ImportError:
            shell = None
        if shell is None:
            self.export_status.value = "no IPython kernel here: call explorer.selection_frame() instead"
            return
        shell.user_ns[name] = self.selection_frame()
        self.export_status.value = (f"<code>{html.escape(name)}</code> = DataFrame of "
                                    f"{len(self.results):,} article(s) in the kernel")


def article_html(row, query: str = "") -> str:
    """The cleaned article as HTML: metadata, then the body with entities,
    topic evidence and search hits marked. All article text is escaped."""
    e = html.escape
    topics = []
    for t in q._list(row.get("topics")):
        score = t.get("score")
        topics.append(e(str(t["topic"])) + (f" ({score:.2f})" if isinstance(score, (int, float)) else ""))
    people = [e(str(p["name"])) + (f" — {e(str(p['role']))}" if p.get("role") else "")
              for p in q._list(row.get("people"))]
    orgs = [e(str(o["name"])) for o in q._list(row.get("organizations"))]
    meta = [("date", row.get("date_label")), ("outlet", row.get("outlet")), ("agency", row.get("agency")),
            ("author", row.get("author")), ("dateline", row.get("dateline")), ("words", row.get("word_count")),
            ("story", row.get("story_id")), ("doc_id", row.get("doc_id")), ("file", row.get("source_path"))]
    cells = "".join(f"<tr><td>{k}</td><td>{e(q._str(v))}</td></tr>" for k, v in meta if q._str(v))
    cells += f"<tr><td>topics</td><td>{', '.join(topics) or '—'}</td></tr>"
    cells += f"<tr><td>organisations</td><td>{', '.join(orgs) or '—'}</td></tr>"
    cells += f"<tr><td>people</td><td>{'; '.join(people) or '—'}</td></tr>"
    cells += correction_cells(row)   # corrections track: "corrected by analyst", related story's page
    warns = [e(str(w)) for w in q._list(row.get("warnings"))]
    if warns:
        cells += f"<tr><td>warnings</td><td>{'<br>'.join(warns)}</td></tr>"
    body = highlight(q._str(row.get("body")), article_spans(row, query))
    title = e(q._str(row.get("title")) or q.NO_TITLE)
    return (f'<h3 style="margin:4px 0">{title}</h3><table class="wb-meta">{cells}</table>{LEGEND}'
            f'<div class="wb-body">{body}</div>')


def under_voila() -> bool:
    """True inside a Voilà dashboard's kernel (Voilà sets these in the kernel's environment)."""
    import os
    return any(k in os.environ for k in ("VOILA_KERNEL_ID", "VOILA_REQUEST_URL", "VOILA_BASE_URL"))


def explorer(corpus: pd.DataFrame | None = None, store: str | Path | None = None, **kwargs) -> Explorer:
    """An ``Explorer`` over ``corpus`` (default: the corpus store, or ``store``)."""
    note = ""
    t0 = time.perf_counter()
    index = None
    if corpus is None:
        from workbench.explore.cache import cached_index
        from workbench.store import store_files
        # ``build_index(load_corpus(store))``: cached beside the store, or read column-wise and built
        index = cached_index(store)
        corpus = index.base           # its nested columns may still be Arrow (``CorpusIndex.frame``)
        if corpus.empty:
            note = f"the corpus store {store_files(store).manifest_name} is empty or missing: run `workbench ingest`"
    read = time.perf_counter() - t0
    ex = Explorer(corpus, empty_note=note, index=index, **kwargs)
    ex.start_seconds = {"read": read, **ex.start_seconds}
    return ex
