"""``workbench collect``: bring pages named by URL lists, RSS/Atom feeds and sitemaps into data/raw/collected/.

Modules: ``urls`` (the list, URL comparison, canonical links, file names),
``fetch`` (polite HTTP), ``feeds`` (feeds and sitemaps), ``sidecar`` (the JSON
beside each page, read back by ingest), ``state`` (what a re-run remembers),
``run`` (the run itself). The HTTP client is imported only when a run starts,
so reading sidecars during ingest costs nothing extra.
"""
from __future__ import annotations

from typing import Any

__all__ = ["CollectError", "CollectSummary", "FetchConfig", "collect"]


def __getattr__(name: str) -> Any:
    if name in ("collect", "CollectSummary"):
        from . import run
        return getattr(run, name)
    if name == "CollectError":
        from .state import CollectError
        return CollectError
    if name == "FetchConfig":
        from .fetch import FetchConfig
        return FetchConfig
    raise AttributeError(name)
