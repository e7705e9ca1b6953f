"""The one loader of the benchmark's own metric (``data/dev/extraction/score.py``).

The metric is imported from ``score.py`` itself so our figures stay comparable
with the benchmark's; tests and benchmark scripts use this loader too.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from workbench import settings


def load_scorer(dev_dir: str | Path | None = None) -> ModuleType:
    """The benchmark's ``score.py`` as a module (page_scores, aggregate)."""
    path = Path(dev_dir or settings.dev_dir()) / "score.py"
    if not path.exists():
        path = settings.dev_dir() / "score.py"     # another folder of pages: use our copy of the metric
    if not path.exists():
        raise FileNotFoundError(f"{path}: the benchmark scorer is missing (copy it from the dev set)")
    spec = importlib.util.spec_from_file_location("workbench_dev_score", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"{path}: cannot load the benchmark scorer")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def body_scores(gold: str, pred: str, scorer: ModuleType | None = None) -> dict:
    """Benchmark P/R/F1 of one predicted body against its gold body."""
    sc = scorer or load_scorer()
    r = sc.page_scores(gold, pred)
    p, rc = r["p"] or 0.0, r["r"] or 0.0
    return {"p": p, "r": rc, "f1": 2 * p * rc / (p + rc) if p + rc else 0.0}
