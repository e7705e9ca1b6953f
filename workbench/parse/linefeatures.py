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

# A capital opening a word: "(?<!\w)[A-ZÀ-Ý]" with the capital first (a character-set
# prefix lets the regex engine skip to candidates) and the look-behind after it, reading
# the character before the capital ("." never meets a capital's "\n"); the same matches.
_CAP_RE = re.compile(r"[A-ZÀ-Ý](?<!\w.)")
# On an ASCII line the same count without a regex: capitals become "C", the other word characters
# "w", the rest " "; a capital opening a word is then a " C" of the line with a space before it.
_CAP_CLASS = bytes(67 if 65 <= c <= 90 else 119 if c < 128 and (chr(c).isalnum() or c == 95) else 32
                   for c in range(256))


def capitals(core: str) -> int:
    """Capitals opening a word (``len(_CAP_RE.findall(core))``)."""
    if core.isascii():
        return (b" " + core.encode()).translate(_CAP_CLASS).count(b" C")
    return len(_CAP_RE.findall(core))

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
    caps = 0 if core.islower() else capitals(core)
    commas = core.count(",")
    boiler = 0 if BOILER_WORDS.isdisjoint(toks) else sum(map(_BOILER_HIT, toks))
    # link-like: a separator of link rows (substring tests: cheap)
    linkish = "|" in core or "»" in core or "›" in core or "•" in core or " / " in core
    # flags stay bools here: the row table holds them as 0.0 / 1.0
    v = (math.log1p(f.words), f.stop, f.ends, f.bullet, f.cjk, math.log1p(len(f.text)), caps / n,
         sum(map(str.isdigit, toks)) / n, (commas + core.count(".") + core.count(";") + core.count(":")) / n,
         commas / n, linkish, core[-1] == ":", boiler / n, len("".join(toks)) / n, core[0] in _QUOTES)
    f.vec = v
    return v


# The stand-alone features of every cached unit, one row each, so that a page's
# base block is one gather (``base_rows``) instead of a conversion of tuples.
# ``_ROWS`` holds the tuples in arrival order; ``_TABLE`` the first ``_FILLED[0]``
# of them as floats (capacity doubles as it grows).
_ROWS: list[tuple] = []
_TABLE = [np.zeros((1024, len(BASE_NAMES)))]
_FILLED = [0]
_ROW = attrgetter("row")


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
    ids = np.fromiter(map(_ROW, feats), dtype=np.intp, count=n)
    if n == 0 or np.minimum.reduce(ids) < 0:
        return np.array([f.vec or base_vec(f) for f in feats], dtype=float).reshape(n, len(BASE_NAMES))
    filled, table = _FILLED[0], _TABLE[0]
    if filled < len(_ROWS):
        if len(_ROWS) > len(table):
            grown = np.zeros((2 * len(_ROWS), len(BASE_NAMES)))
            grown[:filled] = table[:filled]
            table = _TABLE[0] = grown
        new = len(_ROWS) - filled             # their flags (bools) become 0.0 / 1.0 as in ``np.array``
        table[filled:len(_ROWS)] = np.fromiter(chain.from_iterable(_ROWS[filled:]), dtype=float,
                                               count=new * len(BASE_NAMES)).reshape(new, len(BASE_NAMES))
        _FILLED[0] = len(_ROWS)
    return table.take(ids, axis=0)


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


_KIND, _SCORE, _WORDS = attrgetter("kind"), attrgetter("score"), attrgetter("words")
# ``x.sum()`` without the method's Python wrapper (``numpy._core._methods._sum``): the same
# reduction, a few microseconds less per call on a page's ~200 units (also ``cumsum``/``nonzero``
# as methods, not ``np.cumsum``/``np.flatnonzero``: the same results without their wrappers)
_SUM = np.add.reduce
N_FEATURES = len(feature_names())
_NB = len(BASE_NAMES)
_SHAPE_ROWS = [BASE_NAMES.index(c) for c in ("log_words", "ends", "stop")]
_ONE_HOT = np.array(ONE_HOT_KINDS)[:, None]


def matrix(feats: list[Line], where: list[int], repeats: list[int], is_cell: list[bool]) -> np.ndarray:
    """Feature matrix (units x features) of the non-empty units ``feats`` (in page order).

    ``where`` is each unit's line index in the dump (blank lines are the gaps
    between them), ``repeats`` how often its text occurs on the page,
    ``is_cell`` whether it is a cell of a split table-layout line.  Built
    feature by feature as contiguous rows of one preallocated block and
    returned transposed (a Fortran-ordered view): on a page of ~200 units
    numpy's per-call overhead, not arithmetic, is the cost, and the model's
    gather of its split features (``linemodel.predict``) reads whole columns."""
    n = len(feats)
    if n == 0:
        return np.empty((0, N_FEATURES))
    XT = np.empty((N_FEATURES, n))
    base = XT[:_NB]
    base[:] = base_rows(feats).T
    kinds = np.fromiter(map(_KIND, feats), dtype=np.intp, count=n)
    # (np.minimum/np.maximum with float bounds: np.clip's values at half its cost)
    score = np.minimum(np.maximum(np.fromiter(map(_SCORE, feats), dtype=float, count=n), -30.0), 60.0) / SCORE_SCALE
    words = np.fromiter(map(_WORDS, feats), dtype=float, count=n)
    prose = kinds == PROSE
    r = _NB + len(ONE_HOT_KINDS)
    XT[_NB:r] = kinds == _ONE_HOT
    XT[r] = score
    XT[r + 1] = np.arange(n, dtype=float) / max(n - 1, 1)
    XT[r + 2] = (words.cumsum() - words) / max(_SUM(words), 1.0)
    XT[r + 3:r + 5] = _blank_gaps(where)
    XT[r + 5] = np.log(np.asarray(repeats, dtype=float))
    XT[r + 6] = is_cell
    XT[r + 7] = _SUM(XT[r + 6]) / n
    r += 8
    shape = np.empty((4, n))                  # the neighbours' shape: log_words, ends, stop, score
    shape[:3] = base[_SHAPE_ROWS]
    shape[3] = score
    XT[r:r + 8 * CONTEXT] = _neighbours(shape, CONTEXT)
    r += 8 * CONTEXT
    both = np.empty((2, n))
    both[0] = prose
    both[1] = score
    XT[r:r + 2 * len(WINDOWS)] = _window_mean(both, WINDOWS)
    r += 2 * len(WINDOWS)
    start, end = best_run(score)
    _run_features(XT[r:r + 4], start, end, feats, prose)
    _after_headings(XT[r + 4:r + 6], feats, words, kinds)
    _lists(XT[r + 6:r + 10], base, prose)
    return XT.T


def _blank_gaps(where: list[int]) -> np.ndarray:
    """Blank lines before (row 0) and after (row 1) each unit (0-3)."""
    w = np.asarray(where, dtype=float)
    out = np.full((2, len(w)), 3.0)
    gaps = np.minimum(np.maximum(np.diff(w) - 1, 0.0), 3.0)
    out[0, 1:] = gaps
    out[1, :-1] = gaps
    return out


def _neighbours(a: np.ndarray, k: int) -> np.ndarray:
    """Rows of ``a`` (features x units) of the units k..1 before and 1..k after
    each unit, one block of rows per offset (zeros past the page's edges):
    one padded copy, 2k slices."""
    m, n = a.shape
    padded = np.zeros((m, n + 2 * k))
    padded[:, k:k + n] = a
    out = np.empty((2 * k * m, n))
    for j, d in enumerate([*range(-k, 0), *range(1, k + 1)]):
        out[j * m:(j + 1) * m] = padded[:, k + d:k + d + n]
    return out


def _window_mean(a: np.ndarray, widths: tuple[int, ...]) -> np.ndarray:
    """Mean of each row of ``a`` (features x units) over the units within ``w``
    of each unit, one block of rows per ``w`` of ``widths``: one running sum,
    two clipped gathers for all widths at once."""
    m, n = a.shape
    c = np.zeros((m, n + 1))
    a.cumsum(axis=1, out=c[:, 1:])
    idx = np.arange(n)
    w = np.array(widths)[:, None]
    hi, lo = idx + (w + 1), idx - w                         # past the edges: clipped to the page
    sums = c.take(hi, axis=1, mode="clip") - c.take(lo, axis=1, mode="clip")     # (m, widths, n)
    return (sums / (np.minimum(hi, n) - np.maximum(lo, 0))).transpose(1, 0, 2).reshape(m * len(widths), n)


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


_CONTENT = attrgetter("content")


def run_position(out: np.ndarray, start: int, end: int, n: int) -> None:
    """Into the three rows of ``out`` (``n`` units): in the run [start, end); distance before
    and after it (log units)."""
    idx = np.arange(n, dtype=float)          # (floats: log1p reads no integers through a cast)
    out[0] = 0.0
    out[0, start:end] = 1.0
    np.log1p(np.maximum(start - idx, 0.0), out=out[1])
    np.log1p(np.maximum(idx - end + 1, 0.0), out=out[2])


def _run_features(out: np.ndarray, start: int, end: int, feats: list[Line], prose: np.ndarray) -> None:
    """Into the four rows of ``out``: in the rule-score run; distance before
    and after it (log units); share of a unit's content words found in the
    run's prose -- for the run's own prose, in another of its lines (story
    paragraphs share names and topic words, teasers and ads mostly do not)."""
    run_position(out[:3], start, end, len(feats))
    sets = list(map(_CONTENT, feats))     # (``linekinds.measure`` made them; none: no words)
    own = [i for i in (prose[start:end].nonzero()[0] + start).tolist() if sets[i]]
    vocab: set = set()                    # every content word of the run's prose ...
    shared: set = set()                   # ... and those in two or more of its lines
    for i in own:
        ws = sets[i]
        shared |= vocab & ws
        vocab |= ws
    others = sets.copy()
    for i in own:
        others[i] = None                  # the run's own prose: measured against ``shared`` below
    coh = [len(vocab & ws) / len(ws) if ws else 1.0 for ws in others]
    for i in own:
        ws = sets[i]
        coh[i] = len(ws & shared) / len(ws)
    out[3] = coh


def _lists(out: np.ndarray, base: np.ndarray, prose: np.ndarray) -> None:
    """Into the four rows of ``out``: distance (log units) to the nearest prose
    unit before and after; whether the prose unit before ends with a colon (it
    introduces what follows); length of the run of bullet units the unit is in
    (log).  ``base``: the stand-alone feature rows."""
    n = len(prose)
    idx = np.arange(n)
    prev = np.empty(n, dtype=np.intp)                 # nearest prose strictly before (-1: none)
    prev[0] = -1
    np.maximum.accumulate(np.where(prose[:-1], idx[:-1], -1), out=prev[1:])
    nxt = np.empty(n, dtype=np.intp)                  # nearest prose strictly after (n: none)
    nxt[-1] = n
    np.minimum.accumulate(np.where(prose[:0:-1], idx[:0:-1], n), out=nxt[-2::-1])
    out[0] = 5.0
    out[1] = 5.0
    has = prev >= 0
    out[0, has] = np.log1p((idx - prev)[has])
    has_next = nxt < n
    out[1, has_next] = np.log1p((nxt - idx)[has_next])
    colon = prose & (base[_ENDS_COLON] > 0)
    out[2] = colon.take(prev) & has                   # prev == -1 reads the last unit: masked by ``has``
    bullet = base[_BULLET] > 0
    out[3] = 0.0
    if bullet.any():
        edges = (np.diff(np.concatenate([[0], bullet.view(np.int8), [0]])).nonzero()[0])
        lens = edges[1::2] - edges[::2]
        out[3, bullet] = np.repeat(np.log1p(lens), lens)


def _after_headings(out: np.ndarray, feats: list[Line], words: np.ndarray, kinds: np.ndarray) -> None:
    """Into the two rows of ``out``: whether a reader-comments heading, or
    another section heading ("Related", "More from"), stands before the unit
    after enough prose."""
    n = len(feats)
    seen = (words * (kinds == PROSE)).cumsum()
    first = [n, n]                                      # first comments / other heading
    for i in ((kinds == MARKER) & (seen >= MARKER_MIN_PROSE)).nonzero()[0].tolist():
        k = 0 if COMMENT_MARKER_RE.match(feats[i].core) else 1
        first[k] = min(first[k], i)
    out[:] = 0.0
    out[0, first[0] + 1:] = 1.0
    out[1, first[1] + 1:] = 1.0
