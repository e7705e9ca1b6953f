"""Read input files into raw documents: find them, decode them, split exports.

First step of the path data takes. Knows file formats and text encodings,
nothing about articles. Every file found is either turned into one or more
``RawDoc`` or rejected with an ``InputError`` that names the file and the
reason -- whatever goes wrong, so one bad file never costs the rest of a
run. Raw files are only ever opened for reading. Decoding is in ``decode``.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench import settings
from workbench.collect.sidecar import SIDECAR_SUFFIX, fields_for_page, is_sidecar
from workbench.errors import InputError
from workbench.files import sha256_file
from workbench.parse.decode import BOMS, Decoded, DecodeError, check_text, decode_bytes

ALL_SUFFIXES = (settings.TEXT_SUFFIXES + settings.TEXT_GZ_SUFFIXES + settings.HTML_SUFFIXES
                + settings.JSON_SUFFIXES + settings.JSONL_SUFFIXES + settings.CSV_SUFFIXES)


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


def discover(paths: Sequence[str | Path], follow_symlinks: bool = False) -> tuple[list[Path], list[InputError]]:
    """Files to read under ``paths`` (files or folders, recursive; hidden names
    skipped) and the ones refused, each with its reason: unsupported type,
    missing, not a regular file, unlistable folder, broken symlink, symlink
    out of the input folders (followed only with ``follow_symlinks``), or the
    same file reached a second time (read once). A path named explicitly is
    taken as asked for, even when it is a symlink."""
    files, _, refused = scan(paths, follow_symlinks)
    return [Path(f) for f in files], refused


def scan(paths: Sequence[str | Path], follow_symlinks: bool = False
         ) -> tuple[list[str], list[os.stat_result | None], list[InputError]]:
    """``discover`` as strings, with each file's ``stat`` (None: it could not be taken).

    One ``stat`` per file, taken while listing its folder, and no ``Path`` per file:
    at 100k files that is what finding them costs, and ``ingest`` checks the same stats
    against its ledger instead of taking them again."""
    roots = [Path(p) for p in paths]
    inside = [os.path.realpath(p) for p in roots if p.is_dir()]
    found: list[tuple[str, os.stat_result | None]] = []
    refused: list[InputError] = []
    linked: list[str] = []
    for p in roots:
        if not _decodable(str(p)):
            refused.append(InputError(shown_path(p), "name is not valid UTF-8; not read (rename it)"))
        elif p.is_symlink() and not p.exists():
            refused.append(InputError(p, f"broken symlink (points to {os.readlink(p)}, which does not exist)"))
        elif p.is_dir():
            found.extend(_walk(str(p), inside, follow_symlinks, refused, linked))
        elif p.is_file():
            if is_sidecar(p):
                refused.append(InputError(p, "a collect sidecar is read with its page; name the page"))
            elif suffix_of(p):
                found.append((str(p), _stat(str(p))))
            else:
                refused.append(InputError(p, f"unsupported file type {p.suffix or '(none)'!r}"))
        elif p.exists():
            refused.append(InputError(p, "not a regular file (a pipe, socket or device); not read"))
        else:
            refused.append(InputError(p, "no such file or folder"))
    files, stats = _read_once(found, refused, alias_free=len(roots) == 1 and not linked)
    return files, stats, refused


_SUFFIXES_LONGEST_FIRST = tuple(sorted(ALL_SUFFIXES, key=len, reverse=True))


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _decodable(name: str) -> bool:
    """False for a file name with bytes that are not UTF-8 (held as surrogates):
    such a name cannot be printed or stored, so the file is refused, not read."""
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def shown_path(path: str | Path) -> str:
    """``path`` printable: bytes of a non-UTF-8 name shown as ``\\xff`` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _walk(top: str, inside: list[str], follow: bool, refused: list[InputError], linked: list[str]
          ) -> list[tuple[str, os.stat_result | None]]:
    """Supported files under ``top`` with their stats, sorted; refusals appended to
    ``refused``, the symlinks followed to ``linked``. Each real folder is listed once,
    so symlink cycles end. A folder is opened once and its entries ``lstat``-ed by name
    relative to it: one system call per entry (the stat ``ingest`` compares with its
    ledger), no path resolved again per file."""
    out: list[tuple[str, os.stat_result | None]] = []
    seen: set[str] = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as e:
            refused.append(InputError(folder, f"cannot list folder: {e.strerror or e}"))
            continue
        try:
            names = sorted(os.listdir(fd))
            _list_folder(folder, fd, names, (inside, follow, refused, linked, stack, out))
        except OSError as e:
            refused.append(InputError(folder, f"cannot list folder: {e.strerror or e}"))
        finally:
            os.close(fd)
    if len(seen) > 1:     # one folder's entries are in name order already
        out.sort(key=lambda x: x[0].replace(os.sep, "\0"))   # as ``Path`` sorts: part by part
    return out


def _list_folder(folder: str, fd: int, names: list[str], into: tuple) -> None:
    """``_walk``'s work on one folder's ``names`` (``fd``: the folder, open)."""
    inside, follow, refused, linked, stack, out = into
    pre = folder if folder.endswith(os.sep) else folder + os.sep
    sidecar = SIDECAR_SUFFIX.lower()
    for name in names:
        if name[0] == ".":
            continue
        p = pre + name
        if not (name.isascii() or _decodable(name)):
            refused.append(InputError(shown_path(p), "name is not valid UTF-8; not read (rename it)"))
            continue
        try:
            st: os.stat_result | None = os.lstat(name, dir_fd=fd)
        except FileNotFoundError:
            st = None           # gone since the listing: reported when it is read
        # any other error (a folder readable but not searchable: EACCES) refuses the folder in ``_walk``
        mode = st.st_mode if st is not None else stat.S_IFREG
        if stat.S_ISLNK(mode):
            why = _symlink_refusal(p, inside, follow)
            if why:
                refused.append(InputError(p, why))
                continue
            linked.append(p)
            if os.path.isdir(p) and _within(os.path.realpath(p), inside):
                continue        # its files are read under their real paths
            st = _stat(p)
            mode = st.st_mode if st is not None else stat.S_IFREG
        if stat.S_ISDIR(mode):
            stack.append(p)
        elif not stat.S_ISREG(mode):
            refused.append(InputError(p, "not a regular file (a pipe, socket or device); not read"))
        elif (low := name.lower()).endswith(sidecar):    # read with its page, never on its own
            continue
        elif low.endswith(_SUFFIXES_LONGEST_FIRST):
            out.append((p, st))
        else:
            refused.append(InputError(p, f"unsupported file type {Path(p).suffix or '(none)'!r}; "
                                         f"supported: {', '.join(ALL_SUFFIXES)}"))


def _symlink_refusal(link: str | Path, inside: list[str], follow: bool) -> str | None:
    """Why the symlink ``link`` found in a folder is not followed, or None."""
    target = os.path.realpath(link)
    if not os.path.exists(target):
        return f"broken symlink (points to {os.readlink(link)}, which does not exist)"
    if follow or _within(target, inside):
        return None
    return (f"symlink to {target}, outside the input folders; not followed "
            "(follow_symlinks / --follow-symlinks reads it)")


def _within(real: str, folders: list[str]) -> bool:
    return any(real == d or real.startswith(d.rstrip(os.sep) + os.sep) for d in folders)


def _read_once(found: list[tuple[str, os.stat_result | None]], refused: list[InputError],
               alias_free: bool = False) -> tuple[list[str], list[os.stat_result | None]]:
    """``found`` with each real file kept once: the same path named twice is
    dropped quietly; another path to it (a symlink alias) is refused naming
    the path that is read. A path that is not a symlink is preferred.
    ``alias_free``: one folder tree listed, no symlink followed: only a file with more than
    one hard link (or no stat) can be reached twice, so without one there is nothing to group."""
    if alias_free and all(st is not None and st.st_nlink == 1 for _, st in found):
        return [p for p, _ in found], [st for _, st in found]
    groups: dict[object, list[str]] = {}
    for p, st in found:
        key: object = (st.st_dev, st.st_ino) if st is not None else os.path.realpath(p)
        groups.setdefault(key, []).append(p)
    keep: set[str] = set()
    for paths in groups.values():
        if len(paths) == 1:         # the usual case: nothing to choose (no lstat, no abspath)
            keep.add(paths[0])
            continue
        chosen = next((p for p in paths if not os.path.islink(p)), paths[0])
        keep.add(chosen)
        aliases = {os.path.abspath(p): p for p in paths if os.path.abspath(p) != os.path.abspath(chosen)}
        for alias in aliases.values():
            refused.append(InputError(alias, f"same file as {chosen}; read once, as {chosen}"))
    files: list[str] = []
    stats: list[os.stat_result | None] = []
    done: set[str] = set()
    for p, st in found:
        if p in keep and p not in done:
            files.append(p)
            stats.append(st)
            done.add(p)
    return files, stats


# --------------------------------------------------------------------------- decoding

def _decoded(data: bytes, path: str | Path, html: bool = False, declared: str | None = None) -> Decoded:
    """Decode a file's bytes (an HTML page's charset as its server declared it,
    from a collect sidecar, or as its ``<meta charset>`` says, first, when the
    bytes really are in it); InputError naming the file when not text."""
    try:
        if html and not any(data.startswith(b) for b, _ in BOMS):
            m = _META_CHARSET.search(data[:8192])
            if declared or m:
                enc = (declared or (m.group(1).decode("ascii") if m else "")).lower()
                try:
                    got = Decoded(data.decode(enc), enc)
                except (LookupError, UnicodeDecodeError):
                    pass
                else:
                    check_text(got)
                    return got
        return decode_bytes(data)
    except DecodeError as e:
        raise InputError(path, e.reason) from e


def decode(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode bytes to text and name the encoding used (see ``decode.py``).
    Raises InputError for binary or random data."""
    got = _decoded(data, path)
    return got.text, got.encoding


_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def decode_html(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode an HTML page: a BOM or its declared ``<meta charset>`` first
    (when the bytes really are in it), else the same detection as ``decode``."""
    got = _decoded(data, path, html=True)
    return got.text, got.encoding


# --------------------------------------------------------------------------- reading

def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when its name ends in ``.gz``; InputError
    when it is over the size limits or not valid gzip."""
    size = path.stat().st_size
    if size > settings.MAX_INPUT_BYTES:
        raise InputError(path, f"file is {size:,} bytes, over the {settings.MAX_INPUT_BYTES:,} limit")
    if not path.name.lower().endswith(".gz"):
        return path.read_bytes()
    chunks, total, cap = [], 0, settings.MAX_DECOMPRESSED_BYTES
    try:
        with gzip.open(path, "rb") as fh:
            while total <= cap:
                chunk = fh.read(min(1 << 20, cap + 1 - total))
                if not chunk:
                    break
                total += len(chunk)
                chunks.append(chunk)
    except (OSError, EOFError, zlib.error) as e:
        raise InputError(path, f"not a valid gzip file: {e}") from e
    if total > cap:
        raise InputError(path, f"decompresses to more than {cap:,} bytes (the limit); not read "
                               "(a gzip bomb, or raise settings.MAX_DECOMPRESSED_BYTES)")
    return b"".join(chunks)


def read_file(path: str | Path, sha256: str | None = None) -> ReadResult:
    """Read one input file into raw documents. Raises InputError when the
    whole file is unusable -- for any failure, expected or not, so one file
    can never abort a run; a bad record inside an export is rejected alone."""
    path = Path(path)
    try:
        return _read_file(path, sha256)
    except InputError:
        raise
    except OSError as e:
        raise InputError(path, f"cannot read: {e.strerror or e}") from e
    except RecursionError:
        raise InputError(path, "nested too deeply to read (recursion limit)") from None
    except Exception as e:  # noqa: BLE001 -- any failure costs this file only
        raise InputError(path, f"could not be read: {type(e).__name__}: {e}") from e


def _read_file(path: Path, sha256: str | None) -> ReadResult:
    suf = suffix_of(path)
    if suf is None:
        raise InputError(path, f"unsupported file type {path.suffix or '(none)'!r}")
    data = read_bytes(path)
    if not data:
        raise InputError(path, "file is empty")
    if not data.strip():
        raise InputError(path, "file holds only whitespace")
    digest = sha256 or sha256_file(path)
    res = ReadResult(str(path), digest)
    stem = doc_stem(path)
    base: dict[str, Any] = {"source_path": str(path), "sha256": digest}
    fields: dict = {}
    side_warn: list[str] = []
    if suf in settings.HTML_SUFFIXES:
        fields, side_warn = fields_for_page(path)      # a collected page's sidecar, if any
    got = _decoded(data, path, html=suf in settings.HTML_SUFFIXES, declared=fields.pop("charset", None))
    if not got.text.strip():
        raise InputError(path, f"file holds only whitespace (decoded as {got.encoding})")
    warn = list(got.warnings)
    if suf in settings.HTML_SUFFIXES:
        res.docs.append(RawDoc(doc_id=stem, format="html", html=got.text, encoding=got.encoding,
                               fields=fields, warnings=warn + side_warn, **base))
    elif suf in settings.TEXT_SUFFIXES + settings.TEXT_GZ_SUFFIXES:
        if _looks_like_html(got.text):
            res.docs.append(RawDoc(doc_id=stem, format="html", html=got.text, encoding=got.encoding,
                                   warnings=warn + ["file named as text holds HTML; read as HTML"], **base))
        else:
            res.docs.append(RawDoc(doc_id=stem, format="text", text=got.text, encoding=got.encoding,
                                   warnings=warn, **base))
    else:
        _read_export(got, suf, path, stem, res, base, warn)
    return res


def _read_export(got: Decoded, suf: str, path: Path, stem: str, res: ReadResult, base: dict,
                 warn: list[str]) -> None:
    """The records of a JSON/JSONL/CSV export into ``res`` (docs and rejections)."""
    if suf in settings.JSON_SUFFIXES:
        fmt, items = "json", _json_items(got.text, path)
    elif suf in settings.JSONL_SUFFIXES:
        fmt, items = "jsonl", _jsonl_items(got.text, path, res)
    else:
        fmt, items = "csv", _csv_items(got.text, path, res)
    single = len(items) == 1
    seen: set[str] = set()
    for where, obj, notes in items:
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
                               fields=doc["fields"], encoding=got.encoding,
                               warnings=warn + notes + doc["warnings"], **base))
    if not res.docs and not res.rejected:
        raise InputError(path, "holds no article records")


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html"))


Item = tuple[str, object, list[str]]     # (where in the file, record, warnings about it)


def _json_items(text: str, path: Path) -> list[Item]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(path, f"invalid JSON at line {e.lineno} column {e.colno}: {e.msg}") from e
    except RecursionError:
        raise InputError(path, "JSON nested too deeply to read (recursion limit)") from None
    if isinstance(obj, dict):
        for key in ("articles", "records", "items", "data", "documents"):
            if isinstance(obj.get(key), list):
                obj = obj[key]
                break
    if isinstance(obj, dict):
        return [("1", obj, [])]
    if isinstance(obj, list):
        return [(str(i + 1), o, []) for i, o in enumerate(obj)]
    raise InputError(path, f"JSON holds a {type(obj).__name__}, expected an object or a list of objects")


def _jsonl_items(text: str, path: Path, res: ReadResult) -> list[Item]:
    items: list[Item] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append((str(n), json.loads(line), []))
        except json.JSONDecodeError as e:
            res.rejected.append(InputError(f"{path}:{n}", f"invalid JSON on line {n}: {e.msg}"))
        except RecursionError:
            res.rejected.append(InputError(f"{path}:{n}", f"JSON on line {n} nested too deeply to read"))
    return items


def _csv_items(text: str, path: Path, res: ReadResult) -> list[Item]:
    """Rows of a CSV export as records. Parsed strictly, so a quote that is
    never closed (which would swallow every later row into one cell) stops
    the reading with a rejection naming the line, instead of passing."""
    csv.field_size_limit(settings.MAX_INPUT_BYTES)
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        raise InputError(path, f"invalid CSV header row: {e}") from e
    if not header or not any(h.strip() for h in header):
        raise InputError(path, "CSV has no header row")
    items: list[Item] = []
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            last = text.count("\n") + (not text.endswith("\n"))
            res.rejected.append(InputError(
                f"{path}:{start}", f"invalid CSV in the record starting on line {start}: {e} "
                f"(a quote left open?); lines {start}-{last} not read"))
            break
        if row:
            items.append((str(start), *_row_record(header, row)))
        start = reader.line_num + 1
    return items


def _row_record(header: list[str], row: list[str]) -> tuple[dict, list[str]]:
    """A CSV row as a record keyed by the header, and warnings on its cell count."""
    notes = []
    if len(row) > len(header):
        extra = ", ".join(repr(c[:30]) for c in row[len(header):][:3])
        notes.append(f"CSV row has {len(row)} cells but the header names {len(header)}; "
                     f"extra cells ignored: {extra}")
    elif len(row) < len(header):
        notes.append(f"CSV row has {len(row)} cells but the header names {len(header)}; "
                     "missing cells left empty")
    return dict(zip(header, row)), notes


def _kind(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return names.get(type(value), f"a {type(value).__name__}")


def _pick(lower: dict, keys: tuple[str, ...], notes: list[str]) -> str | None:
    """The first non-empty text among ``keys``; a key holding another type is
    named in ``notes`` (never dropped silently)."""
    for k in keys:
        v = lower.get(k)
        if isinstance(v, str):
            if v.strip():
                return v
        elif v is not None:
            notes.append(f"field {k!r} is {_kind(v)} ({json.dumps(v, default=str)[:40]}), "
                         "expected text; ignored")
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


def _join_lists(lower: dict, notes: list[str]) -> None:
    """Lists of strings where one string is expected, as exports write them: an
    ``authors`` list joined with commas; a text field given as a list of
    paragraphs joined with blank lines (with a warning)."""
    for key, value in lower.items():
        if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            continue
        if key == "authors":
            lower[key] = ", ".join(value)
        elif key in settings.TEXT_KEYS:
            lower[key] = "\n\n".join(value)
            notes.append(f"field {key!r} is a list of {len(value)} strings; joined as paragraphs")


def _export_doc(obj: object, path: Path, where: str) -> dict:
    if not isinstance(obj, dict):
        raise InputError(f"{path}:{where}", f"record {where} is {_kind(obj)}, expected an object")
    lower = {str(k).lower(): v for k, v in obj.items()}
    notes: list[str] = []
    _join_lists(lower, notes)
    text = _pick(lower, settings.TEXT_KEYS, notes)
    html = _pick(lower, settings.HTML_KEYS, notes)
    if text is None and html is None:
        if notes:
            raise InputError(f"{path}:{where}", f"record {where} has no usable article text: "
                                               + "; ".join(n.replace("; ignored", "") for n in notes))
        have = ", ".join(map(str, list(obj)[:8])) or "none"
        raise InputError(f"{path}:{where}", f"record {where} has no article text "
                                           f"(looked for {', '.join(settings.TEXT_KEYS)}; it has: {have})")
    fields = {}
    for name, keys in FIELD_KEYS.items():
        val = _pick(lower, keys, notes)
        if val is not None:
            fields[name] = val.rstrip().lstrip(" \n\r\f\v")   # a leading tab may protect a formula cell
    return {"text": text, "html": html, "fields": fields, "warnings": [f"record {where}: {n}" for n in notes]}


def _record_key(obj: object, where: str) -> str:
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
