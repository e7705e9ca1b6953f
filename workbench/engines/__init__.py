"""Where ingest's heavy steps run: this machine's processes or a Dask cluster.

An ``Engine`` maps one picklable function over the files to parse (results in
input order), groups the copy index's band hashes into candidate pairs and
confirms those pairs exactly; everything else (planning, the store) runs in the
calling process, and both engines give the same records.

* ``local`` - a process pool on this machine (``engines.local``), bands grouped by sorting;
* ``dask`` - a ``dask.distributed`` cluster: a ``LocalCluster`` by default, or
  the scheduler at ``--scheduler ADDRESS`` (``engines.dask``), bands grouped by a shuffle,
  candidate pairs confirmed on the workers (a chunk of pairs per task).
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

ENGINES = ("local", "dask")


@dataclass
class Engine:
    name: str
    jobs: int = 1
    client: Any = None          # a distributed.Client for "dask"

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any], progress: bool = False) -> list[Any]:
        """``[fn(x) for x in items]`` on this engine, in order."""
        if self.name == "dask":
            from workbench.engines.dask import map_files as run_dask
            return run_dask(self.client, fn, items)
        from workbench.engines.local import map_files as run
        return run(fn, items, jobs=self.jobs, progress=progress)

    def imap(self, fn: Callable[[Any], Any], items: Sequence[Any], progress: bool = False) -> Iterator[Any]:
        """``fn(x) for x in items`` on this engine, in order, each result handed over as it is
        ready (the caller need not hold them all: a streaming ingest spills them)."""
        if self.name == "dask":
            from workbench.engines.dask import iter_files as iter_dask
            return iter_dask(self.client, fn, items)
        from workbench.engines.local import iter_files
        return iter_files(fn, items, jobs=self.jobs, progress=progress)

    def pairs_fn(self) -> Callable | None:
        """How the copy index groups band hashes (None: its own local sort)."""
        if self.name != "dask":
            return None
        from workbench.engines.dask import band_pairs
        return lambda keys, docs, is_query: band_pairs(self.client, keys, docs, is_query)

    def confirm_fn(self) -> Callable | None:
        """How the copy index confirms candidate pairs exactly (None: in this process)."""
        if self.name != "dask":
            return None
        from workbench.engines.dask import confirm_pairs
        return lambda pairs, docs, threshold: confirm_pairs(self.client, pairs, docs, threshold)


@contextlib.contextmanager
def open_engine(engine: str = "local", jobs: int = 1, scheduler: str | None = None) -> Iterator[Engine]:
    """The engine for one run (a Dask client is connected, or a LocalCluster started, here)."""
    if engine == "local":
        yield Engine("local", jobs)
    elif engine == "dask":
        from workbench.engines.dask import session
        with session(jobs, scheduler) as client:
            yield Engine("dask", jobs, client)
    else:
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")


def map_files(fn: Callable[[Any], Any], items: Sequence[Any], *, engine: str = "local", jobs: int = 1,
              scheduler: str | None = None, progress: bool = False) -> list[Any]:
    """``[fn(x) for x in items]`` on the chosen engine, in order (one session for this call)."""
    with open_engine(engine, jobs, scheduler) as eng:
        return eng.map(fn, items, progress)
