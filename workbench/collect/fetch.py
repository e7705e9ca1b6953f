"""Polite HTTP: robots.txt, a per-host rate limit, retries, a size cap, conditional requests.

One ``Fetcher`` serves a whole collect run. Every request it makes — robots.txt
included, every redirect hop included — waits its turn for its host, names the
tool in User-Agent, and is abandoned past the timeouts or the size cap.
Outcomes are values (``Response`` or ``FetchError``), never prints.
"""
from __future__ import annotations

import email.utils
import math
import re
import time
import urllib.robotparser
from dataclasses import dataclass, field
from typing import Self
from urllib.parse import urljoin, urlsplit

import httpx

from .. import __version__, settings
from .urls import host_of

ROBOTS_AGENT = "workbench"          # the product token robots.txt rules are matched against
RETRY_STATUSES = (429, 500, 502, 503, 504)


def user_agent() -> str:
    return f"{ROBOTS_AGENT}-collect/{__version__} (news research workbench; honours robots.txt)"


@dataclass
class FetchConfig:
    """Politeness and limits of one run (defaults in ``settings``)."""

    rate_seconds: float = settings.COLLECT_RATE_SECONDS
    timeout: float = settings.COLLECT_TIMEOUT_SECONDS
    total_seconds: float = settings.COLLECT_TOTAL_SECONDS
    retries: int = settings.COLLECT_RETRIES
    backoff: float = settings.COLLECT_BACKOFF_SECONDS
    max_backoff: float = settings.COLLECT_MAX_BACKOFF_SECONDS
    max_bytes: int = settings.COLLECT_MAX_BYTES
    max_redirects: int = settings.COLLECT_MAX_REDIRECTS
    max_crawl_delay: float = settings.COLLECT_MAX_CRAWL_DELAY
    user_agent: str = field(default_factory=user_agent)


class FetchError(Exception):
    """A URL that could not be fetched; ``reason`` says why in a few words."""

    def __init__(self, url: str, reason: str, robots: bool = False):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.robots = robots


@dataclass
class Response:
    """A complete response (body read within the caps)."""

    requested_url: str
    final_url: str
    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            k, _, v = part.partition("=")
            if k.strip().lower() == "charset" and v.strip():
                return v.strip().strip("\"'").lower()
        return None


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds asked for by a Retry-After header (delta or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


_CRAWL_DELAY = re.compile(r"^(\s*crawl-delay\s*:\s*)(\d*\.\d+)\s*$", re.IGNORECASE)


def robots_lines(body: bytes) -> list[str]:
    """robots.txt lines for ``urllib.robotparser``, which reads whole-second
    Crawl-delays only: a fractional one is rounded up (slower, never faster)."""
    lines = body.decode("utf-8", "replace").splitlines()
    return [_CRAWL_DELAY.sub(lambda m: f"{m[1]}{math.ceil(float(m[2]))}", ln) for ln in lines]


class Fetcher:
    """HTTP for one collect run. Use as a context manager."""

    def __init__(self, config: FetchConfig | None = None):
        self.config = config or FetchConfig()
        self._client = httpx.Client(headers={"User-Agent": self.config.user_agent},
                                    timeout=httpx.Timeout(self.config.timeout),
                                    follow_redirects=False)
        self._last_at: dict[str, float] = {}
        self._delay: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self._client.close()

    # ---------------------------------------------------------------- politeness

    def _wait_turn(self, host: str) -> None:
        """Sleep until the host's gap (rate limit or its Crawl-delay) has passed
        since the previous request to it began."""
        last = self._last_at.get(host)
        if last is not None:
            gap = max(self.config.rate_seconds, self._delay.get(host, 0.0))
            wait = last + gap - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self._last_at[host] = time.monotonic()

    def allowed(self, url: str) -> tuple[bool, str]:
        """Whether robots.txt of the URL's host lets this tool fetch it, and why not."""
        parts = urlsplit(url)
        host = host_of(url)
        if host not in self._robots:
            self._robots[host] = self._load_robots(f"{parts.scheme}://{parts.netloc}/robots.txt")
        rp = self._robots[host]
        if isinstance(rp, str):
            return False, rp
        if rp.can_fetch(self.config.user_agent, url):
            return True, ""
        return False, "disallowed by robots.txt"

    def _load_robots(self, robots_url: str) -> urllib.robotparser.RobotFileParser | str:
        """The parsed robots.txt, or the reason the whole host is off limits.

        As RFC 9309 says: no robots.txt (4xx) allows everything; a server
        error or no answer means stay away this run.
        """
        rp = urllib.robotparser.RobotFileParser(robots_url)
        try:
            resp = self.get(robots_url, check_robots=False)
        except FetchError as e:
            return f"robots.txt unavailable ({e.reason}); host skipped this run"
        if 400 <= resp.status < 500:
            rp.parse([])
        elif resp.status != 200:
            return f"robots.txt answered HTTP {resp.status}; host skipped this run"
        else:
            rp.parse(robots_lines(resp.body))
        delay = rp.crawl_delay(self.config.user_agent)
        if delay:
            self._delay[host_of(robots_url)] = min(float(delay), self.config.max_crawl_delay)
        return rp

    # ---------------------------------------------------------------- requests

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            check_robots: bool = True) -> Response:
        """GET ``url`` politely, following redirects (each hop checked against
        robots.txt). Returns the final response (200, 304, 4xx ...); raises
        FetchError for what could not be completed."""
        cond = {}
        if etag:
            cond["If-None-Match"] = etag
        if last_modified:
            cond["If-Modified-Since"] = last_modified
        current = url
        for _ in range(self.config.max_redirects + 1):
            if check_robots:
                ok, why = self.allowed(current)
                if not ok:
                    raise FetchError(current, why, robots=True)
            resp = self._with_retries(url, current, cond)
            location = resp.headers.get("location")
            if resp.status in (301, 302, 303, 307, 308) and location:
                nxt = urljoin(current, location)
                if urlsplit(nxt).scheme not in ("http", "https"):
                    raise FetchError(url, f"redirected to a non-web address {nxt[:80]!r}")
                current = nxt
                continue
            return resp
        raise FetchError(url, f"more than {self.config.max_redirects} redirects")

    def _with_retries(self, requested: str, url: str, headers: dict[str, str]) -> Response:
        """One hop, retried on 429/5xx and network errors with growing waits."""
        cfg = self.config
        for attempt in range(cfg.retries + 1):
            last = attempt == cfg.retries
            wait = cfg.backoff * (2 ** attempt)
            try:
                resp = self._once(requested, url, headers)
            except httpx.TransportError as e:
                if last:
                    raise FetchError(requested, _transport_reason(e, cfg)) from e
            except (httpx.HTTPError, httpx.InvalidURL) as e:
                raise FetchError(requested, f"request failed: {type(e).__name__}: {e}") from e
            else:
                if resp.status not in RETRY_STATUSES or last:
                    return resp
                asked = retry_after(resp.headers.get("retry-after"), time.time())
                if asked is not None and asked > cfg.max_backoff:
                    raise FetchError(requested, f"HTTP {resp.status}; server asked to wait "
                                                f"{asked:.0f} s (over {cfg.max_backoff:.0f} s)")
                wait = max(wait, asked or 0.0)
            time.sleep(min(wait, cfg.max_backoff))
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, requested: str, url: str, headers: dict[str, str]) -> Response:
        """One request; the body streamed and abandoned past the size or time cap."""
        cfg = self.config
        self._wait_turn(host_of(url))
        started = time.monotonic()
        req = self._client.build_request("GET", url, headers=headers)
        resp = self._client.send(req, stream=True)
        try:
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cfg.max_bytes:
                raise FetchError(requested, f"body of {int(declared):,} bytes is over the "
                                            f"{cfg.max_bytes:,}-byte cap")
            chunks, size = [], 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > cfg.max_bytes:
                    raise FetchError(requested, f"body over the {cfg.max_bytes:,}-byte cap; stopped")
                if time.monotonic() - started > cfg.total_seconds:
                    raise FetchError(requested, f"response took over {cfg.total_seconds:g} s; stopped")
                chunks.append(chunk)
        except httpx.DecodingError as e:
            raise FetchError(requested, f"body could not be decoded: {e}") from e
        finally:
            resp.close()
        return Response(requested, str(resp.url), resp.status_code, resp.headers, b"".join(chunks))


def _transport_reason(e: httpx.TransportError, cfg: FetchConfig) -> str:
    if isinstance(e, httpx.TimeoutException):
        return f"timed out after {cfg.timeout:g} s ({type(e).__name__})"
    return f"network error: {type(e).__name__}: {e}"
