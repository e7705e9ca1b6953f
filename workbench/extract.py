"""Turn one raw document into an article record (before analysis).

Chooses the path by format: text dumps go through ``clean`` and ``metadata``;
HTML through trafilatura (``htmltext``); exports through the text path with
their own metadata fields taking precedence over what the page text suggests.
"""
from __future__ import annotations

import datetime as dt
import re

from .clean import clean_page
from .dates import find_full_date
from .htmltext import extract_html
from .language import guess_language
from .metadata import AliasMap, Metadata, Sources, apply_lead, byline_agency, extract_metadata
from .read import RawDoc
from .record import empty_record

_TOKEN = re.compile(r"\w+")


def sources_from_reference(ref) -> Sources:
    """Alias maps for the metadata step from the loaded reference tables."""
    def amap(entries) -> AliasMap:
        return AliasMap({a: e.name for e in entries for a in [e.name, *e.aliases]})
    return Sources(outlets=amap(ref.outlets), agencies=amap(ref.agencies),
                   aggregators=amap(ref.aggregators))


def word_count(text: str | None) -> int:
    return len(_TOKEN.findall(text or ""))


def extract(raw: RawDoc, sources: Sources | None = None, today: dt.date | None = None) -> dict:
    """The article record of ``raw``: body, furniture and metadata fields."""
    src = sources or Sources()
    rec = empty_record(doc_id=raw.doc_id, source_path=raw.source_path, sha256=raw.sha256,
                       format=raw.format)
    warnings = list(raw.warnings)
    if raw.text is not None:
        page = clean_page(raw.text)
        md = extract_metadata(page, src, today)
        rec.update(summary=page.summary, comments=list(page.comments),
                   embedded_articles=list(page.embedded_articles))
        warnings += page.warnings
    else:
        art = extract_html(raw.html or "", url=raw.fields.get("url"))
        md = Metadata(title=art.title, author=art.author)
        apply_lead(md, art.body, src, today)
        if art.published and md.published is None:
            md.published, md.published_basis = art.published, "page"
        if art.sitename:
            md.outlet = src.outlets.get(art.sitename) or art.sitename
            if md.outlet in src.aggregators:
                md.outlet = None
        byline_agency(md, src)
        rec.update(comments=art.comments, language=art.language)
        warnings += art.warnings
    rec.update(title=md.title, published=md.published, published_basis=md.published_basis,
               outlet=md.outlet, author=md.author, agency=md.agency, dateline=md.dateline,
               body=md.body)
    warnings += md.warnings

    # Export metadata fields win over what the page text suggests.
    f = raw.fields
    rec["url"] = f.get("url")
    for key in ("title", "outlet", "author", "agency", "summary", "language"):
        if f.get(key):
            rec[key] = f[key]
    if f.get("published"):
        fd = find_full_date(f["published"], today)
        if fd:
            rec["published"], rec["published_basis"] = fd.iso(), f.get("published_basis") or "page"
        else:
            warnings.append(f"export date {f['published']!r} not understood; ignored")
    if rec["agency"]:
        rec["agency"] = src.agencies.get(rec["agency"]) or rec["agency"]

    if not rec["body"]:
        warnings.append("no story text found")
    rec["language"] = rec["language"] or guess_language(rec["body"])
    rec["word_count"] = word_count(rec["body"])
    rec["warnings"] = warnings
    if md.dateline_date:
        rec["_dateline_date"] = md.dateline_date   # handed to analysis, not stored
    return rec
