"""``workbench report --engine dask``: one papermill task per report on a ``dask.distributed`` cluster.

The caller plans the run (which reports, their fingerprints) and writes the
index, as with the local engine; each report to write is one task that a
cluster worker runs with the local engine's own code (``run._run_job``: its
lock, papermill run, HTML export and state), so both engines write the same
files. A worker keeps one kernel per thread and reuses it from one report to
the next, as a local worker thread does; the kernels are shut down when the
run ends.

Without ``scheduler`` a ``LocalCluster`` of ``jobs`` single-threaded worker
processes is started for the run (``engines.dask.session``, the one ingest
uses); with one (``tcp://host:8786``), its workers must have this package
installed and see the store, the notebooks and the reports folder under the
same paths (a shared file system).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from workbench.reports.run import Job, Worker, _run_job

_KERNELS: dict[int, Worker] = {}      # thread id -> its kernel, in a cluster worker process
_KERNELS_LOCK = threading.Lock()
_SOCKETS: list[str] = []


def _kernel_worker(home: Path, reports: Path) -> Worker:
    with _KERNELS_LOCK:
        if not _SOCKETS:
            _SOCKETS.append(tempfile.mkdtemp(prefix="wb-kernels-"))
        key = threading.get_ident()
        if key not in _KERNELS:
            _KERNELS[key] = Worker(len(_KERNELS), _SOCKETS[0], home, reports / ".logs")
        return _KERNELS[key]


def run_task(job: Job, reports: Path, home: Path, force: bool) -> Job:
    """One report, on a cluster worker: what a local worker thread does for it."""
    return _run_job(job, reports, _kernel_worker(home, reports), force, lambda msg: None)


def close_kernels() -> int:
    """Shut down this process's report kernels (run on every worker at the end)."""
    with _KERNELS_LOCK:
        workers = list(_KERNELS.values())
        _KERNELS.clear()
        for w in workers:
            w.close()
        for d in _SOCKETS:
            shutil.rmtree(d, ignore_errors=True)
        _SOCKETS.clear()
    return len(workers)


def run_on_dask(run: list[Job], reports: Path, home: Path, jobs: int | None, force: bool,
                progress: bool | None, scheduler: str | None = None) -> None:
    """Run ``run`` as one task per report on the cluster; each ``Job`` in ``run``
    gets the status, error and time its task reported."""
    from tqdm.auto import tqdm

    from workbench.engines.dask import session
    n_workers = max(1, min(jobs or os.cpu_count() or 1, len(run)))
    bar = tqdm(total=len(run), desc="reports", unit="report", file=sys.stderr,
               disable=(not progress) if progress is not None else None)
    try:
        with session(n_workers, scheduler) as client:
            _submit_all(client, run, reports, home, force, bar)
    finally:
        bar.close()


def _submit_all(client: Any, run: list[Job], reports: Path, home: Path, force: bool, bar: Any) -> None:
    from distributed import as_completed
    futures = {client.submit(run_task, job, reports, home, force, key=f"report-{job.name}-{id(job)}",
                             pure=False): job for job in run}
    try:
        for fut in as_completed(futures):
            job = futures[fut]
            try:
                done = fut.result()
                job.status, job.error, job.seconds = done.status, done.error, done.seconds
            except Exception as e:   # the task itself failed (a worker died): that report failed
                job.status, job.error = "failed", f"{type(e).__name__}: {e}"
            bar.set_postfix_str(job.name, refresh=False)
            bar.update()
    finally:
        with contextlib.suppress(Exception):
            client.run(close_kernels)
