"""Gazetteer matching in one pass (Aho-Corasick, via pyahocorasick).

Every alias of every organisation, person, place and platform, plus generated
variants (British/American spellings, national prefixes for
``prefixed_aliases``), goes into one automaton keyed on lower-cased text. One
scan of the lower-cased body yields every candidate; candidates are kept when
they sit on word boundaries and their letter case fits the alias (acronyms
exactly, names capitalised, long names also in lower case), and overlapping
candidates resolve to the longest, leftmost one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from workbench.analyse.text import lower_same_length, normalise
from workbench.reference import Reference

CATEGORY_ORDER = {"organization": 0, "person": 1, "platform": 2, "place": 3}

# British/American pairs generated for every alias (both directions).
SPELLING_PAIRS = (
    ("Defense", "Defence"), ("defense", "defence"), ("Organization", "Organisation"),
    ("organization", "organisation"), ("Center", "Centre"), ("center", "centre"),
    ("Program", "Programme"), ("program", "programme"), ("Harbor", "Harbour"),
    ("Modernization", "Modernisation"), ("Labor", "Labour"),
)


@dataclass(frozen=True)
class Entry:
    category: str          # organization | person | place | platform
    name: str              # canonical name
    alias: str             # the alias as written in the gazetteer (or generated), normalised
    misprint: bool = False
    prefix: str | None = None      # national prefix that was put in front, if any
    prefix_place: str | None = None  # place named by that prefix ("South Korea's" -> South Korea)


def _glued_sentence_start(norm: str, start: int) -> bool:
    """Does ``start`` open a sentence glued to the previous one ("in 2025.Hanwha")?
    A capital and a lower-case letter after a stop that follows a small letter or a digit."""
    return (start + 1 < len(norm) and norm[start].isupper() and norm[start + 1].islower()
            and (norm[start - 2].islower() or norm[start - 2].isdigit()))


@dataclass(frozen=True)
class Mention:
    category: str
    name: str
    surface: str
    start: int
    end: int
    misprint: bool = False
    prefix_place: str | None = None


def _spelling_variants(alias: str) -> set[str]:
    out = {alias}
    for a, b in SPELLING_PAIRS:
        for s in list(out):
            if re.search(rf"\b{a}", s):
                out.add(re.sub(rf"\b{a}", b, s))
            if re.search(rf"\b{b}", s):
                out.add(re.sub(rf"\b{b}", a, s))
    return out


def _acronymish(tok: str) -> bool:
    core = tok.strip(".,'()")
    return (sum(c.isupper() for c in core) >= 2 or any(c.isdigit() for c in core)
            or (len(core) >= 2 and core[0].islower() and any(c.isupper() for c in core[1:])))


class GazetteerMatcher:
    """One Aho-Corasick automaton over every alias in the reference data."""

    def __init__(self, ref: Reference):
        self.ref = ref
        self.entries: list[Entry] = []
        place_by_alias: dict[str, str] = {}
        for pl in ref.places:
            for a in (pl.name, *pl.aliases):
                place_by_alias[a.casefold()] = pl.name
        self.place_by_alias = place_by_alias
        self.capitals = {pl.name for pl in ref.places if pl.capital}
        self.org_kind = {o.name: o.kind for o in ref.organizations}
        self.org_country = {o.name: o.country for o in ref.organizations}

        def add(category, name, alias, misprint=False, prefix=None):
            pp = None
            if prefix:
                base = re.sub(r"'s$", "", prefix.replace("the ", "", 1))
                pp = place_by_alias.get(base.casefold()) if prefix.endswith("'s") or base == "Republic of Korea" else None  # noqa: E501
            for v in _spelling_variants(alias):
                self.entries.append(Entry(category, name, normalise(v), misprint, prefix, pp))

        for o in ref.organizations:
            for a in (o.name, *o.aliases):
                add("organization", o.name, a)
            for a in o.misprints:
                add("organization", o.name, a, misprint=True)
            for a in o.prefixed_aliases:
                for pre in ref.national_prefixes.get(o.country or "", ()):
                    add("organization", o.name, f"{pre} {a}", prefix=pre)
        for p in ref.people:
            for a in (p.name, *p.aliases):
                add("person", p.name, a)
                if "-" in a:   # "Kim Myung-soo" also written "Kim Myung Soo"
                    add("person", p.name, " ".join(x.capitalize() for x in a.replace("-", " ").split()))
        for pl in ref.places:
            for a in (pl.name, *pl.aliases):
                add("place", pl.name, a)
        for pf in ref.platforms:
            for a in (pf.name, *pf.aliases):
                add("platform", pf.name, a)

        self.automaton = ahocorasick.Automaton()
        keyed: dict[str, list[int]] = {}
        for i, e in enumerate(self.entries):
            keyed.setdefault(lower_same_length(normalise(e.alias)), []).append(i)
        for key, ids in keyed.items():
            self.automaton.add_word(key, (len(key), tuple(ids)))
        self.automaton.make_automaton()

    # -- matching -----------------------------------------------------------

    @staticmethod
    def _case_ok(alias: str, surface: str, category: str) -> bool:
        if surface == alias:
            return True
        at, st = alias.split(), surface.split()
        if len(at) != len(st):
            return False
        if any(_acronymish(a) for a in at):
            # acronym tokens exactly; other tokens by the capitalisation rule
            for a, s in zip(at, st):
                if _acronymish(a):
                    if a != s:
                        return False
                elif a[:1].isupper() and not s[:1].isupper():
                    return False
            return True
        if surface.isupper() and len(surface) >= 4 and category == "place":
            return True        # datelines: "SEOUL"
        if all(not a[:1].isupper() or s[:1].isupper() for a, s in zip(at, st)):
            return True        # "the Joint Chiefs Of Staff", title-cased headlines
        if len(at) >= 3 and surface == surface.lower():
            return True        # "the naval logistics command"
        return False

    def find(self, text: str, norm: str | None = None, low: str | None = None) -> list[Mention]:
        """Gazetteer mentions in ``text``: longest leftmost, on word boundaries.
        ``norm``/``low``: ``normalise(text)`` and its :func:`lower_same_length`,
        when the caller has them."""
        if norm is None:
            norm = normalise(text)
        if low is None:
            low = lower_same_length(norm)
        n = len(norm)
        cands = []
        for end, (length, ids) in self.automaton.iter(low):
            start = end - length + 1
            if start > 0:
                c = norm[start - 1]
                if c.isalnum() or c == "_" or (c == "." and start > 1 and norm[start - 2].isalnum()
                                               and not _glued_sentence_start(norm, start)):
                    continue
            if end + 1 < n:
                c = norm[end + 1]
                if c.isalnum() or c == "_":
                    continue
            surface = norm[start:end + 1]
            best = None
            for i in ids:
                e = self.entries[i]
                if self._case_ok(e.alias, surface, e.category):
                    if best is None or CATEGORY_ORDER[e.category] < CATEGORY_ORDER[best.category]:
                        best = e
            if best is not None:
                cands.append((start, end + 1, best))
        # longest leftmost, non-overlapping
        cands.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        chosen = []
        # prefer longer matches that start slightly later over shorter earlier ones
        cands_by_len = sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0]))
        occupied = bytearray(n + 1)
        for s, e, ent in cands_by_len:
            if any(occupied[s:e]):
                continue
            occupied[s:e] = b"\x01" * (e - s)
            chosen.append((s, e, ent))
        chosen.sort(key=lambda c: c[0])
        out = []
        for s, e, ent in chosen:
            out.append(Mention(ent.category, ent.name, text[s:e], s, e, ent.misprint, ent.prefix_place))
        return out


def matcher(ref: Reference) -> GazetteerMatcher:
    """The matcher for ``ref`` (built once per loaded reference)."""
    return ref.compiled("gazetteer_matcher", GazetteerMatcher)


_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|to|from|near|outside|around|into|via|across|visit|visited|visiting|visits|toward|towards|"
    r"inside|and|arrived in|based in)\s+(?:the\s+)?)$", re.I)


def is_location_use(text: str, m: Mention) -> bool:
    """For capitals: is the name used as a place ("talks in Seoul", dateline)
    rather than for a government ("Seoul is stepping up efforts")?"""
    before = normalise(text[max(0, m.start - 30):m.start])
    if m.start == 0 or not before.strip():
        after = text[m.end:m.end + 3]
        return after.startswith(",") or after.startswith(" (")   # dateline "SEOUL, Feb 11"
    if _LOCATIVE.search(before):
        # "in Washington and Gyeongju": the 'and' case needs a locative before it
        if re.search(r"\band\s+(?:the\s+)?$", before, re.I):
            return bool(re.search(r"\b(?:in|at|to|from|near)\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?\s+and\s+$", before))
        return True
    return False



# A ship the gazetteer may not know: a navy prefix, capitalised name words, an optional
# hull number ("USNS John Glenn (T-ESD 2)", "ROKS Dokdo", "USS Carl Vinson").
_SHIP_PREFIXES = ("USNS", "USS", "ROKS", "HMS", "HMAS", "JS", "INS")   # every _SHIP match holds one
_SHIP = re.compile(rf"\b(?P<prefix>{'|'.join(_SHIP_PREFIXES)})\s+" r"(?P<name>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3})"
                   r"(?:\s*\((?P<hull>[A-Z]{1,4}(?:[- ][A-Z]{1,3})?[- ]?\d{1,4})\))?")


def pattern_ships(norm: str, gaz: list[Mention]) -> list[Mention]:
    """Ships written with a navy prefix that no gazetteer mention covers, as platform
    mentions named "<PREFIX> <Name>" (so their namesake never becomes a person)."""
    if not any(p in norm for p in _SHIP_PREFIXES):
        return []            # no navy prefix anywhere: no regex scan of the story
    taken = [(m.start, m.end) for m in gaz]
    out = []
    for m in _SHIP.finditer(norm):
        s, e = m.start(), m.end()
        if any(a < m.end("name") and s < b for a, b in taken):
            continue         # the gazetteer knows it (a hull number may match a class alias)
        name = f"{m['prefix']} {m['name']}"
        out.append(Mention("platform", name, norm[s:e], s, e))
    return out
