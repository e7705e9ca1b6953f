"""The local engine: a process pool on this machine (or this process for a few files)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tqdm.auto import tqdm

from workbench.workers import worker_pool

PARALLEL_MIN_ITEMS = 64     # fewer items than this run in this process (a pool costs ~0.3 s to start)


def map_files(fn: Callable[[Any], Any], items: Sequence[Any], jobs: int = 1, progress: bool = False) -> list[Any]:
    """``[fn(x) for x in items]``, on ``jobs`` processes when there are enough items."""
    out = []
    bar = tqdm(total=len(items), desc="parsing", unit="file", disable=not progress)
    if len(items) >= PARALLEL_MIN_ITEMS and jobs > 1:
        with worker_pool(jobs) as pool:     # workers end with this process
            for res in pool.map(fn, items, chunksize=max(1, min(64, len(items) // (jobs * 8)))):
                out.append(res)
                bar.update()
    else:
        for x in items:
            out.append(fn(x))
            bar.update()
    bar.close()
    return out
