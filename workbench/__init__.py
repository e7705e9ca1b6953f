"""workbench: turn saved news pages into a clean, queryable corpus and per-topic reports.

Public API (see README):

    from workbench import ingest, load_corpus, events, explorer
    summary = ingest()            # data/raw -> data/store/corpus.parquet
    df = load_corpus()            # one row per article
    ev = events()                 # events merged across articles
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["ingest", "load_corpus", "events", "explorer", "run_reports"]


def ingest(*args, **kwargs):
    """Ingest files into the corpus store; see ``workbench.pipeline.ingest``."""
    from workbench.pipeline import ingest as _ingest
    return _ingest(*args, **kwargs)


def load_corpus(directory=None):
    """The corpus as a pandas DataFrame; see ``workbench.store.load_corpus``."""
    from workbench.store import load_corpus as _load
    return _load(directory)


def events(corpus=None, directory=None):
    """Events merged across articles, with their sources and number of independent outlets."""
    from workbench.analyse import merge_events
    from workbench.store import read_store
    if corpus is None:
        corpus, _ = read_store(directory)
    return merge_events(corpus)


def explorer(*args, **kwargs):
    """The interactive corpus explorer widget; see ``workbench.explorer.explorer``."""
    from workbench.explore.widget import explorer as _explorer
    return _explorer(*args, **kwargs)


def run_reports(*args, **kwargs):
    """Run the topic report notebooks; see ``workbench.report.run_reports``."""
    from workbench.reports.run import run_reports as _run
    return _run(*args, **kwargs)
