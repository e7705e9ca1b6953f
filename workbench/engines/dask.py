"""The Dask engine: per-file work on a ``dask.distributed`` cluster.

Without a scheduler address a ``LocalCluster`` of ``jobs`` single-threaded
worker processes is started for the run (the parsers hold the GIL, so processes,
not threads). With one (``tcp://host:8786``), the work goes to that cluster: its
workers must see the input paths (a shared file system) and have this package
installed. Items are sent in batches so a task is worth its scheduling cost.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

BATCH = 32      # files per task


def _run_batch(fn: Callable[[Any], Any], batch: list[Any]) -> list[Any]:
    return [fn(x) for x in batch]


def map_files(fn: Callable[[Any], Any], items: Sequence[Any], jobs: int = 1, scheduler: str | None = None,
              progress: bool = False) -> list[Any]:
    """``[fn(x) for x in items]`` on the cluster at ``scheduler`` (default: a LocalCluster), in order."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as e:   # an optional dependency: say how to get it
        raise RuntimeError("--engine dask needs dask.distributed: pip install 'workbench[dask]'") from e
    if not items:
        return []
    batches = [list(items[i:i + BATCH]) for i in range(0, len(items), BATCH)]
    if scheduler:
        with Client(scheduler) as client:
            return _gather(client, fn, batches)
    with LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=40) as cluster, Client(cluster) as client:
        return _gather(client, fn, batches)


def _gather(client: Any, fn: Callable[[Any], Any], batches: list[list[Any]]) -> list[Any]:
    futures = client.map(_run_batch, [fn] * len(batches), batches, pure=False)
    return [r for part in client.gather(futures) for r in part]
