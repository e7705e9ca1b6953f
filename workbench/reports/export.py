"""A report notebook, executed, as one safe HTML page (nbconvert, then ``reports.html.sanitize``)."""
from __future__ import annotations

import threading
import uuid

_EXPORT_LOCK = threading.Lock()
_EXPORTER = None


def _exporter():
    """The nbconvert HTML exporter (built once: loading its templates takes ~0.3 s)."""
    global _EXPORTER
    with _EXPORT_LOCK:
        if _EXPORTER is None:
            from nbconvert import HTMLExporter
            from traitlets.config import Config
            c = Config()
            c.TagRemovePreprocessor.enabled = True
            c.TagRemovePreprocessor.remove_cell_tags = {"notebook-only"}
            _EXPORTER = HTMLExporter(config=c, template_name="basic", exclude_input=True,
                                     exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True,
                                     anchor_link_text="")
            import nbformat
            _EXPORTER.from_notebook_node(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("x")]))
        return _EXPORTER


def export_html(nb, title: str) -> str:
    """A standalone, script-free HTML page of an executed notebook: no code
    cells, figures embedded as data URLs, every fragment sanitised.

    nbconvert ends its export by parsing the whole page with BeautifulSoup (to add
    missing ``alt`` texts and ``tabindex`` attributes) and serialising it again:
    ~90 % of the export's time on a large report, nearly all of it in the notebook's
    own HTML outputs (tables of thousands of rows). The outputs of ``reports.html.show``
    are built from escaped parts (well-formed, no ``img``), so that pass changes
    nothing the sanitiser would see in them: each goes through nbconvert as a
    placeholder and is put back afterwards. Any other output takes the full pass."""
    from workbench.reports.html import page, sanitize
    exporter = _exporter()
    light, slots = _slotted(nb)
    with _EXPORT_LOCK:
        body, _ = exporter.from_notebook_node(light)
    for key, part in slots.items():
        body = body.replace(key, part, 1)
    return page(title, sanitize(body))


def _slotted(nb):
    """A copy of ``nb`` whose ``text/html`` outputs from ``show`` (marked with ``workbench``
    metadata) are unique placeholders, and those outputs by placeholder (``nb`` is left as it is)."""
    import nbformat
    tag = uuid.uuid4().hex
    slots: dict[str, str] = {}
    cells = []
    for cell in nb.cells:
        outputs = cell.get("outputs")
        if outputs:
            new = []
            for out in outputs:
                data = out.get("data") or {}
                part = data.get("text/html")
                if isinstance(part, list):
                    part = "".join(part)
                if isinstance(part, str) and "workbench" in (out.get("metadata") or {}) \
                        and "<img" not in part.lower():
                    key = f"wbslot{tag}n{len(slots)}x"
                    slots[key] = part
                    out = nbformat.NotebookNode({**out, "data": nbformat.NotebookNode({**data, "text/html": key})})
                new.append(out)
            cell = nbformat.NotebookNode({**cell, "outputs": new})
        cells.append(cell)
    return nbformat.NotebookNode({**nb, "cells": cells}), slots
