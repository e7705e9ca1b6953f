"""Read input files into raw documents: find them, decode them, split exports.

First step of the path data takes. Knows file formats and text encodings,
nothing about articles. Every file found is either turned into one or more
``RawDoc`` or rejected with an ``InputError`` that names the file and the
reason. Raw files are only ever opened for reading.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from . import settings
from .collect.sidecar import fields_for_page, is_sidecar

ALL_SUFFIXES = (settings.TEXT_SUFFIXES + settings.TEXT_GZ_SUFFIXES + settings.HTML_SUFFIXES
                + settings.JSON_SUFFIXES + settings.JSONL_SUFFIXES + settings.CSV_SUFFIXES)


class InputError(Exception):
    """A file (or one record of it) that cannot be read; carries path and reason."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass
class RawDoc:
    """One article as read: its text or HTML plus any metadata an export gave."""

    doc_id: str
    source_path: str
    sha256: str
    format: str                      # text | html | json | jsonl | csv
    text: str | None = None          # a text dump, or an export's article text
    html: str | None = None          # a saved page, or an export's HTML field
    fields: dict = field(default_factory=dict)   # export metadata (title, date, ...)
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class ReadResult:
    """What one file gave: its documents and the records of it that were rejected."""

    path: str
    sha256: str
    docs: list[RawDoc] = field(default_factory=list)
    rejected: list[InputError] = field(default_factory=list)


# --------------------------------------------------------------------------- finding files

def suffix_of(path: Path) -> str | None:
    """The supported ending of ``path`` (e.g. ``.html.gz``), or None."""
    name = path.name.lower()
    for suf in sorted(ALL_SUFFIXES, key=len, reverse=True):
        if name.endswith(suf):
            return suf
    return None


def doc_stem(path: Path) -> str:
    """File name without its extensions: ``a.html.gz`` -> ``a``."""
    suf = suffix_of(path)
    name = path.name
    return name[: len(name) - len(suf)] if suf else path.stem


def discover(paths: list[str | Path]) -> tuple[list[Path], list[InputError]]:
    """Files to read under ``paths`` (files or folders, recursive), sorted, and
    the ones refused because their type is not supported or they do not exist."""
    found: list[Path] = []
    refused: list[InputError] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or any(part.startswith(".") for part in f.relative_to(p).parts):
                    continue
                if is_sidecar(f):        # read with its page, never on its own
                    continue
                if suffix_of(f):
                    found.append(f)
                else:
                    refused.append(InputError(f, f"unsupported file type {f.suffix or '(none)'!r}; "
                                                 f"supported: {', '.join(ALL_SUFFIXES)}"))
        elif p.is_file():
            if is_sidecar(p):
                refused.append(InputError(p, "a collect sidecar is read with its page; name the page"))
            elif suffix_of(p):
                found.append(p)
            else:
                refused.append(InputError(p, f"unsupported file type {p.suffix or '(none)'!r}"))
        else:
            refused.append(InputError(p, "no such file or folder"))
    return found, refused


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def decode(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode bytes to text and name the encoding used.

    Order: BOM; strict UTF-8; UTF-16 without BOM (NUL-byte pattern); CP949 when
    it decodes cleanly into mostly Hangul; charset-normalizer's best guess;
    finally cp1252/latin-1. Raises InputError for binary data.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc).lstrip("\ufeff"), enc.replace("-sig", "")
            except UnicodeDecodeError as e:
                raise InputError(path, f"starts with a {enc} byte-order mark but is not valid {enc}: {e}")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if len(sample) >= 4:
        even_nul = sample[0::2].count(0) / max(1, len(sample[0::2]))
        odd_nul = sample[1::2].count(0) / max(1, len(sample[1::2]))
        if max(even_nul, odd_nul) > 0.3:
            enc = "utf-16-be" if even_nul > odd_nul else "utf-16-le"
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                pass
    if b"\x00" in sample:
        raise InputError(path, "looks like a binary file (NUL bytes), not text")
    try:
        text = data.decode("cp949")
        non_ascii = sum(1 for c in text if ord(c) > 127)
        if non_ascii and len(_HANGUL.findall(text)) / non_ascii > 0.6:
            return text, "cp949"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(data).best()
        if best is not None and best.encoding:
            return str(best), best.encoding
    except Exception:  # detector failure must not cost the file
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.I)


def decode_html(data: bytes, path: str | Path = "<bytes>", declared: str | None = None) -> tuple[str, str]:
    """Decode an HTML page: a BOM, the charset its server declared (``declared``,
    from a collect sidecar) or its ``<meta charset>`` first (when the bytes
    really are in it), else the same detection as ``decode``."""
    if declared and not any(data.startswith(b) for b, _ in _BOMS):
        try:
            return data.decode(declared), declared.lower()
        except (LookupError, UnicodeDecodeError):
            pass
    if not any(data.startswith(b) for b, _ in _BOMS):
        m = _META_CHARSET.search(data[:8192])
        if m:
            enc = m.group(1).decode("ascii").lower()
            try:
                return data.decode(enc), enc
            except (LookupError, UnicodeDecodeError):
                pass
    return decode(data, path)


# --------------------------------------------------------------------------- reading

def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when its name ends in ``.gz``."""
    size = path.stat().st_size
    if size > settings.MAX_INPUT_BYTES:
        raise InputError(path, f"file is {size:,} bytes, over the {settings.MAX_INPUT_BYTES:,} limit")
    data = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as e:
            raise InputError(path, f"not a valid gzip file: {e}")
    return data


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def read_file(path: str | Path, sha256: str | None = None) -> ReadResult:
    """Read one input file into raw documents. Raises InputError when the
    whole file is unusable; a bad record inside an export is rejected alone."""
    path = Path(path)
    suf = suffix_of(path)
    if suf is None:
        raise InputError(path, f"unsupported file type {path.suffix or '(none)'!r}")
    try:
        data = read_bytes(path)
    except OSError as e:
        raise InputError(path, f"cannot read: {e.strerror or e}")
    digest = sha256 or sha256_file(path)
    res = ReadResult(str(path), digest)
    stem = doc_stem(path)
    base = dict(source_path=str(path), sha256=digest)
    if not data.strip():
        raise InputError(path, "file is empty")

    if suf in settings.HTML_SUFFIXES:
        fields, warns = fields_for_page(path)      # a collected page's sidecar, if any
        text, enc = decode_html(data, path, declared=fields.pop("charset", None))
        res.docs.append(RawDoc(doc_id=stem, format="html", html=text, encoding=enc, fields=fields,
                               warnings=warns, **base))
    elif suf in settings.TEXT_SUFFIXES + settings.TEXT_GZ_SUFFIXES:
        text, enc = decode(data, path)
        if _looks_like_html(text):
            res.docs.append(RawDoc(doc_id=stem, format="html", html=text, encoding=enc,
                                   warnings=["file named as text holds HTML; read as HTML"], **base))
        else:
            res.docs.append(RawDoc(doc_id=stem, format="text", text=text, encoding=enc, **base))
    else:
        text, enc = decode(data, path)
        if suf in settings.JSON_SUFFIXES:
            fmt, items = "json", _json_items(text, path)
        elif suf in settings.JSONL_SUFFIXES:
            fmt, items = "jsonl", _jsonl_items(text, path, res)
        else:
            fmt, items = "csv", _csv_items(text, path)
        single = len(items) == 1
        seen: set[str] = set()
        for where, obj in items:
            try:
                doc = _export_doc(obj, path, where)
            except InputError as e:
                res.rejected.append(e)
                continue
            key = _record_key(obj, where)
            doc_id = stem if single else f"{stem}__{key}"
            if doc_id in seen:
                doc_id = f"{stem}__{where}"
            seen.add(doc_id)
            res.docs.append(RawDoc(doc_id=doc_id, format=fmt, text=doc["text"], html=doc["html"],
                                   fields=doc["fields"], encoding=enc, **base))
        if not res.docs and not res.rejected:
            raise InputError(path, "holds no article records")
    return res


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith("<!doctype html") or head.startswith("<html")


def _json_items(text: str, path: Path) -> list[tuple[str, dict]]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(path, f"invalid JSON at line {e.lineno} column {e.colno}: {e.msg}")
    if isinstance(obj, dict):
        for key in ("articles", "records", "items", "data", "documents"):
            if isinstance(obj.get(key), list):
                obj = obj[key]
                break
    if isinstance(obj, dict):
        return [("1", obj)]
    if isinstance(obj, list):
        return [(str(i + 1), o) for i, o in enumerate(obj)]
    raise InputError(path, f"JSON holds a {type(obj).__name__}, expected an object or a list of objects")


def _jsonl_items(text: str, path: Path, res: ReadResult) -> list[tuple[str, dict]]:
    items = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append((str(n), json.loads(line)))
        except json.JSONDecodeError as e:
            res.rejected.append(InputError(f"{path}:{n}", f"invalid JSON on line {n}: {e.msg}"))
    return items


def _csv_items(text: str, path: Path) -> list[tuple[str, dict]]:
    csv.field_size_limit(settings.MAX_INPUT_BYTES)
    try:
        reader = csv.DictReader(io.StringIO(text))
        rows = list(reader)
    except csv.Error as e:
        raise InputError(path, f"invalid CSV: {e}")
    if not reader.fieldnames:
        raise InputError(path, "CSV has no header row")
    # csv line numbers: header is line 1
    return [(str(i + 2), row) for i, row in enumerate(rows)]


def _first(obj: dict, keys: tuple[str, ...]) -> str | None:
    lower = {str(k).lower(): v for k, v in obj.items()}
    for k in keys:
        v = lower.get(k)
        if isinstance(v, str) and v.strip():
            return v
    return None


# Export metadata keys we understand, by record field.
FIELD_KEYS = {
    "title": ("title", "headline"),
    "published": ("published", "date", "pubdate", "publish_date", "published_at", "datetime", "time"),
    "outlet": ("outlet", "source", "site", "sitename", "site_name", "publisher", "media"),
    "author": ("author", "byline", "authors"),
    "agency": ("agency", "wire"),
    "url": ("url", "link", "source_url"),
    "summary": ("summary", "description", "dek"),
    "language": ("language", "lang"),
}


def _export_doc(obj, path: Path, where: str) -> dict:
    if not isinstance(obj, dict):
        raise InputError(f"{path}:{where}", f"record {where} is a {type(obj).__name__}, expected an object")
    text = _first(obj, settings.TEXT_KEYS)
    html = _first(obj, settings.HTML_KEYS)
    if text is None and html is None:
        keys = ", ".join(map(str, list(obj)[:8])) or "none"
        raise InputError(f"{path}:{where}", f"record {where} has no article text "
                                           f"(looked for {', '.join(settings.TEXT_KEYS)}; it has: {keys})")
    fields = {}
    for name, keys in FIELD_KEYS.items():
        val = _first(obj, keys)
        if val is None and name == "author":
            lst = {str(k).lower(): v for k, v in obj.items()}.get("authors")
            if isinstance(lst, list) and lst and all(isinstance(a, str) for a in lst):
                val = ", ".join(lst)
        if val is not None:
            fields[name] = val.strip()
    return {"text": text, "html": html, "fields": fields}


def _record_key(obj, where: str) -> str:
    if isinstance(obj, dict):
        for k in ("id", "doc_id", "uuid", "guid"):
            v = obj.get(k)
            if isinstance(v, (str, int)) and str(v).strip():
                return re.sub(r"[^\w.-]+", "_", str(v).strip())[:80]
    return where


def iter_read(paths: list[Path]) -> Iterator[tuple[Path, ReadResult | InputError]]:
    """Read each path, yielding its result or the error that rejects it."""
    for p in paths:
        try:
            yield p, read_file(p)
        except InputError as e:
            yield p, e
