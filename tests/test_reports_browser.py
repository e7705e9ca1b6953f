"""The rendered reports in a real headless browser (Debian's chromium).

Figures and tables show, every index link and in-page citation resolves, and a
hostile article's ``<script>`` / ``onerror=`` shows as text and never runs.
Uses Playwright's Python package with the system chromium (no browser download).
"""
from __future__ import annotations

import os
from urllib.parse import urljoin

import pytest
from report_support import GOLD, built_reports

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
TOPICS = list(GOLD["topics"])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_reports(tmp_path_factory)


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(java_script_enabled=True)   # scripts allowed: the page itself must not run any
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    ctx.close()


def _url(path) -> str:
    return path.resolve().as_uri()


def test_index_links_resolve(built, page):
    index = built["reports"] / "index.html"
    page.goto(_url(index))
    assert page.title() == "Reports"
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    targets = {h for h in hrefs if h.endswith(".html")}
    assert {f"{t}.html" for t in TOPICS} | {"corpus_overview.html"} <= targets
    for h in sorted(set(hrefs)):
        resp = page.goto(urljoin(_url(index), h))     # raises on a missing file (net::ERR_FILE_NOT_FOUND)
        assert resp is None or resp.ok, h
        if h.endswith(".html"):
            assert page.title(), h
        page.goto(_url(index))


def test_overview_links_every_topic_report(built, page):
    page.goto(_url(built["reports"] / "corpus_overview.html"))
    hrefs = set(page.eval_on_selector_all("a[href$='.html']", "els => els.map(e => e.getAttribute('href'))"))
    assert {f"{t}.html" for t in TOPICS} <= hrefs
    assert page.eval_on_selector_all("img", "els => els.filter(i => i.complete && i.naturalWidth > 0).length") >= 1


@pytest.mark.parametrize("topic", TOPICS)
def test_topic_page_shows_figures_tables_and_no_script_runs(built, page, topic):
    page.goto(_url(built["reports"] / f"{topic}.html"))
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    assert page.evaluate("document.scripts.length") == 0
    imgs = page.eval_on_selector_all("img", "els => els.map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
    assert len(imgs) >= 2 and all(c and w > 100 and h > 50 for c, w, h in imgs), imgs
    # corrections track (issue 14.3): a page's related stories are articles too, so ask the store
    from workbench.store import read_store
    has_articles = any(topic in {t["topic"] for t in r["topics"]} for r in read_store(built["store"])[0])
    if has_articles:
        assert page.locator("table").count() >= 3                       # entities, events, sources...
        assert page.locator("table tbody tr").count() >= 3
    else:
        assert "No events found for this topic" in page.inner_text("body")
    h2 = [t.replace("¶", "").strip() for t in page.locator("h2").all_inner_texts()]
    assert "Events" in h2 and "Timeline of events" in h2, h2
    text = page.inner_text("body")
    for heading in ("Headline figures", "Timeline of events", "Articles over time by outlet",
                    "Most frequent organisations and people", "Key evidence", "What is new since the previous report",
                    "Data-quality notes", "Sources"):
        assert heading in text, heading
    assert "load_topic" not in text and "import " not in text            # no code cells
    # every in-page citation points at a row of the sources table
    missing = page.evaluate("""() => [...document.querySelectorAll('a[href^="#doc-"]')]
        .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))""")
    assert missing == []
    assert all(u.startswith(("file:", "data:")) for u in page.requests), page.requests   # opens offline


def test_hostile_article_shows_as_text(built, page):
    page.goto(_url(built["reports"] / "logistics-sustainment.html"))
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    text = page.inner_text("body")
    assert "Hostile page <script>window.__pwned=1</script> about logistics" in text
    assert '<img src=x onerror="window.__pwned=1">' in text
    # nothing the article brought became an element
    assert page.evaluate("document.querySelectorAll('[onerror],[onclick],[onmouseover],script,iframe').length") == 0
    assert page.evaluate("[...document.images].every(i => i.src.startsWith('data:image/png'))")


# --------------------------------------------------------------------------- layout (issue 11)

WIDTHS = (390, 1280)


def _pages(built) -> list:
    rep = built["reports"]
    return [rep / "index.html", rep / "corpus_overview.html"] + [rep / f"{t}.html" for t in TOPICS]


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_the_window(built, browser, width):
    """Every page fits a phone (390 px) and a laptop (1280 px) window: no sideways
    scrolling of the document, long unbroken strings included."""
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    pg = ctx.new_page()
    try:
        too_wide = {}
        for path in _pages(built):
            pg.goto(_url(path))
            sw = pg.evaluate("document.documentElement.scrollWidth")
            if sw > width:
                too_wide[path.name] = sw
            if width == 390 and path.name == "logistics-sustainment.html":
                pg.screenshot(path=str(built["home"] / "phone.png"), full_page=True)
        assert too_wide == {}, f"pages wider than {width} px: {too_wide}"
    finally:
        ctx.close()


def test_dates_do_not_wrap_and_headings_have_no_pilcrow(built, browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 900})
    pg = ctx.new_page()
    try:
        pg.goto(_url(built["reports"] / "logistics-sustainment.html"))
        assert pg.locator(".wb-date").count() > 0
        # a date is one line box however narrow its column
        lines = pg.eval_on_selector_all(".wb-date", "els => els.map(e => e.getClientRects().length)")
        assert set(lines) == {1}, lines
        headings = pg.locator("h1, h2, h3").all_inner_texts()
        assert headings and not [h for h in headings if "¶" in h]
        assert "¶" not in pg.inner_text("body")
    finally:
        ctx.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_figure_text_is_legible_at_the_rendered_size(built, browser, width):
    """Figures are drawn at their own size (on a phone they scroll sideways in their
    own box): text of ``MIN_PT`` points (at the PNG's 100 dpi) is at least 9 pt
    (12 CSS px) on screen, and each figure says what it shows."""
    from workbench.reports.figures import MIN_PT
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    pg = ctx.new_page()
    try:
        pg.goto(_url(built["reports"] / "logistics-sustainment.html"))
        scales = pg.eval_on_selector_all("img", "els => els.map(i => i.getBoundingClientRect().width / i.naturalWidth)")
        assert scales and all(MIN_PT / 72 * 100 * s >= 12 for s in scales), scales
        alts = pg.eval_on_selector_all("img", "els => els.map(i => i.alt)")
        assert all(a and "No description" not in a for a in alts), alts
        assert pg.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        ctx.close()
