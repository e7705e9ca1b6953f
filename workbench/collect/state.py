"""What the collector remembers between runs, and which article URLs are already held.

The state file (``data/collect/state.json``, written atomically) keeps, per
list URL, the validators for the next conditional request (ETag,
Last-Modified) and, per feed, the items it last listed (so a feed answering
304 still yields the items a failed run did not get); and every URL already
resolved to the canonical URL of a page held. What is already held is also
read from the sidecars on disk and the corpus store's ``url`` column, so a lost
state file costs conditional requests, never duplicates.
"""
from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.files import atomic_write, file_lock

from .sidecar import SIDECAR_SUFFIX, SidecarError, load_sidecar
from .urls import normalise_url

STATE_VERSION = 1


class CollectError(WorkbenchError):
    """The run cannot start (unreadable list, damaged state, another run active)."""


@dataclass
class State:
    """Validators per list URL, last items per feed, URL -> canonical URL."""

    validators: dict[str, dict[str, Any]] = field(default_factory=dict)
    feeds: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    seen: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> bytes:
        obj = {"version": STATE_VERSION, "validators": self.validators, "feeds": self.feeds,
               "seen": self.seen}
        return (json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def load_state(path: Path) -> State:
    """The state at ``path`` (empty when there is none); CollectError when damaged."""
    if not path.exists():
        return State()
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CollectError(f"{path}: collect state unreadable ({e}); delete it to start afresh "
                           f"(pages already saved are still recognised)") from e
    if not isinstance(obj, dict) or obj.get("version") != STATE_VERSION:
        raise CollectError(f"{path}: not a collect state file of version {STATE_VERSION}")
    parts = {k: obj.get(k) or {} for k in ("validators", "feeds", "seen")}
    for k, v in parts.items():
        if not isinstance(v, dict):
            raise CollectError(f"{path}: {k!r} should be an object")
    return State(**parts)


def save_state(path: Path, state: State) -> None:
    atomic_write(path, state.to_json())


@contextlib.contextmanager
def run_lock(state_path: Path) -> Iterator[None]:
    """One collect run at a time per state file; a second one is refused, not queued."""
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(file_lock(state_path.with_name(f".{state_path.name}.lock"), timeout=0,
                                          what=str(state_path)))
        except TimeoutError as e:
            raise CollectError(f"another `workbench collect` is running with {state_path}") from e
        yield


def held_urls(out_dir: Path, store: str | Path | None, use_corpus: bool) -> tuple[set[str], list[str]]:
    """Canonical URLs of pages already held (sidecars under ``out_dir``; the
    corpus's ``url`` column) and notes about sources that could not be read."""
    held: set[str] = set()
    notes: list[str] = []
    if out_dir.is_dir():
        for side in out_dir.rglob(f"*{SIDECAR_SUFFIX}"):
            try:
                obj = load_sidecar(side)
            except SidecarError as e:
                notes.append(str(e))
                continue
            for key in ("canonical_url", "final_url", "requested_url"):
                u = normalise_url(obj.get(key) or "")
                if u:
                    held.add(u)
    if use_corpus:
        urls, note = corpus_urls(store)
        held.update(u for u in map(normalise_url, urls) if u)
        notes += [note] if note else []
    return held, notes


def corpus_urls(store: str | Path | None) -> tuple[list[str], str | None]:
    """The ``url`` column of the corpus store (only that column is read), and
    a note when the store exists but cannot be read."""
    from ..store import read_column, store_files
    path = store_files(store).manifest_name
    try:
        return [u for u in read_column(store, "url") if u], None
    except Exception as e:  # pyarrow raises several types for a damaged file  # noqa: BLE001
        return [], f"corpus URLs not checked: {path}: {e}"
