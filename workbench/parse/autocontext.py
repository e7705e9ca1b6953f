"""Auto-context: a second line classifier that also sees the first one's verdicts.

The first-stage classifier (``linemodel``) judges each unit from its own shape
and its neighbours' *shape*.  The second stage gets the same features plus the
first stage's story probabilities around the unit: its own, its neighbours',
their mean and maximum over windows, and where it stands relative to the block
the first stage would pick (inside, how far before or after, that block's share
of the page's likely story, the mass of the stretch of likely story the unit
sits in).  A lone caption inside a story, or a strong paragraph inside a block
of teasers, is then judged by what the first stage thought of its surroundings.

Training (``benchmarks/train_line_model.py``) fits the second stage on
*out-of-fold* first-stage probabilities (inner site-disjoint folds of the
training pages), so it learns how far to trust the first stage on pages it has
not seen.  Everything here is page-level numpy work over the probabilities.
"""
from __future__ import annotations

import numpy as np

from .linefeatures import _neighbours, _window_mean, best_run

THRESHOLD = 0.5              # the decoding's story threshold (``linemodel.THRESHOLD``)
CTX_NEIGHBOURS = 3           # neighbours each side whose probability is a feature
CTX_WINDOWS = (2, 6, 15)     # half-widths of the probability windows (mean and max)
MIN_WEIGHT = 1.0             # weight of a unit with no words (as in ``linemodel.decode``)


def context_names() -> list[str]:
    """Names of the columns ``context`` adds to the first stage's features."""
    names = ["p1"]
    names += [f"p1_n{d}" for d in [*range(-CTX_NEIGHBOURS, 0), *range(1, CTX_NEIGHBOURS + 1)]]
    for w in CTX_WINDOWS:
        names += [f"p1_w{w}_mean", f"p1_w{w}_wmean", f"p1_w{w}_max"]
    names += ["p1_in_run", "p1_before_run", "p1_after_run", "p1_run_share", "p1_run_mean",
              "p1_stretch_mass", "p1_stretch_share", "p1_page_mean"]
    return names


N_CONTEXT = len(context_names())


def context(p: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Context columns (units x ``N_CONTEXT``) of first-stage probabilities
    ``p`` of a page's non-empty units with ``words`` words each."""
    n = len(p)
    out = np.empty((N_CONTEXT, n))
    if n == 0:
        return out.T
    w = np.maximum(words, MIN_WEIGHT)
    out[0] = p
    r = 1 + 2 * CTX_NEIGHBOURS
    out[1:r] = _neighbours(p[None, :], CTX_NEIGHBOURS)
    both = np.empty((2, n))
    both[0] = p
    both[1] = p * w
    means = _window_mean(both, CTX_WINDOWS).reshape(len(CTX_WINDOWS), 2, n)
    wmean = means[:, 1] / _window_mean(w[None, :], CTX_WINDOWS)
    for j, half in enumerate(CTX_WINDOWS):
        out[r] = means[j, 0]
        out[r + 1] = wmean[j]
        out[r + 2] = _window_max(p, half)
        r += 3
    s = w * (p - THRESHOLD)
    start, end = best_run(s)
    idx = np.arange(n)
    out[r] = 0.0
    out[r, start:end] = 1.0
    np.log1p(np.maximum(start - idx, 0), out=out[r + 1])
    np.log1p(np.maximum(idx - end + 1, 0), out=out[r + 2])
    likely = np.where(p >= THRESHOLD, w, 0.0)
    total = max(float(likely.sum()), 1.0)
    out[r + 3] = float(likely[start:end].sum()) / total
    out[r + 4] = float((p[start:end] * w[start:end]).sum() / w[start:end].sum()) if end > start else 0.0
    mass = _stretch_mass(likely)
    out[r + 5] = np.log1p(mass)
    out[r + 6] = mass / total
    out[r + 7] = float((p * w).sum() / w.sum())
    return out.T


def _window_max(p: np.ndarray, half: int) -> np.ndarray:
    """Maximum of ``p`` over the units within ``half`` of each unit."""
    n = len(p)
    padded = np.full(n + 2 * half, -np.inf)
    padded[half:half + n] = p
    win = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    return win.max(axis=1)


def _stretch_mass(likely: np.ndarray) -> np.ndarray:
    """For each unit, the word mass of the stretch of consecutive likely-story
    units it belongs to (0 for a unit the first stage rejects)."""
    on = likely > 0
    out = np.zeros(len(likely))
    if not on.any():
        return out
    edges = np.flatnonzero(np.diff(np.concatenate([[0], on.view(np.int8), [0]])))
    starts, ends = edges[::2], edges[1::2]
    c = np.concatenate([[0.0], np.cumsum(likely)])
    sums = c[ends] - c[starts]
    out[on] = np.repeat(sums, ends - starts)
    return out


def stacked(X: np.ndarray, p: np.ndarray, words: np.ndarray) -> np.ndarray:
    """The second stage's features: the first stage's, then ``context``."""
    return np.hstack([X, context(p, words)])
