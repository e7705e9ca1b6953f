"""The local engine: a process pool on this machine (or this process for a few files)."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from tqdm.auto import tqdm

from workbench.workers import worker_pool

PARALLEL_MIN_ITEMS = 64     # fewer items than this run in this process (a pool costs ~0.3 s to start)
RECYCLE_ITEMS = 4000        # items one pool's workers parse before fresh workers replace them


def map_files(fn: Callable[[Any], Any], items: Sequence[Any], jobs: int = 1, progress: bool = False) -> list[Any]:
    """``[fn(x) for x in items]``, on ``jobs`` processes when there are enough items."""
    return list(iter_files(fn, items, jobs, progress))


def iter_files(fn: Callable[[Any], Any], items: Sequence[Any], jobs: int = 1, progress: bool = False) -> Iterator[Any]:
    """``fn(x) for x in items`` in order, on ``jobs`` processes when there are enough items;
    each result is yielded as soon as it (and those before it) are done.

    A pool serves at most ``RECYCLE_ITEMS`` items, then fresh workers take over: a worker's
    memory grows with every file it parses (measured ~25-50 KB a file in the parse path), and
    at 100k files that alone would pass the memory budget. Workers come from the fork server,
    not from this process: forked from it, each would map this process's pages (at 100k
    files, by the end of the parse, its signatures and buffers; in a long-lived process, all
    an earlier run left), counted again in every worker's RSS and copied as they are touched."""
    bar = tqdm(total=len(items), desc="parsing", unit="file", disable=not progress)
    try:
        if len(items) >= PARALLEL_MIN_ITEMS and jobs > 1:
            for start in range(0, len(items), RECYCLE_ITEMS):
                part = items[start:start + RECYCLE_ITEMS]
                with worker_pool(jobs, context="forkserver") as pool:     # workers end with this process
                    for res in pool.map(fn, part, chunksize=max(1, min(64, len(part) // (jobs * 8)))):
                        bar.update()
                        yield res
        else:
            for x in items:
                res = fn(x)
                bar.update()
                yield res
    finally:
        bar.close()
