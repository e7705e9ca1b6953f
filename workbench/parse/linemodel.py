"""The line classifier: is a unit of a text dump part of the story?  And the
decoding that turns per-unit probabilities into one story.

The model is a small gradient-boosted tree ensemble trained by
``benchmarks/train_line_model.py`` on development dumps whose lines were
labelled by aligning the gold bodies.  It ships as JSON (``line_model.json``
next to this module: flat node arrays, no pickle), so the runtime needs only
numpy and does not depend on the scikit-learn version that trained it.

Decoding: each unit weighs ``words * (p - THRESHOLD)``; the story is the
best-weighing contiguous run (max-subarray), and inside it the units the model
accepts.  A short story therefore still beats a longer block of comments or
teasers when the model rates its lines higher -- the mass, not the length,
decides which block is the body.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from .autocontext import THRESHOLD, context_names, stacked, story_run
from .linefeatures import _SUM, best_run, feature_names

MODEL_PATH = Path(__file__).resolve().parent / "line_model.json"
MODEL_FORMAT = "workbench-line-model"
_ARRAYS = ("feature", "threshold", "left", "right", "value")
ENSEMBLES = ("plain", "table")
STAGE2 = "stage2"        # optional second stage (``autocontext``): same parts, first-stage probabilities added
MAX_DEPTH = 3            # deeper trees are refused: a tree is read through a table of its split patterns
_PATTERNS = 2 ** (2 ** MAX_DEPTH - 1)                   # 7 splits: 128 patterns of their outcomes
_BIT_WEIGHTS = (1 << np.arange(2 ** MAX_DEPTH - 1)).astype(np.uint8)
_BLOCK = 256             # units compared with the thresholds at a time (``predict``)


class ModelError(ValueError):
    """A model file that cannot be used (names the file and the reason)."""


def check_model(raw: dict, source: str) -> dict:
    """Validate a model dict (as read from JSON) and turn its ensembles into
    numpy arrays: ``{"plain": ..., "table": ...}`` -- one ensemble for pages
    without table-layout lines, one trained with table layouts for the rest."""
    if raw.get("format") != MODEL_FORMAT:
        raise ModelError(f"{source}: not a {MODEL_FORMAT} file (format={raw.get('format')!r})")
    names = feature_names()
    if raw.get("features") != names:
        raise ModelError(f"{source}: feature list differs from workbench.linefeatures "
                         f"({len(raw.get('features') or [])} vs {len(names)} names); retrain the model")
    out = {part: _ensemble(raw.get(part), f"{source} [{part}]", len(names)) for part in ENSEMBLES}
    if STAGE2 in raw:
        out[STAGE2] = _second_stage(raw[STAGE2], source, names + context_names())
    return out


def _second_stage(raw: dict, source: str, names: list[str]) -> dict:
    """The validated second-stage ensembles of a model file (``autocontext``)."""
    if not isinstance(raw, dict) or raw.get("features") != names:
        raise ModelError(f"{source}: second-stage feature list differs from workbench.autocontext; retrain the model")
    parts = [part for part in ENSEMBLES if part in raw]
    if not parts:
        raise ModelError(f"{source}: second stage without ensembles")
    return {part: _ensemble(raw[part], f"{source} [{STAGE2} {part}]", len(names)) for part in parts}


def _ensemble(raw: dict | None, source: str, n_features: int) -> dict:
    """One validated tree ensemble."""
    try:
        nodes = {k: np.asarray(raw["nodes"][k]) for k in _ARRAYS}     # type: ignore[index]
        roots = np.asarray(raw["roots"], dtype=np.int64)                # type: ignore[index]
        bias, depth = float(raw["bias"]), int(raw["depth"])             # type: ignore[index]
    except (KeyError, TypeError, ValueError) as e:
        raise ModelError(f"{source}: malformed model ({e!r})") from None
    size = len(nodes["feature"])
    if any(len(a) != size for a in nodes.values()) or not size:
        raise ModelError(f"{source}: node arrays of different lengths")
    links = np.concatenate([nodes["left"], nodes["right"], roots])
    if links.min() < 0 or links.max() >= size or nodes["feature"].max() >= n_features:
        raise ModelError(f"{source}: node index or feature index out of range")
    if not 0 < depth <= MAX_DEPTH:
        raise ModelError(f"{source}: trees of depth {depth}; at most {MAX_DEPTH} levels are supported")
    return _complete(nodes, roots, bias, depth)


def _complete(nodes: dict, roots: np.ndarray, bias: float, depth: int) -> dict:
    """Lay every tree out as a complete binary tree of ``depth`` levels (a leaf
    met early sends every row left, down to a copy of its value; nodes in
    ``2k+1``/``2k+2`` order), and tabulate its leaf value for every pattern of
    split outcomes (``_leaf_table``)."""
    n_in, n_leaf = 2 ** depth - 1, 2 ** depth
    feat = np.zeros((len(roots), n_in), dtype=np.int64)
    thr = np.full((len(roots), n_in), np.inf)
    val = np.zeros((len(roots), n_leaf))
    for t, root in enumerate(roots.tolist()):
        stack = [(root, 0, 0)]
        while stack:
            node, d, pos = stack.pop()
            if d == depth:
                val[t, pos] = nodes["value"][node]
                continue
            f = int(nodes["feature"][node])
            if f >= 0:
                feat[t, (2 ** d - 1) + pos] = f
                thr[t, (2 ** d - 1) + pos] = nodes["threshold"][node]
                stack += [(int(nodes["left"][node]), d + 1, 2 * pos), (int(nodes["right"][node]), d + 1, 2 * pos + 1)]
            else:
                stack += [(node, d + 1, 2 * pos), (node, d + 1, 2 * pos + 1)]
    # split-major (split k of every tree together): ``predict`` packs each tree's bits by a
    # weighted sum over the splits' axis, contiguous runs of trees, not 7-byte rows; the
    # thresholds as a block of _BLOCK equal columns: compared with a block of units, not
    # broadcast (numpy would copy a broadcast column into its buffer for every row of the block)
    return {"feature": feat.T.ravel(), "bias": bias, "depth": depth,
            "threshold_block": np.repeat(thr.T.ravel()[:, None], _BLOCK, axis=1),
            "lut": _leaf_table(val, depth), "tree_lut": np.arange(len(roots))[:, None] * _PATTERNS}


def _leaf_table(val: np.ndarray, depth: int) -> np.ndarray:
    """For each tree, the leaf value reached for every pattern of its split
    bits (bit k = split k goes right): a tree of depth <= 3 has 7 splits, so
    128 patterns, and prediction becomes one lookup per tree."""
    n_in = 2 ** depth - 1
    codes = np.arange(2 ** n_in)
    pos = np.zeros_like(codes)
    for d in range(depth):
        pos = 2 * pos + ((codes >> ((2 ** d - 1) + pos)) & 1)
    lut = np.zeros((len(val), _PATTERNS))
    lut[:, :len(codes)] = val[:, pos]
    return lut.ravel()


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> dict:
    """The model in ``path`` (default: the one shipped with the package)."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ModelError(f"{path}: cannot read the line model ({e})") from None
    return check_model(raw, str(path))


def predict(model: dict, X: np.ndarray) -> np.ndarray:
    """Probability that each row of ``X`` is story text, by one ensemble of a
    checked model.  Every split of every tree is tested in one gather and
    compare; each tree's outcomes, read as a 7-bit number, index its leaf table."""
    n = len(X)
    if n == 0:
        return np.zeros(0)
    # a row per split (split-major: split k of tree t is row k * trees + t), a column per unit;
    # each tree's split bits packed into one integer (< 128: a uint8 sum over the first axis): its
    # row in the tree's leaf table; the leaf values summed tree after tree for each unit
    n_in = 2 ** model["depth"] - 1
    rows = X.T[model["feature"]]
    bits = np.empty(rows.shape, dtype=bool)
    block = model["threshold_block"]
    for a in range(0, n, _BLOCK):
        b = min(n, a + _BLOCK)
        np.greater(rows[:, a:b], block[:, :b - a], out=bits[:, a:b])
    code = (bits.view(np.uint8).reshape(n_in, -1, n) * _BIT_WEIGHTS[:n_in, None, None]).sum(axis=0, dtype=np.uint8)
    raw = model["bias"] + model["lut"][code + model["tree_lut"]].sum(axis=0)
    return 1.0 / (1.0 + np.exp(-raw))


def refine(model: dict, part: str, X: np.ndarray, p: np.ndarray, words: np.ndarray) -> np.ndarray:
    """The second stage's probabilities (``autocontext``) from the features
    ``X`` and first-stage probabilities ``p``; ``p`` itself when the model has
    no second stage for ``part``."""
    second = model.get(STAGE2, {}).get(part)
    if second is None or not len(p):
        return p
    return predict(second, stacked(X, p, words))


def decode(p: np.ndarray, words: np.ndarray) -> tuple[list[int], float]:
    """(indices of the story's units, confidence 0-1) from unit probabilities.

    Confidence is the word-weighted mean probability of the kept units,
    times mass / (mass + rival's mass): 1 for an unrivalled story, 0.5 when
    another block of the page weighs as much."""
    w, s, start, end = story_run(p, words)
    mass = float(_SUM(s[start:end]))
    if mass <= 0:
        return [], 0.0
    keep = ((p[start:end] >= THRESHOLD).nonzero()[0] + start).tolist()
    rival = max(_run_mass(s[:start]), _run_mass(s[end:]))
    kw = w[keep]
    mean_p = float(_SUM(p[keep] * kw) / _SUM(kw))
    return keep, mean_p * mass / (mass + rival)


def _run_mass(s: np.ndarray) -> float:
    """Mass of the best run in ``s`` (0 when there is none)."""
    if not len(s):
        return 0.0
    a, b = best_run(s)
    return max(float(_SUM(s[a:b])), 0.0)
