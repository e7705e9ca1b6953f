"""How a report cites an article: headline (or a copy's borrowed one), outlet, date in
words, a link to the original; one citation per syndicated story with "+N copies".
No document ids or paths are ever shown (they serve as anchors and grouping keys)."""
from __future__ import annotations

from typing import Any

import pandas as pd

from workbench.explore.query import NO_TITLE, source_label
from workbench.reports import words as W
from workbench.reports.html import Html, anchor_id, link, plain, text


def _outlet(a) -> str:
    return source_label(a.get("outlet"), a.get("agency"))


def citation(doc: pd.Series | dict, story_titles: dict[str, str] | None = None) -> dict[str, Any]:
    """How a report cites an article: its headline (or, for a copy without one, its
    sibling's from ``story_titles``), outlet, date in words and URL; ``doc_id`` and
    ``story`` are kept for anchors and grouping, never shown."""
    title = doc.get("title")
    story = plain(doc.get("story_id")) or plain(doc.get("doc_id"))
    if not (isinstance(title, str) and title.strip()):
        title = (story_titles or {}).get(story) or NO_TITLE
    url = plain(doc.get("url"))
    return {"doc_id": str(doc.get("doc_id")), "story": story, "title": " ".join(str(title).split()),
            "outlet": _outlet(doc), "date": W.published_words(doc.get("published"), doc.get("published_basis")),
            "url": url if url.startswith(("http://", "https://")) else ""}


def story_titles(corpus: pd.DataFrame) -> dict[str, str]:
    """story id -> the first known title among its copies (a copy's citation uses it)."""
    out: dict[str, str] = {}
    if len(corpus) == 0:
        return out
    sid = corpus["story_id"] if "story_id" in corpus else corpus["doc_id"]
    for s, d, t in zip(sid, corpus["doc_id"], corpus["title"]):
        key = plain(s) or plain(d)
        if key not in out and isinstance(t, str) and t.strip():
            out[key] = t
    return out


def cite_html(c: dict[str, Any], copies: int = 0) -> Html:
    """Headline (to the sources list), outlet, date, a link to the original when known,
    and "+N copies" when it stands for a group of syndicated copies."""
    ref = link("#" + anchor_id("doc-", c["doc_id"]), c["title"])
    orig = f" · {link(c['url'], 'original')}" if c.get("url") else ""
    more = f" (+{W.plural(copies, 'copy', 'copies')})" if copies else ""
    return Html(f'<span class="wb-cite">{ref} — {text(c["outlet"])}, {text(c["date"])}{orig}{text(more)}</span>')


def cite_groups(cites: list[dict[str, Any]]) -> list[Html]:
    """One citation per story (the first of each copy group) with "+N copies"."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in cites:
        groups.setdefault(c.get("story") or c["doc_id"], []).append(c)
    return [cite_html(g[0], len(g) - 1) for g in groups.values()]
