"""ledger: the inputs ledger as columns — every entry round-trips, a version 4 store's
JSON ledger reads and is moved out on the next ingest, and planning on the columns keeps
what the ledger says (unchanged, touched, edited, renamed, removed files)."""
import json
import os
import shutil
from pathlib import Path

from workbench.ledger import Ledger, table_of
from workbench.parse.read import discover, scan
from workbench.pipeline import ingest
from workbench.store import load_ledger, read_manifest, read_store, store_path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "data" / "raw").glob("*.txt"))

ENTRIES = {
    "data/raw/a.txt": {"sha256": "0" * 64, "size": 10, "mtime_ns": 1_700_000_000_123_456_789, "status": "parsed",
                       "doc_ids": ["a", "a__1"], "partitions": ["2026-02", "undated-3"], "rejected": []},
    "data/raw/b.bin": {"sha256": "1" * 64, "size": 3, "mtime_ns": 5, "status": "rejected",
                       "reason": "unsupported", "doc_ids": []},
    "data/raw/c.jsonl": {"sha256": "2" * 64, "status": "parsed", "doc_ids": ["c-1"],
                         "rejected": [["data/raw/c.jsonl:2", "bad line"]]},
    "x.txt": {"doc_ids": ["x"]},                              # a caller's own shape: only what it gave
    "odd": {"size": "not a number", "doc_ids": [1, 2], "note": {"k": [1]}},   # misfits go to extra
    "_run": {"at": "2026-12-07T00:00:00+00:00", "rejected": [["b.bin", "unsupported"]]},
}


def test_every_entry_round_trips():
    led = Ledger(table_of(ENTRIES))
    assert led.to_dict() == ENTRIES
    assert [led.get(p) for p in ENTRIES] == list(ENTRIES.values())
    assert led.noted == [False, True, True, False, False, True]     # rejected files, rejected records, the run
    assert led.doc_count(range(len(led))) == 4                      # ("odd": not a list of ids)
    assert sorted(led.doc_ids([0, 2])) == ["a", "a__1", "c-1"]
    assert led.partitions_of(["a__1", "c-1", "zz"]) == {"a__1": "undated-3"}   # c-1: no partitions stored
    assert Ledger().to_dict() == {} and len(Ledger.of({})) == 0


def test_scan_lists_in_path_order_with_one_stat_each(tmp_path):
    for rel in ("b/x.txt", "b-c/x.txt", "b.txt", "a/z/y.txt", "a/z.txt", "B.txt", "b/.hidden.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("text")
    (tmp_path / "b" / "y.bin").write_bytes(b"\0")
    files, stats, refused = scan([tmp_path])
    assert files == [str(p) for p in sorted(Path(f) for f in files)]   # pathlib's order, as before
    assert [Path(f).relative_to(tmp_path).as_posix() for f in files] == \
        ["B.txt", "a/z/y.txt", "a/z.txt", "b/x.txt", "b-c/x.txt", "b.txt"]
    assert [(s.st_size, s.st_mtime_ns) for s in stats] == [(os.stat(f).st_size, os.stat(f).st_mtime_ns) for f in files]
    assert [Path(e.path).name for e in refused] == ["y.bin"]
    assert discover([tmp_path])[0] == [Path(f) for f in files]


def test_a_hard_link_is_read_once(tmp_path):
    (tmp_path / "a.txt").write_text("text")
    os.link(tmp_path / "a.txt", tmp_path / "b.txt")
    (tmp_path / "c.txt").write_text("other")
    files, _, refused = scan([tmp_path])
    assert [Path(f).name for f in files] == ["a.txt", "c.txt"]
    assert [(Path(e.path).name, e.reason.startswith("same file as")) for e in refused] == [("b.txt", True)]


def _raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for p in SEEDS:
        shutil.copy(p, raw / p.name)
    return raw


def test_a_version_4_store_is_read_and_its_ledger_moved_out(tmp_path):
    raw, store = _raw(tmp_path), tmp_path / "store"
    ingest([raw], store=store, progress=False)
    ledger = load_ledger(store)
    man = read_manifest(store)
    assert man is not None and "ledger" not in man and "ledger" in man["sidecars"]
    side = store / man["sidecars"].pop("ledger")
    side.unlink()
    store_path(store).write_text(json.dumps({**man, "version": "4", "ledger": ledger}), encoding="utf-8")
    assert load_ledger(store) == ledger and len(read_store(store)[0]) > len(SEEDS) - 1   # reads as it is
    s = ingest([raw], store=store, progress=False)                   # nothing changed, but the layout did
    man = read_manifest(store)
    assert (s.parsed, s.unchanged) == (0, len(SEEDS)) and man is not None
    assert man["version"] == "5" and "ledger" not in man and load_ledger(store).keys() == ledger.keys()


def test_touched_edited_renamed_and_removed_files(tmp_path):
    """A touched file is hashed and kept, an edited one parsed, a renamed one parsed under its
    new name (its old entry gone), a removed one leaves; the ledger then says just that."""
    raw, store = _raw(tmp_path), tmp_path / "store"
    ingest([raw], store=store, progress=False)
    names = sorted(p.name for p in raw.iterdir())
    touched, edited, renamed, removed = (raw / n for n in names[:4])
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    edited.write_text(edited.read_text("utf-8") + "\n\nA line added later by the editors.\n", "utf-8")
    renamed.rename(raw / ("z-" + renamed.name))
    removed.unlink()
    s = ingest([raw], store=store, progress=False)
    assert (s.parsed, s.unchanged, s.removed) == (2, len(SEEDS) - 3, 2)
    led = load_ledger(store)
    keys = {Path(k).name for k in led if k != "_run"}
    assert keys == {p.name for p in raw.iterdir()} and ("z-" + renamed.name) in keys
    assert led[next(k for k in led if k.endswith("/" + touched.name))]["mtime_ns"] == touched.stat().st_mtime_ns
    fresh = ingest([raw], store=tmp_path / "fresh", progress=False)
    assert s.documents == fresh.documents
    strip = lambda recs: sorted(({k: v for k, v in r.items() if k != "source_path"} for r in recs),
                                key=lambda r: r["doc_id"])
    assert strip(read_store(store)[0]) == strip(read_store(tmp_path / "fresh")[0])
    again = ingest([raw], store=store, progress=False)               # and then nothing is left to do
    assert (again.parsed, again.unchanged, again.removed) == (0, len(SEEDS) - 1, 0)
