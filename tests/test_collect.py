"""collect: real runs against a real HTTP server on 127.0.0.1 (never the internet).

The server's request log is the witness: what was asked for, with which
headers, when. Timeouts, waits and rate limits are shortened through
``FetchConfig`` so the whole file runs in a few seconds.
"""
from __future__ import annotations

import gzip
import itertools
import json
import time
from pathlib import Path

import pytest
from collect_server import TestServer, chunks, html_page, static

from workbench.cli import main as cli
from workbench.collect import CollectError, FetchConfig, collect
from workbench.collect.sidecar import load_sidecar, sidecar_path
from workbench.pipeline import ingest
from workbench.store import read_store

# Article text written for these tests.
DEPOT = [("The army depot at the southern port finished refitting a batch of tactical trucks this week, "
         "officials said, ahead of a combined exercise planned for the spring."),
         ("Mechanics replaced engines and axles on most of the vehicles, and spare parts arrived by "
         "sea from a supplier that has worked with both armies for a decade."),
         ("A spokesperson said the work would shorten the time needed to move a brigade's equipment "
         "from the port to training areas further north.")]
DOCK = [("A shipyard on the east coast signed an agreement to overhaul two navy supply ships, "
        "the first such contract awarded to a yard outside the home country."),
        ("The ships will spend about three months in dry dock, where crews will repair hulls, "
        "pumps and cargo cranes before returning to their squadron."),
        ("Analysts said the deal could lead to regular maintenance work for the yard if the first "
        "two jobs are finished on time and within budget.")]
FUEL = [("Engineers began building a new fuel storage site near an air base, designed to hold "
        "enough aviation fuel for several weeks of operations without resupply."),
        ("The project includes pipelines to the flight line and a rail spur so that tank cars can "
        "be unloaded directly, cutting the number of truck convoys on local roads."),
        "Officials expect the first tanks to be filled before the end of next year."]


def fast(**kw) -> FetchConfig:
    base = {"rate_seconds": 0.0, "timeout": 0.5, "total_seconds": 2.0, "retries": 1, "backoff": 0.01,
                "max_backoff": 1.0, "max_bytes": 200_000}
    base.update(kw)
    return FetchConfig(**base)


def rss(items: list[tuple[str, str, str | None]]) -> bytes:
    """An RSS 2.0 feed of (link, title, pubDate) items."""
    xml = "".join(f"<item><title>{t}</title><link>{link}</link>"
                  + (f"<pubDate>{d}</pubDate>" if d else "") + "<author>desk@example.org (Kim Desk)</author></item>"
                  for link, t, d in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>'
            f"<link>http://example.org/</link><description>d</description>{xml}</channel></rss>").encode()


def atom(entries: list[tuple[str, str, str | None, str]]) -> bytes:
    """An Atom feed of (href, title, published, updated) entries."""
    xml = "".join(f'<entry><title>{t}</title><link href="{h}"/><id>{h}</id>'
                  + (f"<published>{p}</published>" if p else "") + f"<updated>{u}</updated>"
                  + "<author><name>Lee Writer</name></author></entry>"
                  for h, t, p, u in entries)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Yard news</title><id>urn:x</id><updated>2026-01-01T00:00:00Z</updated>{xml}</feed>").encode()


def write_list(tmp_path: Path, lines: list[str]) -> Path:
    p = tmp_path / "urls.txt"
    p.write_text("# test list\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return p


def run(tmp_path: Path, lst: Path, **kw):
    return collect([lst], out_dir=tmp_path / "raw" / "collected", state_file=tmp_path / "state.json",
                   config=kw.pop("config", fast()), use_corpus=kw.pop("use_corpus", False),
                   store=tmp_path / "store", progress=False, **kw)


def saved_pages(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "raw" / "collected").rglob("*.html.gz"))


@pytest.fixture
def server():
    with TestServer() as s:
        s.routes["/robots.txt"] = static(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        yield s


@pytest.fixture
def newsroom(server):
    """A site with an RSS feed, an Atom feed, a redirect and a page listed directly."""
    s = server
    s.routes["/news/depot-trucks"] = static(200, html_page("Depot refits trucks", DEPOT), etag='"d1"')
    s.routes["/old/yard-deal"] = lambda r: (301, {"Location": "/news/yard-deal"}, b"")
    s.routes["/news/yard-deal"] = static(200, html_page("Yard wins overhaul deal", DOCK,
                                                        canonical="/news/yard-deal"), etag='"y1"')
    s.routes["/news/fuel-site"] = static(200, html_page("Fuel site begins", FUEL), etag='"f1"')
    s.routes["/feeds/rss"] = static(200, rss([
        (s.url("/news/depot-trucks?utm_source=rss"), "Depot refits trucks (feed title)",
         "Wed, 11 Feb 2026 08:30:00 +0900"),
        (s.url("/old/yard-deal"), "Yard wins overhaul deal", None)]),
        "application/rss+xml", etag='"rss1"')
    s.routes["/feeds/atom"] = static(200, atom([
        ("/news/yard-deal", "Yard wins overhaul deal", "2026-02-12T23:10:00-05:00", "2026-02-14T00:00:00Z")]),
        "application/atom+xml", etag='"atom1"')
    return s


# --------------------------------------------------------------------------- whole runs

def test_feeds_and_pages_collected_then_second_run_fetches_nothing_new(newsroom, tmp_path):
    s = newsroom
    lst = write_list(tmp_path, [s.url("/feeds/rss"), "feed " + s.url("/feeds/atom"),
                                s.url("/news/fuel-site") + "  # listed directly"])
    first = run(tmp_path, lst)
    assert first.failed == [] and first.robots == []
    assert (first.fetched, first.feeds, first.items) == (3, 2, 3)
    assert len(saved_pages(tmp_path)) == 3
    # the Atom entry names the page the RSS redirect reached: fetched once, not twice
    assert len(s.requests("/news/yard-deal")) == 1 and first.known + first.duplicates == 1

    depot = next(p for p in saved_pages(tmp_path) if "depot-trucks" in p.name)
    side = load_sidecar(sidecar_path(depot))
    assert side["requested_url"] == s.url("/news/depot-trucks")          # tracking parameter dropped
    assert side["status"] == 200 and side["content_type"] == "text/html" and side["charset"] == "utf-8"
    assert side["feed"]["title"] == "Depot refits trucks (feed title)"
    assert side["feed"]["published"] == "2026-02-11T08:30:00+09:00"    # the feed's own offset kept
    assert gzip.decompress(depot.read_bytes()) == html_page("Depot refits trucks", DEPOT)
    yard = next(p for p in saved_pages(tmp_path) if "yard-deal" in p.name)
    yside = load_sidecar(sidecar_path(yard))
    assert (yside["requested_url"], yside["final_url"]) == (s.url("/old/yard-deal"), s.url("/news/yard-deal"))

    before = len(s.log)
    second = run(tmp_path, lst)
    again = s.log[before:]
    assert (second.fetched, second.failed, second.unchanged) == (0, [], 1)
    assert second.known == 3 and second.items == 3       # items come from the state on a 304
    article_paths = ("/news/depot-trucks", "/old/yard-deal", "/news/yard-deal")
    assert not [r for r in again if r.path.split("?")[0] in article_paths]
    listed = [r for r in again if r.path != "/robots.txt"]
    assert {r.path for r in listed} == {"/feeds/rss", "/feeds/atom", "/news/fuel-site"}
    assert all(r.status == 304 and r.headers.get("if-none-match") for r in listed)


def test_every_request_names_the_tool(newsroom, tmp_path):
    run(tmp_path, write_list(tmp_path, [newsroom.url("/feeds/rss")]))
    agents = {r.headers.get("user-agent") for r in newsroom.log}
    assert len(agents) == 1 and agents.pop().startswith("workbench-collect/")


def test_changed_page_is_fetched_again_and_replaces_its_copy(server, tmp_path):
    version = {"n": 1}

    def page(req):
        tag = f'"v{version["n"]}"'
        if req.headers.get("if-none-match") == tag:
            return 304, {"ETag": tag}, b""
        paras = DEPOT if version["n"] == 1 else DEPOT + ["An update added a line about training."]
        return 200, {"Content-Type": "text/html", "ETag": tag}, html_page("Depot", paras)

    server.routes["/a"] = page
    lst = write_list(tmp_path, [server.url("/a")])
    assert len(run(tmp_path, lst).saved) == 1
    assert run(tmp_path, lst).unchanged == 1
    version["n"] = 2
    third = run(tmp_path, lst)
    assert len(third.changed) == 1 and third.saved == []
    (page_file,) = saved_pages(tmp_path)
    assert b"An update added" in gzip.decompress(page_file.read_bytes())
    assert [r.headers.get("if-none-match") for r in server.requests("/a")] == [None, '"v1"', '"v1"']
    assert [r.status for r in server.requests("/a")] == [200, 304, 200]


def test_last_modified_is_sent_back(server, tmp_path):
    stamp = "Tue, 10 Feb 2026 09:00:00 GMT"

    def page(req):
        if req.headers.get("if-modified-since") == stamp:
            return 304, {}, b""
        return 200, {"Content-Type": "text/html", "Last-Modified": stamp}, html_page("Fuel", FUEL)

    server.routes["/lm"] = page
    lst = write_list(tmp_path, [server.url("/lm")])
    run(tmp_path, lst)
    assert run(tmp_path, lst).unchanged == 1


# --------------------------------------------------------------------------- politeness

def test_robots_disallow_is_honoured_on_list_entries_and_redirect_hops(server, tmp_path):
    server.routes["/private/memo"] = static(200, html_page("Memo", DEPOT))
    server.routes["/go"] = lambda r: (302, {"Location": "/private/memo"}, b"")
    server.routes["/public"] = static(200, html_page("Public", FUEL))
    lst = write_list(tmp_path, [server.url("/private/memo"), server.url("/go"), server.url("/public")])
    s = run(tmp_path, lst)
    assert sorted(u for u, _ in s.robots) == [server.url("/go"), server.url("/private/memo")]
    assert all("robots.txt" in why for _, why in s.robots)
    assert server.requests("/private/memo") == []
    assert len(server.requests("/robots.txt")) == 1 and len(s.saved) == 1


@pytest.mark.parametrize("status,blocked", [(404, False), (503, True)])
def test_missing_robots_allows_and_failing_robots_blocks(server, tmp_path, status, blocked):
    server.routes["/robots.txt"] = static(status, b"", "text/plain")
    server.routes["/p"] = static(200, html_page("P", FUEL))
    s = run(tmp_path, write_list(tmp_path, [server.url("/p")]))
    assert bool(s.robots) == blocked and (len(s.saved) == 0) == blocked
    assert (server.requests("/p") == []) == blocked


def test_rate_limit_per_host(server, tmp_path):
    gap = 0.15
    for i in range(3):
        server.routes[f"/r{i}"] = static(200, html_page(f"R{i}", FUEL))
    urls = [server.url(f"/r{i}") for i in range(3)] + [server.other(f"/r{i}") for i in range(3)]
    s = run(tmp_path, write_list(tmp_path, urls), config=fast(rate_seconds=gap))
    assert s.failed == []
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}"):
        times = [r.at for r in server.log if r.host == host]
        assert len(times) == 4                                   # robots.txt + three pages
        # the server sees arrival times, which a loaded machine shifts by a few ms either way; without the
        # limit the gap would be about a millisecond, so half of it proves the spacing
        assert min(b - a for a, b in itertools.pairwise(times)) >= gap * 0.5
    # hosts are interleaved (each host waits, not the run): one host's requests do not all come first
    hosts = [r.host for r in server.log]
    first, second = hosts[0], next(h for h in hosts if h != hosts[0])
    assert hosts.index(second) < len(hosts) - 1 - hosts[::-1].index(first)


def test_crawl_delay_from_robots_is_honoured(server, tmp_path):
    # a fractional delay is rounded up to the whole second robotparser understands
    server.routes["/robots.txt"] = static(200, b"User-agent: workbench\nCrawl-delay: 0.4\n", "text/plain")
    server.routes["/c"] = static(200, html_page("C", FUEL))
    run(tmp_path, write_list(tmp_path, [server.url("/c")]))
    robots, page = server.log
    assert page.at - robots.at >= 0.95


# --------------------------------------------------------------------------- failures

def test_server_error_then_success_is_retried(server, tmp_path):
    calls = {"n": 0}

    def flaky(req):
        calls["n"] += 1
        if calls["n"] == 1:
            return 500, {"Content-Type": "text/plain"}, b"oops"
        if calls["n"] == 2:
            return 429, {"Content-Type": "text/plain", "Retry-After": "0"}, b"slow down"
        return 200, {"Content-Type": "text/html"}, html_page("Flaky", DOCK)

    server.routes["/flaky"] = flaky
    s = run(tmp_path, write_list(tmp_path, [server.url("/flaky")]), config=fast(retries=2))
    assert len(s.saved) == 1 and s.failed == []
    assert [r.status for r in server.requests("/flaky")] == [500, 429, 200]


def test_retries_are_bounded_and_long_retry_after_is_a_failure(server, tmp_path):
    server.routes["/down"] = static(503, b"down", "text/plain")
    server.routes["/busy"] = lambda r: (429, {"Retry-After": "3600"}, b"")
    s = run(tmp_path, write_list(tmp_path, [server.url("/down"), server.url("/busy")]),
            config=fast(retries=2))
    reasons = dict(s.failed)
    assert reasons[server.url("/down")] == "HTTP 503"
    assert "3600" in reasons[server.url("/busy")]
    assert len(server.requests("/down")) == 3 and len(server.requests("/busy")) == 1


def test_failures_are_listed_and_never_stop_the_run(server, tmp_path):
    def slow(req):
        time.sleep(1.0)
        return 200, {"Content-Type": "text/html"}, html_page("Slow", FUEL)

    server.routes["/slow"] = slow
    server.routes["/huge-declared"] = static(200, b"<p>" + b"x" * 300_000)
    server.routes["/huge-chunked"] = lambda r: (200, {"Content-Type": "text/html"}, chunks(5_000_000))
    server.routes["/image"] = static(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "image/png")
    server.routes["/ok"] = static(200, html_page("Fine", DEPOT))
    server.routes["/loop"] = lambda r: (302, {"Location": "/loop"}, b"")
    names = ["/loop", "/missing", "/slow", "/huge-declared", "/huge-chunked", "/image", "/ok"]
    s = run(tmp_path, write_list(tmp_path, [server.url(n) for n in names]),
            config=fast(timeout=0.3, retries=0))
    reasons = {u.rsplit("/", 1)[1]: why for u, why in s.failed}
    assert reasons["missing"] == "HTTP 404" and "redirects" in reasons["loop"]
    assert "timed out" in reasons["slow"]
    assert "cap" in reasons["huge-declared"] and "cap" in reasons["huge-chunked"]
    assert "image/png" in reasons["image"]
    assert len(s.saved) == 1 and len(saved_pages(tmp_path)) == 1


def test_feed_item_with_wrong_type_or_error_fails_alone(server, tmp_path):
    server.routes["/f"] = static(200, rss([(server.url("/doc.pdf"), "A report", None),
                                           (server.url("/gone"), "Gone", None),
                                           (server.url("/fine"), "Fine", None)]), "application/rss+xml")
    server.routes["/doc.pdf"] = static(200, b"%PDF-1.4 ...", "application/pdf")
    server.routes["/fine"] = static(200, html_page("Fine", DOCK))
    s = run(tmp_path, write_list(tmp_path, [server.url("/f")]))
    assert sorted(u.rsplit("/", 1)[1] for u, _ in s.failed) == ["doc.pdf", "gone"]
    assert len(s.saved) == 1


def test_bad_list_lines_are_reported_and_missing_list_is_an_error(server, tmp_path):
    server.routes["/ok"] = static(200, html_page("Fine", DEPOT))
    lst = write_list(tmp_path, ["ftp://example.org/x", "page one two", server.url("/ok")])
    s = run(tmp_path, lst)
    assert [w.rsplit(":", 1)[1] for w, _ in s.failed] == ["2", "3"] and len(s.saved) == 1
    with pytest.raises(CollectError, match="nope.txt"):
        run(tmp_path, tmp_path / "nope.txt")


# --------------------------------------------------------------------------- copies and sitemaps

def test_same_canonical_under_two_urls_is_kept_once(server, tmp_path):
    canon = server.url("/story/one")
    server.routes["/story/one"] = static(200, html_page("One", DEPOT, canonical=canon))
    server.routes["/print/one"] = static(200, html_page("One (print)", DEPOT, canonical=canon))
    s = run(tmp_path, write_list(tmp_path, [server.url("/story/one"), server.url("/print/one")]))
    assert len(saved_pages(tmp_path)) == 1 and s.fetched == 1
    assert s.unchanged + s.duplicates == 1


def test_pages_already_in_the_corpus_are_not_fetched(server, tmp_path):
    server.routes["/f"] = static(200, rss([(server.url("/held"), "Held", None)]), "application/rss+xml")
    server.routes["/held"] = static(200, html_page("Held", DEPOT))
    export = tmp_path / "export" / "a.json"
    export.parent.mkdir()
    export.write_text(json.dumps({"text": " ".join(DEPOT), "url": server.url("/held")}))
    ingest([export.parent], store=tmp_path / "store", progress=False)
    s = run(tmp_path, write_list(tmp_path, [server.url("/f")]), use_corpus=True)
    assert s.known == 1 and server.requests("/held") == []


def test_sitemap_pages_are_collected_with_news_dates(server, tmp_path):
    xml = (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
           f"<url><loc>{server.url('/s1')}</loc><news:news><news:publication_date>2026-03-02"
           f"</news:publication_date><news:title>Fuel site</news:title></news:news></url>"
           f"<url><loc>{server.url('/s2')}</loc></url></urlset>").encode()
    server.routes["/index.xml"] = static(200, (f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                                               f'sitemap/0.9"><sitemap><loc>{server.url("/news.xml")}'
                                               f"</loc></sitemap></sitemapindex>").encode(), "application/xml")
    server.routes["/news.xml"] = static(200, gzip.compress(xml), "application/gzip")
    server.routes["/s1"] = static(200, html_page("Fuel", FUEL))
    server.routes["/s2"] = static(200, html_page("Dock", DOCK))
    s = run(tmp_path, write_list(tmp_path, ["sitemap " + server.url("/index.xml")]))
    assert s.failed == [] and len(s.saved) == 2
    s1 = next(p for p in saved_pages(tmp_path) if p.name.startswith("s1-"))
    assert load_sidecar(sidecar_path(s1))["feed"]["published"] == "2026-03-02"


# --------------------------------------------------------------------------- ingest and CLI

def test_ingest_of_collected_pages_gives_url_title_and_feed_date(newsroom, tmp_path):
    s = newsroom
    lst = write_list(tmp_path, [s.url("/feeds/rss"), s.url("/feeds/atom"), s.url("/news/fuel-site")])
    run(tmp_path, lst)
    summary = ingest([tmp_path / "raw"], store=tmp_path / "store", progress=False)
    assert summary.rejected == [] and summary.parsed == 3          # sidecars are not inputs of their own
    recs = {r["url"]: r for r in read_store(tmp_path / "store")[0]}
    depot = recs[s.url("/news/depot-trucks")]
    assert (depot["published"], depot["published_basis"]) == ("2026-02-11", "feed")
    assert depot["title"] == "Depot refits trucks (feed title)" and "tactical trucks" in depot["body"]
    # canonical URL after the redirect; the RSS item that reached it first had no date, and the
    # Atom entry naming the same page (with a date) was recognised as held and not fetched again
    yard = recs[s.url("/news/yard-deal")]
    assert yard["title"] == "Yard wins overhaul deal" and yard["published_basis"] != "feed"
    fuel = recs[s.url("/news/fuel-site")]                           # listed directly: no feed date
    assert fuel["published_basis"] != "feed" and fuel["title"] == "Fuel site begins"


def test_ingest_takes_the_outlet_from_the_collected_url(server, tmp_path):
    # the page names its publisher only through its canonical address (no masthead in the text):
    # sources.toml maps that domain to the outlet
    canonical = "https://www.koreaherald.com/article/20260211000123"
    server.routes["/herald"] = static(200, html_page("Depot refits trucks", DEPOT, canonical=canonical))
    run(tmp_path, write_list(tmp_path, [server.url("/herald")]))
    ingest([tmp_path / "raw"], store=tmp_path / "store", progress=False)
    (rec,) = read_store(tmp_path / "store")[0]
    assert (rec["url"], rec["outlet"]) == (canonical, "Korea Herald")


def test_broken_sidecar_costs_its_fields_not_the_page(newsroom, tmp_path):
    run(tmp_path, write_list(tmp_path, [newsroom.url("/news/fuel-site")]))
    (page,) = saved_pages(tmp_path)
    sidecar_path(page).write_text("{not json")
    summary = ingest([tmp_path / "raw"], store=tmp_path / "store", progress=False)
    (rec,) = read_store(tmp_path / "store")[0]
    assert summary.rejected == [] and rec["url"] is None
    assert any("sidecar ignored" in w for w in rec["warnings"])


def test_cli_prints_summary_and_strict_exits_non_zero(server, tmp_path, capsys):
    server.routes["/ok"] = static(200, html_page("Fine", DEPOT))
    lst = write_list(tmp_path, [server.url("/ok"), server.url("/missing")])
    args = ["collect", str(lst), "--out", str(tmp_path / "out"), "--state", str(tmp_path / "st.json"),
            "--no-corpus", "-q", "--rate-seconds", "0", "--retries", "0"]
    assert cli(args) == 0
    out = capsys.readouterr().out
    assert "fetched 1 page(s)" in out and "failed: " + server.url("/missing") + ": HTTP 404" in out
    assert cli(args + ["--strict"]) == 1
    assert cli(["collect", str(tmp_path / "none.txt"), "--state", str(tmp_path / "st.json")]) == 2


def test_a_second_run_at_the_same_time_is_refused(tmp_path):
    from workbench.collect.state import run_lock
    lst = write_list(tmp_path, [])
    with run_lock(tmp_path / "state.json"), pytest.raises(CollectError, match="another"):
        run(tmp_path, lst)


# --------------------------------------------------------------------------- the pure parts

def test_normalise_url():
    from workbench.collect.urls import normalise_url
    assert normalise_url("HTTPS://Example.ORG:443/a/b?utm_source=x&id=2&b=1#top") == "https://example.org/a/b?b=1&id=2"
    assert normalise_url("http://example.org") == "http://example.org/"
    assert normalise_url("http://example.org:8080/x") == "http://example.org:8080/x"
    assert normalise_url("../c?fbclid=1", base="https://example.org/a/b/") == "https://example.org/a/c"
    assert normalise_url("/p?a=1&amp;b=2", base="https://example.org/x") == "https://example.org/p?a=1&b=2"
    for bad in ("mailto:desk@example.org", "ftp://example.org/f", "no scheme", "http://:80/", "http://[::1"):
        assert normalise_url(bad) is None


def test_url_list_lines():
    from workbench.collect.urls import parse_url_list
    entries, errors = parse_url_list("# c\n\nfeed https://a.example/rss  # wire\nhttps://b.example/x#frag\n"
                                     "SITEMAP https://c.example/s.xml\nblog https://d.example/\n"
                                     "www.e.example/page\n", "list.txt")
    assert [(e.url, e.kind) for e in entries] == [("https://a.example/rss", "feed"),
                                                 ("https://b.example/x#frag", None),
                                                 ("https://c.example/s.xml", "sitemap")]
    assert [str(e).split(":")[1] for e in errors] == ["6", "7"]
    assert "list.txt:7" in str(errors[1]) and "absolute" in str(errors[1])


def test_canonical_link_and_file_names(tmp_path):
    from workbench.collect.urls import canonical_link, interleave_by_host, page_file
    page = '<html><head><LINK href="/n/1?utm_medium=x" REL="Canonical"></head><body><link rel=canonical href=/no>'
    assert canonical_link(page, "https://a.example/print/1") == "https://a.example/n/1"
    front = "<head><link rel='canonical' href='https://a.example/'></head>"
    assert canonical_link(front, "https://a.example/n/2") is None            # front page: a publishing slip
    assert canonical_link(front, "https://a.example/") == "https://a.example/"
    assert canonical_link("<p>no head</p>", "https://a.example/n/3") is None
    late = "<head><script>var s = '</head><body>';</script></head><body><link rel=canonical href=/n/4>"
    assert canonical_link(late, "https://a.example/amp/4") == "https://a.example/n/4"
    f = page_file(tmp_path, "https://news.a.example:8443/2026/02/Depot-Trucks.html?id=7")
    assert f.parent.name == "news-a-example-8443" and f.name.startswith("depot-trucks-")
    assert f.name.endswith(".html.gz") and f != page_file(tmp_path, "https://news.a.example:8443/2026/02/Depot-Trucks.html?id=8")
    assert page_file(tmp_path, "https://a.example/").name.startswith("index-")
    assert interleave_by_host(["http://a/1", "http://a/2", "http://b/1", "http://a/3", "http://c/1"]) == [
        "http://a/1", "http://b/1", "http://c/1", "http://a/2", "http://a/3"]


def test_feed_titles_are_plain_text():
    from workbench.collect.feeds import feed_items
    body = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry>'
            b'<title type="html">Depot &lt;b&gt;refits&lt;/b&gt; trucks &amp;amp; cranes</title>'
            b'<link href="/a"/><id>a</id><updated>2026-01-01T00:00:00Z</updated></entry></feed>')
    (item,) = feed_items(body, "https://a.example/feed")
    assert (item.url, item.title, item.published) == ("https://a.example/a", "Depot refits trucks & cranes", None)


def test_feed_dates_keep_the_publishers_day():
    from workbench.collect.feeds import feed_date
    assert feed_date("Wed, 11 Feb 2026 08:30:00 +0900") == "2026-02-11T08:30:00+09:00"
    assert feed_date("2026-02-12T23:10:00-05:00") == "2026-02-12T23:10:00-05:00"
    assert feed_date("2026-02-12") == "2026-02-12"
    assert feed_date("2026-02-31") is None and feed_date("someday") is None and feed_date(None) is None
    assert feed_date("Mon, 01 Jan 1900 00:00:00 GMT") is None                  # implausible
    assert feed_date("2030-01-01", today=__import__("datetime").date(2026, 1, 1)) is None


def test_sidecar_fields_never_take_the_fetch_time_as_a_date():
    from workbench.collect.sidecar import sidecar_fields
    base = {"requested_url": "http://a.example/x", "final_url": "http://a.example/y",
            "fetched": "2026-02-13T00:00:00+00:00"}
    f = sidecar_fields(dict(base, canonical_url="http://a.example/c", feed=None))
    assert f == {"url": "http://a.example/c", "final_url": "http://a.example/y",
                 "requested_url": "http://a.example/x", "fetched": "2026-02-13T00:00:00+00:00"}
    f = sidecar_fields(dict(base, feed={"title": " T ", "published": "2026-02-11T08:30:00+09:00", "author": None}))
    assert (f["url"], f["title"], f["published"], f["published_basis"]) == \
        ("http://a.example/y", "T", "2026-02-11", "feed")
    assert "author" not in f


def test_retry_after_header():
    from workbench.collect.fetch import retry_after
    assert retry_after("120", 0.0) == 120.0
    assert retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 40.0) == 60.0
    assert retry_after("soon", 0.0) is None and retry_after(None, 0.0) is None


def test_one_page_named_by_two_feeds_gets_the_fields_of_both(server, tmp_path):
    link = server.url("/both")
    server.routes["/a"] = static(200, rss([(link, "Both feeds", None)]), "application/rss+xml")
    server.routes["/b"] = static(200, atom([(link, "Both", "2026-02-12T09:00:00+09:00", "2026-02-13T00:00:00Z")]),
                                 "application/atom+xml")
    server.routes["/both"] = static(200, html_page("Both", FUEL))
    s = run(tmp_path, write_list(tmp_path, [server.url("/a"), server.url("/b")]))
    (page,) = saved_pages(tmp_path)
    feed = load_sidecar(sidecar_path(page))["feed"]
    assert (feed["title"], feed["published"]) == ("Both feeds", "2026-02-12T09:00:00+09:00")
    assert len(server.requests("/both")) == 1 and s.items == 2


def test_a_run_killed_between_sidecar_and_page_is_repaired(server, tmp_path):
    server.routes["/k"] = static(200, html_page("Kept", DOCK), etag='"k2"')
    lst = write_list(tmp_path, [server.url("/k")])
    run(tmp_path, lst)
    (page,) = saved_pages(tmp_path)
    # as a kill between the two writes leaves it: new sidecar, old page, validators not yet saved
    page.write_bytes(gzip.compress(html_page("Older", DEPOT)))
    (tmp_path / "state.json").unlink()
    s = run(tmp_path, lst)
    assert len(s.changed) == 1
    assert gzip.decompress(page.read_bytes()) == html_page("Kept", DOCK)


def test_a_page_that_cannot_be_saved_fails_alone(server, tmp_path):
    server.routes["/a"] = static(200, html_page("A", FUEL))
    server.routes["/b"] = static(200, html_page("B", DOCK))
    out = tmp_path / "raw" / "collected"
    out.mkdir(parents=True)
    (out / f"127-0-0-1-{server.port}").write_text("a file where the host folder should be")
    server.routes["/f"] = static(200, rss([(server.url("/a"), "A", None)]), "application/rss+xml")
    s = collect([write_list(tmp_path, [server.url("/f"), server.other("/b")])], out_dir=out,
                state_file=tmp_path / "state.json", config=fast(), use_corpus=False, progress=False)
    assert [u for u, _ in s.failed] == [server.url("/a")] and "cannot save" in s.failed[0][1]
    assert len(s.saved) == 1                                  # the other host's page


def test_read_uses_the_sidecar_charset_and_refuses_a_sidecar_named_alone(tmp_path):
    from workbench.collect.sidecar import write_sidecar
    from workbench.parse.read import discover, read_file
    page = tmp_path / "host" / "story-1.html.gz"
    page.parent.mkdir()
    text = "<html><head><title>보급</title></head><body><p>항구에서 차량 정비를 마쳤다.</p></body></html>"
    page.write_bytes(gzip.compress(text.encode("euc-kr")))
    write_sidecar(page, {"requested_url": "http://a.example/1", "final_url": "http://a.example/1",
                         "fetched": "2026-02-13T00:00:00+00:00", "charset": "euc-kr", "feed": None})
    (doc,) = read_file(page).docs
    assert doc.html == text and doc.encoding == "euc-kr"
    assert doc.fields["url"] == "http://a.example/1" and "charset" not in doc.fields
    found, refused = discover([tmp_path])
    assert found == [page] and refused == []
    _, refused = discover([sidecar_path(page)])
    assert "sidecar" in refused[0].reason


def test_a_page_listed_as_feed_leads_to_the_feed_it_announces(server, tmp_path):
    server.routes["/section"] = static(200, (
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/section/rss">'
        b"</head><body><p>Section front</p></body></html>"))
    server.routes["/section/rss"] = static(200, rss([(server.url("/x"), "X", None)]), "application/rss+xml")
    server.routes["/x"] = static(200, html_page("X", FUEL))
    s = run(tmp_path, write_list(tmp_path, ["feed " + server.url("/section")]))
    assert (s.feeds, len(s.saved)) == (1, 1) and s.failed == []
    assert [p.name.split("-")[0] for p in saved_pages(tmp_path)] == ["x"]      # not the section page


def test_max_pages_leaves_the_rest_for_the_next_run(server, tmp_path):
    links = [server.url(f"/m{i}") for i in range(3)]
    server.routes["/f"] = static(200, rss([(u, u, None) for u in links]), "application/rss+xml")
    for i in range(3):
        server.routes[f"/m{i}"] = static(200, html_page(f"M{i}", DOCK))
    lst = write_list(tmp_path, [server.url("/f")])
    first = run(tmp_path, lst, max_pages=2)
    assert (len(first.saved), first.deferred) == (2, 1)
    second = run(tmp_path, lst, max_pages=2)
    assert (len(second.saved), second.known, second.deferred) == (1, 2, 0)
    assert all(len(server.requests(f"/m{i}")) == 1 for i in range(3))


def test_damaged_feed_memory_in_the_state_means_a_full_fetch(server, tmp_path):
    server.routes["/f"] = static(200, rss([(server.url("/p"), "P", None)]), "application/rss+xml", etag='"r"')
    server.routes["/p"] = static(200, html_page("P", FUEL))
    lst = write_list(tmp_path, [server.url("/f")])
    run(tmp_path, lst)
    state = json.loads((tmp_path / "state.json").read_text())
    state["feeds"] = {k: [{"link": "?"}] for k in state["feeds"]}
    (tmp_path / "state.json").write_text(json.dumps(state))
    s = run(tmp_path, lst)
    assert s.failed == [] and s.known == 1
    assert [r.headers.get("if-none-match") for r in server.requests("/f")] == [None, None]
