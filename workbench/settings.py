"""Settings gathered in one place: paths, supported inputs, tunable thresholds.

Paths resolve against the project home: ``$WORKBENCH_HOME`` if set, else the
checkout that holds this package (editable install), else the current folder.
"""
from __future__ import annotations

import os
from pathlib import Path

_PKG_ROOT = Path(__file__).resolve().parent.parent


def home() -> Path:
    """The project folder whose ``data/`` and ``reports/`` the workbench uses."""
    env = os.environ.get("WORKBENCH_HOME")
    if env:
        return Path(env).resolve()
    if (_PKG_ROOT / "data" / "reference").is_dir():
        return _PKG_ROOT
    return Path.cwd()


def raw_dir() -> Path:
    return home() / "data" / "raw"


def store_dir() -> Path:
    return home() / "data" / "store"


def reference_dir() -> Path:
    return home() / "data" / "reference"


def gold_path() -> Path:
    return home() / "data" / "gold" / "seeds.json"


def dev_dir() -> Path:
    return home() / "data" / "dev" / "extraction"


def reports_dir() -> Path:
    return home() / "reports"


def notebooks_dir() -> Path:
    return home() / "notebooks"


# Input formats by file-name ending (checked longest first).
TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
JSON_SUFFIXES = (".json", ".json.gz")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz")
CSV_SUFFIXES = (".csv", ".csv.gz")
TEXT_GZ_SUFFIXES = (".txt.gz",)

# Files larger than this are rejected rather than read (a dump of a page is KBs).
# Evidence: sentences a topic hit keeps per article (a report then cites at most this many
# sentences of one story for a topic; copies repeat the same sentences).
EVIDENCE_PER_ARTICLE = 2

MAX_INPUT_BYTES = 50 * 1024 * 1024

# A compressed input may expand to at most this much; decompression streams and stops here
# (a gzip bomb is refused quickly and in bounded memory).
MAX_DECOMPRESSED_BYTES = MAX_INPUT_BYTES

# Encodings tried, in order, when a file has no BOM and is not valid UTF-8. Korean code pages
# (cp949, euc-kr) may apply to single lines of a mixed file when they decode to common Hangul;
# single-byte ones (cp1252, latin-1) to the remaining lines only when the file holds fewer
# well-formed UTF-8 sequences than bad bytes (else: UTF-8 with U+FFFD). See decode.py.
FALLBACK_ENCODINGS = ("cp949", "euc-kr", "cp1252", "latin-1")

# Not text: a larger share of NUL bytes, of control bytes, or of control characters and
# U+FFFD once decoded (random bytes have ~10% control bytes, ~23% once decoded as Latin-1;
# prose has none). A few stray NULs under the share are dropped with a warning.
MAX_NON_TEXT_SHARE = 0.02

# A store (or report) lock held by another live run is waited for this long, then the run gives
# up with a message naming the holder (``--lock-timeout``; a scheduled run must never hang).
LOCK_TIMEOUT_SECONDS = 600.0

# Analysis reads at most this many characters of a body (a news story is 2-60k; the rest is
# skipped with a warning), so one huge text file cannot hold the run and the store lock hostage.
MAX_ANALYSED_CHARS = 200_000

# Wall-clock seconds one input file may take to read, clean and analyse; past it the file is
# rejected ("took longer than N s") and the run goes on (``workbench.budget``; POSIX only).
# WORKBENCH_FILE_TIME_BUDGET overrides it; 0 turns it off.
FILE_TIME_BUDGET_SECONDS = 300.0


def file_time_budget() -> float:
    """The per-file time budget in seconds (``WORKBENCH_FILE_TIME_BUDGET`` or the default)."""
    env = os.environ.get("WORKBENCH_FILE_TIME_BUDGET", "").strip()
    if not env:
        return FILE_TIME_BUDGET_SECONDS
    from workbench.errors import UsageError
    try:
        value = float(env)
    except ValueError:
        value = float("nan")
    if not value >= 0:
        raise UsageError(f"WORKBENCH_FILE_TIME_BUDGET={env!r} is not a number of seconds (0 or more)")
    return value

# Record fields that carry the text of an article in JSON/CSV exports, best first.
TEXT_KEYS = ("text", "body", "content", "article", "article_text", "full_text", "maintext")
HTML_KEYS = ("html", "raw_html", "page_html")


# --------------------------------------------------------------------------- collect (workbench collect)

def collected_dir() -> Path:
    """Where ``workbench collect`` saves fetched pages (gzipped HTML + sidecar)."""
    return raw_dir() / "collected"


def collect_dir() -> Path:
    """The analyst's URL list (``urls.txt``) and the collector's state file."""
    return home() / "data" / "collect"


COLLECT_RATE_SECONDS = 2.0          # minimum gap between two requests to one host
COLLECT_TIMEOUT_SECONDS = 20.0      # connect / read timeout of one request
COLLECT_TOTAL_SECONDS = 60.0        # a whole response (headers + body) must arrive within this
COLLECT_RETRIES = 3                 # further attempts after a 429, a 5xx or a network error
COLLECT_BACKOFF_SECONDS = 2.0       # first retry waits this long, then doubles
COLLECT_MAX_BACKOFF_SECONDS = 60.0  # a longer Retry-After is a failure, not a wait
COLLECT_MAX_BYTES = 5 * 1024 * 1024  # a page (decompressed) larger than this is abandoned
COLLECT_MAX_REDIRECTS = 5
COLLECT_MAX_CRAWL_DELAY = 60.0      # a robots.txt Crawl-delay is honoured up to this
COLLECT_MAX_SITEMAP_URLS = 2000     # page URLs taken from one sitemap
# Query parameters that only track the reader; dropped when URLs are compared.
COLLECT_TRACKING_PARAMS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
                           "utm_id", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid",
                           "cmpid", "ocid", "igshid", "_ga", "ref_src")
