"""``workbench report``: run the report notebooks and publish them as safe HTML.

For each topic (and once for the corpus overview) this runs a notebook with
papermill, keeps the executed notebook, exports it to standalone HTML with no
code cells (figures embedded, no scripts, sanitised with nh3), and writes
``reports/index.html`` linking every report with its date range::

    reports/index.html                    the list of reports
    reports/corpus_overview.{html,ipynb}
    reports/<topic>.{html,ipynb}          one pair per topic
    reports/.state/<name>.json            fingerprint, status and what each report covered
    reports/.locks/, reports/.logs/       per-report locks and kernel logs

A report is skipped when its fingerprint (notebook, parameters, corpus store,
reference files, workbench code) matches the last successful run and its
files exist. Reports run in parallel, one kernel each; a failing notebook is
kept (with its error) and named in the summary, the others go on, and the
run's ``Outcome`` lists them as failed. A lock per report keeps two runs from writing the same
report at once (the second waits, then usually finds it up to date).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench import settings
from workbench.errors import StoreError, UsageError
from workbench.files import atomic_replace, atomic_write, display_path, sha256_file
from workbench.reports.export import _exporter, export_html
from workbench.reports.index import INDEX_FILE, OVERVIEW_NAME, index_stale, write_index
from workbench.reports.state import (
    RANGE,
    STATE_DIR,
    WHATS_NEW,
    drop_pending,
    latest_content,
    read_state,
    related_states,
    report_lock,
    sweep_temporaries,
    take_pending,
    write_state,
)

TOPIC_NOTEBOOK = "topic_report.ipynb"
OVERVIEW_NOTEBOOK = "corpus_overview.ipynb"
STORE_FILE = "manifest.json"    # = workbench.store.STORE_FILE: names every partition file, so its hash follows them
FINGERPRINT_VERSION = "1"
CELL_TIMEOUT = 600          # seconds a notebook cell may run
PAPERMILL_ENGINE = "workbench-one-save"    # registered by ``_papermill``

_PKG_DIR = Path(__file__).resolve().parent.parent   # the workbench package (its code is fingerprinted)


@dataclass
class Job:
    """One report to produce."""

    name: str                      # file stem under reports/
    kind: str                      # "topic" | "overview"
    notebook: Path
    params: dict[str, Any]
    topic: str | None = None
    variant: str = ""              # "" the standing report | "range" (--since/--until) | "whats-new"
    fingerprint: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)   # what the fingerprint is made of
    status: str = "pending"        # ok | unchanged | failed
    error: str = ""
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)   # wall s: kernel, notebook, export, write

    def html_path(self, reports: Path) -> Path:
        return reports / f"{self.name}.html"


@dataclass
class Outcome:
    """What a ``run_reports`` call did: each job with its status, the index, the time taken."""

    jobs: list[Job] = field(default_factory=list)
    index: Path | None = None
    home: Path | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> list[Job]:
        return [j for j in self.jobs if j.status == "failed"]

    def lines(self) -> list[str]:
        """One line per report and a closing count, as ``workbench report`` prints them."""
        home = self.home or settings.home()
        out = []
        for j in self.jobs:
            where = j.html_path(self.index.parent) if self.index else Path(f"{j.name}.html")
            label = j.topic or "corpus overview"
            if j.status == "ok":
                out.append(f"  ok         {label}: {display_path(where, home)} ({j.seconds:.1f} s)")
            elif j.status == "unchanged":
                out.append(f"  unchanged  {label}: {display_path(where, home)}")
            else:
                nb = where.with_suffix(".ipynb")
                keep = f"; executed notebook kept at {display_path(nb, home)}" if nb.exists() else ""
                out.append(f"  FAILED     {label}: {j.error}{keep}")
        n_ok = sum(j.status == "ok" for j in self.jobs)
        n_same = sum(j.status == "unchanged" for j in self.jobs)
        index = display_path(self.index, home) if self.index else "-"
        out.append(f"{len(self.jobs)} report(s): {n_ok} written, {n_same} unchanged, {len(self.failed)} failed; "
                   f"index {index} ({self.seconds:.1f} s)")
        if self.failed:
            out.append("failed: " + ", ".join(j.topic or "corpus overview" for j in self.failed))
        return out


# --------------------------------------------------------------------------- paths and inputs

def notebooks_dir() -> Path:
    """The report notebooks: ``<home>/notebooks`` if it has them, else the checkout's."""
    d = settings.notebooks_dir()
    if (d / TOPIC_NOTEBOOK).exists():
        return d
    return _PKG_DIR.parent / "notebooks"


def _sha_tree(root: Path, pattern: str) -> str:
    h = hashlib.sha256()
    if root.is_dir():
        for p in sorted(root.rglob(pattern)):
            if "__pycache__" in p.parts or not p.is_file():
                continue
            h.update(str(p.relative_to(root)).encode() + b"\0")
            h.update(p.read_bytes())
    return h.hexdigest()


def _parse_date(value: str | None, what: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise UsageError(f"--{what} {value!r} is not a date: use YYYY-MM-DD") from None


def _slug(name: str) -> str:
    from workbench.reports.html import report_slug
    return report_slug(name)


def _up_to_date(reports: Path, job: Job) -> bool:
    if job.variant == "whats-new" and _up_to_date_whats_new(reports, job):
        return True
    st = read_state(reports, job.name)
    return (st.get("status") == "ok" and st.get("fingerprint") == job.fingerprint
            and (reports / f"{job.name}.html").exists() and (reports / f"{job.name}.ipynb").exists())


# --------------------------------------------------------------------------- execution

_IMPORT_LOCK = threading.Lock()


def _papermill():
    """Import papermill (and register ``PAPERMILL_ENGINE``). ``jsonschema`` (under
    nbformat) imports ``rfc3987_syntax`` when it is installed, which compiles a grammar
    at import time (over a second here) for IRI format checks no notebook validation
    uses; skip it."""
    with _IMPORT_LOCK:
        if "papermill" not in sys.modules:
            blocked = "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules
            if blocked:
                sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
            try:
                import papermill  # noqa: F401
            finally:
                if blocked:
                    del sys.modules["rfc3987_syntax"]
        from papermill.engines import papermill_engines
        if PAPERMILL_ENGINE not in papermill_engines._engines:
            papermill_engines.register(PAPERMILL_ENGINE, _one_save_engine())
        return sys.modules["papermill"]


def _one_save_engine():
    """papermill's nbclient engine, writing the output notebook once at the end
    (papermill's own ``notebook_complete`` and error handling) instead of also at the
    start and end of every cell: ~3.6 s of CPU in the driver for a 3 MB report."""
    from papermill.engines import NBClientEngine

    class OneSaveEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            path, nb_man.output_path = nb_man.output_path, None     # save() writes nothing
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            finally:
                nb_man.output_path = path

    return OneSaveEngine


def _kernel_manager_class(socket_dir: str, log_path: Path):
    """A kernel manager that talks over Unix sockets (no TCP port races between
    parallel kernels, nothing listening on the network) and logs the kernel's
    output to ``log_path``."""
    from jupyter_client.manager import AsyncKernelManager

    class ReportKernelManager(AsyncKernelManager):
        def __init__(self, **kw):
            kw.setdefault("transport", "ipc")
            kw.setdefault("ip", os.path.join(socket_dir, uuid.uuid4().hex[:10]))
            super().__init__(**kw)

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            log_path.parent.mkdir(parents=True, exist_ok=True)
            with open(log_path, "ab") as fh:
                kw.setdefault("stdout", fh)
                kw.setdefault("stderr", fh)
                return await super()._async_launch_kernel(kernel_cmd, **kw)

    return ReportKernelManager


class Worker:
    """One thread's kernel, reused from one papermill run to the next.

    Starting a kernel and importing pandas, matplotlib and the workbench costs
    about two seconds of CPU; the notebook work itself a few tenths. So each
    worker keeps its kernel: before every report after the first, the kernel's
    namespace is reset (``%reset``: a fresh session, modules stay imported);
    after a failed report the kernel is discarded and the next report gets a
    new one. Every report is still its own papermill run of its own notebook.
    """

    def __init__(self, n: int, socket_dir: str, home: Path, log_dir: Path):
        self.n, self.socket_dir, self.home, self.log_dir = n, socket_dir, home, log_dir
        self.km = None
        self.runs = 0

    def _sync(self, coro):
        from jupyter_core.utils import ensure_event_loop
        return ensure_event_loop().run_until_complete(coro)

    def kernel(self):
        """A live kernel with an empty namespace."""
        if self.km is not None:
            try:
                alive = self._sync(self.km.is_alive())
                if alive:
                    self._sync(self._reset())
                    return self.km
            except Exception:
                pass
            self.close()
        cls = _kernel_manager_class(self.socket_dir, self.log_dir / f"kernel-{self.n}.log")
        self.km = cls(kernel_name="python3")
        self._sync(self.km.start_kernel(cwd=str(self.home)))
        return self.km

    async def _reset(self):
        # Over the shell channel only: waiting for IOPub (as ``wait_for_ready``
        # does) costs a fixed 0.2 s of silence per call.
        kc = self.km.client()
        kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        try:
            msg_id = kc.execute("get_ipython().reset(new_session=True)", silent=True, store_history=False)
            deadline = time.monotonic() + 60
            while True:
                reply = await kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            if reply["content"].get("status") != "ok":
                raise RuntimeError("kernel reset failed")
        finally:
            kc.stop_channels()

    def close(self):
        if self.km is not None:
            with contextlib.suppress(Exception):
                self._sync(self.km.shutdown_kernel(now=False))
            with contextlib.suppress(Exception):
                self._sync(self.km.shutdown_kernel(now=True))
        self.km = None


def _run_job(job: Job, reports: Path, worker: Worker, force: bool, say) -> Job:
    t0 = time.perf_counter()
    try:
        with report_lock(reports, job.name, on_wait=lambda n: say(f"waiting: another run is writing {n}")):
            sweep_temporaries(reports, job.name)     # a killed run's leftovers
            if not force and _up_to_date(reports, job):   # another run may have just made it
                job.status = "unchanged"
                return job
            _execute(job, reports, worker)
    except Exception as e:  # one report's failure must not stop the others
        job.status = "failed"
        job.error = job.error or f"{type(e).__name__}: {e}"
    finally:
        if job.status == "failed":
            worker.close()         # a failed notebook may have left the kernel in any state
        job.seconds = time.perf_counter() - t0
    return job


def _execute(job: Job, reports: Path, worker: Worker) -> None:
    import nbformat
    pm = _papermill()
    tmp_dir = reports / STATE_DIR / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp_nb = tmp_dir / f"{job.name}.{os.getpid()}.{threading.get_ident()}.ipynb"
    drop_pending(reports, job.name)
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    error = ""
    t0 = time.perf_counter()
    try:
        km = worker.kernel()
        job.steps["kernel"] = time.perf_counter() - t0
        pm.execute_notebook(
            str(job.notebook), str(tmp_nb), parameters=job.params, progress_bar=False,
            request_save_on_cell_execute=False, log_output=False,
            execution_timeout=CELL_TIMEOUT, start_timeout=120, km=km, engine_name=PAPERMILL_ENGINE)
    except Exception as e:
        error = _error_line(e)
    t1 = time.perf_counter()
    job.steps["notebook"] = t1 - t0 - job.steps.get("kernel", 0.0)
    if not tmp_nb.exists():   # failed before papermill wrote anything (e.g. the kernel did not start)
        job.status, job.error = "failed", error or "the notebook did not run"
        _save_state(reports, job, started, keep_content=True)
        return
    nb = nbformat.read(tmp_nb, as_version=4)
    try:
        page_html = export_html(reader_notebook(nb, error), page_title(job) + (" (failed)" if error else ""))
    except Exception as e:
        error = error or f"HTML export failed: {_error_line(e)}"
        page_html = None
    t2 = time.perf_counter()
    job.steps["export"] = t2 - t1
    atomic_replace(tmp_nb, reports / f"{job.name}.ipynb", fsync=False)   # follows the umask
    if page_html is not None:
        atomic_write(reports / f"{job.name}.html", page_html.encode("utf-8"))
    content = take_pending(reports, job.name)
    if error or job.kind != "topic":
        content = None
    job.status, job.error = ("failed", error) if error else ("ok", "")
    _save_state(reports, job, started, content=content, keep_content=content is None)
    job.steps["write"] = time.perf_counter() - t2


def page_title(job: Job) -> str:
    """The browser title of a report page, in readers' words."""
    from workbench.reports.words import topic_label
    if job.kind != "topic":
        return "Corpus overview"
    label = topic_label(job.topic)
    if job.variant == "whats-new":
        return f"What's new: {label}"
    return label


def reader_notebook(nb, error: str):
    """The executed notebook as a reader sees it: when it failed, no traceback (the
    executed notebook and the log keep it), only the error's one-line message on top."""
    if not error:
        return nb
    import copy

    import nbformat
    out = copy.deepcopy(nb)
    kept = []
    for cell in out.cells:
        if "papermill-error-cell-tag" in (cell.get("metadata", {}).get("tags") or []):
            continue                      # papermill's own "An Exception was encountered" notes
        failed = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        if cell.get("cell_type") == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("output_type") != "error"
                            and not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        kept.append(cell)
        if failed:
            break                         # what follows never ran: no empty sections
    out.cells = kept
    line = re.sub(r" \(cell \d+\)$", "", error.splitlines()[0] if error else "")
    note = nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": '<p class="wb-status-failed">This report could not be completed: '
                                           f"{html.escape(line)}. The other reports are not affected.</p>"})])
    out.cells.insert(0, note)
    return out


def _error_line(e: Exception) -> str:
    ename, evalue = getattr(e, "ename", None), getattr(e, "evalue", None)
    if ename:
        cell = getattr(e, "exec_count", None)
        return f"{ename}: {evalue}" + (f" (cell {cell})" if cell else "")
    return f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"


def _save_state(reports: Path, job: Job, started: str, content: dict | None = None,
                keep_content: bool = False) -> None:
    old = read_state(reports, job.name)
    st = {
        "name": job.name, "kind": job.kind, "topic": job.topic, "status": job.status,
        "fingerprint": job.fingerprint if job.status == "ok" else None,
        "inputs": {k: v for k, v in job.inputs.items() if k != "params"},
        "params": {k: v for k, v in job.params.items() if k not in ("store", "reports_dir")},
        "html": f"{job.name}.html", "notebook": f"{job.name}.ipynb",
        "started_at": started, "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "error": job.error or None,
        "content": content if content is not None else (old.get("content") if keep_content else None),
    }
    if job.status != "ok" and old.get("status") == "ok":
        st["last_ok_at"] = old.get("finished_at")
    write_state(reports, job.name, st)


# --------------------------------------------------------------------------- entry point

def _run_all(run: list[Job], reports: Path, home: Path, jobs: int | None, force: bool,
             progress: bool | None) -> None:
    """Run ``run`` on worker threads, each with its own (reused) kernel."""
    import queue

    from tqdm.auto import tqdm
    n_workers = max(1, min(jobs or os.cpu_count() or 1, len(run)))
    bar = tqdm(total=len(run), desc="reports", unit="report", file=sys.stderr,
               disable=(not progress) if progress is not None else None)
    say = lambda msg: bar.write(msg, file=sys.stderr)  # noqa: E731
    todo: queue.Queue = queue.Queue()
    for j in run:
        todo.put(j)
    socket_dir = tempfile.mkdtemp(prefix="wb-kernels-")

    def work(n: int) -> None:
        worker = Worker(n, socket_dir, home, reports / ".logs")
        try:
            while True:
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    return
                _run_job(job, reports, worker, force, say)
                bar.set_postfix_str(job.name, refresh=False)
                bar.update()
        finally:
            worker.close()

    try:
        _papermill()          # import once, before the threads race to do it
        threads = [threading.Thread(target=work, args=(n,), name=f"report-{n}", daemon=True)
                   for n in range(n_workers)]
        for t in threads:
            t.start()
        _exporter()           # build the HTML exporter while the kernels start
        for t in threads:
            t.join()
    finally:
        bar.close()
        shutil.rmtree(socket_dir, ignore_errors=True)


def _check_slugs(topics: list[str]) -> None:
    """Two topics whose names differ only in punctuation or case would write one file."""
    seen: dict[str, str] = {}
    for t in topics:
        other = seen.setdefault(_slug(t), t)
        if other != t:
            raise UsageError(f"topics {other!r} and {t!r} would both be written to {_slug(t)}.html: "
                             "rename one in topics.toml")


def plan(topics: list[str] | None = None, since: str | None = None, until: str | None = None,
         store: str | Path | None = None, since_last_run: bool = False,
         reports_dir: str | Path | None = None, overview: bool = True) -> tuple[list[Job], list[str], dict]:
    """The jobs a run would do, with their fingerprints (nothing is executed)."""
    since, until = _parse_date(since, "since"), _parse_date(until, "until")
    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    reports = Path(reports_dir) if reports_dir else settings.reports_dir()
    from workbench.store import manifest_bytes, store_arg, store_files
    store_dir = store_arg(store)
    if (manifest := manifest_bytes(store_dir)) is None:
        raise StoreError(f"no corpus store at {store_files(store_dir).manifest_name}: run `workbench ingest` first")
    ref_dir = settings.reference_dir()
    from workbench.reference import load_reference
    ref = load_reference(ref_dir)
    descriptions = {t.name: t.description for t in ref.topics}
    known = list(descriptions)
    if topics:
        unknown = [t for t in topics if t not in descriptions]
        if unknown:
            raise UsageError(f"unknown topic(s) {', '.join(unknown)}; known: {', '.join(known)}")
        chosen = list(dict.fromkeys(topics))
    else:
        chosen = known
    _check_slugs(known)
    nbdir = notebooks_dir()
    common = {
        "v": FINGERPRINT_VERSION,
        "store": hashlib.sha256(manifest).hexdigest(),
        "reference": _sha_tree(ref_dir, "*.toml"),
        "code": _sha_tree(_PKG_DIR, "*.py"),
    }
    jobs = [_topic_job(t, since, until, since_last_run, reports, store_dir, nbdir) for t in chosen]
    if overview:
        jobs.append(Job(name=OVERVIEW_NAME, kind="overview", notebook=nbdir / OVERVIEW_NOTEBOOK,
                        params={"store": str(store_dir), "topics": known}))
    nb_sha: dict[Path, str] = {}
    for j in jobs:
        if j.notebook not in nb_sha:
            nb_sha[j.notebook] = sha256_file(j.notebook)
        # a what's-new page is due when the corpus changed, wherever the last one started
        skip = {"reports_dir", "report_name"} | ({"since"} if j.variant == "whats-new" else set())
        fp = dict(common, notebook=nb_sha[j.notebook], variant=j.variant,
                  params={k: v for k, v in j.params.items() if k not in skip})
        j.inputs = fp
        j.fingerprint = hashlib.sha256(json.dumps(fp, sort_keys=True).encode()).hexdigest()
    return jobs, known, descriptions


def _topic_job(topic: str, since: str | None, until: str | None, since_last_run: bool, reports: Path,
               store_dir: str, nbdir: Path) -> Job:
    """The job of one topic: its standing report; with ``--since``/``--until`` a report
    under its own name (topic + range); with ``--since-last-run`` a dated what's-new page
    starting where the last report or what's-new page of the topic ended. Neither ever
    replaces the standing report."""
    slug = _slug(topic)
    name, variant, start = slug, "", since
    if since_last_run:
        prev = latest_content(reports, slug)
        start = prev.get("until") or prev.get("last") or since
        name, variant = f"{slug}{WHATS_NEW}{dt.date.today().isoformat()}", "whats-new"
    elif since or until:
        name, variant = f"{slug}{RANGE}{since or 'start'}_to_{until or 'latest'}", "range"
    params = {"topic": topic, "since": start, "until": until, "store": str(store_dir),
              "reports_dir": str(reports.resolve()), "report_name": name, "whats_new_page": variant == "whats-new"}
    return Job(name=name, kind="topic", topic=topic, notebook=nbdir / TOPIC_NOTEBOOK, params=params, variant=variant)


def _up_to_date_whats_new(reports: Path, job: Job) -> bool:
    """A what's-new job is up to date when the latest page of its topic was made from
    the same inputs (nothing new since: no page, and no file rewritten)."""
    for st in related_states(reports, _slug(job.topic or ""), WHATS_NEW):
        if st.get("status") == "ok":
            return st.get("fingerprint") == job.fingerprint and (reports / st.get("html", "")).exists()
    return False


def _largest_first(run: list[Job], store: str | Path | None) -> list[Job]:
    """Biggest topics first, the overview last (workers finish together; its kernel has the store)."""
    counts: dict[str, int] = {}
    from workbench.store import store_arg, topic_counts
    with contextlib.suppress(Exception):
        counts = topic_counts(store_arg(store)) if len(run) > 1 else {}
    return sorted(run, key=lambda j: (j.kind != "topic", -counts.get(j.topic or "", 0)))


def run_reports(topics: list[str] | None = None, since: str | None = None, until: str | None = None,
                jobs: int | None = None, force: bool = False, store: str | Path | None = None,
                since_last_run: bool = False, *, reports_dir: str | Path | None = None,
                progress: bool | None = None, engine: str = "local", scheduler: str | None = None) -> Outcome:
    """Run the report notebooks (skipping those whose inputs did not change) and
    write the index. Returns an ``Outcome`` (its ``failed`` lists the reports that
    failed); raises ``UsageError`` for bad arguments and ``StoreError`` with no corpus.
    ``engine`` "dask" runs one task per report on a Dask cluster (``reports.cluster``)."""
    t0 = time.perf_counter()
    if engine not in ("local", "dask"):
        raise UsageError(f"unknown engine {engine!r}: use local or dask")
    todo, known, descriptions = plan(topics, since, until, store, since_last_run, reports_dir)
    home = settings.home()
    reports = Path(reports_dir) if reports_dir else settings.reports_dir()
    reports.mkdir(parents=True, exist_ok=True)

    run = [j for j in todo if force or not _up_to_date(reports, j)]
    for j in todo:
        if j not in run:
            j.status = "unchanged"
    run = _largest_first(run, store)
    if run and engine == "dask":
        from workbench.reports.cluster import run_on_dask
        run_on_dask(run, reports, home, jobs, force, progress, scheduler)
    elif run:
        _run_all(run, reports, home, jobs, force, progress)
    index = reports / INDEX_FILE
    if run or index_stale(reports):
        with report_lock(reports, "index"):
            sweep_temporaries(reports, "index")
            write_index(reports, known, descriptions)
    return Outcome(jobs=todo, index=index, home=home, seconds=time.perf_counter() - t0)
