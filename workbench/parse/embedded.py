"""Related stories a page carries become records of their own.

A page often ends with whole other stories ("Related Articles": outlet, "8 hours
ago", title, full text); ``clean`` splits them into ``embedded_articles``. Each
becomes an ``Article`` so its organisations, people, events and topics count like
any other story's and copy linking can find the same story saved elsewhere:

* its ``doc_id`` is the page's with ``__embedded-N`` (N from 1, in page order), so it
  is stable across re-ingest of the same page and unique within the corpus;
* ``format`` is ``"embedded"`` and ``embedded_in`` the page's ``doc_id``; it shares
  the page's ``source_path`` and ``sha256`` (it changes when the page does);
* only an item that names its title and its outlet becomes a record. That is the
  shape of a related-stories block (outlet, "3 hours ago", title, text); ``clean``'s
  splitter also catches furniture that reads like prose after a "More" marker (terms
  of use, archive menus, tag clouds), which names no outlet and is no story. On the
  91 development pages it found 14 such items and none names an outlet; the three of
  seed 004 do. Items left out stay in the page's ``embedded_articles``;
* title and outlet are what the related-stories block gave (the outlet through the
  reference's aliases); its first line is read like an HTML story's lead (wire slug,
  dateline). Its publication date stays null unless that lead gives one: the
  page's own date is not the related story's.
"""
from __future__ import annotations

import datetime as dt

from workbench.dates import day_month
from workbench.parse.article import word_count
from workbench.parse.language import guess_language
from workbench.parse.metadata import Metadata, Sources, apply_lead
from workbench.record import Article, Embedded

EMBEDDED_FORMAT = "embedded"


def embedded_id(page_id: str, n: int) -> str:
    """The doc_id of the ``n``-th (from 1) related story of page ``page_id``."""
    return f"{page_id}__embedded-{n}"


def is_story(emb: Embedded) -> bool:
    """Whether a related item reads as a story of its own: a title and an outlet above its text."""
    return bool((emb.get("title") or "").strip() and (emb.get("outlet") or "").strip())


def embedded_records(page: Article, sources: Sources | None = None,
                     today: dt.date | None = None) -> list[Article]:
    """One ``Article`` (analysis fields empty) per related story ``page`` carries."""
    src = sources or Sources()
    out = []
    for n, emb in enumerate(page.embedded_articles, 1):
        body = (emb.get("body") or "").strip()
        if not (body and is_story(emb)):
            continue
        md = Metadata(title=emb.get("title"))
        apply_lead(md, body, src, today)
        outlet = emb.get("outlet")
        outlet = src.outlets.get(outlet) or outlet if outlet else None
        art = Article(doc_id=embedded_id(page.doc_id, n), source_path=page.source_path, sha256=page.sha256,
                      format=EMBEDDED_FORMAT, embedded_in=page.doc_id, title=md.title,
                      published=md.published, published_basis=md.published_basis,
                      outlet=None if outlet in src.aggregators else outlet, agency=md.agency,
                      dateline=md.dateline, body=md.body, warnings=list(md.warnings))
        art.dateline_day = day_month(md.dateline_date)
        art.language = guess_language(art.body)
        art.word_count = word_count(art.body)
        out.append(art)
    return out
