"""Planning an ingest: which input files to parse, which stored records stand, which leave.

Only the ledger (what the last run read: each file's size, mtime, hash, documents) and the
files' own stats are looked at; a file is hashed only when its size or mtime changed.
What a run did is collected in ``IngestSummary``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from workbench.files import display_path, sha256_file
from workbench.parse.read import discover
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
    """Which files to parse, and what stands from the last run (ledger entries only: no article is read)."""

    ledger: dict = field(default_factory=dict)
    todo: list[tuple] = field(default_factory=list)
    dropped: set[str] = field(default_factory=set)        # doc_ids whose records leave or are replaced
    dropped_parts: set[str] = field(default_factory=set)  # the partitions they were in
    kept_ids: set[str] = field(default_factory=set)


def _unchanged(prev: dict | None, st: os.stat_result, f: Path) -> tuple[bool, str | None]:
    """Whether a file is as the ledger has it: same size and mtime (no hashing), else the same hash."""
    if not prev:
        return False, None
    if prev.get("size") == st.st_size and prev.get("mtime_ns") == st.st_mtime_ns:
        return True, prev.get("sha256")
    sha = sha256_file(f)
    return prev.get("sha256") == sha, sha


def _shown(f: Path, parents: dict[str, str]) -> str:
    """``display_path(f)`` with its folder resolved once per folder, not once per file
    (the same value: a file, symlink or not, is shown as its resolved folder plus its name),
    joined as strings: at 100k files pathlib's per-file objects cost more than the stat."""
    head, name = os.path.split(str(f))
    pre = parents.get(head)
    if pre is None:
        d = display_path(f.parent)
        pre = parents[head] = "" if d == "." else os.path.join(d, "")
    return pre + name


def _drop(plan: _Plan, entry: dict) -> None:
    plan.dropped.update(entry.get("doc_ids", []))
    plan.dropped_parts.update(entry.get("partitions", []))


def _plan(roots: list[str | Path], old_ledger: dict, summary: IngestSummary,
          task: tuple, follow_symlinks: bool = False) -> _Plan:
    """Unchanged files keep their ledger entries (and records); changed and new ones are
    parsed; files gone from the folders ingested now leave; files outside them stay."""
    plan = _Plan()
    files, refused = discover(roots, follow_symlinks=follow_symlinks)
    for e in refused:
        summary.rejected.append((display_path(Path(e.path)), e.reason))
    seen = set()
    parents: dict[str, str] = {}
    for f in files:
        shown = _shown(f, parents)
        seen.add(shown)
        prev = old_ledger.get(shown)
        try:
            st = os.stat(f)
            same, sha = _unchanged(prev, st, f)
            sha = sha or sha256_file(f)
        except OSError as e:
            summary.rejected.append((shown, f"cannot read: {e.strerror or e}"))
            if prev:
                _drop(plan, prev)
            continue
        if same and prev is not None:
            summary.unchanged += 1
            plan.ledger[shown] = {**prev, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
            plan.kept_ids.update(prev.get("doc_ids", []))
            if prev.get("status") == "rejected":
                summary.rejected.append((shown, prev["reason"]))
            summary.rejected.extend((where, reason) for where, reason in prev.get("rejected", []))
            continue
        if prev:
            _drop(plan, prev)
        plan.todo.append((f, shown, sha, (st.st_size, st.st_mtime_ns), *task))
    root_shown = [display_path(r) for r in roots]
    for shown, entry in old_ledger.items():
        if shown in seen or shown == RUN_KEY:
            continue
        if any(shown == r or shown.startswith(r.rstrip("/") + "/") for r in root_shown):
            summary.removed += 1
            _drop(plan, entry)
        else:
            plan.ledger[shown] = entry
            plan.kept_ids.update(entry.get("doc_ids", []))
    return plan


def _same_ledger(new: dict, old: dict) -> bool:
    """The same inputs as last run (file stats aside, the run entry aside)."""
    def strip(led: dict) -> dict:
        return {k: {f: v for f, v in e.items() if f not in ("size", "mtime_ns")}
                for k, e in led.items() if k != RUN_KEY}
    return strip(new) == strip(old)
