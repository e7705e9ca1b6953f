"""The ``workbench`` command: a thin shell over the library.

    workbench collect [LIST ...] [--strict]    fetch pages named by URL lists and feeds
    workbench ingest [PATH ...] [--strict]     parse inputs into the corpus store
    workbench summary                          a short overview of the corpus
    workbench export --format jsonl|csv        write the records
    workbench evaluate                         score against gold and the dev pages
    workbench report [--topic T ...]           per-topic reports into reports/
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.errors import WorkbenchError


def _cmd_collect(a) -> int:
    from .collect import FetchConfig, collect
    cfg = FetchConfig()
    for name in ("rate_seconds", "timeout", "retries", "max_bytes"):
        if getattr(a, name) is not None:
            setattr(cfg, name, getattr(a, name))
    s = collect(a.lists or None, out_dir=a.out, state_file=a.state, config=cfg, store=a.store,
                use_corpus=not a.no_corpus, progress=None if not a.quiet else False,
                max_pages=a.max_pages)
    for line in s.lines():
        print(line)
    if a.strict and s.failed:
        print(f"--strict: {len(s.failed)} URL(s) failed", file=sys.stderr)
        return 1
    return 0


def _cmd_ingest(a) -> int:
    from workbench.pipeline import ingest
    s = ingest(a.paths or None, store=a.store, jobs=a.jobs, progress=None if not a.quiet else False,
               follow_symlinks=a.follow_symlinks, engine=a.engine, scheduler=a.scheduler)
    for line in s.lines():
        print(line)
    if a.verbose:
        for doc, w in s.warnings:
            print(f"  warning: {doc}: {w}")
    if a.strict and s.rejected:
        print(f"--strict: {len(s.rejected)} input(s) rejected", file=sys.stderr)
        return 1
    return 0


def _cmd_summary(a) -> int:
    from workbench.reports.corpus import corpus_summary
    print(corpus_summary(a.store))
    return 0


def _cmd_export(a) -> int:
    from workbench.store import export_records, read_store
    records, _ = read_store(a.store)
    if a.output and a.output != "-":
        from workbench.files import atomic_writer
        out = Path(a.output)
        with atomic_writer(out) as fh:
            n = export_records(records, a.format, fh)
        print(f"wrote {n} record(s) to {out}", file=sys.stderr)
    else:
        export_records(records, a.format, sys.stdout)
    return 0


def _cmd_evaluate(a) -> int:
    from workbench.evaluate import evaluation_lines, run_evaluation
    for line in evaluation_lines(run_evaluation(html=not a.no_html, dev_dir=a.dev_dir), verbose=a.verbose):
        print(line)
    return 0


def _cmd_report(a) -> int:
    from workbench.reports.run import run_reports
    outcome = run_reports(topics=a.topic or None, since=a.since, until=a.until, jobs=a.jobs,
                          force=a.force, store=a.store, since_last_run=a.since_last_run)
    for line in outcome.lines():
        print(line)
    return 1 if outcome.failed else 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="workbench", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("collect", help="fetch pages named by URL lists, RSS/Atom feeds and sitemaps")
    s.add_argument("lists", nargs="*", help="URL list files (default: data/collect/urls.txt)")
    s.add_argument("--out", help="folder for pages (default: data/raw/collected)")
    s.add_argument("--state", help="state file (default: data/collect/state.json)")
    s.add_argument("--store", help="corpus store whose URLs count as held (default: data/store)")
    s.add_argument("--no-corpus", action="store_true", help="do not read the corpus for held URLs")
    s.add_argument("--rate-seconds", type=float, help="minimum seconds between requests to one host")
    s.add_argument("--timeout", type=float, help="seconds to wait for a server")
    s.add_argument("--retries", type=int, help="further attempts after 429/5xx/network errors")
    s.add_argument("--max-bytes", type=int, help="largest page accepted")
    s.add_argument("--max-pages", type=int, help="new articles fetched this run at most (the rest wait)")
    s.add_argument("--strict", action="store_true", help="exit non-zero if any URL failed")
    s.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    s.set_defaults(fn=_cmd_collect)

    s = sub.add_parser("ingest", help="parse input files into the corpus store (incremental)")
    s.add_argument("paths", nargs="*", help="files or folders (default: data/raw)")
    s.add_argument("--strict", action="store_true", help="exit non-zero if any input is rejected")
    s.add_argument("--store", help="store folder (default: data/store)")
    s.add_argument("--jobs", type=int, help="worker processes (default: all cores)")
    s.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    s.add_argument("-v", "--verbose", action="store_true", help="list every warning")
    s.add_argument("--follow-symlinks", action="store_true",
                   help="read symlinks in the folders that point outside them (refused by default)")
    s.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="where files are parsed: this machine's processes, or a Dask cluster")
    s.add_argument("--scheduler", help="with --engine dask: a running scheduler's address (default: a LocalCluster)")
    s.set_defaults(fn=_cmd_ingest)

    s = sub.add_parser("summary", help="a short overview of the corpus")
    s.add_argument("--store")
    s.set_defaults(fn=_cmd_summary)

    s = sub.add_parser("export", help="write the records as JSON Lines or CSV")
    s.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    s.add_argument("-o", "--output", help="file to write (default: standard output)")
    s.add_argument("--store")
    s.set_defaults(fn=_cmd_export)

    s = sub.add_parser("evaluate", help="score extraction and analysis against gold")
    s.add_argument("--no-html", action="store_true", help="skip the HTML half of the dev set")
    s.add_argument("--dev-dir", help="development pages folder (default: data/dev/extraction)")
    s.add_argument("-v", "--verbose", action="store_true", help="per-document lines for the dev set too")
    s.set_defaults(fn=_cmd_evaluate)

    s = sub.add_parser("report", help="run the topic report notebooks into reports/")
    s.add_argument("--topic", action="append", help="a topic (repeatable; default: every topic)")
    s.add_argument("--since", help="first date, YYYY-MM-DD")
    s.add_argument("--until", help="last date, YYYY-MM-DD")
    s.add_argument("--since-last-run", action="store_true",
                   help="start each report where that topic's previous report ended")
    s.add_argument("--jobs", type=int, default=None, help="reports run at once (default: cores)")
    s.add_argument("--force", action="store_true", help="re-run reports even when nothing changed")
    s.add_argument("--store")
    s.set_defaults(fn=_cmd_report)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.fn(args) or 0
    except KeyboardInterrupt:
        print("interrupted; the store is unchanged unless the run had finished", file=sys.stderr)
        return 130
    except WorkbenchError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
