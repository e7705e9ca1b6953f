"""File helpers every stage shares: atomic writes, content hashes, paths as shown.

One copy each, so the store, the reports and the exports replace files the same
way (write to a temporary file in the same folder, then ``os.replace``: a crash
or kill leaves the previous file whole).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

CHUNK = 1 << 20
log = logging.getLogger(__name__)


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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP's CSV injection advice):
    text starting with = + - @ tab or CR gets a leading single quote; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


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


# Descriptors of the locks this process holds: a forked child closes its copies at once, so a
# worker process never keeps a lock alive after its parent is gone (flock locks belong to the
# open file, which every fork shares).
_HELD_FDS: set[int] = set()


def _close_held_locks_in_child() -> None:
    for fd in list(_HELD_FDS):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD_FDS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_held_locks_in_child)


def owner_path(lock: str | Path) -> Path:
    """The small JSON file beside a lock that says who holds it (pid, host, since, command)."""
    lock = Path(lock)
    return lock.with_name(lock.name + ".owner")


def read_owner(lock: str | Path) -> dict | None:
    """Who last took ``lock`` (None when unknown or unreadable)."""
    try:
        data = json.loads(owner_path(lock).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("pid"), int) else None


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this machine (a zombie counts as ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    try:                                         # Linux: a zombie has ended but not been reaped yet
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def owner_alive(owner: dict) -> bool:
    """False only when the holder ran on this host and its process is gone."""
    return owner.get("host") != socket.gethostname() or pid_alive(int(owner["pid"]))


def describe_owner(owner: dict | None) -> str:
    if not owner:
        return "another process"
    cmd = f" ({owner['command']})" if owner.get("command") else ""
    return f"pid {owner['pid']} on {owner.get('host', '?')}{cmd}, since {owner.get('since', '?')}"


def _write_owner(lock: Path) -> None:
    info = {"pid": os.getpid(), "host": socket.gethostname(),
            "since": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "command": " ".join(sys.argv[:3])[:200]}
    with contextlib.suppress(OSError):
        atomic_write(owner_path(lock), json.dumps(info))


def _wait_message(what: str, owner: dict | None, timeout: float) -> str:
    limit = "no time limit" if timeout < 0 else f"giving up after {timeout:g} s"
    msg = f"waiting for the lock of {what} held by {describe_owner(owner)} ({limit})"
    if owner and not owner_alive(owner):
        msg += "; that process has ended, but a process it started still holds the lock"
    return msg


@contextlib.contextmanager
def file_lock(path: str | Path, timeout: float = -1, on_wait: Any = None,
              what: str = "") -> Iterator[None]:
    """Hold an exclusive inter-process lock on ``path`` (``filelock``: works on every OS).

    A busy lock is logged once ("waiting for the lock of ... held by pid N ..., since ...")
    and ``on_wait()`` called; after ``timeout`` seconds (negative: never) ``TimeoutError``
    names ``what`` and the holder. The lock itself dies with its holder (the OS releases
    it; forked children close their copies), and a lock left by a process that is gone
    is taken over with a warning. Who holds it is kept in ``<lock>.owner``.
    """
    import filelock
    path = Path(path)
    what = what or str(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        owner = read_owner(path)
        log.warning(_wait_message(what, owner, timeout))
        if on_wait is not None:
            on_wait()
        try:
            lock.acquire(timeout=timeout)
        except filelock.Timeout:
            raise TimeoutError(f"gave up after {timeout:g} s waiting for the lock of {what} held by "
                               f"{describe_owner(read_owner(path) or owner)}") from None
    try:
        prev = read_owner(path)
        if prev and prev.get("pid") != os.getpid() and not owner_alive(prev):
            log.warning(f"took over the lock of {what} left by {describe_owner(prev)}, "
                        "which is no longer running")
        _write_owner(path)
        fd = _lock_fd(lock)
        if fd is not None:
            _HELD_FDS.add(fd)
        try:
            yield
        finally:
            if fd is not None:
                _HELD_FDS.discard(fd)
            with contextlib.suppress(OSError):
                owner_path(path).unlink()
    finally:
        lock.release()


def _lock_fd(lock: Any) -> int | None:
    """The descriptor ``filelock`` holds the lock with (its attribute moved between versions)."""
    for holder in (getattr(lock, "_context", None), lock):
        fd = getattr(holder, "lock_file_fd", None) or getattr(holder, "_lock_file_fd", None)
        if isinstance(fd, int):
            return fd
    return None
