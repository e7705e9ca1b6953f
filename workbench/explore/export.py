"""A selection of the corpus as a CSV file (list columns as JSON text, formula cells neutralised),
written atomically."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd


def export_frame(results: pd.DataFrame) -> pd.DataFrame:
    """The record columns of ``results``, list fields as JSON text (CSV-ready)."""
    from workbench.record import FIELDS, LIST_FIELDS
    cols = [c for c in FIELDS if c in results.columns]
    out = results[cols].copy()
    for c in LIST_FIELDS:
        if c in out:
            out[c] = [json.dumps(v if isinstance(v, list) else [], ensure_ascii=False) for v in out[c]]
    if "published" in out:
        out["published"] = out["published"].dt.strftime("%Y-%m-%d")
    from workbench.files import csv_safe
    for c in out.columns:
        out[c] = out[c].map(csv_safe)
    return out.reset_index(drop=True)


def write_csv(results: pd.DataFrame, path: str | Path) -> Path:
    """Write ``export_frame(results)`` to ``path`` atomically; returns the path."""
    from workbench.files import atomic_writer
    path = Path(path)
    with atomic_writer(path) as fh:
        export_frame(results).to_csv(fh, index=False, quoting=csv.QUOTE_NONNUMERIC)   # a CR in text stays in its cell
    return path
