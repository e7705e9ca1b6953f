"""A selection of the corpus as a CSV file (list columns as JSON text), written atomically;
every text cell neutralised against spreadsheet formula injection (``files.spreadsheet_safe``)."""
from __future__ import annotations

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
    return out.reset_index(drop=True)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell passed through ``spreadsheet_safe``."""
    from workbench.files import spreadsheet_safe
    out = frame.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].astype(object).map(spreadsheet_safe)
    return out


def write_csv(results: pd.DataFrame, path: str | Path) -> Path:
    """Write ``export_frame(results)`` to ``path`` atomically; returns the path."""
    from workbench.files import atomic_writer
    path = Path(path)
    with atomic_writer(path) as fh:
        safe_frame(export_frame(results)).to_csv(fh, index=False)
    return path
