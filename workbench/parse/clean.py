"""Main text vs boilerplate for plain-text dumps of web pages.

A browser's select-all-copy gives the story surrounded by menus, share prompts,
captions, comments and related stories.  ``clean_page`` splits such a dump into
the story's own paragraphs and the furniture around them.

How: the dump is cut into units -- lines, and the cells of table-layout lines
(``linefeatures.cells``).  Each unit is measured and given a rule-based kind
(``linekinds``: prose, label, list item, boilerplate, byline/date, section
heading, caption ...); context marks repeated lines, captions (prose above a
photo credit), teaser lists and key-point boxes.  A learned classifier
(``linemodel``, trained on development pages by aligning their gold bodies)
then gives every unit a probability of being story text from its own shape
and its neighbours', and the story is the best-weighing contiguous run of
units (``linemodel.decode``).  A dek above the story becomes the summary;
reader comments and whole related stories after it are kept apart.

Speed: each distinct raw line is cut into units, measured, classified and
given its stand-alone classifier features once, and cached across pages
(menus and footers recur on a site); so is its promo verdict.  What depends on
the page (context, neighbours, the model) is numpy array work over the page.
Context edits copy the line (``_relabel``).
"""
from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import cast

import numpy as np

from . import linefeatures, linemodel
from .furniture import blank_promos, join_wrapped_lines
from .lexicon import BYLINE, EDITOR_NOTE
from .linekinds import (
    AGO_RE,
    AUTHOR_MARKER_RE,
    BOILER,
    CAPTION_MAX_WORDS,
    COMMENT_END_RE,
    COMMENT_MARKER_RE,
    CREDIT_MAX_WORDS,
    DATELINE_RE,
    DUP,
    DUP_PENALTY,
    EMPTY,
    ITEM,
    KEY,
    MARKER,
    META,
    META_PENALTY,
    PROSE,
    SHORT,
    SUMMARY_HEAD_RE,
    WORD_RE,
    Line,
    classify,
    measure,
)

# --------------------------------------------------------------------------
# Thresholds of the context marks and of the parts around the story
# --------------------------------------------------------------------------
ISOLATED_PENALTY = -2.0      # a short line standing alone between blank lines (subhead, label)
REPEAT_PENALTY = -4.0        # a short line that occurs twice or more (menus)
DUP_WINDOW = 12              # prose repeated within this many lines is a caption
REPEAT_FACTOR = 0.3          # prose repeated far away (footers, teasers) counts less
HEADING_MAX_WORDS = 8        # a non-prose line this short above a trimmed tail is its heading
DEDUP_MIN_WORDS = 5          # a story line this long met again in the story is a second copy
SHORT_BODY_WORDS = 40        # warn below this many words of body
SAFETY_MARGIN = 0.2          # a block under a comments heading replaces a body weaker by this much
LOW_CONFIDENCE = 0.7         # warn below this extraction confidence (chosen by CV, see README: Measuring)
EMBED_MIN_WORDS = 60         # an embedded story's body has at least this many words
EMBED_LINE_WORDS = 25        # ... and starts with a line this long
EMBED_HEAD_LINES = 6         # lines above it searched for title and outlet
TEASER_HEAD = 3              # lines above a teaser summary searched for its date
TEASER_MIN_UNITS = 3         # teasers that make a list
KEY_MAX_LINES = 15           # lines under a "Key Points" heading
LEAD_MAX_PROSE = 2           # a dek is at most this many prose lines ...
LEAD_MAX_SHARE = 0.35        # ... holding at most this share of the run's words
LEAD_LINE_WORDS = 45         # a longer line above just a caption or ad is a first paragraph
LEAD_MAX_CUTS = 3            # dek, then e.g. a pull quote and dateline
SUMMARY_WINDOW = 40          # key points this close above the story are its summary
COMMENT_MIN_WORDS = 5        # a reader comment has at least this many words
LEAD_BREAKS = (BOILER, META, DUP, KEY)   # kinds that set a dek off from the story


@dataclass
class Page:
    """A text dump split into story and furniture.

    ``lines`` are the dump's lines (``\\n``-split after newline normalisation);
    ``body_start``/``body_end`` index the first and one-past-last line of the
    story in ``lines`` (None when no story was found), so metadata extraction
    can look at what stands just before and after it.  ``confidence`` (0-1)
    is how sure the extraction is that ``body`` is the page's story.
    """

    lines: list[str]
    body: str = ""
    body_start: int | None = None
    body_end: int | None = None
    summary: str | None = None
    comments: list[str] = field(default_factory=list)
    embedded_articles: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    confidence: float = 0.0


def split_lines(text: str) -> list[str]:
    """Dump lines after newline normalisation (\\r\\n and \\r become \\n)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# Stand-alone features of each distinct line, shared across pages: a site's
# menus and footers recur on all its pages.  Cleared when it grows too big.
# ``_LINE_CACHE`` maps a raw line to its units (one Line, or one per cell);
# ``_PROMO_CACHE`` a raw line to whether it is a promo.
_LINE_CACHE: dict[str, tuple[Line, ...]] = {}
_PROMO_CACHE: dict[str, bool] = {}
# (id of a line, kind, score) -> (that line, its relabelled copy): the entry keeps the line
# alive, so its id is not reused while the entry stands; copies are never changed either.
_RELABELLED: dict[tuple[int, int, float], tuple[Line, Line]] = {}
LINE_CACHE_SIZE = 200_000


def clear_caches() -> None:
    """Forget every cached line (benchmarks time a cold start with this)."""
    _LINE_CACHE.clear()
    _PROMO_CACHE.clear()
    _RELABELLED.clear()
    linefeatures.clear_rows()


def _measured(raw: str) -> Line:
    """The classified measurement of one line or cell (features precomputed)."""
    f = measure(raw)
    if f.text:
        classify(f)
        linefeatures.store_row(f)
    return f


def _new_units(raw: str) -> tuple[Line, ...]:
    """Measure a dump line not seen before -- itself, or its cells -- and
    remember its units."""
    if "\t" in raw or "  " in raw:
        u = tuple(_measured(p) for p in linefeatures.cells(raw))
    else:
        u = (_measured(raw),)
    _LINE_CACHE[raw] = u
    return u


def _units(lines: list[str]) -> tuple[list[Line], list[int], list[bool]]:
    """Units of the dump (lines; cells of table-layout lines), each unit's
    line index, and whether it is a cell."""
    memo = _LINE_CACHE
    if len(memo) > LINE_CACHE_SIZE or len(_RELABELLED) > LINE_CACHE_SIZE:
        clear_caches()
    found = list(map(memo.get, lines))              # (one C-level pass; new lines measured after)
    if None in found:
        for i in [i for i, u in enumerate(found) if u is None]:
            found[i] = memo.get(lines[i]) or _new_units(lines[i])   # (a line met twice on the page)
    per_line = cast("list[tuple[Line, ...]]", found)
    if sum(map(len, per_line)) == len(lines):
        return [u[0] for u in per_line], list(range(len(lines))), [False] * len(lines)
    feats: list[Line] = []
    where: list[int] = []
    is_cell: list[bool] = []
    for i, u in enumerate(per_line):
        feats.extend(u)
        where.extend([i] * len(u))
        is_cell.extend([len(u) > 1] * len(u))
    return feats, where, is_cell


_CORE, _WORDS = attrgetter("core"), attrgetter("words")


def _mark_repeats(feats: list[Line]) -> list[int]:
    """Relabel lines that occur more than once (menus, captions printed twice,
    footers) and return each unit's number of occurrences on the page.  A
    prose line repeated close by is a caption -- unless the prose next to it
    repeats too: then a whole passage is printed twice, and it stays prose
    (``_story`` keeps its first copy)."""
    cores = list(map(_CORE, feats))          # "" only for blank lines
    tally = Counter(cores)
    tally.pop("", None)
    counts = list(map(tally.__getitem__, cores))     # 0 for blank lines
    seen: dict[str, list[int]] = {}
    for i in [i for i, k in enumerate(counts) if k > 1]:
        seen.setdefault(cores[i], []).append(i)
    for idx in seen.values():
        for i in idx:
            f = feats[i]
            if f.kind in (SHORT, ITEM) and not (f.kind == SHORT and _isolated(feats, i)):
                _relabel(feats, i, f.kind, min(f.score, REPEAT_PENALTY))
            elif f.kind == PROSE and any(0 < abs(i - j) <= DUP_WINDOW for j in idx):
                if not _repeated_passage(feats, counts, i):
                    _relabel(feats, i, DUP, DUP_PENALTY)
            elif f.kind == PROSE:
                _relabel(feats, i, PROSE, f.score * REPEAT_FACTOR)
    return counts


def _repeated_passage(feats: list[Line], counts: list[int], i: int) -> bool:
    """The nearest non-empty unit before or after unit i is repeated prose too."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(feats) and feats[j].kind == EMPTY:
            j += step
        g = feats[j] if 0 <= j < len(feats) else None
        if g is not None and counts[j] > 1 and g.kind in (PROSE, DUP) and g.words >= DEDUP_MIN_WORDS \
                and g.core != feats[i].core:
            return True
    return False


def clean_page(text: str, model: dict | None = None) -> Page:
    """Split a text dump into the story body (paragraphs joined by a blank line,
    exact source text) and the furniture around it.  ``model``: a line model
    (``linemodel.load_model``/``check_model``); default the shipped one."""
    # promos and site banners are never story text: blanked (indices kept), so a story
    # interrupted by "Follow X on Google News" reads on past it; hard-wrapped story lines joined
    lines = join_wrapped_lines(blank_promos(split_lines(text or ""), _PROMO_CACHE))
    page = Page(lines=lines)
    feats, where, is_cell = _units(lines)
    counts = _context_marks(feats)
    keep, page.confidence = _story(feats, where, counts, is_cell, model)
    keep = _drop_head_notes(feats, keep)
    keep, dek = _trim_lead(feats, _trim_end(feats, keep))
    if not keep:
        page.warnings.append("no story found")
        page.confidence = 0.0
        return page
    page.body_start, page.body_end = where[keep[0]], where[keep[-1]] + 1
    page.body = "\n\n".join(feats[i].text for i in keep)
    if sum(feats[i].words for i in keep) < SHORT_BODY_WORDS:
        page.warnings.append("body very short")
    if page.confidence < LOW_CONFIDENCE:
        page.warnings.append("low-confidence-extraction")
    page.summary = _summary(feats, keep[0], dek)
    page.comments = _comments(feats, keep[-1] + 1)
    page.embedded_articles = _embedded(feats, keep[-1] + 1)
    return page


def _comments_start(units: list[Line], words: np.ndarray, is_cell: list[bool]) -> int:
    """Index of the first reader-comments or author-box heading ("About the
    author") with a story's worth of prose above it -- the story is looked for
    above it first --, else len(units).  A cell of a table-layout row is a
    side-column link, not a heading of the story's column."""
    seen = 0.0
    for k, f in enumerate(units):
        if f.kind == PROSE:
            seen += words[k]
        elif (f.kind == MARKER and not is_cell[k] and seen >= linefeatures.MARKER_MIN_PROSE
              and (COMMENT_MARKER_RE.match(f.core) or AUTHOR_MARKER_RE.match(f.core))):
            return k
    return len(units)


def _prose_strength(p: np.ndarray, words: np.ndarray, idx: list[int]) -> float:
    """Word-weighted mean story probability of the units ``idx``."""
    w = np.maximum(words[idx], 1.0)
    return float(linefeatures._SUM(p[idx] * w) / linefeatures._SUM(w))


def _trim_end(feats: list[Line], keep: list[int]) -> list[int]:
    """A story does not end by introducing something ("Explore what we can do
    for you:"): such a last line goes, with a short heading just above it."""
    keep = list(keep)
    while keep and feats[keep[-1]].core.endswith(":"):
        keep.pop()
        while keep and feats[keep[-1]].kind != PROSE and feats[keep[-1]].words <= HEADING_MAX_WORDS:
            keep.pop()
    return keep


def unit_features(text: str) -> tuple[list[Line], np.ndarray]:
    """The non-empty units of a dump after the context marks, and their
    classifier features (what the model is trained on and applied to)."""
    feats, where, is_cell = _units(split_lines(text or ""))
    counts = _context_marks(feats)
    _, units, _, X = _unit_matrix(feats, where, counts, is_cell)
    return units, X


def _unit_matrix(feats: list[Line], where: list[int], counts: list[int],
                 is_cell: list[bool]) -> tuple[list[int], list[Line], list[bool], np.ndarray]:
    """The non-empty units (their indices in ``feats``, the units, whether each is a cell)
    and their feature matrix: one construction for training and for cleaning."""
    ne = [i for i, f in enumerate(feats) if f.kind != EMPTY]
    pick = _picker(ne)
    units, cells = pick(feats), pick(is_cell)
    return ne, units, cells, linefeatures.matrix(units, pick(where), pick(counts), cells)


def _picker(idx: list[int]) -> Callable[[list], list]:
    """``lambda seq: [seq[i] for i in idx]``, by ``itemgetter`` (one C call, not a Python loop)."""
    if len(idx) < 2:
        return lambda seq: [seq[i] for i in idx]
    get = itemgetter(*idx)
    return lambda seq: list(get(seq))


def _context_marks(feats: list[Line]) -> list[int]:
    """Relabel lines in context (repeats, lone subheads, captions, teasers,
    key points); returns each unit's number of occurrences on the page."""
    counts = _mark_repeats(feats)
    for i in [i for i, f in enumerate(feats) if f.kind == SHORT]:      # (relabelling keeps the kind)
        if feats[i].words >= 2 and _isolated(feats, i):
            _relabel(feats, i, SHORT, ISOLATED_PENALTY)      # a lone subhead
    _mark_captions(feats)
    _mark_teasers(feats)
    _mark_key_points(feats)
    return counts


def _story(feats: list[Line], where: list[int], counts: list[int], is_cell: list[bool],
           model: dict | None) -> tuple[list[int], float]:
    """Unit indices of the story (the classifier's best run, second copies of
    its lines dropped) and the extraction confidence."""
    ne, units, cells, X = _unit_matrix(feats, where, counts, is_cell)
    if not ne:
        return [], 0.0
    part = "table" if True in cells else "plain"
    model = model or linemodel.load_model()
    words = np.fromiter(map(_WORDS, units), dtype=float, count=len(units))
    p = linemodel.refine(model, part, X, linemodel.predict(model[part], X), words)
    cut = _comments_start(units, words, cells)
    chosen, confidence = linemodel.decode(p[:cut], words[:cut])
    if cut < len(units):
        # safety net: the block filed under the comments heading wins when the
        # block above it is clearly weaker prose (a promo or a menu, not a story)
        after, conf_after = linemodel.decode(p[cut:], words[cut:])
        after = [k + cut for k in after]
        if after and (not chosen or _prose_strength(p, words, after)
                      >= _prose_strength(p, words, chosen) + SAFETY_MARGIN):
            chosen, confidence = after, conf_after
    keep, seen = [], set()
    for k in chosen:
        f = units[k]
        if f.words >= DEDUP_MIN_WORDS and f.core in seen:
            continue             # the story printed twice: keep the first copy
        seen.add(f.core)
        keep.append(ne[k])
    return keep, confidence


def _drop_head_notes(feats: list[Line], keep: list[int]) -> list[int]:
    """The story never opens with an editor's note or a byline line: those are
    header furniture above it ("(ATTN: ...)", "By A and B"), read by metadata."""
    k = 0
    while k < len(keep) - 1 and (EDITOR_NOTE.match(feats[keep[k]].core)
                                 or (feats[keep[k]].kind != PROSE and BYLINE.match(feats[keep[k]].core))):
        k += 1
    return keep[k:]


def _isolated(feats: list[Line], i: int) -> bool:
    """Line i stands alone between blank lines -- a subhead or label set as
    its own paragraph; menus and link lists come as runs of adjacent lines."""
    n = len(feats)
    return 0 < i < n - 1 and feats[i - 1].kind == EMPTY and feats[i + 1].kind == EMPTY


def _relabel(feats: list[Line], i: int, kind: int, score: float) -> Line:
    """Give line i a new kind and score in context: lines are shared with the
    cache (and repeated lines with each other), so they are never changed; the
    relabelled copy is made once per line, kind and score and shared in turn
    (``_RELABELLED``: a site's menu lines are relabelled alike on each of its pages)."""
    f = feats[i]
    key = (id(f), kind, score)
    hit = _RELABELLED.get(key)
    if hit is not None and hit[0] is f:
        g = hit[1]
    else:
        g = f.copy()
        g.kind, g.score = kind, score
        _RELABELLED[key] = (f, g)
    feats[i] = g
    return g


def _mark_captions(feats: list[Line]) -> None:
    """A prose line directly above a short photo-credit line is a caption."""
    prev = None
    for i, f in enumerate(feats):
        if f.kind == EMPTY:
            continue
        credit = f.credit
        if credit and f.kind == PROSE:
            f = _relabel(feats, i, DUP, DUP_PENALTY)
        elif credit and prev is not None and f.words <= CREDIT_MAX_WORDS and "(" not in f.low:
            _relabel(feats, prev, DUP, DUP_PENALTY)
        prev = i if f.kind == PROSE and f.words <= 2 * CAPTION_MAX_WORDS else None


def _mark_teasers(feats: list[Line]) -> None:
    """Teaser lists -- title, author, date, one summary paragraph, repeated: a
    lone prose line (no prose right after it) with a date or byline among the
    few lines just above it.  Three or more such units make a list, whose
    summaries are furniture."""
    nonempty = [i for i, f in enumerate(feats) if f.kind != EMPTY]
    units = []
    for n, i in enumerate(nonempty):
        f = feats[i]
        if f.kind != PROSE:
            continue
        if n + 1 < len(nonempty) and feats[nonempty[n + 1]].kind == PROSE:
            continue
        head = [feats[j] for j in nonempty[max(0, n - TEASER_HEAD):n]]
        if (any(h.kind == META for h in head) and any(h.kind in (SHORT, ITEM) for h in head)
                and not any(h.kind == PROSE for h in head[-2:])):
            units.append(i)
    if len(units) < TEASER_MIN_UNITS:
        return
    for i in units:
        _relabel(feats, i, DUP, DUP_PENALTY)


def _mark_key_points(feats: list[Line]) -> None:
    """A "Key Points" / "Highlights" heading and the bullets or lines under it
    (up to a blank line after the first item) are a summary box, not story."""
    n = len(feats)
    for i, f in enumerate(feats):
        if not f.key_head:
            continue
        _relabel(feats, i, KEY, META_PENALTY)
        j, items = i + 1, 0
        while j < n and j <= i + KEY_MAX_LINES:
            g = feats[j]
            if g.kind == EMPTY:
                # a blank line ends the box unless it sits inside a bullet list
                if items and not (feats[j - 1].bullet and j + 1 < n and feats[j + 1].bullet):
                    break
            elif g.bullet or (items == 0 and g.kind == PROSE):
                _relabel(feats, j, KEY, 0.0)
                items += 1
            else:
                break
            j += 1


def _trim_lead(feats: list[Line], keep: list[int]) -> tuple[list[int], list[int]]:
    """Drop a dek / standfirst from the head of the story: up to
    LEAD_MAX_PROSE prose lines followed by furniture (dateline, byline, date,
    read time, caption) before the bulk of the text.  Returns (body, dek)."""
    dek: list[int] = []
    total = sum(feats[i].words for i in keep if feats[i].kind == PROSE)
    for _ in range(LEAD_MAX_CUTS):
        prose = [i for i in keep if feats[i].kind == PROSE]
        cut = None
        for k in range(min(LEAD_MAX_PROSE, len(prose) - 1)):
            a, b = prose[k], prose[k + 1]
            kinds = {feats[j].kind for j in range(a + 1, b)}
            if not kinds.isdisjoint(LEAD_BREAKS):
                cut = k
                break
        if cut is None:
            break
        head = prose[:cut + 1]
        words = sum(feats[i].words for i in head)
        if words > LEAD_MAX_SHARE * total:
            break
        # a long line, or two lines, followed only by a photo caption or an ad label are the
        # story's first paragraphs; so is a line opening with a dateline ("LONDON (AP) --")
        if kinds.isdisjoint((META, KEY)) and (len(head) > 1 or any(feats[i].words > LEAD_LINE_WORDS for i in head)):
            break
        if any(DATELINE_RE.match(feats[i].core) for i in head):
            break
        dek.extend(i for i in keep if i <= head[-1] and feats[i].kind == PROSE)
        keep = [i for i in keep if i > head[-1]]
        while keep and feats[keep[0]].kind != PROSE:
            keep.pop(0)
    return keep, dek


def _summary(feats: list[Line], body_start: int, dek: list[int]) -> str | None:
    """Dek / standfirst lines cut from the story's head plus a key-points box
    shown shortly before the story; pull quotes are left out."""
    lo = max(0, body_start - SUMMARY_WINDOW)
    idx = {i for i in dek if not _pull_quote(feats[i])}
    idx.update(i for i in range(lo, body_start) if feats[i].kind == KEY and feats[i].words >= 2
               and not SUMMARY_HEAD_RE.match(feats[i].core))
    if not idx:
        return None
    return "\n\n".join(feats[i].core for i in sorted(idx))


def _pull_quote(f: Line) -> bool:
    """A short quoted line ("... - Name") set off above the story."""
    return f.core[:1] in "\"“'«„" and f.words < 20


def _comments(feats: list[Line], body_end: int) -> list[str]:
    """Reader comments after the story: prose lines following a comments
    heading, minus commenter names/initials and the form's own prompts."""
    n = len(feats)
    i = body_end
    while i < n and not (feats[i].kind == MARKER and COMMENT_MARKER_RE.match(feats[i].core)):
        i += 1
    out: list[str] = []
    for j in range(i + 1, n):
        f = feats[j]
        if f.kind == MARKER and not COMMENT_MARKER_RE.match(f.core) or COMMENT_END_RE.match(f.core):
            break
        if f.kind == PROSE and f.words >= COMMENT_MIN_WORDS and not _comment_prompt(f):
            out.append(f.core)
    return out


def _comment_prompt(f: Line) -> bool:
    """Comment-form boilerplate ("Save my name...", "Please keep comments ...")."""
    return f.words <= 25 and bool(re.search(r"\bcomments?\b|\bemail\b|\bspam\b|\blog(?:ged)?\s?in\b",
                                            f.core, re.IGNORECASE))


def _embedded(feats: list[Line], body_end: int) -> list[dict]:
    """Whole other stories after the story (e.g. a "Related Articles" block
    holding outlet, "8 hours ago", title and full text): each long prose run
    with a title line above it, within a related/more section."""
    n = len(feats)
    i = body_end
    while i < n and not (feats[i].kind == MARKER and not COMMENT_MARKER_RE.match(feats[i].core)):
        i += 1
    out: list[dict] = []
    j = i + 1
    while j < n:
        f = feats[j]
        if f.kind == MARKER and COMMENT_MARKER_RE.match(f.core):
            break
        if f.kind != PROSE or f.words < EMBED_LINE_WORDS:
            j += 1
            continue
        k = j
        body = []
        while k < n and (feats[k].kind in (PROSE, EMPTY)):
            if feats[k].kind == PROSE:
                body.append(feats[k].text)
            k += 1
        words = sum(len(WORD_RE.findall(b)) for b in body)
        head = [h for h in range(max(i + 1, j - EMBED_HEAD_LINES), j) if feats[h].kind != EMPTY]
        if words >= EMBED_MIN_WORDS and head:
            out.append(_embed_record(feats, head, body))
        j = k
    return out


def _embed_record(feats: list[Line], head: list[int], body: list[str]) -> dict:
    """Title (the last headline-like line above), outlet (a "- Outlet" line or
    the line before "N hours ago", or a name repeated in the header)."""
    title = outlet = None
    for h in reversed(head):
        f = feats[h]
        if f.kind in (SHORT, PROSE, ITEM) and f.words >= 3 and not f.text.startswith(("-", "–", "—")):
            title = f.text
            break
    texts = [feats[h].text for h in head]
    for t in texts:
        m = re.match(r"^[-–—]\s*(\S.{0,60})$", t)
        if m:
            outlet = m.group(1).strip()
    if outlet is None:
        for a, b in itertools.pairwise(head):
            if AGO_RE.match(feats[b].core) and feats[a].words <= 5:
                outlet = feats[a].text
    return {"title": title, "outlet": outlet, "body": "\n\n".join(body)}
