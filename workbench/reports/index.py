"""``reports/index.html``: every report with its range, counts, time and status.

The standing report of each topic (all dates) comes first; under it the topic's
latest what's-new pages and its reports of chosen date ranges. Written from the
state files only (``reports.state``), atomically.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import html
from pathlib import Path

from workbench.files import atomic_write
from workbench.reports.state import RANGE, STATE_DIR, WHATS_NEW, read_state, related_states

OVERVIEW_NAME = "corpus_overview"
INDEX_FILE = "index.html"


def _slug(name: str) -> str:
    from workbench.reports.html import report_slug
    return report_slug(name)


WHATS_NEW_LISTED = 5     # what's-new pages the index lists per topic (newest first)


def _index_row(reports: Path, st: dict, label: str, desc: str, sub: bool = False) -> str:
    """One row of the index: a report, its range and counts, when it was made, its status."""
    from workbench.reports import words as W
    esc = lambda s: html.escape("" if s is None else str(s), quote=True)  # noqa: E731
    cls_row = ' class="wb-sub"' if sub else ""
    if not st:
        return (f'<tr{cls_row}><td data-label="Report">{esc(label)}</td><td data-label="About">{esc(desc)}</td>'
                '<td></td><td></td><td data-label="Status">not run yet</td><td></td></tr>')
    p, c = st.get("params") or {}, st.get("content") or {}
    rng = W.range_words(p.get("since"), p.get("until"))
    covered = ""
    if c.get("first"):
        last = "" if c.get("last") in (None, c["first"]) else f" – {W.published_words(c['last'])}"
        covered = f"articles dated {W.published_words(c['first'])}{last}"
    counts = (f"{W.plural(int(c.get('articles') or 0), 'article')}, {W.plural(int(c.get('events') or 0), 'event')}"
              if c else "")
    status = st.get("status", "")
    cls = "wb-status-failed" if status == "failed" else "wb-status-ok"
    err = f"<br>{esc((st.get('error') or '').splitlines()[0])}" if st.get("error") else ""
    has_html, has_nb = (reports / st["html"]).exists(), (reports / st["notebook"]).exists()
    links = ([f'<a href="{esc(st["html"])}">report</a>'] if has_html else []) + \
        ([f'<a href="{esc(st["notebook"])}">notebook</a>'] if has_nb else [])
    main = f'<a href="{esc(st["html"])}">{esc(label)}</a>' if has_html else esc(label)
    extra = "".join(f"<br>{esc(x)}" for x in (covered, counts) if x)
    return (f'<tr{cls_row}><td data-label="Report">{main}</td><td data-label="About">{esc(desc)}</td>'
            f'<td data-label="Date range">{esc(rng)}{extra}</td>'
            f'<td data-label="Generated">{esc(W.when_words(st.get("finished_at")))}</td>'
            f'<td data-label="Status" class="{cls}">{esc(status)}{err}</td>'
            f'<td data-label="Files">{" · ".join(links)}</td></tr>')


def write_index(reports: Path, topics: list[str], descriptions: dict[str, str] | None = None) -> Path:
    """Write ``reports/index.html`` from the reports' state files (atomically): every
    standing report, then under each topic its range reports and latest what's-new pages."""
    from workbench.reports import words as W
    from workbench.reports.html import page, sanitize
    descriptions = descriptions or {}
    rows = [_index_row(reports, read_state(reports, OVERVIEW_NAME), "Corpus overview",
                       "The whole corpus at a glance")]
    for t in topics:
        slug, label = _slug(t), W.topic_label(t)
        rows.append(_index_row(reports, read_state(reports, slug), label, descriptions.get(t, "")))
        for st in related_states(reports, slug, WHATS_NEW)[:WHATS_NEW_LISTED]:
            day = st["name"].rsplit(WHATS_NEW, 1)[-1]
            rows.append(_index_row(reports, st, f"What's new, {W.range_words(day, None)[5:]}", "", sub=True))
        for st in related_states(reports, slug, RANGE):
            p = st.get("params") or {}
            rows.append(_index_row(reports, st, f"{label}, {W.range_words(p.get('since'), p.get('until'))}", "",
                                   sub=True))
    now = W.when_words(dt.datetime.now(dt.UTC).isoformat(timespec="minutes"))
    body = ("<h1>Reports</h1>"
            f"<p class=\"wb-meta\">Index written {html.escape(now)}. Each report opens offline in a browser; "
            "the notebook beside it is the executed notebook. Indented rows are what's-new pages and reports "
            "of a chosen date range; the standing report above them always covers every date.</p>"
            "<table class=\"wb-table\"><thead><tr><th>Report</th><th>About</th><th>Date range</th>"
            "<th>Generated</th><th>Status</th><th>Files</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")
    path = reports / INDEX_FILE
    reports.mkdir(parents=True, exist_ok=True)
    atomic_write(path, page("Reports", sanitize(body), extra_css=".wb-sub td:first-child{padding-left:1.5rem}"))
    return path


def index_stale(reports: Path) -> bool:
    """Whether ``reports/index.html`` is missing or older than a report's state file:
    a run killed between writing a report and writing the index leaves it so, and the
    next run must bring it up to date even when no report needs to run again."""
    try:
        written = (reports / INDEX_FILE).stat().st_mtime_ns
    except OSError:
        return True
    for p in (reports / STATE_DIR).glob("*.json"):
        with contextlib.suppress(OSError):
            if not p.name.endswith(".pending.json") and p.stat().st_mtime_ns > written:
                return True
    return False
