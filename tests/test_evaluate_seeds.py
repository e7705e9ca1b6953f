"""evaluate: the gold figures as regression floors, measured through the real
pipeline (seeds) and the real extractors (development pages)."""
import pytest

from workbench.cli import main as cli
from workbench.evaluate.extraction import evaluate_dev
from workbench.evaluate.seeds import evaluate_seeds


@pytest.fixture(scope="module")
def seeds():
    return evaluate_seeds()


def test_seed_bodies(seeds):
    docs = seeds["documents"]
    assert len(docs) == 5 and all(d["found"] for d in docs)
    for d in docs:
        assert d["f1"] >= 0.98, d["doc_id"]
        assert d["not_body_inside"] == [], d["doc_id"]


def test_seed_metadata_exact(seeds):
    wrong = [(d["doc_id"], f, m) for d in seeds["documents"] for f, m in d["meta"].items() if not m["ok"]]
    assert wrong == []


def test_seed_analysis_floors(seeds):
    a = seeds["analysis"]
    assert a["organizations"]["recall"] >= 0.95 and a["organizations"]["precision"] >= 0.90
    assert a["people"]["recall"] == 1.0
    assert a["topics"]["f1"] >= 0.90
    assert a["events"]["found"] == a["events"]["total"] == 5
    assert a["duplicates"]["pairs_found"] == a["duplicates"]["gold_pairs"] == 1
    assert a["duplicates"]["false_pairs"] == 0


@pytest.mark.slow
def test_dev_text_dumps_floor():
    r = evaluate_dev("text")
    assert r["pages"] == 91 and r["missing"] == 0
    assert r["F1"] >= 0.95


@pytest.mark.slow
def test_dev_html_floor():
    r = evaluate_dev("html")
    assert r["F1"] >= 0.95


def test_printed_report_has_every_section(capsys):
    assert cli(["evaluate", "--no-html"]) == 0
    out = capsys.readouterr().out
    for part in ("Seeds: body", "metadata fields exact: 30/30", "organizations", "people", "events",
                 "duplicates", "Dev pages (91, text dumps)"):
        assert part in out
