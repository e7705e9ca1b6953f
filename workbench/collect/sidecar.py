"""The sidecar beside each collected page: what was asked, what came back, what the feed said.

``<stem>.html.gz`` has ``<stem>.sidecar.json`` next to it, a JSON object:

    format         "workbench-collect-sidecar/1"
    requested_url  the URL asked for (from the list, a feed or a sitemap)
    final_url      the URL that answered, after redirects
    canonical_url  the page's <link rel=canonical> (normalised), else the final URL
    fetched        fetch time, ISO 8601 UTC
    status         HTTP status of the final response
    content_type   its Content-Type header; charset the charset it declares (or null)
    etag, last_modified   validators for the next conditional request
    sha256         of the page bytes as served (before gzip)
    feed           null, or {url, title, published, author} of the feed item that named it;
                   published is as the feed wrote it, in ISO 8601 with its own offset

This module is imported by ``read`` (no HTTP client here). Ingest reads the
sidecar through ``sidecar_fields``; a sidecar is never an input of its own.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench.files import atomic_write

SIDECAR_SUFFIX = ".sidecar.json"
FORMAT = "workbench-collect-sidecar/1"
FEED_BASIS = "feed"          # published_basis of a date taken from a feed item


class SidecarError(ValueError):
    """A sidecar that cannot be used; names the file and the reason."""


def is_sidecar(path: Path) -> bool:
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def sidecar_path(page: Path) -> Path:
    """The sidecar of a page file (``a.html.gz`` -> ``a.sidecar.json``)."""
    name = page.name
    for suf in (".html.gz", ".htm.gz", ".html", ".htm"):
        if name.lower().endswith(suf):
            name = name[: -len(suf)]
            break
    return page.with_name(name + SIDECAR_SUFFIX)


def load_sidecar(path: Path) -> dict[str, Any]:
    """The sidecar object at ``path``; raises SidecarError when it is unusable."""
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise SidecarError(f"{path}: cannot read: {e.strerror or e}") from e
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SidecarError(f"{path}: not valid JSON: {e}") from e
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise SidecarError(f"{path}: not a collect sidecar (format should be {FORMAT!r})")
    for key in ("requested_url", "final_url", "fetched"):
        if not isinstance(obj.get(key), str) or not obj[key]:
            raise SidecarError(f"{path}: missing {key!r}")
    feed = obj.get("feed")
    if feed is not None and not isinstance(feed, dict):
        raise SidecarError(f"{path}: 'feed' should be an object or null")
    return obj


def sidecar_fields(obj: dict[str, Any]) -> dict[str, str]:
    """RawDoc fields from a sidecar: ``url`` (canonical, else final URL),
    ``final_url``, ``requested_url``, ``fetched``, ``charset``, and the feed's
    ``title``, ``author`` and ``published`` (``YYYY-MM-DD`` as the feed dated it,
    with ``published_basis`` "feed"). The fetch time is never a publication date."""
    fields = {"url": obj.get("canonical_url") or obj["final_url"], "final_url": obj["final_url"],
              "requested_url": obj["requested_url"], "fetched": obj["fetched"]}
    if obj.get("charset"):
        fields["charset"] = str(obj["charset"])
    feed = obj.get("feed") or {}
    for key in ("title", "author"):
        if isinstance(feed.get(key), str) and feed[key].strip():
            fields[key] = feed[key].strip()
    pub = feed.get("published")
    if isinstance(pub, str) and len(pub) >= 10 and pub[4] == "-" and pub[7] == "-":
        fields["published"] = pub[:10]
        fields["published_basis"] = FEED_BASIS
    return fields


def fields_for_page(page: Path) -> tuple[dict[str, str], list[str]]:
    """Fields from the sidecar of ``page`` if it has one, and warnings (a broken
    sidecar costs its fields, never the page)."""
    side = sidecar_path(page)
    if not side.is_file():
        return {}, []
    try:
        return sidecar_fields(load_sidecar(side)), []
    except SidecarError as e:
        return {}, [f"sidecar ignored: {e}"]


def write_sidecar(page: Path, obj: dict[str, Any]) -> Path:
    """Write the sidecar of ``page`` atomically; returns its path."""
    side = sidecar_path(page)
    body = dict(obj, format=FORMAT)
    atomic_write(side, (json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode())
    return side
