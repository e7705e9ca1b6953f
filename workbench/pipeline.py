"""Ingest: read → clean → extract → analyse → store, incrementally.

A file whose size and mtime (or else content hash) are unchanged since the
last run is not parsed again; a changed file replaces its records; a file gone
from the folders being ingested leaves the store. Only the ledger is read to
find this out: a run that changes nothing reads no article and writes nothing.
Cross-document work (syndicated copies, analysis that depends on them) goes
through the persisted ``StoryIndex``: new documents are queried against it, and
only the stories they (or removed documents) touch are re-linked, re-analysed
and rewritten, in the partitions they live in. A new store, an outdated one or
an edited reference file is linked and written whole. Every input ends up
parsed or rejected with a reason.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from tqdm.auto import tqdm

from workbench import settings
from workbench.analyse import analyse_record
from workbench.analyse.stories import links_for
from workbench.analyse.story_index import SIG_VERSION, Sketch, StoryIndex, from_tables, sketch, sketches, to_tables
from workbench.budget import per_file_budget  # issue 13: a time budget per file
from workbench.corrections import Correction, correct, load_corrections  # corrections track (issue 14.2)
from workbench.engines import Engine, open_engine
from workbench.errors import InputError, StoreError
from workbench.files import display_path
from workbench.ledger import Ledger
from workbench.parse.article import extract, sources_from_reference
from workbench.parse.embedded import embedded_records  # corrections track (issue 14.3)
from workbench.parse.read import read_file
from workbench.planning import IngestSummary, _Plan, _plan
from workbench.record import Article
from workbench.reference import FILES, load_reference
from workbench.spool import SEQ, Spool, assemble, build_index, link_members
from workbench.storage import is_url
from workbench.store import (
    STORE_VERSION,
    articles_from_table,
    commit,
    load_ledger,
    locked,
    partition_of,
    partition_tables,
    read_articles,
    read_ledger,
    read_manifest,
    read_sidecar,
    read_table,
    store_dir,
    store_name,
    stored_warnings,
    to_table,
    warnings_table,
    write_part,
)
from workbench.workers import worker_pool, worker_reference, worker_word_hashes

PARALLEL_MIN_FILES = 64     # fewer files than this are parsed in this process
REANALYSE_IN_PROCESS = 1000  # at most this many stale articles after linking are analysed again in this process:
                             # a pool's start (fresh interpreters importing the package, loading the reference,
                             # ~2.3 CPU s, ~4 s wall under load) costs more than ~1 ms a document here


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
    stat: tuple[int, int] = (0, 0)          # size, mtime_ns when it was hashed
    articles: list[Article] = field(default_factory=list)
    sigs: list = field(default_factory=list)     # (signature, size, line hashes) per article, None: too short
    rejected: list[tuple[str, str]] = field(default_factory=list)   # records of the file that failed
    error: str | None = None                                        # the whole file failed


@per_file_budget(lambda args, reason: _Parsed(args[1], args[2], args[3], error=reason))   # issue 13: a time budget
def _parse_file(args) -> _Parsed:
    """Worker: one file to analysed articles (before linking)."""
    path, shown, sha, stat, sources, today, ref_dir, ref_fp = args
    try:
        res = read_file(path, sha256=sha)
    except InputError as e:
        return _Parsed(shown, sha, stat, error=e.reason)
    out = _Parsed(shown, sha, stat)
    ref = worker_reference(ref_dir, ref_fp)
    wh = worker_word_hashes()
    for raw in res.docs:
        raw.source_path = shown
        try:
            art = extract(raw, sources, today)
            arts = [art, *embedded_records(art, sources, today)]   # corrections track (issue 14.3)
            for a in arts:
                _analyse_into(a, ref, ref_fp)
        except Exception as e:  # a parser bug must cost one document, not the run
            return _Parsed(shown, sha, stat, error=f"could not extract {raw.doc_id}: {type(e).__name__}: {e}")
        for a in arts:
            out.articles.append(a)
            sk = sketch(a.body, wh)        # the copy index's signature, computed here in parallel
            out.sigs.append((sk.sig, sk.size, sk.lines) if sk is not None else None)
    out.rejected = [(e.path.replace(str(path), shown), e.reason) for e in res.rejected]
    return out


def _analyse_chunk(args) -> list[Article]:
    arts, ref_dir, ref_fp = args
    ref = worker_reference(ref_dir, ref_fp)
    for a in arts:
        _analyse_into(a, ref, ref_fp)
    return arts


def _adopt(results: list[_Parsed], plan: _Plan, summary: IngestSummary) -> tuple[list[Article], dict]:
    """The parsed files' articles and their sketches (doc_id -> ``Sketch``), with their ledger
    entries added (an id taken by another file is renamed)."""
    taken = set(plan.kept_ids) if results else set()    # (none parsed: the ledger's doc_ids are not read)
    new: list[Article] = []
    sks: dict[str, Sketch] = {}
    for res in results:
        for art, sig in _adopt_one(res, plan, summary, taken):
            new.append(art)
            if sig is not None:
                sks[art.doc_id] = Sketch(sig[0], sig[1], art.body, sig[2])
    return new, sks


def _adopt_one(res: _Parsed, plan: _Plan, summary: IngestSummary, taken: set[str]) -> list[tuple[Article, Any]]:
    """One parsed file's (article, signature) pairs, its ledger entry added; ``taken``: the ids in use."""
    size, mtime = res.stat
    if res.error:
        summary.rejected.append((res.shown, res.error))
        plan.entries[res.shown] = {"sha256": res.sha, "size": size, "mtime_ns": mtime, "status": "rejected",
                                  "reason": res.error, "doc_ids": []}
        return []
    summary.parsed += 1
    ids = []
    for art in res.articles:
        if art.doc_id in taken:
            new_id = f"{art.doc_id}__{hashlib.sha1(res.shown.encode()).hexdigest()[:8]}"
            art.warnings.append(f"doc_id {art.doc_id!r} already used by another file; renamed {new_id!r}")
            art.doc_id = new_id
        taken.add(art.doc_id)
        ids.append(art.doc_id)
    summary.rejected.extend(res.rejected)
    plan.entries[res.shown] = {"sha256": res.sha, "size": size, "mtime_ns": mtime, "status": "parsed",
                              "doc_ids": ids, "partitions": [partition_of(a) for a in res.articles],
                              "rejected": [list(x) for x in res.rejected]}
    return list(zip(res.articles, res.sigs))


def ingest(paths: list[str | Path] | None = None, *, store: str | Path | None = None,
           jobs: int | None = None, progress: bool | None = None,
           today: dt.date | None = None, reference: str | Path | None = None,
           follow_symlinks: bool = False, corrections: str | Path | bool | None = None,
           lock_timeout: float | None = None, engine: str = "local", scheduler: str | None = None) -> IngestSummary:
    """Ingest ``paths`` (files or folders; default ``data/raw``) into the store.

    Returns an ``IngestSummary``; never raises for a bad input file (it is
    listed in ``rejected``). Raises for a malformed reference file or an
    unreadable store, which would make the whole run wrong. Symlinks found in
    the folders that point outside them are refused unless ``follow_symlinks``.
    ``corrections``: the analyst's corrections file (default ``data/corrections.toml``; False: none).
    Another run holding the store is waited for ``lock_timeout`` seconds at most
    (default ``settings.LOCK_TIMEOUT_SECONDS``), then ``TimeoutError``.
    A run that finds nothing changed (inputs, reference, corrections) writes nothing. ``engine``
    ("local" or "dask", with ``scheduler`` the address of a running Dask scheduler) is where files are parsed.
    """
    t0 = time.perf_counter()
    roots: list[str | Path] = [Path(p) for p in (paths or [settings.raw_dir()])]
    ref_dir = Path(reference) if reference else settings.reference_dir()
    ref = load_reference(ref_dir)
    ref_fp = reference_fingerprint(ref_dir)
    fixes = [] if corrections is False else load_corrections(None if corrections in (None, True)
                                                             else Path(str(corrections)))   # corrections track
    jobs = jobs or os.cpu_count() or 1
    summary = IngestSummary(store=store_name(store) if is_url(store) else display_path(store_dir(store)))
    with locked(store, lock_timeout), _memory_handed_back():
        try:
            man = read_manifest(store)
        except StoreError:
            man = None                # damaged or outdated: rebuilt from the inputs
        old = _old_ledger(store, man)
        if old is None:
            man, old = None, Ledger()   # the ledger is damaged: the store is rebuilt from the inputs
        plan = _plan(roots, old, summary, (sources_from_reference(ref), today, ref_dir, ref_fp),
                     follow_symlinks)
        busy = bool(plan.todo or plan.dropped)      # a no-op run starts no cluster
        with open_engine(engine if busy else "local", jobs, scheduler) as eng:
            _apply(store, man, plan, summary, eng, _Refs(ref, ref_dir, ref_fp, fixes), progress)
    summary.seconds = time.perf_counter() - t0
    return summary


@contextlib.contextmanager
def _memory_handed_back() -> Iterator[None]:
    """At the end of a run, what Arrow's pool freed goes back to the system (``release_unused``;
    with the C library's allocator that ``workbench`` selects, ``malloc_trim``): a process that
    goes on after a cold run (a notebook, a benchmark) does not keep its peak (at 10k
    documents 407 -> 240 MiB left)."""
    try:
        yield
    finally:
        _hand_back()


def _hand_back() -> None:
    """What was freed goes back to the system (``release_unused``: ``malloc_trim`` with the C
    library's allocator). A cold run calls it between its phases too: the copy index's and the
    linking's freed memory (candidate bodies, their 5-gram hashes, Python objects), scattered
    through the heap, otherwise stayed resident under the write phase (a cold 10k run's main
    process at the first partition written: 394 -> 350 MiB)."""
    pa.default_memory_pool().release_unused()


def _old_ledger(store, man: dict | None) -> Ledger | None:
    """The last run's ledger (None: the store's ledger cannot be read)."""
    try:
        return read_ledger(store, man) if man is not None else Ledger.of(load_ledger(store, outdated_ok=True))
    except StoreError:
        return None


@dataclass
class _Refs:
    """What analysis and corrections read besides the pages: the reference and its fingerprint, the corrections."""

    ref: Any
    ref_dir: Path
    ref_fp: str
    fixes: list[Correction]

    @property
    def corr_fp(self) -> str:
        """A fingerprint of the corrections ("" when there are none)."""
        return hashlib.sha256(repr(self.fixes).encode("utf-8", "surrogatepass")).hexdigest()[:24] \
            if self.fixes else ""


def _apply(store, man: dict | None, plan: _Plan, summary: IngestSummary, eng: Engine,
           refs: _Refs, progress: bool | None) -> None:
    """Parse what the plan says, link, correct, and commit what changed (nothing, if nothing did)."""
    prev = man or {}
    full = man is None or prev.get("ref_fp") != refs.ref_fp or prev.get("sig_version") != SIG_VERSION
    written: dict[str, dict] = {}
    if _streams(plan, refs, prev, full):
        changed, written, index = _stream(store, man, plan, summary, eng, refs, progress)   # every record is new
        return _commit_run(store, man, plan, summary, refs, changed, index, written)
    t_parse = time.perf_counter()
    parsed = eng.map(_parse_file, plan.todo, progress=not _quiet(progress, len(plan.todo)))
    new, new_sketches = _adopt(parsed, plan, summary)
    t_link = time.perf_counter()
    summary.timings["read+parse+analyse"] = t_link - t_parse
    summary.documents = plan.kept_count() + len(new)
    if (not full and not new and not plan.dropped and not plan.edits and prev.get("version") == STORE_VERSION
            and prev.get("corr_fp", "") == refs.corr_fp):
        summary.warnings = stored_warnings(store, man)
        summary.empty = [(p, d) for p, d in prev.get("empty", [])]
        summary.corrections = [(e, w) for e, w in prev.get("corrections", [])]
        return None   # nothing changed: nothing is written
    how = (refs.ref_dir, refs.ref_fp, eng, progress)
    if man is None or full or refs.corr_fp or prev.get("corr_fp"):
        # corrections (now or last run) are applied over the whole corpus: merges, splits and
        # "not in the corpus" need every article, so such a store is linked and written whole
        articles, index = _full(store, plan, new, new_sketches, *how)
        summary.corrections = _correct(articles, refs)
        changed = partition_tables(store, man, articles)
        summary.empty = _empty(articles)
    else:
        changed, written, index = _incremental(store, man, plan, new, new_sketches, *how)
        summary.empty = [(p, d) for p, d in prev.get("empty", []) if d not in plan.dropped] + _empty(new)
    summary.timings["link+re-analyse"] = time.perf_counter() - t_link
    return _commit_run(store, man, plan, summary, refs, changed, index, written)


def _streams(plan: _Plan, refs: _Refs, prev: dict, full: bool) -> bool:
    """Whether this run builds the store whole from parsed files alone (no stored record kept,
    no corrections, which need every article at once): then it streams (``_stream``)."""
    return bool(plan.todo) and full and not (refs.corr_fp or prev.get("corr_fp")) and not plan.kept_ids - plan.dropped


def _commit_run(store, man: dict | None, plan: _Plan, summary: IngestSummary, refs: _Refs, changed: dict,
                index: StoryIndex, written: dict[str, dict]) -> None:
    """Commit the run: the ``changed`` partitions (tables, or just their doc_id/warnings/link
    columns for those already ``written``), the index, the warnings, the ledger, the manifest."""
    t_write = time.perf_counter()
    run = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
           "rejected": [list(x) for x in summary.rejected]}
    warnings = warnings_table(store, man, changed)
    extra = {"ref_fp": refs.ref_fp, "sig_version": SIG_VERSION, "corr_fp": refs.corr_fp,
             "empty": [list(x) for x in summary.empty], "corrections": [list(x) for x in summary.corrections]}
    commit(store, man, {k: v for k, v in changed.items() if k not in written}, plan.ledger(run),
           extra=extra, sidecars={**dict(zip(("link_docs", "link_edges"), to_tables(index))), "warnings": warnings},
           written=written)
    summary.warnings = list(zip(warnings.column("doc_id").to_pylist(), warnings.column("warning").to_pylist()))
    summary.timings["write"] = summary.timings.get("write", 0.0) + time.perf_counter() - t_write


def _stream(store, man: dict | None, plan: _Plan, summary: IngestSummary, eng: Engine, refs: _Refs,
            progress: bool | None) -> tuple[dict, dict[str, dict], StoryIndex]:
    """A store built whole from parsed files only (a cold run), without holding the corpus:
    articles go to per-partition spill files as the workers return them (``workbench.spool``),
    the copy index keeps signatures and sizes, only the documents of multi-document stories are
    read back to be linked, and each partition is written as soon as it is assembled.
    Returns the warnings columns of the partitions (None: dropped), what was written, the index."""
    t0 = time.perf_counter()
    spool = Spool(store)
    try:
        sigs: dict[str, tuple] = {}
        ids: list[str] = []
        taken = set(plan.kept_ids)
        for res in eng.imap(_parse_file, plan.todo, progress=not _quiet(progress, len(plan.todo))):
            for art, sig in _adopt_one(res, plan, summary, taken):
                spool.add(art)
                ids.append(art.doc_id)
                if sig is not None:
                    sigs[art.doc_id] = sig
        spool.finish()
        t_link = time.perf_counter()
        summary.timings["read+parse+analyse"] = t_link - t0
        summary.documents = len(ids)
        index = build_index(spool, sigs, eng.pairs_fn(), eng.confirm_fn())
        del sigs
        _hand_back()
        members, linked = link_members(spool, index.stories(ids), lambda arts: _link_and_analyse(
            arts, index, refs.ref_dir, refs.ref_fp, eng.jobs, progress))
        _hand_back()
        t_write = time.perf_counter()
        summary.timings["link+re-analyse"] = t_write - t_link
        written: dict[str, dict] = {}
        empty: list[tuple[int, str, str]] = []
        changed: dict[str, Any] = {k: None for k in (man or {}).get("partitions", {})}   # dropped unless written
        for key in spool.keys():
            written[key], changed[key] = _write_slices(store, key, assemble(spool, key, members, linked.pop(key, [])),
                                                       empty)
    finally:
        spool.close()
    summary.empty = [(p, d) for _, p, d in sorted(empty)]
    summary.timings["write"] = time.perf_counter() - t_write
    return changed, written, index


def _write_slices(store, key: str, slices: Iterator[pa.Table], empty: list) -> tuple[dict, pa.Table]:
    """Write partition ``key`` from its assembled ``slices`` (``SEQ`` dropped), each as it comes;
    its blank bodies go to ``empty`` (``_empty_rows``). Its entry, and its doc_id/warnings/link columns."""
    kept: list[pa.Table] = []

    def written() -> Iterator[pa.Table]:
        for part in slices:
            empty.extend(_empty_rows(part))
            kept.append(part.select(["doc_id", "warnings", "link"]))
            yield part.drop_columns([SEQ])
    entry = write_part(store, key, written())
    return entry, pa.concat_tables(kept)


def _empty_rows(table: pa.Table, step: int = 4096) -> list[tuple[int, str, str]]:
    """(``SEQ``, path as shown, doc_id) of the rows of ``table`` whose body is empty or blank, its
    bodies read as Python strings ``step`` rows at a time: a whole partition's at once was the
    peak of a cold 100k run (a month of 29k articles: +187 MiB)."""
    out = []
    for off in range(0, table.num_rows, step):
        part = table.slice(off, step)
        blank = [i for i, b in enumerate(part.column("body").to_pylist()) if not (b or "").strip()]
        if blank:
            seq, path, doc = (part.column(c).to_pylist() for c in (SEQ, "source_path", "doc_id"))
            out += [(seq[i], path[i] or doc[i], doc[i]) for i in blank]
    return out


def _correct(articles: list[Article], refs: _Refs) -> list[tuple[str, str]]:
    """The analyst's corrections over analysis and linking (issue 14.2); what could not be applied."""
    return correct(articles, refs.fixes, topics={t.name for t in refs.ref.topics},
                   is_stale=lambda a: a.analysis_key != analysis_key(a.record(), refs.ref_fp),
                   reanalyse=lambda stale: _analyse_chunk((stale, refs.ref_dir, refs.ref_fp)))


def _empty(articles: list[Article]) -> list[tuple[str, str]]:
    """(path, doc_id) of the articles stored with no body text (``--strict`` fails on them)."""
    return [(a.source_path or a.doc_id, a.doc_id) for a in articles if not (a.body or "").strip()]


def _full(store, plan: _Plan, new: list[Article], new_sketches: dict, ref_dir: Path, ref_fp: str,
          eng: Engine, progress: bool | None) -> tuple[list[Article], StoryIndex]:
    """Link every article afresh (a new store, a migrated one, an edited reference, corrections)."""
    kept = []
    if plan.kept_ids:
        old, _ = read_articles(store, outdated_ok=True)
        kept = [a for a in old if a.doc_id in plan.kept_ids and a.doc_id not in plan.dropped]
    articles = kept + new
    index = StoryIndex()
    index.add({**sketches([{"doc_id": a.doc_id, "body": a.body} for a in kept]), **new_sketches}, lambda ids: {},
              pairs_fn=eng.pairs_fn(), confirm_fn=eng.confirm_fn())
    return _link_and_analyse(articles, index, ref_dir, ref_fp, eng.jobs, progress), index


def _incremental(store, man: dict, plan: _Plan, new: list[Article], new_sketches: dict, ref_dir: Path,
                 ref_fp: str, eng: Engine, progress: bool | None) -> tuple[dict, dict[str, dict], StoryIndex]:
    """Link the new documents against the stored index; re-link and re-analyse only the
    stories they (and the removed ones) touch; rewrite only the partitions those live in,
    each written as soon as it is assembled (``write_part``), so a run that touches most
    partitions never holds them all: returns their doc_id/warnings/link columns (None:
    left empty), what was written, and the index."""
    index = from_tables(read_sidecar(store, man, "link_docs"), read_sidecar(store, man, "link_edges"))
    gone = plan.dropped - {a.doc_id for a in new}

    def stored(ids: list[str], columns: list[str] | None = None) -> pa.Table:
        """Rows of ``ids``, from the partitions the ledger says they are in."""
        part_of = plan.old.partitions_of(ids)
        parts = {part_of.get(d, "") for d in ids}
        return read_table(store, columns=columns, filter=pc.field("doc_id").isin(ids),
                          partitions=None if "" in parts else parts, man=man)

    def stored_sketches(ids: list[str]) -> dict:
        return sketches(stored(ids, ["doc_id", "body"]).to_pylist())

    orphaned = index.remove(plan.dropped, stored_sketches, confirm_fn=eng.confirm_fn())
    new_ids = {a.doc_id for a in new}
    orphaned |= index.add(new_sketches, stored_sketches, pairs_fn=eng.pairs_fn(),
                          confirm_fn=eng.confirm_fn())   # + those judged again
    touched = (index.component(new_ids) | orphaned) - new_ids - gone
    old = articles_from_table(stored(sorted(touched))) if touched else []
    before = {a.doc_id: (a.link, a.analysis_key) for a in old}
    group = _link_and_analyse(old + new, index, ref_dir, ref_fp, eng.jobs, progress)
    group = [a for a in group if before.get(a.doc_id) != (a.link, a.analysis_key)]   # new, or changed
    by_part: dict[str, list[Article]] = {}
    for a in group:
        by_part.setdefault(partition_of(a), []).append(a)
    replaced = plan.dropped | {a.doc_id for a in group}
    changed: dict[str, Any] = {}
    written: dict[str, dict] = {}
    for key in sorted(set(by_part) | plan.dropped_parts):
        rest = read_table(store, partitions=[key], man=man)
        rest = rest.filter(pc.invert(pc.field("doc_id").isin(sorted(replaced)))) if rest.num_rows else rest
        parts = [rest, to_table(by_part.pop(key), Path(str(store)))] if key in by_part else [rest]
        table = pa.concat_tables(parts)
        changed[key] = None
        if table.num_rows:
            written[key] = write_part(store, key, table)
            changed[key] = table.select(["doc_id", "warnings", "link"])
    return changed, written, index


def _link_and_analyse(articles: list[Article], index: StoryIndex, ref_dir: Path, ref_fp: str, jobs: int,
                      progress: bool | None) -> list[Article]:
    """Set the link overlays of ``articles`` (whole stories) from the index, then analyse again
    only the articles whose analysis inputs changed (a date taken from a sibling)."""
    for a in articles:
        a.link = None
        a.fix = None   # corrections track: linking reads what the pages gave; corrections come after
    recs = [a.record() for a in articles]
    links = links_for(recs, index.stories(r["doc_id"] for r in recs))
    for a in articles:
        a.link = links[a.doc_id]
    stale = [a for a in articles if a.analysis_key != analysis_key(a.record(), ref_fp)]
    if len(stale) > REANALYSE_IN_PROCESS and jobs > 1:
        size = max(50, len(stale) // (jobs * 4))
        chunks = [(stale[i:i + size], ref_dir, ref_fp) for i in range(0, len(stale), size)]
        done: dict[str, Article] = {}
        # forkserver: workers forked from this (by now large) process would each count its pages
        with worker_pool(jobs, context="forkserver") as pool:
            bar = tqdm(total=len(stale), desc="analysing", unit="doc", disable=_quiet(progress, len(stale)))
            for part in pool.map(_analyse_chunk, chunks):
                done.update((a.doc_id, a) for a in part)
                bar.update(len(part))
            bar.close()
        articles = [done.get(a.doc_id, a) for a in articles]
    else:
        _analyse_chunk((stale, ref_dir, ref_fp))
    return articles


def _quiet(progress: bool | None, n: int) -> bool:
    if progress is None:
        return n < 50
    return not progress
