"""The Dask engine: per-file work and the copy index's band grouping on a ``dask.distributed`` cluster.

Without a scheduler address a ``LocalCluster`` of ``jobs`` single-threaded
worker processes is started for the run (the parsers hold the GIL, so processes,
not threads). With one (``tcp://host:8786``), the work goes to that cluster: its
workers must see the input paths (a shared file system) and have this package
installed. Files are sent in batches so a task is worth its scheduling cost.

Linking: the (band hash, document) rows are shuffled by band hash (dask.dataframe),
so each partition holds whole buckets and finds its pairs on its own; the pairs
come back to the caller, which filters them on the signatures. The exact
confirmation then runs on the workers: the candidate pairs in chunks of
``CONFIRM_PAIRS``, each task given the bodies (and furniture lines) of its pairs'
documents and running the local engine's check (``story_index.judge_chunk``);
the confirmed pairs come back as a set, so the stories are the local engine's.
"""
from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from workbench.workers import die_with_parent

BATCH = 32      # files per task
ROWS_PER_PARTITION = 500_000   # band rows per shuffle partition
CONFIRM_PAIRS = 2000           # candidate pairs per confirmation task


@contextlib.contextmanager
def session(jobs: int = 1, scheduler: str | None = None) -> Iterator[Any]:
    """A ``distributed.Client`` on the cluster at ``scheduler``, or on a LocalCluster of ``jobs`` workers."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as e:   # an optional dependency: say how to get it
        raise RuntimeError("--engine dask needs dask.distributed: pip install 'workbench[dask]'") from e
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=40) as cluster, Client(cluster) as client:
        client.run(die_with_parent)     # local workers end with this process, as the local engine's do
        yield client


def _run_batch(fn: Callable[[Any], Any], batch: list[Any]) -> list[Any]:
    return [fn(x) for x in batch]


def map_files(client: Any, fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """``[fn(x) for x in items]`` on the cluster, in order."""
    if not items:
        return []
    batches = [list(items[i:i + BATCH]) for i in range(0, len(items), BATCH)]
    futures = client.map(_run_batch, [fn] * len(batches), batches, pure=False)
    return [r for part in client.gather(futures) for r in part]


def iter_files(client: Any, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[Any]:
    """``fn(x) for x in items`` on the cluster, in order, a batch's results at a time
    (each batch's results are released on the cluster once handed over)."""
    if not items:
        return
    batches = [list(items[i:i + BATCH]) for i in range(0, len(items), BATCH)]
    pending = deque(client.map(_run_batch, [fn] * len(batches), batches, pure=False))
    while pending:
        fut = pending.popleft()
        part = fut.result()
        fut.release()
        yield from part


def _partition_pairs(df: Any, is_query: np.ndarray) -> Any:
    import pandas as pd

    from workbench.analyse.story_index import _pairs_in_runs
    p = _pairs_in_runs(df["k"].to_numpy(np.uint64), df["d"].to_numpy(np.int64), is_query)
    return pd.DataFrame({"a": p[:, 0], "b": p[:, 1]})


def band_pairs(client: Any, keys: np.ndarray, docs: np.ndarray, is_query: np.ndarray) -> np.ndarray:
    """The pairs of ``story_index._pairs_in_runs``, found by shuffling the band rows by key."""
    import dask.dataframe as dd
    import pandas as pd
    qkeys = np.unique(keys[is_query[docs]])
    sel = np.isin(keys, qkeys)
    frame = pd.DataFrame({"k": keys[sel], "d": docs[sel].astype(np.int64)})
    if len(frame) == 0:
        return np.empty((0, 2), dtype=np.int64)
    nparts = max(1, len(frame) // ROWS_PER_PARTITION + 1)
    ddf = dd.from_pandas(frame, npartitions=nparts).shuffle("k", npartitions=nparts)
    meta = pd.DataFrame({"a": pd.Series(dtype="int64"), "b": pd.Series(dtype="int64")})
    found = ddf.map_partitions(_partition_pairs, client.scatter(is_query, broadcast=True), meta=meta)
    out = client.compute(found).result()
    if len(out) == 0:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(out[["a", "b"]].to_numpy(np.int64), axis=0)


def confirm_pairs(client: Any, pairs: list[tuple[str, str]], docs: dict[str, tuple[str, list[int]]],
                  threshold: float) -> tuple[list[tuple[str, str]], int]:
    """``story_index.judge_pairs`` on the workers, a chunk of ``CONFIRM_PAIRS`` pairs per task
    (each sent with its documents' bodies and furniture lines): the confirmed pairs and the
    number of exact checks, as the local engine finds them."""
    from workbench.analyse.story_index import judge_chunk
    chunks = [pairs[i:i + CONFIRM_PAIRS] for i in range(0, len(pairs), CONFIRM_PAIRS)]
    futures = [client.submit(judge_chunk, c, {d: docs[d] for d in sorted({x for p in c for x in p})}, threshold,
                             pure=False) for c in chunks]
    found: list[tuple[str, str]] = []
    checked = 0
    for part, n in client.gather(futures):
        found += part
        checked += n
    return found, checked
