"""What each report covered and how its last run went: ``reports/.state/``.

One module reads and writes these files, for the runner (``reports.run``) and
for the notebooks (``reports.topic``)::

    reports/.state/<name>.json            fingerprint, status, params and content of the last run
    reports/.state/<name>.pending.json    a topic notebook's content, adopted once its run succeeds
    reports/.locks/<name>.lock            one writer per report across processes

A run killed with ``kill -9`` can leave temporary files behind (the replaced files
stay whole: every write is atomic); ``sweep_temporaries`` removes those of one
report once its lock is held, when no live writer can own them.
"""
from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from workbench import settings
from workbench.files import atomic_write, file_lock

STATE_DIR = ".state"
LOCK_DIR = ".locks"
LOCK_TIMEOUT = 3600         # seconds to wait for another run holding a report's lock
WHATS_NEW = "_new_"         # <topic>_new_<YYYY-MM-DD>: a dated what's-new page
RANGE = "_range_"           # <topic>_range_<since>_to_<until>: a report of an explicit range


def state_dir(reports_dir: str | Path | None = None) -> Path:
    """The folder of the state files (``reports/.state``)."""
    return Path(reports_dir or settings.reports_dir()) / STATE_DIR


def state_path(reports: Path, name: str) -> Path:
    return reports / STATE_DIR / f"{name}.json"


def pending_path(reports: Path, name: str) -> Path:
    return reports / STATE_DIR / f"{name}.pending.json"


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read_state(reports: Path, name: str) -> dict:
    """The state of report ``name`` ({} when it never ran or the file is unreadable)."""
    st = _read_json(state_path(reports, name))
    return st if isinstance(st, dict) else {}


def write_state(reports: Path, name: str, state: dict) -> Path:
    """Replace the state of report ``name`` atomically."""
    return _write_json(state_path(reports, name), state)


def _write_json(path: Path, data: Any) -> Path:
    return atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1))


def previous_content(name: str, reports_dir: str | Path | None = None) -> dict | None:
    """What the previous successful report ``name`` covered (None for the first)."""
    st = _read_json(state_dir(reports_dir) / f"{name}.json")
    return st.get("content") if isinstance(st, dict) else None


def write_pending(name: str, content: dict, reports_dir: str | Path | None = None) -> Path:
    """Keep a notebook's content until the runner knows the whole run succeeded."""
    return _write_json(state_dir(reports_dir) / f"{name}.pending.json", content)


def take_pending(reports: Path, name: str) -> dict | None:
    """The pending content of ``name`` (None if absent or unreadable); the file is removed."""
    p = pending_path(reports, name)
    content = _read_json(p)
    with contextlib.suppress(FileNotFoundError):
        p.unlink()
    return content if isinstance(content, dict) else None


def drop_pending(reports: Path, name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        pending_path(reports, name).unlink()


@contextlib.contextmanager
def report_lock(reports: Path, name: str, timeout: float = LOCK_TIMEOUT,
                on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock of report ``name`` (one writer per report across processes)."""
    with file_lock(reports / LOCK_DIR / f"{name}.lock", timeout,
                   on_wait=(lambda: on_wait(name)) if on_wait else None, what=f"report {name!r}"):
        yield


def _temporaries(reports: Path, name: str) -> list[Path]:
    """Temporary files a writer of report ``name`` makes: ``atomic_write``'s
    ``.<file>.<random>.tmp`` beside the page, its state, pending content and lock
    owner, and the runner's ``.state/tmp/<name>.<pid>.<thread>.ipynb``."""
    n = re.escape(name)
    mkstemp = re.compile(rf"\.{n}\.(?:html|json|pending\.json|lock\.owner)\.[A-Za-z0-9_]+\.tmp")
    executed = re.compile(rf"{n}\.\d+\.\d+\.ipynb")
    found = []
    for folder, pattern in ((reports, mkstemp), (reports / STATE_DIR, mkstemp), (reports / LOCK_DIR, mkstemp),
                            (reports / STATE_DIR / "tmp", executed)):
        with contextlib.suppress(OSError):
            found += [p for p in folder.iterdir() if pattern.fullmatch(p.name)]
    return found


def sweep_temporaries(reports: Path, name: str) -> list[Path]:
    """Remove the temporary files of report ``name`` left by a run that was killed.

    Call it only while holding the report's lock: every writer of these files holds
    it, so whatever is found then belongs to a run that is gone. Returns what it removed."""
    gone = []
    for p in _temporaries(reports, name):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
            gone.append(p)
    return gone


def related_states(reports: Path, slug: str, marker: str) -> list[dict]:
    """The states of ``slug``'s what's-new pages (``WHATS_NEW``) or range reports
    (``RANGE``), newest first."""
    found = []
    for p in (reports / STATE_DIR).glob(f"{slug}{marker}*.json"):
        if p.name.endswith(".pending.json"):
            continue
        st = read_state(reports, p.stem)
        if st:
            found.append(st)
    return sorted(found, key=lambda st: (st.get("finished_at") or "", st.get("name") or ""), reverse=True)


def latest_content(reports: Path, slug: str) -> dict:
    """What the most recent successful report or what's-new page of ``slug`` covered."""
    cands = [read_state(reports, slug)] + related_states(reports, slug, WHATS_NEW)
    ok = [st for st in cands if st.get("status") == "ok" and st.get("content")]
    return max(ok, key=lambda st: st.get("finished_at") or "")["content"] if ok else {}
