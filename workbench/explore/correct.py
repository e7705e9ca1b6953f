"""The analyst's corrections where people read the corpus: the "corrected by analyst"
mark (explorer and reports), hiding articles marked not relevant, and a small
explorer panel that writes a correction (``workbench.corrections.add_correction``).

A correction written from the panel goes to ``data/corrections.toml`` and takes
effect at the next ``workbench ingest`` (which applies every correction after
analysis and linking), so what the explorer shows is always what the store holds.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.corrections import SETTABLE, add_correction

MARK = "corrected by analyst"


def _list(v: Any) -> list:
    return list(v) if isinstance(v, list | tuple) or hasattr(v, "tolist") else []


def relevant_only(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows an analyst has not marked not relevant (all rows of a frame without the column)."""
    if "relevant" not in frame.columns or frame.empty:
        return frame
    return frame[frame["relevant"].map(lambda v: v is not False)]


def corrected_articles(frame: pd.DataFrame, topic: str | None = None) -> list[dict[str, Any]]:
    """``doc_id``, title and what was corrected, for every corrected row of ``frame``
    (with ``topic``: only the rows that have that topic)."""
    if "corrections" not in frame.columns:
        return []
    out = []
    for _, r in frame.iterrows():
        notes = [str(n) for n in _list(r.get("corrections"))]
        if topic is not None and topic not in {t.get("topic") for t in _list(r.get("topics"))}:
            continue
        if notes:
            title = r.get("title")
            out.append({"doc_id": str(r["doc_id"]), "title": title if isinstance(title, str) else "",
                        "corrections": "; ".join(notes), "relevant": r.get("relevant") is not False})
    return out


def correction_cells(row: Any) -> str:
    """Rows for the explorer's metadata table: the "corrected by analyst" mark with what was
    corrected, and, for a related story, the page that carried it. Text escaped."""
    e = html.escape
    cells = ""
    page = row.get("embedded_in")
    if isinstance(page, str) and page:
        cells += f"<tr><td>related story</td><td>carried by {e(page)}</td></tr>"
    notes = [e(str(n)) for n in _list(row.get("corrections"))]
    if notes:
        cells += (f'<tr class="wb-corrected"><td>{MARK}</td><td>{"<br>".join(notes)}</td></tr>')
    return cells


class CorrectionPanel:
    """Explorer panel: correct a field, add or remove a topic, organisation or person, mark
    the article not relevant or not a copy of its story; written to the corrections file."""

    ACTIONS = (*(f"set {f}" for f in SETTABLE),
               *(f"{op} {k}" for k in ("topic", "organisation", "person") for op in ("add", "remove")),
               "mark not relevant", "not a copy of its story")

    def __init__(self, current_row: Callable[[], Any], path: str | Path | None = None):
        import ipywidgets as W
        self.current_row, self.path = current_row, path
        self.action = W.Dropdown(options=self.ACTIONS, value="set title", description="Correct",
                                 layout=W.Layout(width="260px"))
        self.value = W.Text(placeholder="new value (published: YYYY-MM-DD; empty clears)",
                            layout=W.Layout(width="300px"))
        self.note = W.Text(placeholder="why (optional)", layout=W.Layout(width="200px"))
        self.save = W.Button(description="Save correction", icon="pencil", layout=W.Layout(width="150px"))
        self.status = W.HTML()
        self.save.on_click(lambda _: self.submit())
        self.widget = W.VBox([W.HBox([self.action, self.value, self.note, self.save]), self.status])
        self.widget.add_class("wb-correct")

    def entry(self, action: str, value: str) -> dict[str, Any]:
        """The correction keys for ``action`` (one of ``ACTIONS``) with ``value``."""
        kinds = {"topic": "topics", "organisation": "organizations", "person": "people"}
        if action.startswith("set "):
            return {"set": {action[4:]: value}}
        if action == "mark not relevant":
            return {"relevant": False}
        if action == "not a copy of its story":
            return {"split": True}
        op, kind = action.split(" ", 1)
        if not value:
            raise ValueError(f"{action}: give a name")
        return {f"{op}_{kinds[kind]}": [value]}

    def submit(self) -> str | None:
        """Write the correction for the article shown; returns its id (None when refused)."""
        row = self.current_row()
        if row is None:
            self.status.value = "select an article first"
            return None
        try:
            what = self.entry(self.action.value, self.value.value.strip())
            if self.note.value.strip():
                what["note"] = self.note.value.strip()
            c = add_correction(str(row["doc_id"]), path=self.path, sha256=_str(row.get("sha256")),
                               url=_str(row.get("url")), **what)
        except Exception as e:  # shown to the analyst, not raised into the widget machinery
            self.status.value = f'<span style="color:#b00">not saved: {html.escape(str(e))}</span>'
            return None
        self.value.value = self.note.value = ""
        self.status.value = (f"saved as <code>{html.escape(c.id)}</code>; it holds from the next "
                             "<code>workbench ingest</code>")
        return c.id


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None
