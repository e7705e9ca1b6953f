"""workbench: turn saved news pages into a clean, queryable corpus and per-topic reports.

Public API (see README)::

    from workbench import ingest, load_corpus, corpus_events, explorer, run_reports
    summary = ingest()            # data/raw -> data/store/ (manifest.json + parts/*.parquet)
    df = load_corpus()            # one row per article
    ev = corpus_events()          # events merged across articles

The names are loaded on first use (``import workbench`` stays cheap: no pandas,
no trafilatura), and each is the real function, so ``help()`` shows its signature.
"""
from __future__ import annotations

import importlib
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Arrow's buffers from the C library's allocator, not Arrow's default (mimalloc), which keeps
# what a read or write freed in per-thread heaps that ``release_unused`` cannot reach: each
# partition, spill file and body column an ingest read left the process larger (a cold 10k
# ingest's main process peaked at 700 MiB, 408 MiB with this; reading and converting the
# stored rows cost the same CPU). Read once, when Arrow first allocates: set before pyarrow is
# imported (an explicit ARROW_DEFAULT_MEMORY_POOL wins; a pyarrow imported earlier keeps its pool).
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

__version__ = "0.1.0"
__all__ = ["ingest", "load_corpus", "corpus_events", "explorer", "run_reports", "WorkbenchError"]

# public name -> module that defines it
_LAZY = {
    "ingest": "workbench.pipeline",
    "load_corpus": "workbench.store",
    "explorer": "workbench.explore.widget",
    "run_reports": "workbench.reports.run",
    "WorkbenchError": "workbench.errors",
}

if TYPE_CHECKING:  # for editors and mypy: the real objects
    import pandas as pd

    from workbench.errors import WorkbenchError
    from workbench.explore.widget import explorer
    from workbench.pipeline import ingest
    from workbench.reports.run import run_reports
    from workbench.store import load_corpus


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name == "events":
        warnings.warn("workbench.events() is now workbench.corpus_events()", DeprecationWarning, stacklevel=2)
        return corpus_events
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


def corpus_events(corpus: pd.DataFrame | list[dict] | None = None, *,
                  store: str | Path | None = None) -> pd.DataFrame:
    """Events merged across the articles of ``corpus`` (default: the store's), one row per
    real-world event, with its sources and number of independent outlets."""
    from workbench.analyse.merge import merge_events
    from workbench.store import read_store
    if corpus is None:
        corpus, _ = read_store(store)
    return merge_events(corpus)
