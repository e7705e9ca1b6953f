"""Text helpers shared by the analysers: offset-preserving normalisation and a
sentence splitter that knows news abbreviations ("Gen.", "U.S.", "Feb.").

Every analyser reports exact source sentences, so normalisation maps one
character to one character: offsets in the normalised text are offsets in the
original body.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Protocol

# One character to one character, so offsets survive.
_TRANS = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\t": " ",
})


_TRANS_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _TRANS) + "]")


def normalise(text: str) -> str:
    """Straight quotes, ASCII dashes and plain spaces, same length as ``text``."""
    # a regex touching only the few characters to map beats str.translate's
    # per-character dict lookups on long bodies
    return _TRANS_RE.sub(lambda m: _TRANS[ord(m.group())], text)


def lower_same_length(text: str) -> str:
    """``text.lower()`` when that keeps the length (almost always), else a
    character-by-character lowering that does."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@dataclass(frozen=True)
class Sentence:
    index: int          # position in the document
    paragraph: int      # paragraph number
    start: int          # offsets in the body
    end: int
    text: str           # exact source text


# Words that end with a full stop without ending a sentence.
ABBREVIATIONS = frozenset("""
U.S U.N U.K U.S.A R.O.K D.C Gen Lt Col Capt Adm Maj Brig Sgt Cmdr Cdr Mr Mrs Ms Dr Prof St No Nos
Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Inc Corp Co Ltd Jr Sr Rep Reps Sen Gov Pvt Spc Cpl
vs etc e.g i.e a.m p.m Mt Ft Vol Rev Gens Adms approx est Dept Gov't
""".split())

_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_BOUNDARY = re.compile(r'[.!?]+["\')\]]*\s+(?=["\'(\[]?[A-Z0-9])')
_PARA = re.compile(r"\n\s*\n")
# A stop with no space after it, between a lower-case letter, digit or bracket and a
# capitalised word: paragraphs pasted together ("said Tuesday.The company"). A capital
# followed by a lower-case letter is required, so "yna.co.kr" and "U.S." never split.
# Written stop first, its left neighbour checked behind it: the same matches as a look-behind opening the
# pattern, but the regex engine skips to the next ".!?" instead of trying the look-behind at every character.
_GLUED = re.compile(r'[.!?](?<=[a-z0-9)][.!?])["\'\)\]]*(?=[A-Z][a-z])')


def _is_abbrev(text: str, dot: int) -> bool:
    """Is the full stop at ``dot`` part of an abbreviation or an initial?"""
    if text[dot] != ".":
        return False
    i = dot
    while i > 0 and not text[i - 1].isspace() and text[i - 1] not in "(\"'":
        i -= 1
    word = text[i:dot]
    if not word:
        return False
    if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS or word.rsplit(".", 1)[-1] in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isupper():          # initials: "S. Korea", "Randall E. Reed"
        return True
    if _DOTTED.fullmatch(word):                    # U.S, e.g
        return True
    return False


def split_sentences(body: str, norm: str | None = None) -> list[Sentence]:
    """Sentences of ``body`` with their offsets (paragraphs split on blank lines,
    then on sentence-final punctuation not part of an abbreviation).
    ``norm``: ``normalise(body)``, when the caller has it."""
    out: list[Sentence] = []
    if not body:
        return out
    if norm is None:
        norm = normalise(body)
    pos = 0
    para = 0
    for pm in list(_PARA.finditer(norm)) + [None]:
        pend = pm.start() if pm else len(norm)
        _split_para(body, norm, pos, pend, para, out)
        para += 1
        if pm is None:
            break
        pos = pm.end()
    return out


def _split_para(body: str, norm: str, start: int, end: int, para: int, out: list[Sentence]) -> None:
    seg_start = start
    stops = list(_BOUNDARY.finditer(norm, start, end))
    glued = list(_GLUED.finditer(norm, start, end))
    if glued:              # rare; without them the boundaries are already in order
        stops = sorted([*stops, *glued], key=lambda m: m.start())
    for m in stops:
        if m.start() < seg_start:
            continue
        if _is_abbrev(norm, m.start()):
            continue
        stop = m.end()
        while stop > seg_start and norm[stop - 1].isspace():
            stop -= 1
        _emit(body, seg_start, stop, para, out)
        seg_start = m.end()
    _emit(body, seg_start, end, para, out)


def _emit(body: str, s: int, e: int, para: int, out: list[Sentence]) -> None:
    while s < e and body[s].isspace():
        s += 1
    while e > s and body[e - 1].isspace():
        e -= 1
    if e > s:
        out.append(Sentence(len(out), para, s, e, body[s:e]))


def name_key(name: str) -> str:
    """Comparison key for personal names: case, hyphens and spacing ignored
    ("Kim Myung-soo" == "Kim Myung Soo")."""
    return " ".join(re.sub(r"[-.\u2010\u2011]", " ", name).split()).casefold()


# "U" at a word start (the look-behind, after the "U", is the ``\b`` before it): a pattern that opens
# with a literal is searched for that letter, not tried at every character (16x faster on a body)
_COMPARE_US = re.compile(r"U(?<!\wU)\.\s?S\.(?:\s?A\.)?(?=\W|$)")
_COMPARE_PUNCT = re.compile(r"[^\w\s]+")


def comparison_text(text: str) -> str:
    """``text`` as copies of one story are compared: "U.S."/"US" alike, curly and
    straight quotes, hyphens and dashes dropped, case and spacing ignored (an edited
    copy of a press release changes these and little else)."""
    t = normalise(text)
    t = _COMPARE_US.sub("US", t)
    t = t.replace("-", " ")
    t = _COMPARE_PUNCT.sub(lambda m: " " if "'" not in m.group() and '"' not in m.group() else "", t)
    return " ".join(t.split()).casefold()


_QUOTE_ON = re.compile(r"['\"][^\w\s]*")    # a quote and the punctuation after it in its run
_MARK_BACK = re.compile(r"\x00[^\w\s]*")     # (on the reversed text) the mark and the punctuation before it


def comparison_words_text(text: str) -> str | None:
    """A text whose words (runs of ``[0-9a-z]``; no apostrophe is left in it) are those of
    ``comparison_text(text)``, in about two thirds of its time: a run of punctuation holding a
    quote is dropped as there (from its first quote on, then, on the reversed text, what stands
    before the mark left there), while other runs and the spacing are left as they are, since
    they part words just as the spaces ``comparison_text`` makes of them do (no character
    outside words and spaces casefolds into a word character or a quote: checked over all of
    Unicode). None when ``text`` holds a NUL, the mark used."""
    t = _COMPARE_US.sub("US", normalise(text)).replace("-", " ")
    if "\x00" in t:
        return None
    if "'" in t or '"' in t:
        t = _MARK_BACK.sub("", _QUOTE_ON.sub("\x00", t)[::-1])[::-1]
    return t.casefold()


class SpanIndex:
    """Fixed (start, end) spans asked "does any overlap [start, end)?" in O(log n) instead of
    a scan of every span (a story's gazetteer mentions are asked once per name candidate,
    which made a long story's people analysis quadratic). Answers exactly what
    ``any(s < end and start < e for s, e in spans)`` answers."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self._starts = [s for s, _ in self.spans]
        self._max_end = list(accumulate((e for _, e in self.spans), max))

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self._starts, end)          # the spans starting before ``end`` ...
        return i > 0 and self._max_end[i - 1] > start   # ... and one of them ends after ``start``


class _Located(Protocol):
    @property
    def start(self) -> int: ...


class StartIndex:
    """Items with a ``start`` (mentions), asked for those starting in [lo, hi) in their
    original order: a slice found by bisection when the items are sorted by start (as the
    gazetteer gives them), else the plain filter."""

    def __init__(self, items: Sequence[_Located]) -> None:
        self.items = items
        starts = [m.start for m in items]
        self._starts = starts if all(a <= b for a, b in zip(starts, starts[1:])) else None

    def starting_in(self, lo: int, hi: int) -> list:
        if self._starts is None:
            return [m for m in self.items if lo <= m.start < hi]
        i = bisect_left(self._starts, lo)
        return list(self.items[i:bisect_left(self._starts, hi, i)])

