"""People: known officials from the gazetteer and people recognised from how
news writes them.

Recognition cues (the lexicon - ranks, titles, role nouns, Korean surnames - is in
``data/reference/gazetteer.toml``):

* a rank or title before the name: "Gen. Paik Sun-yup", "Defense Minister Ahn
  Gyu-back", "US Secretary of State Marco Rubio", "Navy Secretary John Phelan";
* an appositive after it: "Koo Sang-mo, the JCS' chief director of military
  support", "Mark Simerly, director of the US Defence Logistics Agency";
  "Randall Reed, who leads U.S. TRANSCOM";
* a Korean name shape (common surname + hyphenated or two-syllable given name):
  "Yang Moo-jin", "Lee Jae Myung";
* a speech verb after a two- or three-word capitalised name ("Mark Simerly said"),
  or "according to <name>".

A later surname-only mention ("Ahn", "Simerly", "Secretary Hegseth") resolves to
the full person named earlier in the story; failing that, to a gazetteer person
with that surname when the surname is distinctive or the story carries one of
the person's context phrases ("defense minister" for Ahn Gyu-back).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.analyse.gazetteer_match import Mention
from workbench.analyse.text import SpanIndex, StartIndex, lower_same_length, name_key, normalise
from workbench.reference import Reference

_TOK = r"(?:[A-Z][a-z]+(?:[-'][A-Za-z][a-z]+)*|Mc[A-Z][a-z]+|Mac[A-Z][a-z]+|O'[A-Z][a-z]+)"
_INITIAL = r"[A-Z]\."
_NAME = rf"(?:{_TOK}(?:\s+(?:{_INITIAL}\s+)?{_TOK}){{0,3}}(?:\s+(?:Jr\.|Sr\.|III|II|IV))?)"

# Capitalised words that are not (parts of) personal names.
NON_NAME = frozenset("""
The A An And Or But Of In On At For To With By From As After Before During Under Over Into About Against
Between Through Since Until While When Where Which Who Whose What Why How This That These Those Its Their
His Her Our Your My It He She They We I You Both Each All Some Several Many Most More Other Another Such
Korea Korean Koreas South North US U.S. United States America American Americans Japan Japanese China Chinese
Russia Russian Navy Army Air Force Forces Marine Marines Corps Command Ministry Department Agency Office Staff
Joint Chiefs Defense Defence National Republic Administration Government House Council Committee University
Institute Center Centre Corp Inc Co Group Industries Company Fleet Base Camp Headquarters Pentagon
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Indo Pacific
President Minister Secretary General Admiral Captain Colonel Director Chairman Commander Ambassador Chief
Deputy Vice Spokesperson Spokesman Senator Representative Governor Mayor Professor Prime State Foreign
Unification Trade Affairs Security Alliance Peninsula Seoul Washington Pyongyang Tokyo Beijing Moscow
Yonhap IANS Reuters Associated Press AFP Xinhua Kyodo Daily News Herald Times Post Journal Review
Share Comments Reader Related Latest Read More Follow Views Click Subscribe Sign Log Home Page
Supply Systems Support Logistics Weapon Weapons Naval Maritime Military Operations Program Programme
Acquisition Sales Foreign Ministerial Summit Talks Meeting Exercise Shield Freedom Ulchi Key Points
Officials Sources Mr Mrs Ms Dr Gen Adm Capt Col Lt Maj Sgt Rep Sen Gov Jr Sr Seahawk Poseidon
""".split())

SPEECH = r"(?:said|says|told|added|noted|stressed|emphasized|emphasised|explained|stated|wrote|argued|insisted)"

# Where a name can begin: a capital not preceded by a word character or ".".
# The title, appositive, "<Name> said", Korean-name and surname regexes all
# start there (behind the same or a stricter look-behind), so they are tried at
# these offsets only instead of at every character of the story.
_CAP_START = re.compile(r"[A-Z](?<![\w.][A-Z])")
# ... and where at least two name tokens follow (the look-behind holds a
# look-ahead from that capital: one C-level scan, no per-capital Python call).
# The appositive, "<Name> said" and Korean-name regexes all need two tokens.
_NAME2_START = re.compile(rf"[A-Z](?<![\w.][A-Z])(?<=(?={_TOK}\s+{_TOK}).)")
_PREV_TOK = re.compile(rf"({_TOK})\s+$")
_SPACE_CAP = re.compile(r"\s[A-Z]")
_SPACE_AND_OR = re.compile(r"\s(?:and|or)\b")
_NEXT_TOK = re.compile(rf"\s+({_TOK})")
_CAPITALISED = re.compile(r"[A-Z][A-Za-z' .-]*")


def _matches_at(rx: re.Pattern, text: str, starts):
    """What ``rx.finditer(text)`` yields, for a regex whose matches can only
    begin at ``starts`` (ascending offsets): tried there only. Leftmost,
    non-overlapping, like ``finditer``; a zero-width match moves on to the next
    offset as ``finditer`` does."""
    match = rx.match
    last_end = 0
    for p in starts:
        if p >= last_end:
            m = match(text, p)
            if m is not None:
                yield m
                last_end = m.end()


def _find_all(haystack: str, needle: str, back: int = 0) -> list[int]:
    """Offsets of ``needle`` in ``haystack``, minus ``back`` (those >= 0)."""
    out = []
    i = haystack.find(needle)
    while i >= 0:
        if i >= back:
            out.append(i - back)
        i = haystack.find(needle, i + 1)
    return out


@dataclass
class PersonFound:
    name: str
    role: str | None = None
    rank: str | None = None
    mentions: int = 0
    first: int = 10 ** 9
    surfaces: set = field(default_factory=set)
    known: bool = False          # in the gazetteer
    spans: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "rank": self.rank, "mentions": self.mentions,
                "aliases": sorted(self.surfaces), "known": self.known}


class _Found:
    """The people found so far in one story, and the character spans they take."""

    def __init__(self, gaz_people: dict) -> None:
        self.gaz_people = gaz_people
        self.people: dict[str, PersonFound] = {}
        self.taken: list[tuple[int, int]] = []

    def add(self, name: str, start: int, end: int, role: str | None = None, rank: str | None = None,
            surface: str | None = None) -> PersonFound:
        """Record a mention; a gazetteer person is kept under its canonical name and role."""
        gp = self.gaz_people.get(name_key(name))
        canon = gp.name if gp else name
        key = name_key(canon)
        p = self.people.get(key)
        if p is None:
            p = self.people[key] = PersonFound(canon, known=gp is not None)
            if gp:
                p.role, p.rank = gp.role, gp.rank
        if role and (not p.role or (not p.known and "," in role and "," not in p.role)):
            p.role = role     # the gazetteer's role wins for known people
        if rank:
            p.rank = rank       # as the story writes it
        if not any(s == start for s, _ in p.spans):
            p.mentions += 1
            p.spans.append((start, end))
        p.first = min(p.first, start)
        p.surfaces.add(surface or name)
        self.taken.append((start, end))
        return p


class PeopleRecogniser:
    def __init__(self, ref: Reference):
        self.ref = ref
        pp = ref.people_patterns
        self.ranks = dict(pp.ranks)
        titles = sorted(set(pp.titles) | set(pp.ranks), key=len, reverse=True)
        title_alt = "|".join(re.escape(t) for t in titles)
        # one or more titles/ranks in a row, then a name
        self.title_rx = re.compile(rf"(?<![\w.])(?P<titles>(?:(?:{title_alt})\s+){{1,3}})(?P<name>{_NAME})")
        self.appos_rx = re.compile(
            rf"(?<![\w.])(?=(?P<name>{_TOK}(?:\s+{_TOK}){{1,3}}),\s+(?P<role>(?:who\s+(?:leads|heads|commands|"
            rf"runs|directs|chairs)\s+)?(?:[^,.;:\"()]|(?<=[A-Z])\.(?=\S|\s[A-Z])){{2,120}}?(?:\([^)]*\)?)?)(?=,|\.\s|\.$|;|\s+(?:and|said|told)\b|$))")
        self.said_rx = re.compile(rf"(?<![\w.])(?P<name>{_TOK}(?:\s+{_TOK}){{1,2}})(?:,\s[^,]{{3,80}},)?\s+{SPEECH}\b")
        self.according_rx = re.compile(rf"\b[Aa]ccording to (?P<name>{_TOK}(?:\s+{_TOK}){{1,2}})\b")
        ks = "|".join(sorted(pp.korean_surnames, key=len, reverse=True))
        self.korean_rx = re.compile(
            rf"(?<![\w.-])(?P<name>(?:{ks})\s+(?:[A-Z][a-z]{{1,6}}-[a-z]{{1,6}}|[A-Z][a-z]{{1,6}}\s+[A-Z][a-z]{{1,6}}))(?![\w-])")
        self.korean_surnames = pp.korean_surnames
        # the title and Korean-name regexes start at a capital only while every
        # title and surname does (else they scan the whole text)
        self._titles_capitalised = all(_CAPITALISED.fullmatch(t) for t in titles)
        self._surnames_capitalised = all(_CAPITALISED.fullmatch(k) for k in pp.korean_surnames)
        self._surnames_tokens = all(re.fullmatch(r"[A-Z][a-z]+", k) for k in pp.korean_surnames)
        self._tok_rx = re.compile(rf"(?<![\w.-]){_TOK}(?![\w-])")
        self._all_titles = sorted(set(pp.titles) | set(pp.ranks), key=len, reverse=True)
        self._syllable = re.compile(r"^(?:[bcdghjkmnprstwy]{0,3}[aeiouy]{1,3}(?:ng|n|m|l|k|p|r)?)$", re.I)
        self.role_nouns = set(pp.role_nouns)
        self.gaz_people = {name_key(a): p for p in ref.people for a in (p.name, *p.aliases)}
        self.by_surname: dict[str, list] = {}
        for p in ref.people:
            self.by_surname.setdefault(self.surname(p.name), []).append(p)
        self.country_place: dict[str, str] = {}
        for pl in ref.places:
            if pl.kind == "country" and pl.country:
                self.country_place.setdefault(pl.country, pl.name)
        self.prefix_rx = {}
        for c, prefixes in ref.national_prefixes.items():
            alt = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
            self.prefix_rx[c] = re.compile(rf"(?:^|[\s(])(?:{alt})\s*$")

    # -- helpers ----------------------------------------------------------

    def surname(self, name: str) -> str:
        toks = [t for t in name.split() if t not in ("Jr.", "Sr.", "II", "III", "IV")]
        if len(toks) >= 2 and toks[0] in self.korean_surnames and not re.fullmatch(_INITIAL, toks[1]):
            # Korean order when the rest looks like a Korean given name
            rest = " ".join(toks[1:])
            if "-" in rest or all(self._syllable.match(t) for t in toks[1:]):
                return toks[0]
        return toks[-1]

    def _clean_name(self, name: str) -> str | None:
        name = re.sub(r"'s?$", "", name.strip())
        toks = name.split()
        while toks and toks[0] in NON_NAME:
            toks = toks[1:]
        out = []
        for t in toks:
            if t in NON_NAME:
                break
            out.append(t)
        return " ".join(out) if out else None

    @staticmethod
    def _blocked(start: int, end: int, spans) -> bool:
        if isinstance(spans, SpanIndex):
            return spans.overlaps(start, end)
        return any(s < end and start < e for s, e in spans)

    def _role_from_phrase(self, phrase: str, gaz: StartIndex, offset: int) -> str | None:
        """'the JCS' chief director of military support' -> 'Chief Director of Military
        Support, ROK Joint Chiefs of Staff'."""
        orgs = gaz.starting_in(offset, offset + len(phrase))      # ``gaz``: the organisation mentions
        m = re.match(r"who\s+(leads|heads|commands|runs|directs|chairs)\s+", phrase)
        if m:
            org = orgs[0].name if orgs else None
            if not org:
                return None
            kind = self._org_kind(org)
            head = "Commander" if kind == "command" or m.group(1) == "commands" else (
                "Chair" if m.group(1) == "chairs" else "Head")
            return f"{head}, {org}"
        text = phrase
        # drop the organisation spans (and "of the"/"at the" before them), parentheses
        for om in sorted(orgs, key=lambda x: -x.start):
            s, e = om.start - offset, om.end - offset
            text = text[:s] + "\x00" + text[e:]
        text = re.sub(r"\([^)]*\)?", " ", text)
        # "head of ORG's special ship division" -> "head, special ship division"
        text = re.sub(r"\s+(?:of|at)\s+(?:the\s+)?\x00(?:'s|')\s+", ", ", text)
        text = re.sub(r"\s+(?:of|at|for|with|in)\s+(?:the\s+)?[^\x00]{0,30}?\x00", " ", text)
        text = re.sub(r"^\s*(?:the|a|an|its|his|her|their)\s+", "", text.strip(), flags=re.I)
        text = re.sub(r"^\x00(?:'s|')?\s*", "", text)
        text = re.sub(r"^[A-Za-z.-]+(?:'s|')\s+", "", text)       # "the department's"
        text = text.replace("\x00", " ").strip(" ,")
        words = text.split()
        if not words or len(words) > 9 or not any(w.lower().strip(",") in self.role_nouns for w in words):
            return None
        small = {"of", "for", "and", "the", "at", "in", "on", "to"}
        title = " ".join(w if (w.isupper() and len(w) > 1) else (w.lower() if w.lower() in small and i else
                         w[:1].upper() + w[1:]) for i, w in enumerate(words))
        if orgs:
            return f"{title}, {orgs[0].name}"
        return title

    def _org_kind(self, org: str) -> str | None:
        o = self.ref.organization(org)
        return o.kind if o else None

    def _role_from_title(self, text: str, start: int, titles: str, gaz: StartIndex) -> tuple[str | None, str | None]:
        """Rank and civilian role from the title chain before a name, with the
        country or organisation written in front of it."""
        rank = None
        role = None
        rest = titles.strip()
        pieces = []
        while rest:
            for t in self._all_titles:
                if rest.startswith(t) and (len(rest) == len(t) or rest[len(t)].isspace()):
                    pieces.append(t)
                    rest = rest[len(t):].strip()
                    break
            else:
                break
        for i, p in enumerate(pieces):
            # "Commander" is a rank only directly before the name ("Cmdr."), a post otherwise
            is_rank = p in self.ranks and (p != "Commander" or (i == len(pieces) - 1 and len(pieces) > 1))
            if is_rank and rank is None:
                rank = self.ranks[p]
            elif p not in ("Mr.", "Ms.", "Mrs.", "Dr.", "Prof.") and role is None:
                role = p.rstrip(".")
        if role:
            before = normalise(text[max(0, start - 40):start])
            org = next((m for m in gaz.starting_in(0, start) if start - 3 <= m.end <= start), None)
            if org:
                role = f"{role}, {org.name}"
            else:
                for c, rx in self.prefix_rx.items():
                    if rx.search(before) and c in self.country_place:
                        role = f"{role}, {self.country_place[c]}"
                        break
        return rank, role

    # -- main -------------------------------------------------------------

    def find(self, body: str, gaz: list[Mention], norm: str | None = None, low: str | None = None) -> list[dict]:
        """People in ``body`` (``norm``: ``normalise(body)``, ``low``: ``lower_same_length(norm)``,
        when the caller has them)."""
        text = norm if norm is not None else normalise(body)
        caps = [m.start() for m in _CAP_START.finditer(text)]
        name2 = [m.start() for m in _NAME2_START.finditer(text)]
        blocked = SpanIndex((m.start, m.end) for m in gaz if m.category in ("organization", "place", "platform"))
        org_mentions = StartIndex([m for m in gaz if m.category == "organization"])
        found = _Found(self.gaz_people)
        # 1. gazetteer people (full names and aliases)
        for m in gaz:
            if m.category == "person":
                found.add(m.name, m.start, m.end, surface=m.surface)
        pending = self._titled(text, caps, blocked, org_mentions, found)       # 2. title/rank + name
        self._appositives(text, name2, blocked, org_mentions, found)              # 3. appositives
        self._korean_shaped(text, caps, name2, blocked, found)          # 4. Korean name shape
        self._said(text, name2, blocked, found)                          # 5. "<Name> said", "according to"
        # 6. surnames: titled surnames, later mentions, gazetteer surnames
        by_surname: dict[str, list[PersonFound]] = {}
        for pf in found.people.values():
            by_surname.setdefault(self.surname(pf.name), []).append(pf)
        if low is None:
            low = lower_same_length(text)
        self._titled_surnames(pending, by_surname, low, found)
        self._bare_surnames(text, caps, blocked, by_surname, low, found)
        out = sorted(found.people.values(), key=lambda pf: pf.first)
        return [dict(pf.as_dict(), spans=sorted(pf.spans)) for pf in out]

    def _titled(self, text: str, caps: list[int], blocked: SpanIndex, gaz: StartIndex,
                found: _Found) -> list[tuple]:
        """Names after a title or rank; a lone surname is returned for step 6."""
        pending_surnames = []
        for m in (_matches_at(self.title_rx, text, caps) if self._titles_capitalised
                  else self.title_rx.finditer(text)):
            nm = self._clean_name(m.group("name"))
            if not nm:
                continue
            ns = m.start("name")
            ne = ns + len(nm)
            if self._blocked(ns, ne, blocked):
                continue
            rank, role = self._role_from_title(text, m.start("titles"), m.group("titles"), gaz)
            if len(nm.split()) == 1:
                pending_surnames.append((nm, ns, ne, rank, role))
                continue
            found.add(nm, ns, ne, role=role, rank=rank)
        return pending_surnames

    def _appositives(self, text: str, name2: list[int], blocked: SpanIndex, gaz: StartIndex,
                     found: _Found) -> None:
        """"<Name>, <role phrase>"."""
        for m in _matches_at(self.appos_rx, text, name2):
            nm = self._clean_name(m.group("name"))
            if not nm or len(nm.split()) < 2:
                continue
            ns = m.start("name") + m.group("name").find(nm)
            ne = ns + len(nm)
            if self._blocked(ns, ne, blocked) or (self._blocked(ns, ne, found.taken) and (ns, ne) not in found.taken):
                continue
            prev = _PREV_TOK.search(text[max(0, ns - 30):ns])
            if prev and prev.group(1) not in NON_NAME:
                continue          # inside a longer name ("Kim [Myung Soo], ...")
            role = self._role_from_phrase(m.group("role"), gaz, m.start("role"))
            if not role:
                continue
            found.add(nm, ns, ne, role=role)

    def _korean_shaped(self, text: str, caps: list[int], name2: list[int], blocked: SpanIndex,
                       found: _Found) -> None:
        if self._surnames_tokens:
            korean = _matches_at(self.korean_rx, text, name2)
        elif self._surnames_capitalised:
            korean = _matches_at(self.korean_rx, text, caps)
        else:
            korean = self.korean_rx.finditer(text)
        for m in korean:
            nm = m.group("name")
            toks = nm.split()
            if toks[-1] in NON_NAME or (len(toks) == 3 and not all(self._syllable.match(t) for t in toks[1:])):
                continue
            if self._blocked(m.start(), m.end(), blocked):
                continue
            found.add(nm, m.start(), m.end())

    def _said(self, text: str, name2: list[int], blocked: SpanIndex, found: _Found) -> None:
        # "according to" matches start one character before "ccording to "
        according_at = _find_all(text, "ccording to ", back=1)
        for rx, starts in ((self.said_rx, name2), (self.according_rx, according_at)):
            for m in _matches_at(rx, text, starts):
                nm = self._clean_name(m.group("name"))
                if not nm or len(nm.split()) < 2 or nm != m.group("name"):
                    continue
                ns = m.start("name")
                if self._blocked(ns, ns + len(nm), blocked):
                    continue
                found.add(nm, ns, ns + len(nm))

    def _titled_surnames(self, pending: list[tuple], by_surname: dict[str, list[PersonFound]], low: str,
                         found: _Found) -> None:
        """A title with a surname alone: someone named in full earlier, or in the gazetteer."""
        for nm, ns, ne, rank, role in pending:
            pf = self._resolve_surname(nm, ns, by_surname, low, titled=True)
            if pf is None:
                gp = self._gazetteer_surname(nm, low, titled=True, title_role=role)
                if gp is not None:
                    pf = found.add(gp.name, ns, ne, surface=nm)
                    by_surname.setdefault(nm, []).append(pf)
            if pf is not None:
                if rank:
                    pf.rank = pf.rank or rank
                if role and not pf.role:
                    pf.role = role
                if not any(s == ns for s, _ in pf.spans):
                    pf.mentions += 1
                    pf.spans.append((ns, ne))
                pf.surfaces.add(nm)

    def _bare_surnames(self, text: str, caps: list[int], blocked: SpanIndex,
                       by_surname: dict[str, list[PersonFound]], low: str, found: _Found) -> None:
        """Later mentions by surname alone, and gazetteer people named by surname only."""
        mask = bytearray(len(text) + 1)
        for s, e in blocked.spans + found.taken:
            mask[s:e] = b"\x01" * (e - s)
        for m in _matches_at(self._tok_rx, text, caps):
            tok = m.group(0)
            if tok.endswith("'s"):
                tok = tok[:-2]
            elif tok.endswith("'"):
                tok = tok[:-1]
            if tok not in by_surname and tok not in self.by_surname:
                continue
            s, e = m.start(), m.start() + len(tok)
            if mask[s] or mask[e - 1]:
                continue
            # part of a longer capitalised name? then it is not a bare surname
            if _SPACE_CAP.match(text, e, e + 2) and not _SPACE_AND_OR.match(text[e:e + 5]):
                following = _NEXT_TOK.match(text, e)
                if following and following.group(1) not in NON_NAME:
                    continue
            if tok not in by_surname:
                if tok not in NON_NAME:
                    gp = self._gazetteer_surname(tok, low, titled=False)
                    if gp is not None:
                        by_surname.setdefault(tok, []).append(found.add(gp.name, s, e, surface=tok))
                continue
            pf = self._resolve_surname(tok, s, by_surname, low)
            if pf is not None and not any(x == s for x, _ in pf.spans):
                pf.mentions += 1
                pf.spans.append((s, e))
                pf.surfaces.add(tok)
                found.taken.append((s, e))
                mask[s:e] = b"\x01" * (e - s)

    def _resolve_surname(self, tok, pos, by_surname, low, titled=False):
        cands = by_surname.get(tok) or []
        if not cands:
            return None
        before = [p for p in cands if p.first <= pos]
        pool = before or cands
        return max(pool, key=lambda p: p.first)   # the nearest earlier full mention

    def _gazetteer_surname(self, tok, low, titled, title_role=None):
        """A gazetteer person for a bare surname, when the story supports it."""
        cands = self.by_surname.get(tok) or []
        ok = []
        for gp in cands:
            context_hit = any(c.lower() in low for c in gp.context)
            role_hit = bool(title_role and gp.role and title_role.split(",")[0].lower() in gp.role.lower())
            distinctive = tok not in self.korean_surnames
            if context_hit or (distinctive and (titled or len(cands) == 1)) or role_hit:
                ok.append((context_hit + role_hit, gp))
        if not ok:
            return None
        ok.sort(key=lambda x: -x[0])
        if len(ok) > 1 and ok[0][0] == ok[1][0]:
            return None          # ambiguous
        return ok[0][1]


def recogniser(ref: Reference) -> PeopleRecogniser:
    return ref.compiled("people_recogniser", PeopleRecogniser)
