"""Where ingest's per-file work runs: this machine's processes or a Dask cluster.

An engine maps one picklable function over the files to parse and returns its
results in input order; everything else (planning, linking, the store) runs in
the calling process, so both engines give the same records.

* ``local`` - a process pool on this machine (``engines.local``);
* ``dask`` - a ``dask.distributed`` cluster: a ``LocalCluster`` by default, or
  the scheduler at ``--scheduler ADDRESS`` (``engines.dask``).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

ENGINES = ("local", "dask")


def map_files(fn: Callable[[Any], Any], items: Sequence[Any], *, engine: str = "local", jobs: int = 1,
              scheduler: str | None = None, progress: bool = False) -> list[Any]:
    """``[fn(x) for x in items]`` on the chosen engine, in order."""
    if engine == "local":
        from workbench.engines.local import map_files as run
        return run(fn, items, jobs=jobs, progress=progress)
    if engine == "dask":
        from workbench.engines.dask import map_files as run_dask
        return run_dask(fn, items, jobs=jobs, scheduler=scheduler, progress=progress)
    raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
