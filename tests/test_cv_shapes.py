"""The failure shapes ``benchmarks/cv_extraction.py --shapes`` groups pages by,
on bodies scored with the benchmark's own metric."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import cv_extraction as cv  # noqa: E402  (benchmarks/ is not a package)

STORY = [f"Paragraph {i} of the story says that the ministry signed contract number {i} on Tuesday." for i in range(10)]
MENU = [f"Menu link {i} goes to section {i} of the site and its archive page {i}." for i in range(10)]
GOLD = "\n\n".join(STORY)


def _shape(body: str) -> str:
    row = cv.METRIC.page_scores(GOLD, body)
    return cv.shape_of(row, body)


@pytest.mark.parametrize(("body", "shape"), [
    ("", "empty body"),
    ("\n\n".join(MENU), "wrong block"),
    ("\n\n".join(STORY + MENU), "furniture kept beside the story"),
    ("\n\n".join(STORY[:3]), "story lines left out"),
    ("\n\n".join(STORY[:3] + MENU), "both"),
])
def test_shape_of_each_kind_of_failure(body, shape):
    assert _shape(body) == shape


def test_shapes_groups_only_pages_below_the_cut(capsys):
    rows = []
    bodies = {"good": GOLD, "bad": "\n\n".join(MENU)}
    for key, body in bodies.items():
        rows.append(dict(cv.METRIC.page_scores(GOLD, body), key=key))
    cv.shapes("test", rows, bodies)
    out = capsys.readouterr().out
    assert "1 pages below F1 0.8" in out and "wrong block (1): bad 0.00" in out and "good" not in out


def test_error_kinds_counts_words_kept_and_lost_by_kind(capsys):
    # the body keeps 3 story paragraphs and 2 menu lines: 7 story lines lost, 2 furniture lines kept
    page = {"key": "t/1", "text": "\n\n".join(MENU[:5] + STORY), "gold": GOLD}
    body = "\n\n".join(MENU[:2] + STORY[:3])
    cv.error_kinds("test", [page], {"t/1": body}, table=False)
    out = capsys.readouterr().out
    prose = next(line.split() for line in out.splitlines() if line.strip().startswith("prose"))
    story_words = len(STORY[0].split())              # one word per space-separated token here
    menu_words = len(MENU[0].split())
    assert [float(x) for x in prose[1:]] == [3 * story_words, 7 * story_words, 2 * menu_words, 3 * menu_words]
    assert "t/1" in out
