"""URLs for the collector: the analyst's list, comparison form, canonical links, file names.

Pure functions over strings. Two URLs name the same article when their
normalised forms are equal: scheme and host lower-cased, default port and
fragment dropped, reader-tracking query parameters removed, the rest sorted.
"""
from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from .. import settings

KINDS = ("page", "feed", "sitemap")


class UrlListError(ValueError):
    """A line of a URL list that cannot be used; ``where`` is file:line."""

    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


@dataclass(frozen=True)
class Entry:
    """One line of a URL list: a URL and, when the analyst said so, what it is."""

    url: str
    kind: str | None      # page | feed | sitemap, or None: decided by what the server returns
    where: str            # file:line, for messages


def normalise_url(url: str, base: str | None = None) -> str | None:
    """The comparison form of ``url`` (resolved against ``base``), or None when
    it is not an absolute http(s) URL."""
    url = html.unescape(url.strip())
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in ("http", "https") or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    drop = set(settings.COLLECT_TRACKING_PARAMS)
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k.lower() not in drop and not k.lower().startswith("utm_"))
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def host_of(url: str) -> str:
    """``host[:port]`` of an absolute URL (the unit of politeness)."""
    return urlsplit(url).netloc.lower()


def parse_url_list(text: str, where: str) -> tuple[list[Entry], list[UrlListError]]:
    """Entries of a URL list and the lines refused.

    One URL a line, optionally preceded by its kind (``feed https://...``);
    blank lines and ``#`` comments are ignored.
    """
    entries: list[Entry] = []
    errors: list[UrlListError] = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        kind = None
        if len(parts) == 2 and parts[0].lower() in KINDS:
            kind, url = parts[0].lower(), parts[1]
        elif len(parts) == 1:
            url = parts[0]
        else:
            errors.append(UrlListError(f"{where}:{n}", f"expected a URL, optionally after one of "
                                                      f"{', '.join(KINDS)}; got {line[:80]!r}"))
            continue
        if normalise_url(url) is None:
            errors.append(UrlListError(f"{where}:{n}", f"not an absolute http(s) URL: {url[:80]!r}"))
            continue
        entries.append(Entry(url, kind, f"{where}:{n}"))
    return entries, errors


_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
CANONICAL_SCAN_CHARS = 1_000_000


def canonical_link(page: str, page_url: str) -> str | None:
    """The page's ``<link rel=canonical>`` as a normalised URL, or None.

    The first one in the document counts, wherever it is: "</head>" and
    "<body" also occur inside scripts and JSON, and saved or rendered pages
    carry the link late. A canonical that points at a site's front page from
    an article is a known publishing mistake and is ignored (it would make
    every article a copy).
    """
    for attrs in _link_tags(page):
        if "canonical" not in attrs.get("rel", "").lower().split() or not attrs.get("href"):
            continue
        canon = normalise_url(attrs["href"], base=page_url)
        if canon and urlsplit(canon).path == "/" and urlsplit(page_url).path not in ("", "/"):
            return None
        return canon
    return None


FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


def feed_links(page: str, page_url: str) -> list[str]:
    """The feeds a page announces (``<link rel=alternate type=application/rss+xml>``),
    normalised, in document order."""
    out: list[str] = []
    for attrs in _link_tags(page):
        if ("alternate" in attrs.get("rel", "").lower().split()
                and attrs.get("type", "").lower().strip() in FEED_LINK_TYPES and attrs.get("href")):
            u = normalise_url(attrs["href"], base=page_url)
            if u and u not in out:
                out.append(u)
    return out


def _link_tags(page: str) -> list[dict[str, str]]:
    """Attributes of each ``<link>`` tag in the first CANONICAL_SCAN_CHARS of a page."""
    return [{k.lower(): v.strip("\"'") for k, v in _ATTR.findall(tag)}
            for tag in _LINK_TAG.findall(page[:CANONICAL_SCAN_CHARS])]


_SLUG = re.compile(r"[^a-z0-9]+")


def page_file(out_dir: Path, canonical: str) -> Path:
    """Where the page with this canonical URL is saved: ``<host>/<slug>-<hash>.html.gz``.

    The name depends on the canonical URL alone, so a changed page replaces
    its earlier copy and the file stem (the record's doc_id) stays stable.
    """
    parts = urlsplit(canonical)
    host = _SLUG.sub("-", parts.netloc.lower()).strip("-") or "unknown-host"
    segments = [s for s in parts.path.split("/") if s]
    last = re.sub(r"\.(s?html?|php|aspx?|jsp)$", "", segments[-1].lower()) if segments else "index"
    slug = _SLUG.sub("-", last).strip("-")[:60].strip("-") or "page"
    digest = hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:10]
    return out_dir / host / f"{slug}-{digest}.html.gz"


def interleave_by_host(urls: list[str]) -> list[str]:
    """``urls`` reordered round-robin over their hosts (order kept within a host),
    so one slow, rate-limited host does not hold the others back."""
    queues: dict[str, list[str]] = {}
    for u in urls:
        queues.setdefault(host_of(u), []).append(u)
    out: list[str] = []
    while queues:
        for h in list(queues):
            out.append(queues[h].pop(0))
            if not queues[h]:
                del queues[h]
    return out
