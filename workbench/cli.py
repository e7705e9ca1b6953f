"""The ``workbench`` command: a thin shell over the library.

The only module that prints and picks exit codes: 0 done; 1 done, but something
failed that ``--strict`` (or a failed report) makes an error; 2 an error with a
message (a missing path or store, a bad argument or reference file, a disk full);
75 the store or a report is locked by another run past ``--lock-timeout``;
130 interrupted; 141 the reader of standard output went away (``| head``).
The library logs through ``logging``; this module configures it (``-v``/``-q``/``--log-level``).
"""
from __future__ import annotations

import argparse
import errno
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from workbench import __version__, settings
from workbench.errors import StoreError, UsageError, WorkbenchError

log = logging.getLogger("workbench")

EXIT_FAILED, EXIT_ERROR, EXIT_LOCKED, EXIT_INTERRUPTED, EXIT_PIPE = 1, 2, 75, 130, 141
DESCRIPTION = """\
A research workbench for US–South Korea alliance military logistics news: it turns saved
news pages (text dumps, HTML, JSON/CSV exports) into a clean Parquet corpus and per-topic
HTML reports. Typical day: `workbench collect`, `workbench ingest`, `workbench report`."""
EPILOG = """\
exit status: 0 done; 1 something failed that --strict makes an error (or a report failed);
2 error (message on standard error); 75 locked by another run past --lock-timeout;
130 interrupted; 141 output pipe closed.
project folder: $WORKBENCH_HOME, else the checkout that holds the package."""


def _usage_check(ok: bool, message: str) -> None:
    if not ok:
        raise UsageError(message)


def _require_store(store: str | None) -> None:
    from workbench.store import STORE_FILE, store_files
    files = store_files(store)
    _usage_check(files.exists(STORE_FILE),
                 f"no corpus store at {files.manifest_name}: run `workbench ingest` first (or give --store)")


def _cmd_collect(a) -> int:
    from .collect import FetchConfig, collect
    cfg = FetchConfig()
    for name in ("rate_seconds", "timeout", "retries", "max_bytes"):
        if getattr(a, name) is not None:
            setattr(cfg, name, getattr(a, name))
    for lst in a.lists:
        _usage_check(Path(lst).is_file(), f"{lst}: no such URL list")
    s = collect(a.lists or None, out_dir=a.out, state_file=a.state, config=cfg, store=a.store,
                use_corpus=not a.no_corpus, progress=_progress(a),
                max_pages=a.max_pages)
    _out(s.lines())
    if a.strict and s.failed:
        log.error(f"--strict: {len(s.failed)} URL(s) failed")
        return EXIT_FAILED
    return 0


def _cmd_ingest(a) -> int:
    from workbench.pipeline import ingest
    from workbench.store import manifest_bytes
    for p in a.paths:
        _usage_check(os.path.lexists(p), f"{p}: no such file or folder")
    before = None if a.no_explorer_cache else manifest_bytes(a.store)
    try:
        s = ingest(a.paths or None, store=a.store, jobs=a.jobs, progress=_progress(a),
                   follow_symlinks=a.follow_symlinks, lock_timeout=a.lock_timeout,
                   engine=a.engine, scheduler=a.scheduler, corrections=_corrections_arg(a.corrections))
    except OSError as e:
        if not _no_room(e):
            raise
        from workbench.store import store_files
        raise StoreError(f"{store_files(a.store).manifest_name}: no room to write the store ({_reason(e)}); "
                         "the previous store is unchanged") from e
    if not a.no_explorer_cache and manifest_bytes(a.store) != before:
        explorer_cache(a.store)
    _out(s.lines())
    if a.verbose:
        _out(f"  warning: {doc}: {w}" for doc, w in s.warnings)
    empty = s.empty
    if a.strict and (s.rejected or empty or s.corrections):
        log.error(f"--strict: {len(s.rejected)} input(s) rejected, {len(empty)} document(s) with no body text, "
                  f"{len(s.corrections)} correction(s) not applied")
        return EXIT_FAILED
    return 0


def explorer_cache(store) -> None:
    """After a run that changed the store: the explorer's cache files of the partitions it wrote
    (``explore.cache.warm``), so the next explorer start reads no partition. Best effort: a store
    folder that takes no cache is left as it is (the explorer reads the store then)."""
    from workbench.explore.cache import warm
    try:
        warm(store)
    except (OSError, ValueError, StoreError) as e:
        log.warning(f"explorer cache not refreshed: {_reason(e) if isinstance(e, OSError) else e}")


def _corrections_arg(value: str | None) -> str | bool | None:
    """``--corrections FILE`` a corrections file, ``none`` no corrections, unset the default file."""
    if value is None:
        return None
    if value.lower() == "none":
        return False
    _usage_check(Path(value).is_file(), f"{value}: no such corrections file")
    return value


def _cmd_summary(a) -> int:
    from workbench.reports.corpus import corpus_summary
    _require_store(a.store)
    _out([corpus_summary(a.store)])
    return 0


def _cmd_export(a) -> int:
    from workbench.store import export_records, read_store
    _require_store(a.store)
    records, _ = read_store(a.store)
    if a.output and a.output != "-":
        from workbench.files import atomic_writer
        out = Path(a.output)
        _usage_check(out.parent.is_dir(), f"{out}: folder {out.parent} does not exist")
        _usage_check(not out.is_dir(), f"{out}: is a folder; name a file")
        try:
            with atomic_writer(out) as fh:
                n = export_records(records, a.format, fh)
        except OSError as e:
            if not _no_room(e):
                raise
            raise StoreError(f"{out}: no room to write the export ({_reason(e)}); nothing was replaced") from e
        if not a.quiet:
            print(f"wrote {n} record(s) to {out}", file=sys.stderr)
    else:
        export_records(records, a.format, sys.stdout)
    return 0


def _cmd_evaluate(a) -> int:
    from workbench.evaluate import evaluation_lines, run_evaluation
    gold = Path(a.gold) if a.gold else settings.gold_path()
    _usage_check(gold.is_file(), f"{gold}: no gold answers (evaluate needs data/gold/seeds.json or --gold FILE)")
    dev = Path(a.dev_dir) if a.dev_dir else settings.dev_dir()
    _usage_check(dev.is_dir(), f"{dev}: no such development-pages folder")
    result = run_evaluation(html=not a.no_html, dev_dir=a.dev_dir, gold=a.gold, raw_dir=a.raw)
    _out(evaluation_lines(result, verbose=bool(a.verbose)))
    return 0


def _cmd_report(a) -> int:
    from workbench.reports.run import run_reports
    _require_store(a.store)
    outcome = run_reports(topics=a.topic or None, since=a.since, until=a.until, jobs=a.jobs,
                          force=a.force, store=a.store, since_last_run=a.since_last_run,
                          progress=_progress(a), reports_dir=a.out_dir, engine=a.engine,
                          scheduler=a.scheduler)
    _out(outcome.lines())
    return EXIT_FAILED if outcome.failed else 0


def _progress(a) -> bool | None:
    """Progress bars only on a terminal (a cron log gets none) and never with -q."""
    return False if a.quiet or not sys.stderr.isatty() else None


def _out(lines) -> None:
    """Print result lines to standard output (flushed, so a closed pipe shows up here)."""
    for line in lines:
        print(line)
    sys.stdout.flush()


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {n}")
    return n


def _seconds(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if x < 0:
        raise argparse.ArgumentTypeError("must be 0 or more seconds")
    return x


def _common() -> argparse.ArgumentParser:
    """Options every command takes: verbosity and logging."""
    c = argparse.ArgumentParser(add_help=False)
    g = c.add_argument_group("output")
    g.add_argument("-v", "--verbose", action="count", default=0,
                   help="more detail (-v: progress notes and every warning; -vv: debug)")
    g.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar or closing notes; warnings and errors still go to standard error")
    g.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], type=str.upper,
                   help="logging threshold (overrides -v; default WARNING)")
    return c


def _store_arg(s: argparse.ArgumentParser) -> None:
    s.add_argument("--store", metavar="DIR", help="corpus store folder or fsspec URL (default: data/store)")


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {x}" for x in lines)


def _sub(sub, name: str, fn: Callable, help: str, description: str, examples: tuple[str, ...]):
    s = sub.add_parser(name, parents=[_common()], help=help, description=description,
                       epilog=_examples(*examples), formatter_class=argparse.RawDescriptionHelpFormatter)
    s.set_defaults(fn=fn)
    return s


def _add_collect(sub) -> None:
    s = _sub(sub, "collect", _cmd_collect, "fetch pages named by URL lists, RSS/Atom feeds and sitemaps",
             "Fetch the pages named in URL lists (pages, RSS/Atom feeds, sitemaps) politely into\n"
             "data/raw/collected/, where `workbench ingest` finds them; re-runs fetch only what changed.",
             ("workbench collect", "workbench collect my-urls.txt --max-pages 50 --strict"))
    s.add_argument("lists", nargs="*", metavar="LIST", help="URL list files (default: data/collect/urls.txt)")
    s.add_argument("--out", metavar="DIR", help="folder for pages (default: data/raw/collected)")
    s.add_argument("--state", metavar="FILE", help="state file (default: data/collect/state.json)")
    _store_arg(s)
    s.add_argument("--no-corpus", action="store_true", help="do not read the corpus for held URLs")
    s.add_argument("--rate-seconds", type=_seconds, help="minimum seconds between requests to one host")
    s.add_argument("--timeout", type=_seconds, help="seconds to wait for a server")
    s.add_argument("--retries", type=int, help="further attempts after 429/5xx/network errors")
    s.add_argument("--max-bytes", type=_positive_int, help="largest page accepted, in bytes")
    s.add_argument("--max-pages", type=_positive_int, help="new articles fetched this run at most (the rest wait)")
    s.add_argument("--strict", action="store_true", help="exit 1 if any URL failed")


def _add_ingest(sub) -> None:
    s = _sub(sub, "ingest", _cmd_ingest, "parse input files into the corpus store (incremental)",
             "Read, clean, extract and analyse input files (text dumps, HTML, JSON/JSONL/CSV exports)\n"
             "into the corpus store. Unchanged files are not parsed again; every input is parsed or\n"
             "rejected with its reason. One ingest at a time per store: a second one waits.",
             ("workbench ingest", "workbench ingest data/raw/new-batch --strict -v",
              "workbench ingest --store /srv/corpus --jobs 2 --lock-timeout 60",
              "workbench ingest --engine dask --scheduler tcp://10.0.0.5:8786"))
    s.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: data/raw)")
    s.add_argument("--strict", action="store_true",
                   help="exit 1 if any input is rejected, any document has no body text or any correction "
                        "could not be applied")
    s.add_argument("--corrections", metavar="FILE",
                   help="the analyst's corrections (default: data/corrections.toml; 'none': apply none)")
    _store_arg(s)
    s.add_argument("--jobs", type=_positive_int, help="worker processes (default: all cores)")
    s.add_argument("--lock-timeout", type=_seconds, default=settings.LOCK_TIMEOUT_SECONDS, metavar="SECONDS",
                   help="wait at most this long for another run holding the store (default: %(default)g)")
    s.add_argument("--follow-symlinks", action="store_true",
                   help="read symlinks in the folders that point outside them (refused by default)")
    s.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="where files are parsed: this machine's processes, or a Dask cluster (default: local)")
    s.add_argument("--no-explorer-cache", action="store_true",
                   help="do not refresh the explorer's cache of the partitions written (its next start does)")
    s.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: a running scheduler's address (default: a LocalCluster)")


def _add_summary_export(sub) -> None:
    s = _sub(sub, "summary", _cmd_summary, "a short overview of the corpus",
             "Counts of articles, outlets, dates, topics and rejected inputs in the corpus store.",
             ("workbench summary", "workbench summary --store /srv/corpus"))
    _store_arg(s)
    s = _sub(sub, "export", _cmd_export, "write the records as JSON Lines or CSV",
             "Write every article record (the fields README's 'The record' lists). CSV cells that a\n"
             "spreadsheet would run as a formula (= + - @ tab CR) are prefixed with a quote.",
             ("workbench export -o corpus.jsonl", "workbench export --format csv -o corpus.csv",
              "workbench export | head -n 3"))
    s.add_argument("--format", choices=["jsonl", "csv"], default="jsonl", help="output format (default: jsonl)")
    s.add_argument("-o", "--output", metavar="FILE", help="file to write, atomically (default: standard output)")
    _store_arg(s)


def _add_evaluate(sub) -> None:
    s = _sub(sub, "evaluate", _cmd_evaluate, "score extraction and analysis against gold",
             "Run the seed articles through the real pipeline and score them against data/gold, then\n"
             "the development pages (text dumps and HTML) with the benchmark's metric.",
             ("workbench evaluate", "workbench evaluate --no-html -v",
              "workbench evaluate --gold my_gold.json --raw my_pages/"))
    s.add_argument("--no-html", action="store_true", help="skip the HTML half of the dev set")
    s.add_argument("--dev-dir", metavar="DIR", help="development pages folder (default: data/dev/extraction)")
    s.add_argument("--gold", metavar="FILE",
                   help="gold answers in the seeds' format (default: data/gold/seeds.json); prints issue 10's table")
    s.add_argument("--raw", metavar="DIR", help="the raw files the gold describes (default: data/raw)")


def _add_report(sub) -> None:
    s = _sub(sub, "report", _cmd_report, "run the topic report notebooks into reports/",
             "Run the topic report notebook once per topic (and the corpus overview) into reports/,\n"
             "as standalone HTML; reports whose inputs did not change are skipped.",
             ("workbench report", "workbench report --topic mro-shipbuilding logistics-sustainment",
              "workbench report --since 2026-01-01 --until 2026-03-31 --force --jobs 2",
              "workbench report --engine dask --scheduler tcp://10.0.0.5:8786"))
    s.add_argument("--topic", nargs="+", action="extend", metavar="TOPIC",
                   help="one or more topics (repeatable; default: every topic)")
    s.add_argument("--since", metavar="YYYY-MM-DD", help="first date")
    s.add_argument("--until", metavar="YYYY-MM-DD", help="last date")
    s.add_argument("--since-last-run", action="store_true",
                   help="start each report where that topic's previous report ended")
    s.add_argument("--jobs", type=_positive_int, default=None, help="reports run at once (default: cores)")
    s.add_argument("--force", action="store_true", help="re-run reports even when nothing changed")
    s.add_argument("-o", "--out-dir", metavar="DIR", help="folder for the reports and their index (default: reports)")
    s.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="where the notebooks run: local kernels, or one task per report on a Dask cluster")
    s.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: a running scheduler's address (default: a LocalCluster of --jobs workers)")
    _store_arg(s)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="workbench", description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True, metavar="COMMAND")
    for add in (_add_collect, _add_ingest, _add_summary_export, _add_evaluate, _add_report):
        add(sub)
    return p


def configure_logging(a) -> int:
    """Send the library's log records to standard error at the level the options ask for."""
    if a.log_level:
        level = getattr(logging, a.log_level)
    else:
        level = {0: logging.WARNING, 1: logging.INFO}.get(a.verbose, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    fmt = "%(levelname)s %(name)s: %(message)s" if level <= logging.DEBUG else "%(levelname)s: %(message)s"
    handler.setFormatter(logging.Formatter(fmt))
    root = logging.getLogger("workbench")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    logging.addLevelName(logging.WARNING, "warning")
    logging.addLevelName(logging.ERROR, "error")
    logging.addLevelName(logging.INFO, "info")
    return level


def _no_room(e: OSError) -> bool:
    """A full disk, quota or file-size limit (pyarrow reports the errno only in its message)."""
    return e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) or any(
        f"errno {n}]" in str(e) for n in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG))


def _reason(e: OSError) -> str:
    return e.strerror or str(e).rsplit("Detail: ", 1)[-1]


def _os_error_message(e: OSError) -> str:
    where = f" {e.filename}" if e.filename else ""
    if _no_room(e):
        return (f"no room to write{where or ' (disk full or file size limit)'}: {_reason(e)}; "
                "files being replaced keep their previous contents")
    return f"{e.strerror or e}:{where}" if where else f"{e}"


def _pipe_closed() -> int:
    """The reader of standard output went away: stop quietly (as `yes | head` does)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_PIPE


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args)
    try:
        return args.fn(args) or 0
    except KeyboardInterrupt:
        log.error("interrupted; the store is unchanged unless the run had finished")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return _pipe_closed()
    except TimeoutError as e:
        log.error(str(e))
        return EXIT_LOCKED
    except WorkbenchError as e:
        log.error(str(e))
        return EXIT_ERROR
    except UnicodeDecodeError as e:
        log.error(f"a file is not valid UTF-8 ({e}); see the log above for which (-v)")
        return EXIT_ERROR
    except OSError as e:
        log.debug("details", exc_info=True)
        log.error(_os_error_message(e))
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
