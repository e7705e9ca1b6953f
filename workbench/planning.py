"""Planning an ingest: which input files to parse, which stored records stand, which leave.

Only the ledger (what the last run read: each file's size, mtime, hash, documents) and the
files' own stats are looked at; a file is hashed only when its size or mtime changed.
What a run did is collected in ``IngestSummary``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from workbench.files import display_path, sha256_file
from workbench.ledger import Ledger
from workbench.parse.read import scan
from workbench.store import RUN_KEY


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


@dataclass
class _Plan:
    """Which files to parse, and what stands from the last run (ledger rows only: no article is read)."""

    old: Ledger = field(default_factory=Ledger)
    keep: list[int] = field(default_factory=list)          # rows of the old ledger that stand as they are
    entries: dict[str, dict] = field(default_factory=dict)  # new ledger entries: parsed, or re-stat'ed files
    todo: list[tuple] = field(default_factory=list)
    dropped: set[str] = field(default_factory=set)        # doc_ids whose records leave or are replaced
    dropped_parts: set[str] = field(default_factory=set)  # the partitions they were in
    restat_ids: set[str] = field(default_factory=set)     # doc_ids of files touched but unchanged
    edits: int = 0        # inputs whose ledger entry changes (besides file stats): parsed, gone, unreadable
    _kept: set[str] | None = None

    @property
    def kept_ids(self) -> set[str]:
        """The doc_ids of the records that stand (computed once, when a run has work to do)."""
        if self._kept is None:
            self._kept = set(self.old.doc_ids(self.keep)) | self.restat_ids
        return self._kept

    def kept_count(self) -> int:
        return self.old.doc_count(self.keep) + len(self.restat_ids)

    def ledger(self, run: dict) -> pa.Table:
        """The new ledger: the rows kept, the entries of this run, the run's own entry."""
        return self.old.updated(self.keep, {**self.entries, RUN_KEY: run})


def _unchanged(prev: dict | None, st: os.stat_result, f: str) -> tuple[bool, str | None]:
    """Whether a file is as the ledger has it: same size and mtime (no hashing), else the same hash."""
    if not prev:
        return False, None
    if prev.get("size") == st.st_size and prev.get("mtime_ns") == st.st_mtime_ns:
        return True, prev.get("sha256")
    sha = sha256_file(f)
    return prev.get("sha256") == sha, sha


def _shown(f: str, parents: dict[str, str]) -> str:
    """``display_path(f)`` with its folder resolved once per folder, not once per file
    (the same value: a file, symlink or not, is shown as its resolved folder plus its name),
    joined as strings: at 100k files pathlib's per-file objects cost more than the stat."""
    head, root, name = f.rpartition(os.sep)
    pre = parents.get(head or root)      # "/" for a file in the root folder, "" for one in the current
    if pre is None:
        d = display_path(Path(f).parent)
        pre = parents[head or root] = "" if d == "." else os.path.join(d, "")
    return pre + name


def _drop(plan: _Plan, entry: dict) -> None:
    plan.dropped.update(entry.get("doc_ids", []))
    plan.dropped_parts.update(entry.get("partitions", []))


def _noted(summary: IngestSummary, shown: str, entry: dict) -> None:
    """What an unchanged file's entry says was rejected (the file, or records of it)."""
    if entry.get("status") == "rejected":
        summary.rejected.append((shown, entry["reason"]))
    summary.rejected.extend((where, reason) for where, reason in entry.get("rejected", []))


def _plan(roots: list[str | Path], old: Ledger, summary: IngestSummary,
          task: tuple, follow_symlinks: bool = False) -> _Plan:
    """Unchanged files keep their ledger rows (and records); changed and new ones are
    parsed; files gone from the folders ingested now leave; files outside them stay.

    A file whose size and mtime are the ledger's is settled by comparing two ints (the
    stats ``scan`` took while listing): no entry is decoded, no dict built."""
    plan = _Plan(old)
    files, stats, refused = scan(roots, follow_symlinks=follow_symlinks)
    for e in refused:
        summary.rejected.append((display_path(Path(e.path)), e.reason))
    hit = bytearray(len(old))
    parents: dict[str, str] = {}
    sizes, mtimes, noted, keep = old.sizes, old.mtimes, old.noted, plan.keep
    index, sep = old.index, os.sep
    for f, st in zip(files, stats):
        head, root, name = f.rpartition(sep)     # ``_shown`` inline: this loop runs once per input file
        pre = parents.get(head or root)
        shown = pre + name if pre is not None else _shown(f, parents)
        i = index.get(shown)
        if i is not None:
            hit[i] = 1
            if st is not None and sizes[i] == st.st_size and mtimes[i] == st.st_mtime_ns:
                keep.append(i)
                if noted[i]:
                    _noted(summary, shown, old.entry(i))
                continue
        _check(plan, summary, f, shown, st, i, task)
    summary.unchanged += len(keep)
    _gone(plan, summary, roots, hit)
    return plan


def _check(plan: _Plan, summary: IngestSummary, f: str, shown: str, st: os.stat_result | None,
           i: int | None, task: tuple) -> None:
    """A file new or with other stats than its ledger row: unchanged if its hash is, else to parse."""
    prev = plan.old.entry(i) if i is not None else None
    try:
        st = st if st is not None else os.stat(f)
        same, sha = _unchanged(prev, st, f)
        sha = sha or sha256_file(f)
    except OSError as e:
        summary.rejected.append((shown, f"cannot read: {e.strerror or e}"))
        if prev:
            _drop(plan, prev)
        plan.edits += i is not None
        return
    if same and prev is not None:
        summary.unchanged += 1
        plan.entries[shown] = {**prev, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
        plan.restat_ids.update(prev.get("doc_ids", []))
        _noted(summary, shown, prev)
        return
    if prev:
        _drop(plan, prev)
    plan.edits += 1
    plan.todo.append((Path(f), shown, sha, (st.st_size, st.st_mtime_ns), *task))


def _gone(plan: _Plan, summary: IngestSummary, roots: list[str | Path], hit: bytearray) -> None:
    """Ledger rows of files not found: those under the folders ingested now leave, the others stay."""
    root_shown = [display_path(r) for r in roots]
    for i, shown in enumerate(plan.old.paths):
        if hit[i] or shown == RUN_KEY:
            continue
        if any(shown == r or shown.startswith(r.rstrip("/") + "/") for r in root_shown):
            summary.removed += 1
            plan.edits += 1
            _drop(plan, plan.old.entry(i))
        else:
            plan.keep.append(i)
