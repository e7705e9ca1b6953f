"""Ingest: read → clean → extract → analyse → store, incrementally.

A file whose content hash is unchanged since the last run is not parsed
again; a changed file replaces its records; a file gone from the folders
being ingested leaves the store. Cross-document work (syndicated copies,
analysis that depends on them) is redone over the whole corpus each run,
which is cheap. Every input ends up parsed or rejected with a reason.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tqdm.auto import tqdm

from . import settings
from .analyse import analyse_record, link_stories
from .extract import extract, sources_from_reference
from .read import InputError, discover, read_file, sha256_file
from .reference import FILES, load_reference
from .store import BASE_COLUMN, locked, read_store, write_store

# Fields that cross-document linking may fill from a sibling copy; kept as
# they were before linking so a later run can link afresh.
LINKED_FIELDS = ("title", "published", "published_basis")
PARALLEL_MIN_FILES = 64
LINK_WARNINGS = ("title-from-syndicated-copy", "syndicated-copy")   # written by link_stories


@dataclass
class IngestSummary:
    """What a run did, for the CLI's closing lines and for callers."""

    parsed: int = 0          # files parsed this run
    unchanged: int = 0       # files skipped because their content hash is unchanged
    removed: int = 0         # files gone since the last run (their records dropped)
    documents: int = 0       # records in the store after the run
    rejected: list[tuple[str, str]] = field(default_factory=list)   # (path, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)   # (doc_id, warning)
    seconds: float = 0.0
    store: str = ""
    timings: dict[str, float] = field(default_factory=dict)   # seconds per phase

    def lines(self) -> list[str]:
        out = [f"parsed {self.parsed} file(s), unchanged {self.unchanged}, removed {self.removed}, "
               f"rejected {len(self.rejected)}; {self.documents} document(s) in {self.store} "
               f"({self.seconds:.1f} s)"]
        for path, reason in self.rejected:
            out.append(f"  rejected: {path}: {reason}")
        if self.warnings:
            out.append(f"  {len(self.warnings)} warning(s) on {len({d for d, _ in self.warnings})} document(s)"
                       " (see the `warnings` field; `workbench ingest -v` lists them)")
        return out


def _display_path(p: Path) -> str:
    # A symlinked file is shown (and kept in the ledger) under its own name, not its target's.
    full = p.parent.resolve() / p.name if p.is_symlink() and not p.is_dir() else p.resolve()
    try:
        return str(full.relative_to(settings.home()))
    except ValueError:
        return str(full)


def reference_fingerprint(directory: Path) -> str:
    """A hash of the reference files' contents: analysis is redone when they change."""
    h = hashlib.sha256()
    for name in FILES:
        p = Path(directory) / name
        h.update(name.encode() + b"\0" + (p.read_bytes() if p.exists() else b""))
    return h.hexdigest()[:16]


def analysis_key(rec: dict, ref_fp: str) -> str:
    """What a record's analysis depends on: its body, its date anchors, the reference."""
    h = hashlib.sha256()
    for k in ("body", "published", "published_basis", "dateline", "dateline_text"):
        h.update(str(rec.get(k)).encode("utf-8", "surrogatepass") + b"\0")
    h.update(ref_fp.encode())
    return h.hexdigest()[:24]


def _analyse_into(rec: dict, ref, ref_fp: str) -> None:
    rec.update(analyse_record(rec, ref))
    rec.setdefault(BASE_COLUMN, {})["analysis_key"] = analysis_key(rec, ref_fp)


def _parse_file(args) -> tuple[str, str, list[dict], list[tuple[str, str]], str | None]:
    """Worker: one file to analysed records. Returns (path, sha, records, rejected records, file error)."""
    path, shown, sha, sources, today, ref_dir, ref_fp = args
    try:
        res = read_file(path, sha256=sha)
    except InputError as e:
        return shown, sha, [], [], e.reason
    recs = []
    ref = load_reference(ref_dir)
    for raw in res.docs:
        raw.source_path = shown
        try:
            rec = extract(raw, sources, today)
            rec[BASE_COLUMN] = {k: rec.get(k) for k in LINKED_FIELDS}
            dd = rec.pop("_dateline_date", None)
            if dd:
                rec[BASE_COLUMN]["dateline_date"] = dd
                rec["dateline_text"] = _dateline_text(rec.get("dateline"), dd)
            _analyse_into(rec, ref, ref_fp)
            rec.pop("dateline_text", None)
            recs.append(rec)
        except Exception as e:  # a parser bug must cost one document, not the run
            return shown, sha, [], [], f"could not extract {raw.doc_id}: {type(e).__name__}: {e}"
    rejected = [(e.path.replace(str(path), shown), e.reason) for e in res.rejected]
    return shown, sha, recs, rejected, None


def _dateline_text(place: str | None, day_month: str) -> str:
    return f"{place}, {day_month}" if place else day_month


def _analyse_chunk(args) -> list[dict]:
    recs, ref_dir, ref_fp = args
    ref = load_reference(ref_dir)
    for r in recs:
        _analyse_into(r, ref, ref_fp)
    return recs


def ingest(paths: list[str | Path] | None = None, *, store: str | Path | None = None,
           jobs: int | None = None, progress: bool | None = None,
           today: dt.date | None = None, reference: str | Path | None = None,
           follow_symlinks: bool = False) -> IngestSummary:
    """Ingest ``paths`` (files or folders; default ``data/raw``) into the store.

    Returns an ``IngestSummary``; never raises for a bad input file (it is
    listed in ``rejected``). Raises for a malformed reference file or an
    unreadable store, which would make the whole run wrong. Symlinks found in
    the folders that point outside them are refused unless ``follow_symlinks``.
    """
    t0 = time.perf_counter()
    roots = [Path(p) for p in (paths or [settings.raw_dir()])]
    ref_dir = Path(reference) if reference else settings.reference_dir()
    ref = load_reference(ref_dir)
    ref_fp = reference_fingerprint(ref_dir)
    sources = sources_from_reference(ref)
    jobs = jobs or os.cpu_count() or 1
    summary = IngestSummary()
    with locked(store):
        old_records, old_ledger = read_store(store)
        by_doc = {r["doc_id"]: r for r in old_records}
        files, refused = discover(roots, follow_symlinks=follow_symlinks)
        for e in refused:
            summary.rejected.append((_display_path(Path(e.path)), e.reason))

        ledger: dict = {}
        kept: list[dict] = []
        todo = []
        seen_paths = set()
        for f in files:
            shown = _display_path(f)
            seen_paths.add(shown)
            try:
                sha = sha256_file(f)
            except OSError as e:
                summary.rejected.append((shown, f"cannot read: {e.strerror or e}"))
                continue
            prev = old_ledger.get(shown)
            if prev and prev.get("sha256") == sha and all(d in by_doc for d in prev.get("doc_ids", [])):
                summary.unchanged += 1
                ledger[shown] = prev
                kept.extend(by_doc[d] for d in prev.get("doc_ids", []))
                if prev.get("status") == "rejected":
                    summary.rejected.append((shown, prev["reason"]))
                for where, reason in prev.get("rejected", []):
                    summary.rejected.append((where, reason))
                continue
            todo.append((f, shown, sha, sources, today, ref_dir, ref_fp))

        # Files outside the folders ingested now stay; files inside them that are gone leave.
        root_shown = [_display_path(r) for r in roots]
        for shown, entry in old_ledger.items():
            if shown in seen_paths:
                continue
            inside = any(shown == r or shown.startswith(r.rstrip("/") + "/") for r in root_shown)
            if inside:
                summary.removed += 1
            else:
                ledger[shown] = entry
                kept.extend(by_doc[d] for d in entry.get("doc_ids", []) if d in by_doc)

        t_parse = time.perf_counter()
        results = []
        bar = tqdm(total=len(todo), desc="parsing", unit="file", disable=_quiet(progress, len(todo)))
        if len(todo) >= PARALLEL_MIN_FILES and jobs > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for out in pool.map(_parse_file, todo, chunksize=max(1, min(64, len(todo) // (jobs * 8)))):
                    results.append(out)
                    bar.update()
        else:
            for args in todo:
                results.append(_parse_file(args))
                bar.update()
        bar.close()

        taken = {r["doc_id"] for r in kept}
        for shown, sha, recs, rejected, error in results:
            if error:
                summary.rejected.append((shown, error))
                ledger[shown] = {"sha256": sha, "status": "rejected", "reason": error, "doc_ids": []}
                continue
            summary.parsed += 1
            ids = []
            for rec in recs:
                if rec["doc_id"] in taken:
                    new_id = f"{rec['doc_id']}__{hashlib.sha1(shown.encode()).hexdigest()[:8]}"
                    rec["warnings"].append(f"doc_id {rec['doc_id']!r} already used by another file; "
                                           f"renamed {new_id!r}")
                    rec["doc_id"] = new_id
                taken.add(rec["doc_id"])
                ids.append(rec["doc_id"])
                kept.append(rec)
            summary.rejected.extend(rejected)
            ledger[shown] = {"sha256": sha, "status": "parsed", "doc_ids": ids,
                             "rejected": [list(x) for x in rejected]}

        t_link = time.perf_counter()
        summary.timings["read+parse+analyse"] = t_link - t_parse
        link_fp = _link_fingerprint(kept, ref_fp)
        if (summary.parsed == 0 and summary.removed == 0
                and link_fp == (old_ledger.get("_run") or {}).get("link_fp")):
            records = kept          # same inputs as last run: linking and analysis stand
        else:
            records = _relink_and_analyse(kept, ref_dir, ref_fp, jobs, progress)
        t_write = time.perf_counter()
        summary.timings["link+re-analyse"] = t_write - t_link
        summary.documents = len(records)
        summary.warnings = [(r["doc_id"], w) for r in records for w in r.get("warnings", [])]
        ledger_meta = {"_run": {"at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                                "rejected": [list(x) for x in summary.rejected], "link_fp": link_fp}}
        summary.store = _display_path(Path(write_store(records, {**ledger, **ledger_meta}, store)))
        summary.timings["write"] = time.perf_counter() - t_write
    summary.seconds = time.perf_counter() - t0
    return summary


def _link_fingerprint(records: list[dict], ref_fp: str) -> str:
    """What cross-document linking depends on: every record's id, body and
    pre-link values, and the reference. Unchanged means last run's links stand."""
    h = hashlib.sha256(ref_fp.encode())
    for r in sorted(records, key=lambda r: r["doc_id"]):
        h.update(r["doc_id"].encode() + b"\0")
        h.update(hashlib.sha256((r.get("body") or "").encode("utf-8", "surrogatepass")).digest())
        h.update(repr(sorted((r.get(BASE_COLUMN) or {}).items())).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _quiet(progress: bool | None, n: int) -> bool:
    if progress is None:
        return n < 50
    return not progress


def _relink_and_analyse(records: list[dict], ref_dir: Path, ref_fp: str, jobs: int,
                        progress: bool | None) -> list[dict]:
    """Restore pre-link values, group syndicated copies, then analyse again
    only the records whose analysis inputs changed (a date taken from a
    sibling, an edited reference file)."""
    base_recs = []
    for r in records:
        r = dict(r)
        base = r.get(BASE_COLUMN) or {}
        for k in LINKED_FIELDS:
            if k in base:
                r[k] = base[k]
        r["warnings"] = [w for w in r.get("warnings", []) if not w.startswith(LINK_WARNINGS)]
        if base.get("dateline_date"):
            r["dateline_text"] = _dateline_text(r.get("dateline"), base["dateline_date"])
        base_recs.append(r)
    linked = link_stories(base_recs)
    stale = [r for r in linked if (r.get(BASE_COLUMN) or {}).get("analysis_key") != analysis_key(r, ref_fp)]
    if len(stale) >= 2 * PARALLEL_MIN_FILES and jobs > 1:
        size = max(50, len(stale) // (jobs * 4))
        chunks = [(stale[i:i + size], ref_dir, ref_fp) for i in range(0, len(stale), size)]
        done: dict[str, dict] = {}
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            bar = tqdm(total=len(stale), desc="analysing", unit="doc", disable=_quiet(progress, len(stale)))
            for part in pool.map(_analyse_chunk, chunks):
                done.update((r["doc_id"], r) for r in part)
                bar.update(len(part))
            bar.close()
        linked = [done.get(r["doc_id"], r) for r in linked]
    else:
        _analyse_chunk((stale, ref_dir, ref_fp))
    for r in linked:
        r.pop("dateline_text", None)
    return linked
