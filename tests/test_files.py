"""files: atomic replacement, hashing, paths as shown, the cross-platform lock."""
from __future__ import annotations

import hashlib
import threading

import pytest

from workbench.files import atomic_write, atomic_writer, display_path, file_lock, sha256_file


def test_atomic_write_replaces_whole_or_not_at_all(tmp_path):
    p = tmp_path / "sub" / "out.txt"
    atomic_write(p, "first")
    with pytest.raises(RuntimeError):
        with atomic_writer(p) as fh:
            fh.write("half of the second")
            raise RuntimeError("crash mid-write")
    assert p.read_text() == "first"
    assert [q.name for q in p.parent.iterdir()] == ["out.txt"]          # no temporary left behind


def test_sha256_file_matches_hashlib(tmp_path):
    p = tmp_path / "x.bin"
    data = bytes(range(256)) * 5000                                      # several read chunks
    p.write_bytes(data)
    assert sha256_file(p) == hashlib.sha256(data).hexdigest()


def test_display_path_relative_inside_home_absolute_outside(tmp_path):
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    assert display_path(home / "data" / "a.txt", home) == "data/a.txt"
    assert display_path(tmp_path / "elsewhere.txt", home) == str((tmp_path / "elsewhere.txt").resolve())


def test_file_lock_excludes_a_second_holder_and_names_what_timed_out(tmp_path):
    lock = tmp_path / "x.lock"
    waited = []
    with file_lock(lock):
        errors = []

        def second():
            try:
                with file_lock(lock, timeout=0.3, on_wait=lambda: waited.append(1), what="the store"):
                    pass
            except TimeoutError as e:
                errors.append(str(e))

        t = threading.Thread(target=second)
        t.start()
        t.join(10)
    assert waited == [1] and len(errors) == 1 and "the store" in errors[0]
    with file_lock(lock, timeout=1):                                     # free again once released
        pass
