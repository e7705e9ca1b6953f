"""pipeline: the real ingest on real seed files — incremental runs, rejections,
removals, the CLI's summary and --strict, and a store that survives a kill."""
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from seed_data import seed_raw

from workbench.cli import main as cli
from workbench.pipeline import ingest
from workbench.store import load_corpus, read_articles, read_store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "data" / "raw").glob("*.txt"))


@pytest.fixture
def raw(tmp_path):
    return seed_raw(tmp_path)


RELATED = 3   # corrections track (issue 14.3): seed 004 carries three related stories, records of their own


def test_incremental_runs(raw, tmp_path):
    store = tmp_path / "store"
    s1 = ingest([raw], store=store, progress=False)
    assert (s1.parsed, s1.unchanged, s1.documents, s1.rejected) == (len(SEEDS), 0, len(SEEDS) + RELATED, [])
    first = read_store(store)[0]

    s2 = ingest([raw], store=store, progress=False)
    assert (s2.parsed, s2.unchanged, s2.documents) == (0, len(SEEDS), len(SEEDS) + RELATED)
    assert read_store(store)[0] == first          # an unchanged run leaves every record as it was

    # change one file: only it is parsed again, and its record changes
    changed = raw / SEEDS[3].name
    changed.write_text(changed.read_text(encoding="utf-8").replace("Tamilla Hasanova", "Ayten Safarova"),
                       encoding="utf-8")
    s3 = ingest([raw], store=store, progress=False)
    assert (s3.parsed, s3.unchanged) == (1, len(SEEDS) - 1)
    df = load_corpus(store)
    assert df.loc[SEEDS[3].name[:-4], "author"] == "Ayten Safarova"

    # remove one: its record leaves the store
    (raw / SEEDS[0].name).unlink()
    s4 = ingest([raw], store=store, progress=False)
    assert s4.removed == 1 and s4.documents == len(SEEDS) - 1 + RELATED
    assert SEEDS[0].name[:-4] not in load_corpus(store).index


def test_rejected_file_is_listed_and_the_rest_goes_on(raw, tmp_path):
    (raw / "broken.json").write_text('{"title": "x", ', encoding="utf-8")
    (raw / "scan.pdf").write_bytes(b"%PDF-1.4 ...")
    s = ingest([raw], store=tmp_path / "store", progress=False)
    assert s.documents == len(SEEDS) + RELATED
    reasons = dict(s.rejected)
    assert "invalid JSON" in reasons["broken.json" if "broken.json" in reasons else
                                     next(k for k in reasons if k.endswith("broken.json"))]
    assert any(k.endswith("scan.pdf") and "unsupported" in v for k, v in reasons.items())
    # a rejected file stays rejected (and listed) on the next, unchanged run
    s2 = ingest([raw], store=tmp_path / "store", progress=False)
    assert any(k.endswith("broken.json") for k, _ in s2.rejected) and s2.unchanged == len(SEEDS) + 1


def test_raw_files_never_modified(raw, tmp_path):
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in raw.iterdir()}
    ingest([raw], store=tmp_path / "store", progress=False)
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in raw.iterdir()} == before


def test_cli_summary_strict_and_export(raw, tmp_path, capsys):
    (raw / "empty.txt").write_text("", encoding="utf-8")
    store = str(tmp_path / "store")
    assert cli(["ingest", str(raw), "--store", store, "-q"]) == 0
    out = capsys.readouterr().out
    assert f"parsed {len(SEEDS) + 1} file(s)" in out or "rejected 1" in out
    assert "empty.txt: file is empty" in out
    assert cli(["ingest", str(raw), "--store", store, "--strict", "-q"]) == 1
    capsys.readouterr()
    assert cli(["export", "--format", "jsonl", "--store", store]) == 0
    rows = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]
    assert sorted(r["doc_id"] for r in rows if not r["embedded_in"]) == sorted(p.name[:-4] for p in SEEDS)
    assert len(rows) == len(SEEDS) + RELATED


def test_all_formats_in_one_run(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    body = (ROOT / "data" / "raw" / SEEDS[2].name).read_text(encoding="utf-8")
    (d / "a.json").write_text(json.dumps({"title": "T", "text": body, "date": "2026-02-11",
                                          "outlet": "IANS"}), encoding="utf-8")
    (d / "b.jsonl").write_text(json.dumps({"id": "x", "text": body}) + "\n", encoding="utf-8")
    (d / "c.csv").write_text("title,text\nT2,\"" + body.replace('"', '""') + "\"\n", encoding="utf-8")
    (d / "d.txt").write_bytes(body.encode("utf-16"))
    html = "<html><head><title>T</title></head><body><article>" + "".join(
        f"<p>{p}</p>" for p in body.split("\n\n")) + "</article></body></html>"
    (d / "e.html").write_text(html, encoding="utf-8")
    s = ingest([d], store=tmp_path / "store", progress=False)
    assert s.rejected == [] and s.documents == 5
    df = load_corpus(tmp_path / "store")
    assert set(df["format"]) == {"json", "jsonl", "csv", "text", "html"}
    assert (df["word_count"] > 300).all()
    assert df.loc["a", "published"].strftime("%Y-%m-%d") == "2026-02-11"


def test_kill_mid_run_leaves_previous_store_readable(raw, tmp_path):
    store = tmp_path / "store"
    ingest([raw], store=store, progress=False)
    before = read_store(store)[0]
    big = tmp_path / "big"
    big.mkdir()
    src = (ROOT / "data" / "raw" / SEEDS[1].name).read_text(encoding="utf-8")
    for i in range(3000):
        (big / f"{i:04d}.txt").write_text(src + f"\ncopy {i}\n", encoding="utf-8")
    code = ("import sys; from workbench.pipeline import ingest; "
            f"ingest([{str(big)!r}], store={str(store)!r}, progress=False, jobs=1)")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    time.sleep(2.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after, _ = read_store(store)      # readable: either the old store or a complete new one
    assert after == before or len(after) > len(before)
    # the next run clears any half-written temporary file the kill left behind
    ingest([raw], store=store, progress=False)
    assert [p.name for p in store.iterdir() if p.name.endswith(".tmp")] == []


def test_relinking_follows_the_corpus(raw, tmp_path):
    """001 dates itself from its syndicated copy 002; when 002 leaves, the date goes too."""
    store = tmp_path / "store"
    ingest([raw], store=store, progress=False)
    df = load_corpus(store)
    a, b = "001_6007161c3ca6bdf9", "002_13870656a1d7a076"
    assert df.loc[a, "story_id"] == df.loc[b, "story_id"]
    assert (str(df.loc[a, "published"].date()), df.loc[a, "published_basis"]) == ("2026-02-11", "syndicated-copy")
    assert any(e["date"] == "2026-02-11" for e in df.loc[a, "events"])
    stored = {art.doc_id: art for art in read_articles(store)[0]}
    assert stored[a].published is None and stored[a].dateline_day == "--02-11"   # the page's own values ...
    assert (stored[a].link.published, stored[a].link.published_from) == ("2026-02-11", b)   # ... and the overlay
    (raw / f"{b}.txt").unlink()
    ingest([raw], store=store, progress=False)
    df = load_corpus(store)
    assert pd.isna(df.loc[a, "published"]) and df.loc[a, "published_basis"] is pd.NA
    assert not any(e["date"] == "2026-02-11" for e in df.loc[a, "events"])


def test_reference_edit_reanalyses_unchanged_files(raw, tmp_path):
    ref = tmp_path / "reference"
    shutil.copytree(ROOT / "data" / "reference", ref)
    store = tmp_path / "store"
    ingest([raw], store=store, reference=ref, progress=False)
    doc = "003_b690a855f5fdafe1"
    assert "maritime security" not in str(load_corpus(store).loc[doc, "organizations"])
    with open(ref / "gazetteer.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[[organization]]\nname = "Maritime Security Desk"\naliases = ["maritime security"]\n')
    s = ingest([raw], store=store, reference=ref, progress=False)
    assert s.parsed == 0 and s.unchanged == len(SEEDS)
    names = [o["name"] for o in load_corpus(store).loc[doc, "organizations"]]
    assert "Maritime Security Desk" in names


def _store_files(store):
    return {p.relative_to(store).as_posix(): p.stat().st_mtime_ns for p in store.rglob("*") if p.is_file()}


def test_a_run_that_changes_nothing_writes_nothing(raw, tmp_path):
    store = tmp_path / "store"
    first = ingest([raw], store=store, progress=False)
    before, manifest = _store_files(store), (store / "manifest.json").read_bytes()
    s = ingest([raw], store=store, progress=False)
    assert (s.parsed, s.unchanged) == (0, len(SEEDS))
    assert first.warnings and sorted(s.warnings) == sorted(first.warnings)     # from the warnings sidecar
    assert _store_files(store) == before and (store / "manifest.json").read_bytes() == manifest


def test_one_changed_file_rewrites_only_the_partitions_it_touches(raw, tmp_path):
    """Two dated files in months of their own; one is edited: the other month's file stays."""
    store = tmp_path / "store"
    text = {"x.json": " ".join(f"Supply convoy {i} reached depot {i * 7} on schedule." for i in range(60)),
            "y.json": " ".join(f"Fuel barge {i} left pier {i * 3} after an inspection." for i in range(60))}
    for name, date in (("x.json", "2024-03-05"), ("y.json", "2024-07-09")):
        (raw / name).write_text(json.dumps({"title": name, "text": text[name], "date": date}), encoding="utf-8")
    ingest([raw], store=store, progress=False)
    before = _store_files(store)
    july = [f for f in before if f.startswith("parts/2024-07.")]
    assert len(july) == 1
    (raw / "x.json").write_text(json.dumps({"title": "x2", "text": "Edited. " + text["x.json"],
                                            "date": "2024-03-05"}), encoding="utf-8")
    s = ingest([raw], store=store, progress=False)
    after = _store_files(store)
    assert s.parsed == 1 and july[0] in after and after[july[0]] == before[july[0]]
    assert not any(f.startswith("parts/2024-03.") and f in before for f in after)   # March rewritten
    assert load_corpus(store).loc["x", "title"] == "x2"


def test_incremental_runs_give_the_records_of_a_fresh_ingest(raw, tmp_path):
    """Linking only what changed must end where linking everything ends."""
    store, fresh = tmp_path / "store", tmp_path / "fresh"
    held = raw.parent / "held"
    held.mkdir()
    for p in sorted(raw.iterdir())[1::2]:
        p.rename(held / p.name)
    ingest([raw], store=store, progress=False)
    for p in held.iterdir():
        p.rename(raw / p.name)                                  # the copies arrive later
    (raw / SEEDS[0].name).unlink()                              # and one page leaves
    inc = ingest([raw], store=store, progress=False)
    whole = ingest([raw], store=fresh, progress=False)
    assert sorted(inc.warnings) == sorted(whole.warnings)
    strip = lambda recs: sorted(({k: v for k, v in r.items() if k != "source_path"} for r in recs),
                                key=lambda r: r["doc_id"])
    assert strip(read_store(store)[0]) == strip(read_store(fresh)[0])


def test_a_version_3_store_is_migrated_once(raw, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from workbench.record import arrow_schema
    from workbench.store import _row
    store = tmp_path / "store"
    ingest([raw], store=store, progress=False)
    arts, ledger = read_articles(store)
    shutil.rmtree(store)
    store.mkdir()
    schema = arrow_schema().with_metadata({b"workbench.inputs": json.dumps(ledger).encode(),
                                           b"workbench.version": b"3"})
    pq.write_table(pa.Table.from_pylist([_row(a) for a in arts], schema=schema), store / "corpus.parquet")
    assert len(read_store(store)[0]) == len(SEEDS) + RELATED              # reads as it is ...
    s = ingest([raw], store=store, progress=False)              # ... and the next ingest migrates it
    assert s.documents == len(SEEDS) + RELATED and not (store / "corpus.parquet").exists()
    assert s.parsed == 0                                        # from the stored records, nothing parsed again
    assert (store / "manifest.json").exists() and len(read_store(store)[0]) == len(SEEDS) + RELATED


def test_empty_rows_read_a_slice_at_a_time_find_what_the_whole_column_finds():
    """A cold run lists the stored articles with no body text; it reads the bodies a slice at a
    time (memory), and must find the same rows, in the same order, at any slice size."""
    import pyarrow as pa

    from workbench.pipeline import _empty_rows
    from workbench.spool import SEQ
    bodies = ["text", None, "", "  \n\t", "\u3000", "x", None, "more text", " ", "\u00a0y"]
    table = pa.table({SEQ: list(range(10, 20)), "source_path": [f"p{i}" if i % 3 else None for i in range(10)],
                      "doc_id": [f"d{i}" for i in range(10)], "body": bodies})
    want = [(10 + i, f"p{i}" if i % 3 else f"d{i}", f"d{i}") for i, b in enumerate(bodies) if not (b or "").strip()]
    assert [x[2] for x in want] == ["d1", "d2", "d3", "d4", "d6", "d8"]
    for step in (1, 3, 4, 10, 4096):
        assert _empty_rows(table, step) == want
