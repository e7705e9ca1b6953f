"""The article record: its fields, their types, and an empty record to fill.

One record per article. Scalar fields are strings or null; list fields hold
plain Python lists/dicts (stored as JSON text in Parquet so the schema stays
stable when nested shapes grow). ``export --format jsonl`` writes these names.
"""
from __future__ import annotations

from typing import Any

# Order is the export order.
SCALAR_FIELDS = (
    "doc_id", "source_path", "sha256", "format", "title", "published", "published_basis",
    "outlet", "author", "agency", "dateline", "body", "summary", "language",
    "url",   # where the page was fetched from (collect sidecar or an export's url field)
)
INT_FIELDS = ("word_count",)
LIST_FIELDS = (
    "comments", "embedded_articles", "warnings",
    # analysis fields
    "organizations", "people", "places", "events", "topics",
)
ANALYSIS_SCALARS = ("story_id",)

FIELDS = SCALAR_FIELDS + INT_FIELDS + LIST_FIELDS + ANALYSIS_SCALARS

PUBLISHED_BASES = ("page", "dateline", "feed", "syndicated-copy", "inferred")   # feed: an RSS/Atom item's date


def empty_record(**values: Any) -> dict:
    """A record with every field present (null or empty list), updated with ``values``."""
    rec: dict[str, Any] = {f: None for f in SCALAR_FIELDS + ANALYSIS_SCALARS}
    rec.update({f: [] for f in LIST_FIELDS})
    rec["word_count"] = 0
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise KeyError(f"unknown record fields: {sorted(unknown)}")
    rec.update(values)
    return rec
