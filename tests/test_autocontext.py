"""Tests for the auto-context second stage: its context columns and how a model file carries it."""
from __future__ import annotations

import json

import numpy as np
import pytest

from workbench.parse import autocontext, linemodel
from workbench.parse.autocontext import N_CONTEXT, context, context_names, stacked
from workbench.parse.linefeatures import feature_names


def _col(name: str) -> int:
    return context_names().index(name)


def _stump(feature: int, threshold: float) -> dict:
    """One stump: left leaf -2, right leaf +2 (as the training script writes it)."""
    return {"bias": 0.0, "depth": 1, "roots": [0],
            "nodes": {"feature": [feature, -1, -1], "threshold": [threshold, 0, 0],
                      "left": [1, 1, 2], "right": [2, 1, 2], "value": [0, -2.0, 2.0]}}


def _two_stage(second_feature: int) -> dict:
    first = _stump(0, 1.0)
    names = feature_names() + context_names()
    return {"format": linemodel.MODEL_FORMAT, "features": feature_names(), "plain": first, "table": first,
            "stage2": {"features": names, "plain": _stump(second_feature, 0.5),
                       "table": _stump(second_feature, 0.5)}}


def test_context_columns_of_a_page():
    # a teaser, a three-unit story with a doubtful caption inside, then a comment block
    p = np.array([0.2, 0.9, 0.4, 0.8, 0.1, 0.6])
    words = np.array([5, 40, 6, 30, 3, 10], dtype=float)
    C = context(p, words)
    assert C.shape == (6, N_CONTEXT)
    assert C[:, _col("p1")].tolist() == p.tolist()
    # the decoding's run (weights words * (p - 0.5)) is units 1-3
    assert C[:, _col("p1_in_run")].tolist() == [0, 1, 1, 1, 0, 0]
    assert C[0, _col("p1_before_run")] == pytest.approx(np.log(2)) and C[1, _col("p1_before_run")] == 0
    assert C[5, _col("p1_after_run")] == pytest.approx(np.log(3))
    # likely story: units 1, 3 and 5 (40 + 30 + 10 words); the run holds 70 of the 80
    assert C[:, _col("p1_run_share")] == pytest.approx([70 / 80] * 6)
    assert C[:, _col("p1_run_mean")] == pytest.approx([(0.9 * 40 + 0.4 * 6 + 0.8 * 30) / 76] * 6)
    # each likely unit stands alone (its neighbours are rejected): its stretch is itself
    assert C[:, _col("p1_stretch_mass")] == pytest.approx(np.log1p([0, 40, 0, 30, 0, 10]))
    assert C[:, _col("p1_stretch_share")] == pytest.approx([0, 0.5, 0, 30 / 80, 0, 10 / 80])
    assert C[:, _col("p1_page_mean")] == pytest.approx([float((p * words).sum() / words.sum())] * 6)


def test_context_of_pages_with_nothing_likely_or_nothing_at_all():
    C = context(np.array([0.1, 0.3]), np.array([0.0, 4.0]))
    assert C[:, _col("p1_in_run")].tolist() == [0, 0] and C[:, _col("p1_stretch_mass")].tolist() == [0, 0]
    assert C[:, _col("p1_run_mean")].tolist() == [0, 0]
    assert context(np.zeros(0), np.zeros(0)).shape == (0, N_CONTEXT)
    assert stacked(np.ones((2, 3)), np.array([0.7, 0.2]), np.array([9.0, 1.0])).shape == (2, 3 + N_CONTEXT)


def test_refine_uses_the_second_stage_only_when_the_model_has_one():
    n1 = len(feature_names())
    X = np.zeros((3, n1))
    words = np.array([20.0, 20.0, 20.0])
    p1 = np.array([0.1, 0.9, 0.1])
    one = linemodel.check_model({k: v for k, v in _two_stage(0).items() if k != "stage2"}, "one stage")
    assert linemodel.refine(one, "plain", X, p1, words) is p1
    # a second stage split on the first stage's own probability (a stump: -2 / +2 logits)
    two = linemodel.check_model(_two_stage(n1 + _col("p1")), "two stages")
    hi, lo = 1 / (1 + np.exp(-2)), 1 / (1 + np.exp(2))
    assert linemodel.refine(two, "table", X, p1, words) == pytest.approx([lo, hi, lo])
    # a model whose second stage covers only the table part leaves plain pages to the first stage
    raw = _two_stage(n1 + _col("p1"))
    del raw["stage2"]["plain"]
    table_only = linemodel.check_model(raw, "table only")
    assert linemodel.refine(table_only, "plain", X, p1, words) is p1
    assert linemodel.refine(table_only, "table", X, p1, words) == pytest.approx([lo, hi, lo])


def test_second_stage_with_stale_features_is_refused(tmp_path):
    raw = _two_stage(0)
    raw["stage2"]["features"] = raw["stage2"]["features"][:-1]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(raw), encoding="utf8")
    with pytest.raises(linemodel.ModelError, match="second-stage feature list"):
        linemodel.load_model(path)


def test_second_stage_without_ensembles_is_refused():
    raw = _two_stage(0)
    del raw["stage2"]["plain"], raw["stage2"]["table"]
    with pytest.raises(linemodel.ModelError, match="second stage without ensembles"):
        linemodel.check_model(raw, "empty")


def test_stretches():
    assert autocontext._stretch_mass(np.array([0.0, 3.0, 4.0, 0.0, 5.0])).tolist() == [0, 7, 7, 0, 5]
