"""``collect``: URL lists, feeds and sitemaps in; gzipped pages with sidecars out.

Two passes. First every list entry is fetched conditionally (ETag /
Last-Modified from the state file) and turns out to be a page (saved), a feed
or a sitemap (its items gathered). Then every gathered item not already held
is fetched once. A page is saved under a name made from its canonical URL, the
sidecar first and the page second, each atomically, so a page file never
exists without its sidecar. Every outcome lands in the summary; nothing
raised by one URL stops the run.
"""
from __future__ import annotations

import codecs
import datetime as dt
import gzip
import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from .. import settings
from .feeds import FeedError, Item, classify, feed_items, sitemap_urls
from .fetch import FetchConfig, Fetcher, FetchError, Response
from .sidecar import (
    SidecarError,
    atomic_write,
    load_sidecar,
    sidecar_path,
    write_sidecar,
)
from .state import CollectError, State, held_urls, load_state, run_lock, save_state
from .urls import (
    Entry,
    canonical_link,
    feed_links,
    interleave_by_host,
    normalise_url,
    page_file,
    parse_url_list,
)

SAVE_STATE_EVERY = 20   # pages between state saves (a killed run loses at most these validators)


@dataclass
class CollectSummary:
    """What a run did. ``failed`` and ``robots`` hold (url, reason)."""

    saved: list[tuple[str, str]] = field(default_factory=list)     # (url, file) new pages
    changed: list[tuple[str, str]] = field(default_factory=list)   # (url, file) replaced pages
    unchanged: int = 0
    known: int = 0            # items skipped because their page is already held
    duplicates: int = 0       # fetched, but their canonical URL was already held
    deferred: int = 0         # items left for the next run by max_pages
    feeds: int = 0
    items: int = 0
    robots: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def fetched(self) -> int:
        return len(self.saved) + len(self.changed)

    def lines(self) -> list[str]:
        out = [(f"fetched {self.fetched} page(s) ({len(self.saved)} new, {len(self.changed)} changed); "
               f"{self.unchanged} unchanged; {self.known} already held; "
               f"{self.duplicates} duplicate(s) of held pages"),
               f"{self.feeds} feed(s)/sitemap(s) read, {self.items} item(s) listed"
               + (f"; {self.deferred} left for the next run (--max-pages)" if self.deferred else ""),
               f"{len(self.robots)} skipped by robots.txt; {len(self.failed)} failed"]
        out += [f"  robots: {u}: {why}" for u, why in self.robots]
        out += [f"  failed: {u}: {why}" for u, why in self.failed]
        out += [f"  note: {n}" for n in self.notes]
        return out


def collect(lists: list[str | Path] | None = None, out_dir: str | Path | None = None,
            state_file: str | Path | None = None, config: FetchConfig | None = None,
            store: str | Path | None = None, use_corpus: bool = True,
            progress: bool | None = None, max_pages: int | None = None) -> CollectSummary:
    """Fetch what the URL lists name into ``out_dir`` (default data/raw/collected).

    ``lists`` default to ``data/collect/urls.txt``. ``max_pages`` bounds the
    new articles fetched this run (the rest wait for the next run, in the
    same order). Raises CollectError only
    when the run cannot start; per-URL failures are in the summary.
    """
    out = Path(out_dir) if out_dir else settings.collected_dir()
    state_path = Path(state_file) if state_file else settings.collect_dir() / "state.json"
    summary = CollectSummary()
    entries = _read_lists([Path(p) for p in (lists or [settings.collect_dir() / "urls.txt"])], summary)
    with run_lock(state_path):
        state = load_state(state_path)
        held, notes = held_urls(out, store, use_corpus)
        summary.notes += notes
        run = _Run(out, state, held, summary, state_path)
        try:
            with Fetcher(config) as fetcher:
                run.fetcher = fetcher
                items = run.visit_entries(entries, progress)
                run.fetch_items(items, progress, max_pages)
        finally:
            save_state(state_path, state)
    return summary


def _read_lists(paths: list[Path], summary: CollectSummary) -> list[Entry]:
    entries: list[Entry] = []
    for p in paths:
        try:
            text = p.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            raise CollectError(f"{p}: cannot read the URL list: {getattr(e, 'strerror', None) or e}") from e
        got, errors = parse_url_list(text, str(p))
        entries += got
        summary.failed += [(e.where, e.reason) for e in errors]
    return entries


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def gzip_bytes(data: bytes) -> bytes:
    """Deterministic gzip (no time stamp): the same page gives the same file and hash."""
    return gzip.compress(data, compresslevel=6, mtime=0)


class _Run:
    """The state of one run: where pages go, what is held, what happened."""

    def __init__(self, out: Path, state: State, held: set[str], summary: CollectSummary,
                 state_path: Path):
        self.out, self.state, self.held, self.summary = out, state, held, summary
        self.state_path = state_path
        self.fetcher: Fetcher
        self._unsaved = 0

    # ---------------------------------------------------------------- pass 1: list entries

    def visit_entries(self, entries: list[Entry], progress: bool | None) -> list[Item]:
        """Fetch each list entry; save pages, gather feed and sitemap items."""
        queue: list[tuple[str, str | None, int]] = []
        seen: set[str] = set()
        for e in entries:
            u = normalise_url(e.url)
            if u and u not in seen:
                seen.add(u)
                queue.append((e.url, e.kind, 0))
        by_url = {q[0]: q for q in queue}
        queue = [by_url[u] for u in interleave_by_host([q[0] for q in queue])]
        items: list[Item] = []
        bar = tqdm(total=len(queue), desc="lists", unit="url", disable=_quiet(progress, len(queue)))
        while queue:
            url, kind, depth = queue.pop(0)
            got, children = self._visit(url, kind)
            items += got
            for child, child_kind in children:
                if depth < 2 and child not in seen:
                    seen.add(child)
                    queue.append((child, child_kind, depth + 1))
                    bar.total += 1
            bar.update()
        bar.close()
        return items

    def _visit(self, url: str, kind: str | None) -> tuple[list[Item], list[tuple[str, str]]]:
        key = normalise_url(url) or url
        val = self.state.validators.get(key, {})
        stored = _stored_items(self.state.feeds.get(key))
        usable = (val.get("kind") in ("feed", "sitemap") and stored is not None) or (
            val.get("kind") == "page" and val.get("canonical")
            and page_file(self.out, val["canonical"]).exists())
        try:
            resp = self.fetcher.get(url, etag=val.get("etag") if usable else None,
                                    last_modified=val.get("last_modified") if usable else None)
        except FetchError as e:
            self._fail(url, e)
            return [], []
        if resp.status == 304 and usable:
            if val.get("kind") == "page":
                self.summary.unchanged += 1
            else:
                self.summary.feeds += 1
                self.summary.items += len(stored or [])
                return stored or [], []
            return [], []
        if resp.status != 200:
            self.summary.failed.append((url, _status_reason(resp)))
            return [], []
        found = classify(resp.content_type, resp.body)
        if kind == "feed" and found == "page":       # a site's page listed as a feed: its announced feed
            feeds = feed_links(_text(resp), resp.final_url)
            if feeds:
                return [], [(feeds[0], "feed")]
        if kind and found and kind != found:
            self.summary.notes.append(f"{url}: listed as {kind} but the server sent a {found}")
        return self._handle(url, key, found, resp)

    def _handle(self, url: str, key: str, found: str | None,
                resp: Response) -> tuple[list[Item], list[tuple[str, str]]]:
        validators = {"etag": resp.headers.get("etag"), "last_modified": resp.headers.get("last-modified")}
        children: list[tuple[str, str]] = []
        try:
            if found == "feed":
                got = feed_items(resp.body, resp.final_url)
            elif found == "sitemap":
                cfg = self.fetcher.config
                got, subs = sitemap_urls(resp.body, resp.final_url, cfg.max_bytes,
                                         settings.COLLECT_MAX_SITEMAP_URLS)
                children = [(u, "sitemap") for u in subs]
            elif found == "page":
                canon = self.save_page(url, resp, None)
                if canon:
                    self.state.validators[key] = dict(validators, kind="page", canonical=canon)
                return [], []
            else:
                self.summary.failed.append((url, (f"content type {resp.content_type or '(none)'!r} "
                                                 f"is not a web page, feed or sitemap")))
                return [], []
        except FeedError as e:
            self.summary.failed.append((url, str(e)))
            return [], []
        self.summary.feeds += 1
        self.summary.items += len(got)
        self.state.feeds[key] = [i.as_dict() for i in got]
        self.state.validators[key] = dict(validators, kind=found)
        return got, children

    # ---------------------------------------------------------------- pass 2: items

    def fetch_items(self, items: list[Item], progress: bool | None, max_pages: int | None = None) -> None:
        """Fetch every item whose page is not already held, once (at most ``max_pages``)."""
        first: dict[str, Item] = {}
        for it in items:
            first[it.url] = merge_items(first[it.url], it) if it.url in first else it
        todo = [u for u in first if not self._held(u)]
        self.summary.known += len(first) - len(todo)
        order = interleave_by_host(todo)
        if max_pages is not None and len(order) > max_pages:
            self.summary.deferred = len(order) - max_pages
            order = order[:max_pages]
        bar = tqdm(total=len(order), desc="articles", unit="page", disable=_quiet(progress, len(order)))
        for url in order:
            it = first[url]
            if self._held(url):         # reached meanwhile through another item's redirect
                self.summary.known += 1
                bar.update()
                continue
            try:
                resp = self.fetcher.get(url)
            except FetchError as e:
                self._fail(url, e)
            else:
                self._item_response(it, resp)
            bar.update()
        bar.close()

    def _held(self, url: str) -> bool:
        return url in self.held or self.state.seen.get(url) in self.held

    def _item_response(self, it: Item, resp: Response) -> None:
        if resp.status != 200:
            self.summary.failed.append((it.url, _status_reason(resp)))
        elif classify(resp.content_type, resp.body) != "page":
            self.summary.failed.append((it.url, (f"content type {resp.content_type or '(none)'!r} "
                                                f"is not an HTML page")))
        else:
            self.save_page(it.url, resp, it)

    # ---------------------------------------------------------------- saving

    def save_page(self, url: str, resp: Response, item: Item | None) -> str | None:
        """Save an HTML response unless its canonical URL is held by another
        copy; returns the canonical URL (None when the page was not kept)."""
        text = _text(resp)
        final = normalise_url(resp.final_url) or resp.final_url
        canon = canonical_link(text, final) or final
        target = page_file(self.out, canon)
        digest = hashlib.sha256(resp.body).hexdigest()
        for u in {normalise_url(url), final}:
            if u:
                self.state.seen[u] = canon
        if target.exists():
            held = _held_sidecar(target)
            if _page_sha(target) == digest:
                self.summary.unchanged += 1
                return canon
            if not ({normalise_url(url), final} & {normalise_url(held.get(k) or "")
                                                   for k in ("requested_url", "final_url")}):
                self.summary.duplicates += 1       # another address of a page already held
                return None
            replaced = True
        elif canon in self.held:
            self.summary.duplicates += 1
            return None
        else:
            replaced = False
        try:
            self._write(target, url, canon, digest, resp, item)
        except OSError as e:       # a full disk or a read-only folder costs this page, not the run
            self.summary.failed.append((url, f"cannot save {target}: {e.strerror or e}"))
            return None
        (self.summary.changed if replaced else self.summary.saved).append((url, str(target)))
        self.held.update({canon, final})
        return canon

    def _write(self, target: Path, url: str, canon: str, digest: str, resp: Response,
               item: Item | None) -> None:
        feed: dict[str, Any] | None = None
        if item is not None:
            feed = {"url": item.source, "title": item.title, "published": item.published,
                    "author": item.author}
        write_sidecar(target, {
            "requested_url": url, "final_url": resp.final_url, "canonical_url": canon,
            "fetched": _now(), "status": resp.status, "content_type": resp.content_type,
            "charset": resp.charset, "etag": resp.headers.get("etag"),
            "last_modified": resp.headers.get("last-modified"), "sha256": digest, "feed": feed})
        atomic_write(target, gzip_bytes(resp.body))
        self._unsaved += 1
        if self._unsaved >= SAVE_STATE_EVERY:
            save_state(self.state_path, self.state)
            self._unsaved = 0

    def _fail(self, url: str, e: FetchError) -> None:
        (self.summary.robots if e.robots else self.summary.failed).append((url, e.reason))


def _stored_items(entries) -> list[Item] | None:
    """Items a feed gave last time, from the state file; None when absent or
    not as written (then the feed is fetched whole, not conditionally)."""
    if not isinstance(entries, list):
        return None
    try:
        return [Item(**d) for d in entries]
    except TypeError:
        return None


def merge_items(a: Item, b: Item) -> Item:
    """One item for a URL named twice: ``a``'s fields, gaps filled from ``b``."""
    return replace(a, title=a.title or b.title, published=a.published or b.published,
                   author=a.author or b.author)


def _page_sha(page: Path) -> str | None:
    """SHA-256 of the page file's content (the file itself, not its sidecar,
    decides: a run killed between the two writes leaves them out of step)."""
    try:
        return hashlib.sha256(gzip.decompress(page.read_bytes())).hexdigest()
    except (OSError, EOFError):
        return None


def _held_sidecar(page: Path) -> dict[str, Any]:
    try:
        return load_sidecar(sidecar_path(page))
    except SidecarError:
        return {}


def _text(resp: Response) -> str:
    """The body as text, well enough to find link tags (ASCII markup)."""
    charset = resp.charset if resp.charset and _codec_ok(resp.charset) else "utf-8"
    return resp.body.decode(charset, "replace")


def _codec_ok(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def _status_reason(resp: Response) -> str:
    return f"HTTP {resp.status}" + (f" at {resp.final_url}" if resp.final_url != resp.requested_url else "")


def _quiet(progress: bool | None, n: int) -> bool:
    """Progress bars show when asked, or by default for more than a handful of URLs."""
    return not progress if progress is not None else n < 5
