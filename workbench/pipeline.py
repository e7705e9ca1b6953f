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
from dataclasses import dataclass, field
from pathlib import Path

from tqdm.auto import tqdm

from workbench import settings
from workbench.analyse import analyse_record
from workbench.analyse.stories import story_links
from workbench.budget import per_file_budget  # issue 13: a time budget per file
from workbench.corrections import correct, load_corrections  # corrections track (issue 14.2)
from workbench.errors import InputError
from workbench.files import display_path, sha256_file
from workbench.parse.article import extract, sources_from_reference
from workbench.parse.embedded import embedded_records  # corrections track (issue 14.3)
from workbench.parse.read import discover, read_file
from workbench.record import Article
from workbench.reference import FILES, load_reference
from workbench.store import RUN_KEY, locked, read_articles, write_store
from workbench.workers import worker_pool

PARALLEL_MIN_FILES = 64     # fewer files than this are parsed in this process


@dataclass
class IngestSummary:
    """What a run did, for the CLI's closing lines and for callers."""

    parsed: int = 0          # files parsed this run
    unchanged: int = 0       # files skipped because their content hash is unchanged
    removed: int = 0         # files gone since the last run (their records dropped)
    documents: int = 0       # records in the store after the run
    rejected: list[tuple[str, str]] = field(default_factory=list)   # (path, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)   # (doc_id, warning)
    empty: list[tuple[str, str]] = field(default_factory=list)      # (path, doc_id) stored with no body text
    seconds: float = 0.0
    store: str = ""
    timings: dict[str, float] = field(default_factory=dict)   # seconds per phase
    corrections: list[tuple[str, str]] = field(default_factory=list)   # corrections track: (entry, not applied)

    def lines(self) -> list[str]:
        out = [f"parsed {self.parsed} file(s), unchanged {self.unchanged}, removed {self.removed}, "
               f"rejected {len(self.rejected)}; {self.documents} document(s) in {self.store} "
               f"({self.seconds:.1f} s)"]
        for path, reason in self.rejected:
            out.append(f"  rejected: {path}: {reason}")
        for path, doc in self.empty:
            out.append(f"  no body text: {path} ({doc}); stored with its metadata only")
        if self.warnings:
            out.append(f"  {len(self.warnings)} warning(s) on {len({d for d, _ in self.warnings})} document(s)"
                       " (see the `warnings` field; `workbench ingest -v` lists them)")
        out += [f"  correction {entry}: {what}" for entry, what in self.corrections]   # corrections track
        return out


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
    for k in ("body", "published", "published_basis", "dateline", "dateline_day"):
        h.update(str(rec.get(k)).encode("utf-8", "surrogatepass") + b"\0")
    h.update(ref_fp.encode())
    return h.hexdigest()[:24]


def _analyse_into(art: Article, ref, ref_fp: str) -> None:
    """Fill ``art``'s analysis fields from its flat view (link overlay applied)."""
    rec = art.record()
    for k, v in analyse_record(_capped(art, rec), ref).items():
        setattr(art, k, v)
    art.analysis_key = analysis_key(rec, ref_fp)


def _capped(art: Article, rec: dict) -> dict:
    """``rec`` with its body cut to ``settings.MAX_ANALYSED_CHARS`` (at a paragraph or word
    end), warned on ``art``: analysis time stays bounded however large a file is."""
    body = rec.get("body") or ""
    cap = settings.MAX_ANALYSED_CHARS
    if len(body) <= cap:
        return rec
    cut = body.rfind("\n\n", 0, cap)
    if cut <= cap // 2:
        cut = body.rfind(" ", 0, cap)
    if cut <= cap // 2:
        cut = cap
    note = (f"body of {len(body):,} characters: only the first {cut:,} were analysed "
            f"(settings.MAX_ANALYSED_CHARS)")
    if note not in art.warnings:
        art.warnings.append(note)
    return {**rec, "body": body[:cut]}


@dataclass
class _Parsed:
    """What a worker returns for one input file."""

    shown: str
    sha: str
    articles: list[Article] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)   # records of the file that failed
    error: str | None = None                                        # the whole file failed


@per_file_budget(lambda args, reason: _Parsed(args[1], args[2], error=reason))   # issue 13: a time budget
def _parse_file(args) -> _Parsed:
    """Worker: one file to analysed articles (before linking)."""
    path, shown, sha, sources, today, ref_dir, ref_fp = args
    try:
        res = read_file(path, sha256=sha)
    except InputError as e:
        return _Parsed(shown, sha, error=e.reason)
    out = _Parsed(shown, sha)
    ref = load_reference(ref_dir)
    for raw in res.docs:
        raw.source_path = shown
        try:
            art = extract(raw, sources, today)
            arts = [art, *embedded_records(art, sources, today)]   # corrections track (issue 14.3)
            for a in arts:
                _analyse_into(a, ref, ref_fp)
        except Exception as e:  # a parser bug must cost one document, not the run
            return _Parsed(shown, sha, error=f"could not extract {raw.doc_id}: {type(e).__name__}: {e}")
        out.articles.extend(arts)
    out.rejected = [(e.path.replace(str(path), shown), e.reason) for e in res.rejected]
    return out


def _analyse_chunk(args) -> list[Article]:
    arts, ref_dir, ref_fp = args
    ref = load_reference(ref_dir)
    for a in arts:
        _analyse_into(a, ref, ref_fp)
    return arts


@dataclass
class _Plan:
    """Which files to parse, and what stands from the last run."""

    ledger: dict = field(default_factory=dict)
    kept: list[Article] = field(default_factory=list)
    todo: list[tuple] = field(default_factory=list)


def _plan(roots: list[str | Path], old: list[Article], old_ledger: dict, summary: IngestSummary,
          task: tuple, follow_symlinks: bool = False) -> _Plan:
    """Unchanged files keep their articles; changed and new ones are parsed; files gone
    from the folders ingested now leave; files outside them stay."""
    by_doc = {a.doc_id: a for a in old}
    plan = _Plan()
    files, refused = discover(roots, follow_symlinks=follow_symlinks)
    for e in refused:
        summary.rejected.append((display_path(Path(e.path)), e.reason))
    seen = set()
    for f in files:
        shown = display_path(f)
        seen.add(shown)
        try:
            sha = sha256_file(f)
        except OSError as e:
            summary.rejected.append((shown, f"cannot read: {e.strerror or e}"))
            continue
        prev = old_ledger.get(shown)
        if prev and prev.get("sha256") == sha and all(d in by_doc for d in prev.get("doc_ids", [])):
            summary.unchanged += 1
            plan.ledger[shown] = prev
            plan.kept.extend(by_doc[d] for d in prev.get("doc_ids", []))
            if prev.get("status") == "rejected":
                summary.rejected.append((shown, prev["reason"]))
            summary.rejected.extend((where, reason) for where, reason in prev.get("rejected", []))
            continue
        plan.todo.append((f, shown, sha, *task))
    root_shown = [display_path(r) for r in roots]
    for shown, entry in old_ledger.items():
        if shown in seen or shown == RUN_KEY:
            continue
        if any(shown == r or shown.startswith(r.rstrip("/") + "/") for r in root_shown):
            summary.removed += 1
        else:
            plan.ledger[shown] = entry
            plan.kept.extend(by_doc[d] for d in entry.get("doc_ids", []) if d in by_doc)
    return plan


def _parse_all(todo: list[tuple], jobs: int, progress: bool | None) -> list[_Parsed]:
    results = []
    bar = tqdm(total=len(todo), desc="parsing", unit="file", disable=_quiet(progress, len(todo)))
    if len(todo) >= PARALLEL_MIN_FILES and jobs > 1:
        with worker_pool(jobs) as pool:
            for out in pool.map(_parse_file, todo, chunksize=max(1, min(64, len(todo) // (jobs * 8)))):
                results.append(out)
                bar.update()
    else:
        for args in todo:
            results.append(_parse_file(args))
            bar.update()
    bar.close()
    return results


def _adopt(results: list[_Parsed], plan: _Plan, summary: IngestSummary) -> None:
    """Add the parsed files' articles and ledger entries (an id taken by another file is renamed)."""
    taken = {a.doc_id for a in plan.kept}
    for res in results:
        if res.error:
            summary.rejected.append((res.shown, res.error))
            plan.ledger[res.shown] = {"sha256": res.sha, "status": "rejected", "reason": res.error, "doc_ids": []}
            continue
        summary.parsed += 1
        ids = []
        for art in res.articles:
            if art.doc_id in taken:
                new_id = f"{art.doc_id}__{hashlib.sha1(res.shown.encode()).hexdigest()[:8]}"
                art.warnings.append(f"doc_id {art.doc_id!r} already used by another file; renamed {new_id!r}")
                art.doc_id = new_id
            taken.add(art.doc_id)
            ids.append(art.doc_id)
            plan.kept.append(art)
        summary.rejected.extend(res.rejected)
        plan.ledger[res.shown] = {"sha256": res.sha, "status": "parsed", "doc_ids": ids,
                                  "rejected": [list(x) for x in res.rejected]}


def ingest(paths: list[str | Path] | None = None, *, store: str | Path | None = None,
           jobs: int | None = None, progress: bool | None = None,
           today: dt.date | None = None, reference: str | Path | None = None,
           follow_symlinks: bool = False, corrections: str | Path | bool | None = None,
           lock_timeout: float | None = None) -> IngestSummary:
    """Ingest ``paths`` (files or folders; default ``data/raw``) into the store.

    Returns an ``IngestSummary``; never raises for a bad input file (it is
    listed in ``rejected``). Raises for a malformed reference file or an
    unreadable store, which would make the whole run wrong. Symlinks found in
    the folders that point outside them are refused unless ``follow_symlinks``.
    ``corrections``: the analyst's corrections file (default ``data/corrections.toml``; False: none).
    Another run holding the store is waited for ``lock_timeout`` seconds at most
    (default ``settings.LOCK_TIMEOUT_SECONDS``), then ``TimeoutError``.
    """
    t0 = time.perf_counter()
    roots: list[str | Path] = [Path(p) for p in (paths or [settings.raw_dir()])]
    ref_dir = Path(reference) if reference else settings.reference_dir()
    ref = load_reference(ref_dir)
    ref_fp = reference_fingerprint(ref_dir)
    fixes = [] if corrections is False else load_corrections(None if corrections in (None, True)
                                                             else Path(str(corrections)))   # corrections track
    jobs = jobs or os.cpu_count() or 1
    summary = IngestSummary()
    with locked(store, lock_timeout):
        old, old_ledger = read_articles(store, outdated_ok=True)
        plan = _plan(roots, old, old_ledger, summary, (sources_from_reference(ref), today, ref_dir, ref_fp),
                     follow_symlinks)
        t_parse = time.perf_counter()
        _adopt(_parse_all(plan.todo, jobs, progress), plan, summary)
        t_link = time.perf_counter()
        summary.timings["read+parse+analyse"] = t_link - t_parse
        link_fp = _link_fingerprint(plan.kept, ref_fp)
        if (summary.parsed == 0 and summary.removed == 0
                and link_fp == (old_ledger.get(RUN_KEY) or {}).get("link_fp")):
            articles = plan.kept          # same inputs as last run: linking and analysis stand
        else:
            articles = _relink_and_analyse(plan.kept, ref_dir, ref_fp, jobs, progress)
        # corrections track (issue 14.2): the analyst's corrections over analysis and linking, every run
        summary.corrections = correct(articles, fixes, topics={t.name for t in ref.topics},
                                      is_stale=lambda a: a.analysis_key != analysis_key(a.record(), ref_fp),
                                      reanalyse=lambda stale: _analyse_chunk((stale, ref_dir, ref_fp)))
        t_write = time.perf_counter()
        summary.timings["link+re-analyse"] = t_write - t_link
        summary.documents = len(articles)
        summary.warnings = [(a.doc_id, w) for a in articles for w in a.record()["warnings"]]
        summary.empty = [(a.source_path or a.doc_id, a.doc_id) for a in articles if not (a.body or "").strip()]
        run = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
               "rejected": [list(x) for x in summary.rejected], "link_fp": link_fp}
        summary.store = display_path(Path(write_store(articles, {**plan.ledger, RUN_KEY: run}, store)))
        summary.timings["write"] = time.perf_counter() - t_write
    summary.seconds = time.perf_counter() - t0
    return summary


def _link_fingerprint(articles: list[Article], ref_fp: str) -> str:
    """What cross-document linking depends on: every article's id, body and
    extracted values, and the reference. Unchanged means last run's links stand."""
    h = hashlib.sha256(ref_fp.encode())
    for a in sorted(articles, key=lambda a: a.doc_id):
        h.update(a.doc_id.encode() + b"\0")
        h.update(hashlib.sha256((a.body or "").encode("utf-8", "surrogatepass")).digest())
        own = (a.title, a.published, a.published_basis, a.dateline_day)
        h.update(repr(own).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _quiet(progress: bool | None, n: int) -> bool:
    if progress is None:
        return n < 50
    return not progress


def _relink_and_analyse(articles: list[Article], ref_dir: Path, ref_fp: str, jobs: int,
                        progress: bool | None) -> list[Article]:
    """Link syndicated copies afresh from the articles' own values, then analyse again
    only the articles whose analysis inputs changed (a date taken from a sibling, an
    edited reference file)."""
    links = story_links([a.record() for a in _unlinked(articles)])
    for a in articles:
        a.link = links[a.doc_id]
    stale = [a for a in articles if a.analysis_key != analysis_key(a.record(), ref_fp)]
    if len(stale) >= 2 * PARALLEL_MIN_FILES and jobs > 1:
        size = max(50, len(stale) // (jobs * 4))
        chunks = [(stale[i:i + size], ref_dir, ref_fp) for i in range(0, len(stale), size)]
        done: dict[str, Article] = {}
        with worker_pool(jobs) as pool:
            bar = tqdm(total=len(stale), desc="analysing", unit="doc", disable=_quiet(progress, len(stale)))
            for part in pool.map(_analyse_chunk, chunks):
                done.update((a.doc_id, a) for a in part)
                bar.update(len(part))
            bar.close()
        articles = [done.get(a.doc_id, a) for a in articles]
    else:
        _analyse_chunk((stale, ref_dir, ref_fp))
    return articles


def _unlinked(articles: list[Article]) -> list[Article]:
    """The articles with their link overlays dropped (the overlay is recomputed)."""
    for a in articles:
        a.link = None
        a.fix = None   # corrections track: linking reads what the pages gave; corrections come after
    return articles
