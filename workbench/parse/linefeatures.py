"""Features of the units of a text dump, for the line classifier (``linemodel``).

A unit is a line, or one cell of a table-layout line: a browser's copy of an
old table-based page puts a story paragraph and a side column on one line,
separated by tabs or runs of spaces, and the two must be judged apart.

Each unit gets stand-alone features (length, stopword share, punctuation,
capitalisation, link-like shape, its rule-based kind from ``linekinds``) and
features of its context on the page: position, blank lines around it,
neighbours' shape (a window of three units each side), prose density around
it, repetition on the page, whether it lies in the best-scoring run of the
rule scores, its vocabulary overlap with that run, and whether a comments or
"Related" heading stands before it.  All are about the kind of page, none
about a site.  Stand-alone features are cached on the ``Line`` (lines recur
across a site's pages); the page-level ones are numpy array operations.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from itertools import chain
from operator import attrgetter

import numpy as np

from .linekinds import (
    BOILER_WORDS,
    COMMENT_MARKER_RE,
    ITEM,
    MARKER,
    META,
    PROSE,
    PROSE_MIN_WORDS,
    SHORT,
    STOPWORDS,
    WORD_RE,
    Line,
)

# A gap between two cells of a table-layout line: a tab, three or more spaces,
# or two spaces not following a sentence end (old pages put two after a period).
CELL_GAP_RE = re.compile(r"\s*\t\s*|\s{3,}|(?<=[^\s.!?:;\"'”’)])\s{2}(?=\S)")
CELL_HINT = ("\t", "  ")
CONTEXT = 3                  # neighbours each side whose shape is a feature
WINDOWS = (2, 6, 15)         # half-widths of the prose-density windows
MARKER_MIN_PROSE = 40        # prose words before a heading for it to close the story
SCORE_SCALE = 10.0

_CAP_RE = re.compile(r"(?<!\w)[A-ZÀ-Ý]")
_QUOTES = frozenset("\"“'«„‘")
_BOILER_HIT = BOILER_WORDS.__contains__


def cells(raw: str) -> list[str]:
    """The cells of a table-layout line, or ``[raw]``.  A line is split only
    when one of its cells is long enough to be prose: rows of a data table
    ("1   Kyle   5040") and menus stay whole."""
    if "\t" not in raw and "  " not in raw.strip():
        return [raw]
    parts = [c for c in CELL_GAP_RE.split(raw.strip()) if c]
    if len(parts) < 2 or max(len(WORD_RE.findall(c)) for c in parts) < PROSE_MIN_WORDS:
        return [raw]
    return parts


BASE_NAMES = ("log_words", "stop", "ends", "bullet", "cjk", "log_chars", "cap_share", "digit_share",
              "punct_per_word", "comma_per_word", "linkish", "ends_colon", "boiler_share", "mean_tok_len",
              "quote_start")
_ENDS_COLON, _BULLET = BASE_NAMES.index("ends_colon"), BASE_NAMES.index("bullet")
ONE_HOT_KINDS = (SHORT, ITEM, META)   # rule kinds given a column of their own (the others carried nothing in CV)


def base_vec(f: Line) -> tuple:
    """Stand-alone features of one line (cached on it: lines recur)."""
    v = f.vec
    if v is not None:
        return v
    toks, core, n = f.toks, f.core, max(len(f.toks), 1)
    commas = core.count(",")
    # link-like: a separator of link rows (substring tests: cheap)
    linkish = "|" in core or "»" in core or "›" in core or "•" in core or " / " in core
    v = (math.log1p(f.words), f.stop, float(f.ends), float(f.bullet), float(f.cjk), math.log1p(len(f.text)),
         (0 if core.islower() else len(_CAP_RE.findall(core))) / n, sum(map(str.isdigit, toks)) / n,
         (commas + core.count(".") + core.count(";") + core.count(":")) / n, commas / n,
         float(linkish), float(core[-1] == ":"), sum(map(_BOILER_HIT, toks)) / n,
         sum(map(len, toks)) / n, float(core[0] in _QUOTES))
    f.vec = v
    return v


# The stand-alone features of every cached unit, one row each, so that a page's
# base block is one gather (``base_rows``) instead of a conversion of tuples.
# ``_ROWS`` holds the tuples in arrival order; ``_TABLE`` the first ``_FILLED[0]``
# of them as floats (capacity doubles as it grows).
_ROWS: list[tuple] = []
_TABLE = [np.zeros((1024, len(BASE_NAMES)))]
_FILLED = [0]


def store_row(f: Line) -> None:
    """Give a cached unit its row in the table (its ``vec`` computed first)."""
    _ROWS.append(f.vec or base_vec(f))
    f.row = len(_ROWS) - 1


def clear_rows() -> None:
    """Forget the row table (with the line cache that points into it)."""
    _ROWS.clear()
    _FILLED[0] = 0


def base_rows(feats: list[Line]) -> np.ndarray:
    """The stand-alone feature block of ``feats``: a gather from the row
    table, or (units not in it) a conversion of their tuples."""
    n = len(feats)
    ids = [f.row for f in feats]
    if n == 0 or min(ids) < 0:
        return np.array([f.vec or base_vec(f) for f in feats], dtype=float).reshape(n, len(BASE_NAMES))
    filled, table = _FILLED[0], _TABLE[0]
    if filled < len(_ROWS):
        if len(_ROWS) > len(table):
            grown = np.zeros((2 * len(_ROWS), len(BASE_NAMES)))
            grown[:filled] = table[:filled]
            table = _TABLE[0] = grown
        table[filled:len(_ROWS)] = np.array(_ROWS[filled:], dtype=float)
        _FILLED[0] = len(_ROWS)
    return table[ids]


def feature_names() -> list[str]:
    """Column names of ``matrix`` (the model file records them and is checked against them)."""
    names = list(BASE_NAMES)
    names += [f"kind_{k}" for k in ONE_HOT_KINDS]
    names += ["score", "pos", "words_before", "blank_before", "blank_after", "log_repeat", "cell", "page_cells"]
    for d in [*range(-CONTEXT, 0), *range(1, CONTEXT + 1)]:
        names += [f"n{d}_log_words", f"n{d}_ends", f"n{d}_stop", f"n{d}_score"]
    for w in WINDOWS:
        names += [f"w{w}_prose", f"w{w}_score"]
    names += ["in_run", "before_run", "after_run", "cohesion", "after_comments", "after_marker",
              "prev_prose_dist", "next_prose_dist", "prev_prose_colon", "bullet_block"]
    return names


_PAGE_ATTRS = attrgetter("kind", "score", "words")


def matrix(feats: list[Line], where: list[int], repeats: list[int], is_cell: list[bool]) -> np.ndarray:
    """Feature matrix of the non-empty units ``feats`` (in page order).

    ``where`` is each unit's line index in the dump (blank lines are the gaps
    between them), ``repeats`` how often its text occurs on the page,
    ``is_cell`` whether it is a cell of a split table-layout line."""
    n = len(feats)
    base = base_rows(feats)
    ksw = np.array(list(map(_PAGE_ATTRS, feats)), dtype=float).reshape(n, 3)
    kinds = ksw[:, 0].astype(int)
    score = np.clip(ksw[:, 1], -30, 60) / SCORE_SCALE
    words = ksw[:, 2]
    prose = (kinds == PROSE).astype(float)
    pos = np.arange(n) / max(n - 1, 1)
    cum = np.cumsum(words) - words
    cell = np.asarray(is_cell, dtype=float)
    before_after = _blank_gaps(where)
    cols = [base, (kinds[:, None] == ONE_HOT_KINDS).astype(float), score[:, None], pos[:, None],
            (cum / max(words.sum(), 1.0))[:, None], before_after,
            np.log(np.asarray(repeats, dtype=float))[:, None], cell[:, None], np.full((n, 1), cell.mean())]
    shape = np.stack([base[:, 0], base[:, 2], base[:, 1], score], axis=1)
    cols.append(_neighbours(shape, CONTEXT))
    ps = np.stack([prose, score], axis=1)
    cols.append(_window_mean(ps, WINDOWS))
    start, end = best_run(score)
    cols.append(_run_features(n, start, end, feats, prose))
    cols.append(_after_headings(feats, words, kinds))
    cols.append(_lists(base, kinds))
    return np.concatenate(cols, axis=1)


def _blank_gaps(where: list[int]) -> np.ndarray:
    """Blank lines before and after each unit (0-3)."""
    w = np.asarray(where, dtype=float)
    gaps = np.clip(np.diff(w) - 1, 0, 3)
    return np.stack([np.concatenate([[3.0], gaps]), np.concatenate([gaps, [3.0]])], axis=1)


def _neighbours(a: np.ndarray, k: int) -> np.ndarray:
    """Rows of ``a`` of the units k..1 before and 1..k after each unit, side by
    side (zeros past the page's edges): one padded copy, 2k slices."""
    n, m = a.shape
    padded = np.concatenate([np.zeros((k, m)), a, np.zeros((k, m))])
    return np.concatenate([padded[k + d:k + d + n] for d in [*range(-k, 0), *range(1, k + 1)]], axis=1)


def _window_mean(a: np.ndarray, widths: tuple[int, ...]) -> np.ndarray:
    """Mean of the rows of ``a`` over the units within ``w`` of each unit, for
    each ``w`` of ``widths`` (side by side): one running sum, two gathers each."""
    c = np.concatenate([np.zeros((1,) + a.shape[1:]), np.cumsum(a, axis=0)])
    idx = np.arange(len(a))
    out = []
    for w in widths:
        lo, hi = np.maximum(idx - w, 0), np.minimum(idx + w + 1, len(a))
        out.append((c[hi] - c[lo]) / (hi - lo)[:, None])
    return np.concatenate(out, axis=1)


def best_run(scores: np.ndarray) -> tuple[int, int]:
    """Max-subarray (Kadane): (start, end_exclusive) of the best-scoring run."""
    best, best_s, best_e, cur, cur_s = 0.0, 0, 0, 0.0, 0
    for i, s in enumerate(scores.tolist()):
        if cur <= 0:
            cur, cur_s = 0.0, i
        cur += s
        if cur > best:
            best, best_s, best_e = cur, cur_s, i + 1
    return best_s, best_e


_NO_WORDS: frozenset = frozenset()
_CONTENT = attrgetter("content")


def content(f: Line) -> set | frozenset:
    """Content words of a line (tokens that are not stopwords), cached on it;
    none for a CJK line (its tokens are not words)."""
    if f.content is None:
        f.content = _NO_WORDS if f.cjk else set(f.toks).difference(STOPWORDS)
    return f.content


def _run_features(n: int, start: int, end: int, feats: list[Line], prose: np.ndarray) -> np.ndarray:
    """In the rule-score run; distance before and after it (log units); share
    of a unit's content words found in the run's prose -- for the run's own
    prose, in another of its lines (story paragraphs share names and topic
    words, teasers and ads mostly do not)."""
    idx = np.arange(n)
    in_run = ((idx >= start) & (idx < end)).astype(float)
    before, after = np.log1p(np.maximum(start - idx, 0)), np.log1p(np.maximum(idx - end + 1, 0))
    sets = list(map(_CONTENT, feats))
    if None in sets:
        sets = [content(f) for f in feats]
    own = [i for i in (np.flatnonzero(prose[start:end]) + start).tolist() if sets[i]]
    vocab = Counter(chain.from_iterable([sets[i] for i in own]))
    keys = vocab.keys()
    shared = {w for w, c in vocab.items() if c >= 2}
    others = sets.copy()
    for i in own:
        others[i] = None                  # the run's own prose: measured against ``shared`` below
    coh = [len(keys & ws) / len(ws) if ws else 1.0 for ws in others]
    for i in own:
        ws = sets[i]
        coh[i] = len(ws & shared) / len(ws)
    return np.stack([in_run, before, after, np.array(coh)], axis=1)


def _lists(base: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """Distance (log units) to the nearest prose unit before and after;
    whether the prose unit before ends with a colon (it introduces what
    follows); length of the run of bullet units the unit is in (log)."""
    n = len(kinds)
    idx = np.arange(n)
    prose = kinds == PROSE
    prev = np.concatenate([[-1], np.maximum.accumulate(np.where(prose, idx, -1))[:-1]])     # strictly before
    nxt = np.concatenate([np.minimum.accumulate(np.where(prose, idx, n)[::-1])[::-1][1:], [n]])  # strictly after
    colon = prose & (base[:, _ENDS_COLON] > 0)
    prev_colon = np.where(prev >= 0, colon[np.maximum(prev, 0)], False)
    bullet = base[:, _BULLET] > 0
    block = np.zeros(n)
    if bullet.any():
        edges = np.flatnonzero(np.diff(np.concatenate([[0], bullet.view(np.int8), [0]])))
        lens = edges[1::2] - edges[::2]
        block[bullet] = np.repeat(np.log1p(lens), lens)
    return np.stack([np.where(prev >= 0, np.log1p(idx - prev), 5.0), np.where(nxt < n, np.log1p(nxt - idx), 5.0),
                     prev_colon.astype(float), block], axis=1)


def _after_headings(feats: list[Line], words: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """Whether a reader-comments heading, or another section heading
    ("Related", "More from"), stands before the unit after enough prose."""
    n = len(feats)
    seen = np.cumsum(words * (kinds == PROSE))
    first = [n, n]                                      # first comments / other heading
    for i in np.flatnonzero((kinds == MARKER) & (seen >= MARKER_MIN_PROSE)).tolist():
        k = 0 if COMMENT_MARKER_RE.match(feats[i].core) else 1
        first[k] = min(first[k], i)
    idx = np.arange(n)
    return np.stack([idx > first[0], idx > first[1]], axis=1).astype(float)
