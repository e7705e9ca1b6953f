"""Turn one raw document into a typed ``Article`` (before analysis).

Chooses the path by format: text dumps go through ``clean`` and ``metadata``;
HTML through trafilatura (``htmltext``); exports through the text path with
their own metadata fields taking precedence over what the page text suggests.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import cast

from workbench.dates import day_month, find_full_date
from workbench.parse.aliases import AliasMap
from workbench.parse.clean import clean_page
from workbench.parse.furniture import Furniture, closing_credit, strip_furniture
from workbench.parse.html import extract_html
from workbench.parse.language import guess_language
from workbench.parse.metadata import Metadata, Sources, apply_lead, byline_agency, extract_metadata
from workbench.parse.read import RawDoc
from workbench.record import Article, Embedded

_TOKEN = re.compile(r"\w+")


def sources_from_reference(ref) -> Sources:
    """Alias maps for the metadata step from the loaded reference tables."""
    def amap(entries) -> AliasMap:
        return AliasMap({a: e.name for e in entries for a in [e.name, *e.aliases]})
    every = [*ref.outlets, *ref.agencies, *ref.aggregators]
    return Sources(outlets=amap(ref.outlets), agencies=amap(ref.agencies),
                   aggregators=amap(ref.aggregators),
                   domains={d: e.name for e in every for d in getattr(e, "domains", ())},
                   countries={e.name: e.country for e in every if getattr(e, "country", None)})


def word_count(text: str | None) -> int:
    return len(_TOKEN.findall(text or ""))


def _from_html(raw: RawDoc, src: Sources, today: dt.date | None) -> tuple[Metadata, Article]:
    """Metadata and furniture of a saved HTML page (trafilatura)."""
    page = extract_html(raw.html or "", url=raw.fields.get("url"))
    md = Metadata(title=page.title, author=page.author)
    fur = strip_furniture(page.body, src.agencies)
    apply_lead(md, fur.body, src, today)
    if page.published and md.published is None:
        md.published, md.published_basis = page.published, "page"
    if page.sitename:
        md.outlet = src.outlets.get(page.sitename) or page.sitename
        if md.outlet in src.aggregators:
            md.outlet = None
    site = src.site_of(raw.fields.get("url"))
    if site and site not in src.aggregators:
        md.outlet = site
    byline_agency(md, src)
    art = Article(doc_id=raw.doc_id, comments=page.comments, language=page.language,
                  warnings=list(page.warnings))
    _note_furniture(art, fur)
    return md, art


def _from_text(raw: RawDoc, src: Sources, today: dt.date | None) -> tuple[Metadata, Article]:
    """Metadata and furniture of a text dump (``clean`` then ``metadata``)."""
    page = clean_page(raw.text or "")
    fur = strip_furniture(page.body, src.agencies)
    page.body = fur.body
    md = extract_metadata(page, src, today, url=raw.fields.get("url"))
    art = Article(doc_id=raw.doc_id, summary=page.summary, comments=list(page.comments),
                  embedded_articles=cast(list[Embedded], list(page.embedded_articles)), warnings=list(page.warnings))
    _note_furniture(art, fur)
    return md, art


def _export_fields(art: Article, fields: dict, src: Sources, today: dt.date | None) -> None:
    """An export's own metadata fields (or a collected page's sidecar) win over what the page text suggests."""
    art.url = fields.get("url")
    for key in ("title", "outlet", "author", "agency", "summary", "language"):
        if fields.get(key):
            setattr(art, key, fields[key])
    if fields.get("published"):
        fd = find_full_date(fields["published"], today)
        if fd:
            art.published, art.published_basis = fd.iso(), fields.get("published_basis") or "page"
        else:
            art.warnings.append(f"export date {fields['published']!r} not understood; ignored")
    if art.agency:
        art.agency = src.agencies.get(art.agency) or art.agency


def _near_headline(md: Metadata) -> str | None:
    """Another headline standing between the title and the story (a wire copy's own
    headline under an outlet's rewrite), which a sibling copy without one borrows."""
    alts = md.title_alternatives
    return alts[0] if md.title and alts and md.title not in alts[0] and alts[0] not in md.title else None


# A date in a page address: "/2025-07-09/", "/2025/07/09/", Yonhap's "AEN20250709...".
_URL_DATE = re.compile(r"(?:/|\bAEN)(?P<y>20\d\d)(?P<s>[-/]?)(?P<m>[01]\d)(?P=s)(?P<d>[0-3]\d)(?:/|\d|$)")


def _date_from_url(art: Article, today: dt.date | None) -> None:
    """A page that gives no date of its own, whose address holds one: that date, flagged
    ``inferred`` with its basis in a warning (never as the page's own date)."""
    if art.published or not art.url:
        return
    m = _URL_DATE.search(art.url)
    if not m:
        return
    try:
        d = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return
    if d > (today or dt.date.today()) + dt.timedelta(days=1):
        return
    art.published, art.published_basis = d.isoformat(), "inferred"
    art.warnings.append(f"published {d.isoformat()} inferred from the page address {art.url}")


def _note_furniture(art: Article, fur: Furniture) -> None:
    """Captions the furniture pass took out of the body, and a count of what it dropped."""
    art.captions = fur.captions
    if fur.dropped:
        art.warnings.append(f"{fur.dropped} promo, banner or note line(s) dropped from the body")


def _closing_credit(art: Article, body: str, src: Sources) -> None:
    """An agency credit closing the story ("... last August.Yonhap") cut and read."""
    art.body, credit = closing_credit(body, src.agencies.get)
    if credit and not art.agency:
        art.agency = credit


def extract(raw: RawDoc, sources: Sources | None = None, today: dt.date | None = None) -> Article:
    """The article of ``raw``: body, furniture and metadata fields (analysis fields empty)."""
    src = sources or Sources()
    md, art = (_from_text if raw.text is not None else _from_html)(raw, src, today)
    art.source_path, art.sha256, art.format = raw.source_path, raw.sha256, raw.format
    art.warnings = list(raw.warnings) + art.warnings
    art.title, art.published, art.published_basis = md.title, md.published, md.published_basis
    art.headline_near_body = _near_headline(md)
    art.outlet, art.author, art.agency, art.dateline = md.outlet, md.author, md.agency, md.dateline
    _closing_credit(art, md.body, src)
    art.dateline_day = day_month(md.dateline_date)
    art.warnings += md.warnings
    _export_fields(art, raw.fields, src, today)
    _date_from_url(art, today)
    if not art.body:
        art.warnings.append("no story text found")
    art.language = art.language or guess_language(art.body)
    art.word_count = word_count(art.body)
    return art
