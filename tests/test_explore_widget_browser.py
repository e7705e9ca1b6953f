"""The explorer as a Voilà dashboard, driven in a real browser.

Builds a project home in a temp folder (data/raw + data/reference copied,
data/store built by the real ``ingest``, plus one hostile record), serves
``notebooks/explore.ipynb`` with Voilà on loopback, and drives Debian's
chromium (``/usr/bin/chromium``; never ``playwright install``) with
Playwright: change filters, check the table and the plot change, open an
article, check hostile page text stays text. Screenshots go to
``tests/artifacts/``. Run with ``pytest -m browser``.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.explore import query as q

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "notebooks" / "explore.ipynb"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
START_TIMEOUT = 60          # s, for Voilà to listen
RENDER_TIMEOUT = 90_000     # ms, for the notebook to run and the widgets to show
UPDATE_TIMEOUT = 20_000     # ms, for a filter change to reach the page

HOSTILE = {
    "doc_id": "zz_hostile",
    "title": 'Depot report <img src=x onerror="window.__pwned=1">',
    "body": ('The Defense Logistics Agency met the ROK Joint Chiefs of Staff. '
             '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1"> '
             'Spare parts logistics will expand.'),
    "outlet": "Hostile <b>Gazette</b>",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found (apt install chromium)")
    pytest.importorskip("voila")
    pytest.importorskip("playwright.sync_api")
    from workbench.pipeline import ingest
    from workbench.record import empty_record
    from workbench.store import read_store, write_store

    home = tmp_path_factory.mktemp("wbhome")
    for part in ("raw", "reference"):
        shutil.copytree(REPO / "data" / part, home / "data" / part)
    store = home / "data" / "store"
    summary = ingest([home / "data" / "raw"], store=store, reference=home / "data" / "reference",
                     progress=False)
    assert summary.documents >= 5, summary.lines()
    records, ledger = read_store(store)
    records.append(empty_record(
        doc_id=HOSTILE["doc_id"], title=HOSTILE["title"], body=HOSTILE["body"], outlet=HOSTILE["outlet"],
        published="2026-03-01", published_basis="page", story_id=HOSTILE["doc_id"],
        organizations=[{"name": "Defense Logistics Agency", "aliases": [], "mentions": 1}],
        topics=[{"topic": "logistics-sustainment", "score": 0.9,
                 "evidence": ["Spare parts logistics will expand."]}]))
    write_store(records, ledger, store)
    return home


@pytest.fixture(scope="module")
def server(home, tmp_path_factory):
    port = _free_port()
    run = tmp_path_factory.mktemp("voila")
    log = open(run / "voila.log", "w")
    env = dict(os.environ, WORKBENCH_HOME=str(home), JUPYTER_PLATFORM_DIRS="1",
               JUPYTER_RUNTIME_DIR=str(run / "runtime"), JUPYTER_DATA_DIR=str(run / "data"),
               MPLBACKEND="Agg", PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    proc = subprocess.Popen(
        [sys.executable, "-m", "voila", str(NOTEBOOK), "--no-browser", f"--port={port}",
         "--Voila.ip=127.0.0.1"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def log_tail() -> str:
        log.flush()
        return (run / "voila.log").read_text(errors="replace")[-3000:]

    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"voila exited with {proc.returncode}:\n{log_tail()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"voila did not listen on port {port} within {START_TIMEOUT} s:\n{log_tail()}")
                time.sleep(0.3)
        yield {"url": f"http://127.0.0.1:{port}/", "log": log_tail}
    finally:
        # the server and the kernels it started share the new session's process group
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        except ProcessLookupError:
            pass
        log.close()


@pytest.fixture
def page(server):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            pg = browser.new_page(viewport={"width": 1500, "height": 1300})
            pg.set_default_timeout(UPDATE_TIMEOUT)
            yield pg
        finally:
            browser.close()


def _expected(home, **filters):
    from workbench.store import load_corpus
    idx = q.build_index(load_corpus(home / "data" / "store"))
    pos = q.filter_positions(idx, q.Filters(**filters))
    ev = q.events_for(idx, pos)
    return idx, len(pos), int(ev["when"].notna().sum())


def _wait_rows(page, n: int) -> None:
    page.wait_for_function("n => document.querySelector('.wb-grid-where span')?.dataset.rows === String(n)",
                           arg=n, timeout=UPDATE_TIMEOUT)


def _wait_column(page, i: int, expected: list[str]) -> None:
    page.wait_for_function("""([i, want]) => JSON.stringify([...document.querySelectorAll('.wb-grid-row')]
        .filter(r => r.offsetParent !== null)
        .map(r => r.querySelectorAll('.wb-grid-cell')[i].innerText.trim())) === JSON.stringify(want)""",
                           arg=[i, expected], timeout=UPDATE_TIMEOUT)


def _column(page, i: int) -> list[str]:
    """The text of column ``i`` of the grid's visible rows."""
    return page.evaluate("""i => [...document.querySelectorAll('.wb-grid-row')]
        .filter(r => r.offsetParent !== null)
        .map(r => r.querySelectorAll('.wb-grid-cell')[i].innerText.trim())""", i)


def _plot_state(page) -> tuple[str, str]:
    img = page.locator("img.wb-timeline")
    return img.get_attribute("src"), page.locator(".wb-timeline-caption").get_attribute("data-events")


def test_dashboard_filters_table_plot_and_article(server, home, page):
    ARTIFACTS.mkdir(exist_ok=True)
    idx, total, events_all = _expected(home)
    # a topic that narrows both the table and the timeline
    choices = []
    for topic in idx.topics:
        _, n, ev = _expected(home, topics=(topic,))
        if 0 < n < total and ev != events_all:
            choices.append((abs(total - n) + abs(events_all - ev), topic, n, ev))
    assert choices, "no topic in the ingested corpus narrows both the table and the timeline"
    _, topic, n_topic, ev_topic = max(choices)

    page.goto(server["url"], timeout=RENDER_TIMEOUT)
    try:
        page.wait_for_selector(".wb-grid-row .wb-grid-cell", timeout=RENDER_TIMEOUT)
        _wait_rows(page, total)
    except Exception as e:
        page.screenshot(path=str(ARTIFACTS / "explorer-voila-failed-load.png"), full_page=True)
        raise AssertionError(f"the dashboard did not render; voila log:\n{server['log']()}") from e
    # Voilà shows outputs only: no code cell source on the page
    assert page.locator("text=from workbench.explore.widget import explorer").count() == 0
    assert page.locator(f'.wb-status b[data-count="{total}"]').count() == 1
    src0, events0 = _plot_state(page)
    assert src0 and events0 == str(events_all)
    plot0 = page.locator("img.wb-timeline").screenshot()
    page.screenshot(path=str(ARTIFACTS / "explorer-voila-start.png"), full_page=True)

    # change a filter: the table and the plot follow
    page.locator(".wb-topic select").select_option(label=topic)
    _wait_rows(page, n_topic)
    page.wait_for_function(
        "ev => document.querySelector('.wb-timeline-caption')?.dataset.events === ev", arg=str(ev_topic))
    src1, _ = _plot_state(page)
    assert src1 != src0
    assert page.locator("img.wb-timeline").screenshot() != plot0
    assert page.locator(f'.wb-status b[data-count="{n_topic}"]').count() == 1
    page.screenshot(path=str(ARTIFACTS / "explorer-voila-filtered.png"), full_page=True)

    # free text (applied on Enter) narrows further
    page.locator(".wb-topic select").select_option(label="(any)")
    _wait_rows(page, total)
    _, n_text, _ = _expected(home, text="TRANSCOM")
    assert 0 < n_text < total
    page.locator(".wb-search input").fill("TRANSCOM")
    page.locator(".wb-search input").press("Enter")
    _wait_rows(page, n_text)

    # open an article: a click on its row; its entities are marked
    page.locator(".wb-grid-row .wb-grid-cell").first.click()
    page.wait_for_selector(".wb-article mark.wb-org")
    assert "TRANSCOM" in page.locator(".wb-article").inner_text()
    page.screenshot(path=str(ARTIFACTS / "explorer-voila-article.png"), full_page=True)


def test_hostile_page_text_stays_text(server, home, page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server["url"], timeout=RENDER_TIMEOUT)
    page.wait_for_selector(".wb-grid-row .wb-grid-cell", timeout=RENDER_TIMEOUT)
    page.locator(".wb-outlet select").select_option(label=HOSTILE["outlet"])
    _wait_rows(page, 1)
    page.locator(".wb-grid-row .wb-grid-cell").first.click()
    page.wait_for_selector(".wb-article mark.wb-org")
    page.wait_for_timeout(500)          # give an injected onerror handler the chance to run
    text = page.locator(".wb-article").inner_text()
    assert "<script>window.__pwned=1</script>" in text and 'onerror="window.__pwned=1"' in text
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator(".wb-article script, .wb-article img").count() == 0
    page.locator(".wb-article").screenshot(path=str(ARTIFACTS / "explorer-voila-hostile.png"))


def test_grid_sorts_selects_and_fills_the_width(server, home, page):
    """Click a heading: the rows sort (again: reverse); the grid spans the page; under
    Voilà the kernel-only "Send to kernel" action is not offered."""
    idx, total, _ = _expected(home)
    page.goto(server["url"], timeout=RENDER_TIMEOUT)
    page.wait_for_selector(".wb-grid-row .wb-grid-cell", timeout=RENDER_TIMEOUT)
    _wait_rows(page, total)
    heads = page.locator(".wb-grid-head")
    expected = sorted(_column(page, 1), key=str.casefold)
    assert _column(page, 1) != expected                             # not already in that order
    heads.nth(1).click()                                            # Outlet
    _wait_column(page, 1, expected)
    assert heads.nth(1).inner_text().endswith("▲")
    heads.nth(1).click()                                            # again: reversed
    _wait_column(page, 1, sorted(expected, key=str.casefold, reverse=True))
    assert heads.nth(1).inner_text().endswith("▼")
    # full width: the grid is as wide as the explorer
    gw, ew = page.evaluate("""() => [document.querySelector('.wb-grid').getBoundingClientRect().width,
                                     document.querySelector('.wb-explorer').getBoundingClientRect().width]""")
    assert gw >= 0.95 * ew
    page.locator(".wb-grid-row .wb-grid-cell").nth(3).click()
    page.wait_for_selector(".wb-grid-selected")
    page.wait_for_selector(".wb-article h3")
    assert page.locator("text=Send to kernel").count() == 0
    assert page.locator("button:has-text(\"Export CSV\")").count() == 1
    page.screenshot(path=str(ARTIFACTS / "explorer-voila-grid.png"), full_page=True)
