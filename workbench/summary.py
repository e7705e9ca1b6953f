"""A short plain-text overview of the corpus, for the CLI and quick checks."""
from __future__ import annotations

from collections import Counter

from workbench.store import load_ledger, load_corpus, store_path


def corpus_summary(store=None) -> str:
    """Documents, date range, outlets, topics, stories and data-quality counts."""
    df = load_corpus(store)
    if df.empty:
        return f"the corpus store {store_path(store)} is empty or missing: run `workbench ingest`"
    ledger = load_ledger(store)
    lines = [f"{len(df)} document(s) from {sum(1 for k in ledger if not k.startswith('_'))} input file(s)"]
    dated = df["published"].dropna()
    if len(dated):
        lines.append(f"published {dated.min():%Y-%m-%d} .. {dated.max():%Y-%m-%d}; "
                     f"{len(df) - len(dated)} undated")
    bases = Counter(b for b in df["published_basis"].dropna())
    if bases:
        lines.append("date basis: " + ", ".join(f"{k} {v}" for k, v in bases.most_common()))
    outlets = Counter(o for o in df["outlet"].dropna())
    lines.append("outlets: " + (", ".join(f"{k} ({v})" for k, v in outlets.most_common(8)) or "none known"))
    agencies = Counter(a for a in df["agency"].dropna())
    if agencies:
        lines.append("wire agencies: " + ", ".join(f"{k} ({v})" for k, v in agencies.most_common(8)))
    topics = Counter(t["topic"] for ts in df["topics"] for t in ts)
    if topics:
        lines.append("topics: " + ", ".join(f"{k} ({v})" for k, v in topics.most_common()))
    if "story_id" in df:
        stories = df["story_id"].dropna().nunique()
        lines.append(f"{stories} distinct stories ({len(df) - stories} syndicated copies)")
    orgs = Counter(o["name"] for os_ in df["organizations"] for o in os_)
    if orgs:
        lines.append("top organisations: " + ", ".join(f"{k} ({v})" for k, v in orgs.most_common(6)))
    warned = int((df["warnings"].map(len) > 0).sum())
    rejected = (ledger.get("_run") or {}).get("rejected", [])
    lines.append(f"{warned} document(s) with warnings; {len(rejected)} input(s) rejected in the last run")
    return "\n".join(lines)
