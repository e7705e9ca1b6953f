"""Where the corpus store's files live: a local folder, or any fsspec URL.

A store named by a path (``data/store``) is a folder, written as it always was: each
file to a temporary name, then ``os.replace``\\ d over its final one; the manifest
the same way after an fsync. A store named by an fsspec URL (``s3://bucket/corpus``,
``gcs://bucket/corpus``, ``memory://corpus``, ``file:///srv/corpus``, chains such as
``dir::...`` or ``simplecache::s3://...``) goes through ``fsspec.core.url_to_fs``:

* partition and sidecar files are encoded in memory (one partition at a time), then
  put once, straight to their final, unique names (``parts/<key>.<token>.parquet``):
  no rename, which on an object store is a copy and a delete, not atomic. A file no
  manifest names yet is invisible to readers, and on S3 or GCS an object exists
  only once its upload completed;
* the manifest is swapped last: where the filesystem has an atomic rename (the local
  one, also behind ``file://`` or ``dir::``) written to a temporary name and moved
  over the old one; elsewhere written in one put, which replaces the object whole
  (readers of S3 or GCS see the old manifest or the new one, never a part of it);
* the files the old manifest named are deleted after the swap, as in a folder.

The writer's lock for a URL is a local file keyed by the URL (under
``tempfile.gettempdir()``): it keeps two runs on this machine apart, not two
machines (object stores have no lock). Readers open the files through
``pyarrow.fs.PyFileSystem(FSSpecHandler(fs))``.
"""
from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from workbench.files import atomic_replace, atomic_write

STORE_FILE = "manifest.json"     # the file that names the store's current state
PARTS_DIR = "parts"
SPOOL_PREFIX = ".spool-"         # a streaming ingest's folder of spill files, removed when it ends


def is_url(store: Any) -> bool:
    """Whether ``store`` is an fsspec URL (``proto://...`` or a ``a::b`` chain), not a folder."""
    return isinstance(store, str) and ("://" in store or "::" in store)


ROW_GROUP = 4096                 # rows of a Parquet row group


def write_parquet(table: pa.Table | Iterable[pa.Table], where: Any, dictionary: bool = True) -> int:
    """The store's Parquet encoding of ``table`` to ``where`` (a path or an open binary file);
    the rows written. ``table`` may be given as its consecutive slices (one schema, at least
    one slice; each but the last ``ROW_GROUP`` rows, so the row groups are those of the whole
    table), each encoded as it comes: a large partition is never whole in memory.
    ``dictionary``: False for columns of hashes and other unique values (the copy index:
    100k signatures), where trying a dictionary encoding cost 0.7 s of CPU for nothing
    (0.26 s without, and a smaller file)."""
    opts: dict[str, Any] = {"compression": "zstd", "use_dictionary": dictionary}
    if isinstance(table, pa.Table):
        pq.write_table(table, where, row_group_size=ROW_GROUP, **opts)
        return table.num_rows
    slices = iter(table)
    first = next(slices)
    rows = 0
    with pq.ParquetWriter(where, first.schema, **opts) as writer:
        for part in itertools.chain([first], slices):
            writer.write_table(part, row_group_size=ROW_GROUP)
            rows += part.num_rows
    return rows


class LocalFiles:
    """The store's files in the folder ``root``."""

    arrow_fs: Any = None        # pyarrow's own local filesystem

    def __init__(self, root: Path) -> None:
        self.root = root
        self.name = str(root)
        self.manifest_name = str(root / STORE_FILE)

    def path(self, rel: str) -> str:
        return str(self.root / rel)

    def exists(self, rel: str) -> bool:
        return (self.root / rel).exists()

    def read_bytes(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def lock_path(self) -> Path:
        return self.root / ".lock"

    def prepare(self) -> None:
        (self.root / PARTS_DIR).mkdir(parents=True, exist_ok=True)

    def clear_temporaries(self) -> None:
        """Temporary files a killed run left behind (never a file the manifest names)."""
        for pattern in (".corpus-*.parquet.tmp", f"{PARTS_DIR}/.part-*.parquet.tmp", ".manifest.json.*.tmp"):
            for stale in self.root.glob(pattern):
                with contextlib.suppress(FileNotFoundError):
                    stale.unlink()
        for spool in self.root.glob(f"{SPOOL_PREFIX}*"):     # a streaming ingest's spill files (workbench.spool)
            shutil.rmtree(spool, ignore_errors=True)

    def write(self, table: pa.Table | Iterable[pa.Table], rel: str, dictionary: bool = True) -> int:
        """Write ``table`` (or its slices: ``write_parquet``) to ``rel`` atomically (a temporary
        file, then ``os.replace``); the rows written."""
        path = self.root / rel
        fd, tmp = tempfile.mkstemp(prefix=".part-", suffix=".parquet.tmp", dir=path.parent)
        os.close(fd)
        try:
            rows = write_parquet(table, tmp, dictionary)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        atomic_replace(tmp, path)
        return rows

    def write_manifest(self, text: str) -> None:
        atomic_write(self.root / STORE_FILE, text, fsync=True)

    def remove(self, rel: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.root / rel).unlink()

    def listed(self) -> list[str]:
        """The Parquet files in ``parts/`` (named by the manifest or not)."""
        return [f"{PARTS_DIR}/{f.name}" for f in (self.root / PARTS_DIR).glob("*.parquet")]


class RemoteFiles:
    """The store's files under ``url``, through fsspec (see the module's notes)."""

    def __init__(self, url: str) -> None:
        try:
            from fsspec.core import url_to_fs
        except ImportError as e:    # it comes with the dask extra; not a dependency of a local store
            raise RuntimeError(f"{url}: a store at a URL needs fsspec: pip install 'workbench[dask]' "
                               "(or fsspec), and s3fs for s3://, gcsfs for gcs://") from e
        self.fs, root = url_to_fs(url)
        self.root = root.rstrip("/")
        self.name = url.rstrip("/")
        self.manifest_name = f"{self.name}/{STORE_FILE}"

    @property
    def arrow_fs(self) -> Any:
        import pyarrow.fs as pafs
        return pafs.PyFileSystem(pafs.FSSpecHandler(self.fs))

    def path(self, rel: str) -> str:
        return f"{self.root}/{rel}"

    def exists(self, rel: str) -> bool:
        return bool(self.fs.exists(self.path(rel)))

    def read_bytes(self, rel: str) -> bytes:
        return bytes(self.fs.cat_file(self.path(rel)))

    def lock_path(self) -> Path:
        key = hashlib.sha256(self.name.encode("utf-8")).hexdigest()[:20]
        return Path(tempfile.gettempdir()) / "workbench-store-locks" / f"{key}.lock"

    def prepare(self) -> None:
        self.fs.makedirs(self.path(PARTS_DIR), exist_ok=True)     # (nothing to do on an object store)

    def clear_temporaries(self) -> None:
        """Nothing: no temporary file is written here but a manifest's, moved at once (the spill
        files of a streaming ingest are in a local temporary folder)."""

    def write(self, table: pa.Table | Iterable[pa.Table], rel: str, dictionary: bool = True) -> int:
        """Write ``table`` (or its slices: ``write_parquet``) to its final name ``rel`` (fresh, never
        overwritten: see the notes); the rows written. Encoded in memory first and then put whole:
        a failed encoding leaves no object behind (an fsspec file closed by an exception would
        still upload what it had)."""
        buf = pa.BufferOutputStream()
        rows = write_parquet(table, buf, dictionary)
        try:
            self.fs.pipe_file(self.path(rel), buf.getvalue().to_pybytes())
        except BaseException:
            self.remove(rel)
            raise
        return rows

    def write_manifest(self, text: str) -> None:
        data = text.encode("utf-8")
        if self.renames():
            tmp = self.path(f".{STORE_FILE}.{secrets.token_hex(4)}.tmp")
            self.fs.pipe_file(tmp, data)
            self.fs.mv(tmp, self.path(STORE_FILE))
        else:
            self.fs.pipe_file(self.path(STORE_FILE), data)

    def renames(self) -> bool:
        """Whether a move on this filesystem is an atomic rename (local files, also behind ``dir::``)."""
        from fsspec.implementations.dirfs import DirFileSystem
        from fsspec.implementations.local import LocalFileSystem
        fs = self.fs
        while isinstance(fs, DirFileSystem):
            fs = fs.fs
        return isinstance(fs, LocalFileSystem)

    def remove(self, rel: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm_file(self.path(rel))

    def listed(self) -> list[str]:
        return [f"{PARTS_DIR}/{p.rsplit('/', 1)[-1]}" for p in self.fs.glob(self.path(f"{PARTS_DIR}/*.parquet"))]


Files = LocalFiles | RemoteFiles


def files_of(store: str | Path, default: Path) -> Files:
    """The files of the store ``store`` (a folder, or an fsspec URL); ``default``: the folder
    when ``store`` is empty."""
    if is_url(store):
        return RemoteFiles(str(store))
    return LocalFiles(Path(store or default))
