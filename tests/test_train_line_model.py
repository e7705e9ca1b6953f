"""The training script's export of a bag of fits as one ensemble (``train_line_model.merge``):
the runtime must score the merged file as the mean of the fits' raw scores."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import train_line_model as train  # noqa: E402  (benchmarks/ is not a package)

from workbench.parse import linemodel  # noqa: E402
from workbench.parse.linefeatures import feature_names  # noqa: E402


def _stump(feature: int, threshold: float, low: float, high: float, bias: float) -> dict:
    return {"bias": bias, "depth": 1, "roots": [0],
            "nodes": {"feature": [feature, -1, -1], "threshold": [threshold, 0.0, 0.0],
                      "left": [1, 1, 2], "right": [2, 1, 2], "value": [0.0, low, high]}}


def _raw(e: dict, x: np.ndarray) -> float:
    nd, node = e["nodes"], e["roots"][0]
    while nd["feature"][node] >= 0:
        node = nd["right"][node] if x[nd["feature"][node]] > nd["threshold"][node] else nd["left"][node]
    return e["bias"] + nd["value"][node]


def test_merged_bag_scores_the_mean_of_its_fits():
    fits = [_stump(0, 1.0, -2.0, 2.0, 0.5), _stump(1, 0.0, -1.0, 3.0, -0.25), _stump(0, 2.5, 0.0, -4.0, 0.0)]
    merged = train.merge(fits)
    assert len(merged["roots"]) == 3 and merged["depth"] == 1
    model = linemodel.check_model({"format": linemodel.MODEL_FORMAT, "features": feature_names(),
                                   "plain": merged, "table": merged}, "merged")
    X = np.zeros((4, len(feature_names())))
    X[:, 0] = [0.0, 2.0, 3.0, 3.0]
    X[:, 1] = [1.0, -1.0, 1.0, -1.0]
    want = [1 / (1 + np.exp(-np.mean([_raw(f, x) for f in fits]))) for x in X]
    assert linemodel.predict(model["plain"], X) == pytest.approx(want)
    # a bag of one is that fit, unchanged
    assert train.merge(fits[:1]) == fits[0]
