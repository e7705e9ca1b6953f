"""CSV export of a selection: list fields as JSON, cells a spreadsheet cannot run."""
from __future__ import annotations

import csv

import pytest

from workbench.explore.export import write_csv
from workbench.files import csv_safe
from workbench.record import empty_record
from workbench.store import records_to_frame


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x.example","click")', "+cmd|' /C calc'!A0", "-2+3",
                                  "@SUM(1+1)", "\t=1+1", "\r=1+1"])
def test_formula_cells_are_neutralised(cell):
    out = csv_safe(cell)
    assert out == "'" + cell and not out.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("cell", ["Seoul talks", "", "2026-02-11", "a=b", 42, None])
def test_ordinary_cells_are_unchanged(cell):
    assert csv_safe(cell) == cell


def test_exported_csv_cells_cannot_run(tmp_path):
    rec = empty_record(doc_id="x1", title='=HYPERLINK("http://evil.example","open")', outlet="@SUM(A1:A9)",
                       author="-2+3", body="+cmd|' /C calc'!A0 then the story", published="2026-02-11",
                       published_basis="page", story_id="x1")
    path = write_csv(records_to_frame([rec]), tmp_path / "sel.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1
    for value in rows[0].values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert rows[0]["title"] == "'" + rec["title"] and rows[0]["published"] == "2026-02-11"
