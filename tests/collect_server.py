"""A real HTTP server on 127.0.0.1 for the collect tests, with a request log.

Routes map a path to a function ``(request) -> (status, headers, body)``;
``body`` may be bytes or an iterator of byte chunks (sent chunked, to model a
body too large to announce). Every request is logged with its arrival time,
Host header, path, request headers and the status sent, so tests can prove
what the collector did and did not ask for.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


@dataclass
class Logged:
    at: float
    host: str
    path: str
    headers: dict
    status: int


Route = Callable[["Logged"], tuple]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        srv: TestServer = self.server.owner  # type: ignore[attr-defined]
        req = Logged(time.monotonic(), self.headers.get("Host", ""), self.path,
                     {k.lower(): v for k, v in self.headers.items()}, 0)
        route = srv.routes.get(self.path.split("?")[0])
        status, headers, body = route(req) if route else (404, {"Content-Type": "text/plain"}, b"no such page")
        req.status = status
        srv.log.append(req)
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if isinstance(body, (bytes, bytearray)):
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for chunk in body:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass   # the client gave up (timeout, size cap): expected in some tests


class TestServer:
    """Start with ``with TestServer() as s``; ``s.url(path)``, ``s.other(path)``
    (the same server under the host name ``localhost``: a second host)."""

    __test__ = False   # not a pytest test class

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Logged] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.owner = self  # type: ignore[attr-defined]
        self.port = self._httpd.server_address[1]

    def __enter__(self) -> Self:
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def other(self, path: str) -> str:
        return f"http://localhost:{self.port}{path}"

    def requests(self, path: str | None = None) -> list[Logged]:
        return [r for r in self.log if path is None or r.path.split("?")[0] == path]


def html_page(title: str, paragraphs: list[str], canonical: str | None = None) -> bytes:
    """A small article page (text written for these tests)."""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{link}</head>"
            f"<body><nav>Home | World | Defence</nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>Contact us</footer></body></html>").encode()


def static(status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
           etag: str | None = None) -> Route:
    """A route that always answers the same; with ``etag`` it honours If-None-Match."""
    def route(req: Logged) -> tuple:
        headers = {"Content-Type": ctype}
        if etag:
            headers["ETag"] = etag
            if req.headers.get("if-none-match") == etag:
                return 304, headers, b""
        return status, headers, body
    return route


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        n = min(size, total - sent)
        yield b"<p>" + b"x" * (n - 3)
        sent += n
