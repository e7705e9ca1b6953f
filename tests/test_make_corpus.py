"""The benchmark corpus generator: deterministic, copy groups true, never into data/raw."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import make_corpus as mc  # noqa: E402  (benchmarks/ is not a package)

_WORD = re.compile(r"[0-9a-z]+")


def _shingles(text: str) -> set:
    w = _WORD.findall(text.lower())
    return {tuple(w[i:i + 5]) for i in range(len(w) - 4)}


def _contained(small: str, large: str) -> float:
    a, b = _shingles(small), _shingles(large)
    return len(a & b) / len(a)


def test_same_seed_same_corpus_other_seed_other_corpus(tmp_path):
    t1 = mc.generate(40, tmp_path / "a", seed=3)
    t2 = mc.generate(40, tmp_path / "b", seed=3)
    t3 = mc.generate(40, tmp_path / "c", seed=4)
    files = sorted(p.name for p in (tmp_path / "a" / "raw").iterdir())
    assert len(files) == 40
    assert all((tmp_path / "a" / "raw" / f).read_bytes() == (tmp_path / "b" / "raw" / f).read_bytes()
               for f in files)
    assert t1 == t2
    assert any((tmp_path / "a" / "raw" / f).read_bytes() != (tmp_path / "c" / "raw" / f).read_bytes()
               for f in files)
    assert t1 != t3


def test_truth_names_real_files_and_every_file_once(tmp_path):
    truth = mc.generate(300, tmp_path, seed=5)
    on_disk = {p.name for p in (tmp_path / "raw").iterdir()}
    members = [f for g in truth["copy_groups"] for f in g]
    assert set(members) <= on_disk
    assert len(members) == len(set(members))                 # a file is in one group at most
    copies = sum(len(g) - 1 for g in truth["copy_groups"])
    assert 0.05 * 300 <= copies <= 0.16 * 300                  # about 10 %
    assert json.loads((tmp_path / "truth.json").read_text())["docs"] == 300
    for name, anchor in truth["edit_anchor"].items():           # the edit anchor is in its file
        assert anchor in (tmp_path / "raw" / name).read_text("utf-8")


def test_near_copies_stay_copies_and_distinct_bodies_do_not():
    g = mc.Generator(mc.load_templates(), seed=11)
    bodies = [g.body() for _ in range(60)]
    for paras in bodies[:30]:
        copy = g.near_copy(paras)
        small, large = sorted(("\n\n".join(paras), "\n\n".join(copy)), key=lambda t: len(_shingles(t)))
        assert _contained(small, large) >= 0.8
    texts = ["\n\n".join(p) for p in bodies]
    worst = max(_contained(a, b) for i, a in enumerate(texts) for b in texts[i + 1:])
    assert worst < 0.8


def test_furniture_surrounds_the_new_body():
    g = mc.Generator(mc.load_templates(), seed=2)
    paras = g.body()
    text, tname = g.page(paras)
    t = next(t for t in g.templates if t.name == tname)
    assert "\n\n".join(paras) in text
    assert len(text) > len("\n\n".join(paras)) + min(len(t.head) + len(t.tail), 200) * 0.5


def test_refuses_to_write_into_data_raw():
    with pytest.raises(SystemExit):
        mc.generate(3, mc.RAW)
    with pytest.raises(SystemExit):
        mc.generate(3, mc.RAW.parent)      # out/raw would be data/raw


def test_cut_page_finds_the_body_between_its_furniture():
    dump = ("Menu\nHome\n\nA Headline Here\n\nFirst para of the story is here.\n\n"
            "Second para ends it.\n\nShare\nComments")
    t = mc.cut_page("x", dump, "First para of the story is here.\n\nSecond para ends it.")
    assert t is not None
    assert t.head.endswith("A Headline Here\n\n") and t.tail == "\n\nShare\nComments"
    assert mc.cut_page("x", dump, "Not on the page at all.") is None
