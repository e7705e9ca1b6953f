"""What a fetched list entry is (page, feed, sitemap) and the article links a feed or sitemap gives.

Feeds are parsed by feedparser (RSS 0.9x/1.0/2.0 and Atom); sitemaps
(``urlset``, ``sitemapindex``, Google News extensions, gzipped or not) by
ElementTree. A feed item's date is its ``published`` / ``pubDate`` only —
Atom's ``updated`` says when an entry last changed, not when it appeared.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import html
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass

from .urls import normalise_url

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
XML_TYPES = ("application/xml", "text/xml")
HTML_TYPES = ("text/html", "application/xhtml+xml")
GZIP_TYPES = ("application/gzip", "application/x-gzip")
TEXTISH = ("", "text/plain", "application/octet-stream")   # no useful type: the content decides
_ROOT = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?[^>]*\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<([\w:.-]+)",
                   re.IGNORECASE | re.DOTALL)

_DAY_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FeedError(ValueError):
    """A feed or sitemap that cannot be read."""


@dataclass(frozen=True)
class Item:
    """One article link from a feed or sitemap, with what the source said about it."""

    url: str
    source: str                   # the feed or sitemap URL
    title: str | None = None
    published: str | None = None  # ISO 8601 as the source dated it (its own offset kept)
    author: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def root_element(body: bytes) -> str | None:
    """The document's first element name, lower-cased without namespace prefix
    (after any BOM, XML declaration, comments and doctype), or None."""
    m = _ROOT.match(body[:8192])
    return m.group(1).decode("ascii", "replace").rsplit(":", 1)[-1].lower() if m else None


def classify(content_type: str, body: bytes) -> str | None:
    """``page``, ``feed`` or ``sitemap`` from the document's root element and
    its Content-Type; None when it is none of them (an image, a PDF, JSON ...).
    The root element wins over a mislabelled type (feeds served as text/html)."""
    if content_type in GZIP_TYPES or body[:2] == b"\x1f\x8b":
        return "sitemap"        # gzipped XML is how large sites serve sitemaps
    root = root_element(body)
    if root in ("rss", "feed", "rdf"):
        return "feed" if content_type in FEED_TYPES + XML_TYPES + HTML_TYPES + TEXTISH else None
    if root in ("urlset", "sitemapindex"):
        return "sitemap" if content_type in FEED_TYPES + XML_TYPES + HTML_TYPES + TEXTISH else None
    if content_type in HTML_TYPES or (root == "html" and content_type in TEXTISH):
        return "page"
    return None


def feed_items(body: bytes, feed_url: str) -> list[Item]:
    """The article links of an RSS/Atom feed, resolved against ``feed_url``."""
    import feedparser
    parsed = feedparser.parse(body, response_headers={"content-location": feed_url})
    if not parsed.entries and parsed.get("bozo") and not parsed.feed.get("title"):
        raise FeedError(f"not a readable feed: {parsed.get('bozo_exception')}")
    items = []
    for e in parsed.entries:
        url = normalise_url(e.get("link") or "", base=feed_url)
        if url is None:
            continue
        author = e.get("author") or None
        items.append(Item(url=url, source=feed_url, title=_clean(e.get("title")),
                          published=feed_date(e.get("published"), e.get("published_parsed")),
                          author=_clean(author)))
    return items


_TAG = re.compile(r"<[^>]{0,500}>")


def _clean(s) -> str | None:
    """Plain one-line text of a feed field (feeds may carry markup in titles)."""
    s = " ".join(html.unescape(_TAG.sub(" ", str(s))).split()) if s else ""
    return s or None


def feed_date(raw: str | None, parsed=None, today: dt.date | None = None) -> str | None:
    """A feed's date as ISO 8601 in the offset the feed wrote (so the calendar
    day is the publisher's), or None when absent or implausible."""
    when: dt.datetime | None = None
    if raw and _DAY_ONLY.match(raw.strip()):      # a day without a time stays a day
        try:
            day = dt.date.fromisoformat(raw.strip())
        except ValueError:
            return None
        ok = dt.date(1990, 1, 1) <= day <= (today or dt.date.today()) + dt.timedelta(days=1)
        return day.isoformat() if ok else None
    if raw:
        try:
            when = email.utils.parsedate_to_datetime(raw.strip())
        except (TypeError, ValueError, IndexError):
            try:
                when = dt.datetime.fromisoformat(raw.strip())
            except ValueError:
                when = None
    if when is None and parsed:
        y, mo, d, h, mi, s = parsed[:6]
        when = dt.datetime(y, mo, d, h, mi, s, tzinfo=dt.UTC)
    if when is None:
        return None
    limit = (today or dt.date.today()) + dt.timedelta(days=1)
    if not (dt.date(1990, 1, 1) <= when.date() <= limit):
        return None
    return when.isoformat()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sitemap_urls(body: bytes, sitemap_url: str, max_bytes: int,
                 limit: int) -> tuple[list[Item], list[str]]:
    """Page items and child sitemaps named by a sitemap (``urlset`` or
    ``sitemapindex``); Google News ``title``/``publication_date`` kept."""
    if body[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(body)) as gz:
                body = gz.read(max_bytes + 1)
        except (OSError, EOFError) as e:
            raise FeedError(f"not a valid gzipped sitemap: {e}") from e
        if len(body) > max_bytes:
            raise FeedError(f"sitemap over {max_bytes:,} bytes uncompressed")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        raise FeedError(f"not a readable sitemap: {e}") from e
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise FeedError(f"not a sitemap (root element <{kind}>)")
    pages: list[Item] = []
    children: list[str] = []
    for node in root:
        fields = {_local(el.tag): (el.text or "").strip() for el in node.iter()}
        url = normalise_url(fields.get("loc", ""), base=sitemap_url)
        if url is None:
            continue
        if kind == "sitemapindex":
            children.append(url)
        elif len(pages) < limit:
            pages.append(Item(url=url, source=sitemap_url, title=_clean(fields.get("title")),
                              published=feed_date(fields.get("publication_date"))))
    return pages, children

