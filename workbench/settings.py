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

# Record fields that carry the text of an article in JSON/CSV exports, best first.
TEXT_KEYS = ("text", "body", "content", "article", "article_text", "full_text", "maintext")
HTML_KEYS = ("html", "raw_html", "page_html")
