"""Auto-context: a second line classifier that also sees the first one's verdicts.

The first-stage classifier (``linemodel``) judges each unit from its own shape
and its neighbours' *shape*.  The second stage gets the same features plus the
first stage's story probability of the unit and where the unit stands relative
to the block the first stage would pick: inside it, how far before or after it,
that block's share of the page's likely story and its mean probability, the
word mass of the stretch of likely story the unit sits in, and the page's mean
probability.  A strong paragraph in a block of teasers, or a list item inside
a long story, is then judged by what the first stage made of the whole page.
(Neighbours' probabilities and window means and maxima were tried as well and
did worse under cross-validation; see README "Text-dump extraction".)

Used for pages with table-layout lines only (the model's "table" part): on
ordinary pages it gained on some sites and lost on others under
cross-validation (README).  Training (``benchmarks/train_line_model.py``) fits
the second stage on *out-of-fold* first-stage probabilities (inner
site-disjoint folds of the training pages), so it learns how far to trust the
first stage on pages it has not seen.  Everything here is page-level numpy
work over the probabilities.
"""
from __future__ import annotations

import numpy as np

from .linefeatures import _SUM, best_run, run_position

# the decoding's constants, defined here once (``linemodel`` imports them: it imports this module)
THRESHOLD = 0.5              # a unit is story when the model gives it at least this probability
MIN_WEIGHT = 1.0             # weight of a unit with no words (a lone symbol) in the decoding


def context_names() -> list[str]:
    """Names of the columns ``context`` adds to the first stage's features."""
    return ["p1", "p1_in_run", "p1_before_run", "p1_after_run", "p1_run_share", "p1_run_mean",
            "p1_stretch_mass", "p1_stretch_share", "p1_page_mean"]


N_CONTEXT = len(context_names())


def story_run(p: np.ndarray, words: np.ndarray) -> tuple[np.ndarray, np.ndarray, int, int]:
    """The decoding's weights, scores and best run [start, end) of a page's units (probabilities
    ``p``, ``words`` words each): the block the decoder picks, and this stage's reference point."""
    w = np.maximum(words, MIN_WEIGHT)
    s = w * (p - THRESHOLD)
    start, end = best_run(s)
    return w, s, start, end


def context(p: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Context columns (units x ``N_CONTEXT``) of first-stage probabilities
    ``p`` of a page's non-empty units with ``words`` words each."""
    n = len(p)
    out = np.empty((N_CONTEXT, n))
    if n == 0:
        return out.T
    out[0] = p
    w, _, start, end = story_run(p, words)
    run_position(out[1:4], start, end, n)
    likely = np.where(p >= THRESHOLD, w, 0.0)
    total = max(float(_SUM(likely)), 1.0)
    out[4] = float(_SUM(likely[start:end])) / total
    out[5] = float(_SUM(p[start:end] * w[start:end]) / _SUM(w[start:end])) if end > start else 0.0
    mass = _stretch_mass(likely)
    out[6] = np.log1p(mass)
    out[7] = mass / total
    out[8] = float(_SUM(p * w) / _SUM(w))
    return out.T


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
    """The second stage's features: the first stage's, then ``context`` (Fortran-ordered, as
    ``linefeatures.matrix`` gives them: ``predict`` gathers the rows of its transpose)."""
    return np.concatenate([X.T, context(p, words).T]).T
