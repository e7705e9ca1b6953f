"""Collect the development pages through a local feed, then ingest them.

    python benchmarks/collect_local.py [--rate 0] [--jobs 2]

Serves the 91 dev pages' HTML (data/dev/extraction/html, real pages captured
in 2019) from a server on 127.0.0.1 listed by one RSS feed, runs the real
``collect`` twice and the real ``ingest`` once into temporary folders, and
prints: pages/s of the first run, requests of the second run (conditional
feed request only, no page), how many pages' <link rel=canonical> was found
and how many equal the page's original URL in the manifest (normalised), and
how many ingested records carry a url and a body. Prints figures; asserts
nothing. The dev pages were not used to write the canonical-link rule.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.collect import FetchConfig, collect
from workbench.collect.sidecar import load_sidecar
from workbench.collect.urls import normalise_url
from workbench.pipeline import ingest
from workbench.store import read_store

DEV = ROOT / "data" / "dev" / "extraction"


def serve(pages: dict[str, bytes], feed: dict[str, bytes], log: list[str]) -> ThreadingHTTPServer:
    """A server for ``pages`` by id and ``feed["body"]`` at /feed.xml (ETag honoured)."""
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a) -> None:
            pass

        def do_GET(self) -> None:
            log.append(self.path)
            status, body, ctype = 404, b"", "text/plain"
            if self.path == "/feed.xml":
                status, body, ctype = 200, feed["body"], "application/rss+xml"
                if self.headers.get("If-None-Match") == '"feed1"':
                    status, body = 304, b""
            elif self.path.lstrip("/") in pages:
                status, body, ctype = 200, pages[self.path.lstrip("/")], "text/html"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            if self.path == "/feed.xml":
                self.send_header("ETag", '"feed1"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rate", type=float, default=0.0, help="seconds between requests (default 0)")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    manifest = {m["id"]: m for m in json.loads((DEV / "manifest.json").read_text())}
    pages = {p.name[: -len(".html.gz")]: gzip.decompress(p.read_bytes())
             for p in sorted((DEV / "html").glob("*.html.gz"))}
    log: list[str] = []
    feed: dict[str, bytes] = {}
    httpd = serve(pages, feed, log)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    items = "".join(f"<item><title>{escape(manifest.get(i, {}).get('title', i))}</title>"
                    f"<link>{base}/{i}</link></item>" for i in pages)
    feed["body"] = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>dev</title>'
                    f"{items}</channel></rss>").encode()
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        (t / "urls.txt").write_text(f"feed {base}/feed.xml\n")
        run(t, manifest, a, log)
    httpd.shutdown()


def run(t: Path, manifest: dict, a: argparse.Namespace, log: list[str]) -> None:
    """Two collect runs and one ingest in ``t``; prints the figures."""
    cfg = FetchConfig(rate_seconds=a.rate, retries=0)
    out, state = t / "raw" / "collected", t / "state.json"
    t0 = time.perf_counter()
    s1 = collect([t / "urls.txt"], out_dir=out, state_file=state, config=cfg, use_corpus=False, progress=False)
    dt1 = time.perf_counter() - t0
    n_before = len(log)
    s2 = collect([t / "urls.txt"], out_dir=out, state_file=state, config=cfg, use_corpus=False, progress=False)
    second = log[n_before:]
    print(f"first run: {s1.fetched} page(s) saved in {dt1:.2f} s ({s1.fetched / dt1:.1f} pages/s), "
          f"{len(s1.failed)} failed, {s1.duplicates} duplicate(s) by canonical URL")
    print(f"second run: {len(second)} request(s) ({', '.join(sorted(set(second)))}); "
          f"{s2.fetched} fetched, {s2.known} already held")
    found = same = 0
    for side in out.rglob("*.sidecar.json"):
        obj = load_sidecar(side)
        pid = obj["requested_url"].rsplit("/", 1)[1]
        if obj["canonical_url"] != normalise_url(obj["final_url"]):
            found += 1
            if obj["canonical_url"] == normalise_url(manifest.get(pid, {}).get("url", "")):
                same += 1
    print(f"canonical link found on {found}/{s1.fetched} pages; equal to the manifest URL on {same}/{found}")
    t0 = time.perf_counter()
    ing = ingest([t / "raw"], store=t / "store", jobs=a.jobs, progress=False)
    records = read_store(t / "store")[0]
    with_url = sum(1 for r in records if r.get("url"))
    with_body = sum(1 for r in records if r.get("body"))
    print(f"ingest: {ing.parsed} file(s) parsed, {len(ing.rejected)} rejected in "
          f"{time.perf_counter() - t0:.1f} s; {with_url}/{len(records)} records with url, "
          f"{with_body}/{len(records)} with a body")


if __name__ == "__main__":
    main()
