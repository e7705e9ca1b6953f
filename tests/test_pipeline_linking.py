"""pipeline + story_index on pages of a few site templates (the generated corpus): an
incremental ingest whose new and removed pages move lines across ``FURNITURE_DF`` ends
with the stories of a fresh ingest of the same files."""
from __future__ import annotations

import sys
from pathlib import Path

from workbench.analyse import story_index
from workbench.pipeline import ingest
from workbench.store import load_corpus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import make_corpus as mc  # noqa: E402  (benchmarks/ is not a package)


def test_incremental_links_as_a_fresh_ingest_while_lines_become_furniture(tmp_path, monkeypatch):
    # 120 pages of ~100 templates: a count of 1 makes the lines two pages share furniture,
    # so the second run's pages turn story text of stored pages into furniture and back
    monkeypatch.setattr(story_index, "FURNITURE_DF", 1)
    mc.generate(120, tmp_path / "gen", seed=5)
    raw, held = tmp_path / "gen" / "raw", tmp_path / "held"
    held.mkdir()
    files = sorted(raw.iterdir())
    for p in files[::3]:
        p.rename(held / p.name)
    store, fresh = tmp_path / "store", tmp_path / "fresh"
    ingest([raw], store=store, progress=False, jobs=1)
    for p in held.iterdir():
        p.rename(raw / p.name)                     # a third arrive later
    for p in files[1:12:3]:
        p.unlink()                                 # and some leave
    ingest([raw], store=store, progress=False, jobs=1)
    ingest([raw], store=fresh, progress=False, jobs=1)
    inc, whole = load_corpus(store), load_corpus(fresh)
    assert inc["story_id"].to_dict() == whole["story_id"].to_dict()
    assert (whole.groupby("story_id").size() > 1).any()        # some copies are linked
