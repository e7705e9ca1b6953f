"""File helpers every stage shares: atomic writes, content hashes, paths as shown.

One copy each, so the store, the reports and the exports replace files the same
way (write to a temporary file in the same folder, then ``os.replace``: a crash
or kill leaves the previous file whole).
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

CHUNK = 1 << 20


@contextlib.contextmanager
def atomic_writer(path: str | Path, mode: str = "w", fsync: bool = False) -> Iterator[IO[Any]]:
    """A file handle whose contents replace ``path`` only if the block ends without error."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        encoding, newline = (None, None) if "b" in mode else ("utf-8", "")
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as fh:
            yield fh
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~current_umask())    # mkstemp makes 0600: follow the umask instead
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def current_umask() -> int:
    """The process's umask (read without changing it for longer than a call)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | Path, data: bytes | str, fsync: bool = False) -> Path:
    """Replace ``path`` with ``data`` (text is written as UTF-8) atomically; returns the path."""
    with atomic_writer(path, "wb", fsync=fsync) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)


def atomic_replace(tmp: str | Path, path: str | Path, fsync: bool = True) -> None:
    """Move an already written temporary file over ``path`` (same folder), removing it on failure."""
    try:
        if fsync:
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")   # what a spreadsheet may run as a formula (OWASP)


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ tab or CR
    gets a leading apostrophe (OWASP's CSV-injection advice); other values unchanged.
    Every CSV export (the explorer's and ``workbench export``) passes cells through this."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def sha256_file(path: str | Path, h: Any = None) -> str:
    """Hex SHA-256 of a file's bytes (read in chunks); ``h`` continues an existing hash."""
    h = h or hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def display_path(path: str | Path, home: str | Path | None = None) -> str:
    """``path`` relative to the project home when inside it, else absolute (resolved).

    A symlinked file is shown (and kept in the ledger) under its own name, not its target's."""
    from workbench import settings
    q = Path(path)
    p = q.parent.resolve() / q.name if q.is_symlink() and not q.is_dir() else q.resolve()
    try:
        return str(p.relative_to(Path(home) if home is not None else settings.home()))
    except ValueError:
        return str(p)


@contextlib.contextmanager
def file_lock(path: str | Path, timeout: float = -1, on_wait: Any = None,
              what: str = "") -> Iterator[None]:
    """Hold an exclusive inter-process lock on ``path`` (``filelock``: works on every OS).

    Waits at most ``timeout`` seconds (negative: forever), calling ``on_wait()``
    once if the lock is busy; raises ``TimeoutError`` naming ``what`` after that.
    """
    import filelock
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        if on_wait is not None:
            on_wait()
        try:
            lock.acquire(timeout=timeout)
        except filelock.Timeout:
            raise TimeoutError(f"another run has held the lock of {what or path} "
                               f"for over {timeout:.0f} s") from None
    try:
        yield
    finally:
        lock.release()
