"""The explorer's results grid: sortable columns, one selected row, full width.

Built from plain ipywidgets (no front-end extension to install, so it renders the
same in JupyterLab, a classic notebook and Voilà): a header of buttons, one per
column, that sorts every matching row (click again to reverse); a page of rows
whose cells are buttons, so a click on any cell selects its row; and a pager.
``value`` is the selected row's ``doc_id`` (observe it like any widget value).
Cell text is set as widget text (``description``/``tooltip``), never as HTML.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

PAGE_ROWS = 15
# (key, header, width): key is a column of the frame given to ``set_rows``; sorted by ``<key>_sort`` if present
COLUMNS = (("date", "Date (basis)", "15%"), ("source", "Outlet", "15%"), ("copies", "Copies", "7%"),
           ("title", "Title", "38%"), ("topics", "Topics", "25%"))
ARROWS = {False: " ▲", True: " ▼"}


class ResultsGrid(widgets.VBox):
    """A page of rows with sortable columns; ``value`` is the selected ``doc_id``."""

    value = traitlets.Unicode(allow_none=True, default_value=None)

    def __init__(self, page_rows: int = PAGE_ROWS, **kw):
        super().__init__(**kw)
        self.page_rows = page_rows
        self.rows = pd.DataFrame(columns=["doc_id", *(k for k, _, _ in COLUMNS)])
        self.sort_key: str | None = None
        self.descending = False
        self.page = 0
        self.headers = [self._button(label, width, "wb-grid-head") for _, label, width in COLUMNS]
        for (key, _, _), b in zip(COLUMNS, self.headers):
            b.on_click(lambda _b, key=key: self.sort_by(key))
        self.slots = []
        for i in range(page_rows):
            cells = [self._button("", width, "wb-grid-cell") for _, _, width in COLUMNS]
            for c in cells:
                c.on_click(lambda _b, i=i: self._clicked(i))
            row = widgets.HBox(cells, layout=widgets.Layout(width="100%", display="none"))
            row.add_class("wb-grid-row")
            self.slots.append((row, cells))
        self.prev = widgets.Button(description="‹ previous", layout=widgets.Layout(width="110px"))
        self.next = widgets.Button(description="next ›", layout=widgets.Layout(width="110px"))
        self.prev.on_click(lambda _b: self.show_page(self.page - 1))
        self.next.on_click(lambda _b: self.show_page(self.page + 1))
        self.where = widgets.HTML()
        self.where.add_class("wb-grid-where")
        head = widgets.HBox(self.headers, layout=widgets.Layout(width="100%"))
        head.add_class("wb-grid-header")
        self.children = [head, *(r for r, _ in self.slots),
                         widgets.HBox([self.prev, self.next, self.where])]
        self.layout.width = "100%"
        self.add_class("wb-grid")
        self.observe(self._on_value, names="value")

    @staticmethod
    def _button(text: str, width: str, cls: str) -> widgets.Button:
        b = widgets.Button(description=text, tooltip=text, layout=widgets.Layout(width=width, margin="0"))
        b.add_class(cls)
        return b

    # ------------------------------------------------------------------ data
    def set_rows(self, rows: pd.DataFrame) -> None:
        """Show ``rows`` (``doc_id`` plus the ``COLUMNS`` keys, each optionally with a
        ``<key>_sort`` column), in the current sort order; keeps the selection if it is
        still among them."""
        self.rows = rows.reset_index(drop=True)
        self._apply_sort()
        if self.value is not None and self.value not in set(self.rows["doc_id"]):
            self.value = None
        self.show_page(self._page_of(self.value) if self.value is not None else 0)

    def sort_by(self, key: str, descending: bool | None = None) -> None:
        """Sort every row by column ``key`` (the same key again reverses the order)."""
        if descending is None:
            descending = (not self.descending) if key == self.sort_key else False
        self.sort_key, self.descending = key, descending
        self._apply_sort()
        self.show_page(self._page_of(self.value) if self.value is not None else 0)

    def _apply_sort(self) -> None:
        for (key, label, _), b in zip(COLUMNS, self.headers):
            b.description = label + (ARROWS[self.descending] if key == self.sort_key else "")
        if self.sort_key is None or len(self.rows) == 0:
            return
        col = self.sort_key + "_sort" if self.sort_key + "_sort" in self.rows else self.sort_key
        values = self.rows[col]
        if values.dtype == object:
            values = values.map(lambda v: "" if v is None else str(v).casefold())
        order = values.sort_values(ascending=not self.descending, na_position="last", kind="stable").index
        self.rows = self.rows.loc[order].reset_index(drop=True)

    def column(self, key: str) -> list:
        """The values of column ``key`` in display order (all rows, every page)."""
        return list(self.rows[key])

    # ------------------------------------------------------------------ pages and selection
    @property
    def pages(self) -> int:
        return max(1, -(-len(self.rows) // self.page_rows))

    def _page_of(self, doc_id: str | None) -> int:
        if not len(self.rows):
            return 0
        hit = np.flatnonzero(self.rows["doc_id"].to_numpy() == doc_id)
        return int(hit[0]) // self.page_rows if len(hit) else 0

    def show_page(self, page: int) -> None:
        """Fill the row slots with page ``page`` (clamped)."""
        self.page = min(max(0, page), self.pages - 1)
        start = self.page * self.page_rows
        part = self.rows.iloc[start:start + self.page_rows]
        with self.hold_sync():
            for i, (row, cells) in enumerate(self.slots):
                if i < len(part):
                    r = part.iloc[i]
                    for (key, _, _), c in zip(COLUMNS, cells):
                        c.description = c.tooltip = _text(r[key])
                    row.layout.display = "flex"
                    self._mark(row, r["doc_id"] == self.value)
                else:
                    row.layout.display = "none"
        n = len(self.rows)
        self.where.value = (f'<span class="wb-muted" data-rows="{n}">rows {start + 1 if n else 0}–'
                            f"{min(n, start + self.page_rows)} of {n:,}</span>")
        self.prev.disabled = self.page == 0
        self.next.disabled = self.page >= self.pages - 1

    def visible_ids(self) -> list[str]:
        start = self.page * self.page_rows
        return list(self.rows["doc_id"].iloc[start:start + self.page_rows])

    def _clicked(self, slot: int) -> None:
        ids = self.visible_ids()
        if slot < len(ids):
            self.value = ids[slot]

    def _on_value(self, change) -> None:
        if change["new"] is not None and change["new"] in set(self.visible_ids()):
            ids = self.visible_ids()
            for i, (row, _) in enumerate(self.slots):
                self._mark(row, i < len(ids) and ids[i] == change["new"])
        elif change["new"] is not None and len(self.rows):
            self.show_page(self._page_of(change["new"]))
        else:
            for row, _ in self.slots:
                self._mark(row, False)

    @staticmethod
    def _mark(row: widgets.HBox, selected: bool) -> None:
        if selected:
            row.add_class("wb-grid-selected")
        else:
            row.remove_class("wb-grid-selected")


def _text(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    return " ".join(str(v).split())


CSS = """
.wb-grid .wb-grid-row, .wb-grid .wb-grid-header { gap: 0; }
.wb-grid .wb-grid-cell, .wb-grid .wb-grid-head { text-align: left; justify-content: flex-start; border-radius: 0;
  box-shadow: none; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding: 0 6px;
  font-size: 12px; height: 26px; }
.wb-grid .wb-grid-cell { background: #fff; border-bottom: 1px solid #eaeef2; }
.wb-grid .wb-grid-head { background: #f6f8fa; font-weight: 600; border-bottom: 1px solid #d0d7de; }
.wb-grid .wb-grid-selected .wb-grid-cell { background: #dbeafe; }
.wb-grid .wb-grid-row:hover .wb-grid-cell { background: #f0f6ff; }
"""
