"""Events: who met whom, when, where, about what - one record per event, with
the sentence that says it.

Kinds follow the PLOVER event ontology where one fits:

* ``CONSULT`` - meetings, talks, consultations, visits, phone calls (mode
  ``meet``/``talks``/``visit``/``phone``/``host``);
* ``AGREE`` - agreements, pledges, signed memoranda (mode ``agree``/``sign``);
* ``COOPERATE`` - contracts, deals, sales (mode ``contract``); a ship or system
  handed over or back (mode ``delivery``);
* ``MOVE`` - a ship arriving at a port or entering a yard (mode ``arrival``);
* ``MOBILIZE`` - exercises and drills (mode ``exercise``).

Actors are people, organisations and ships (``platforms``: gazetteer platforms of
kind ship): many logistics events name no person. A visit or entry whose sentence
names a ship is the ship's arrival; "signed a contract" is a contract, not an
agreement.

Within a story, sentences that continue an event ("The meeting between Koo ...
and Simerly ...", "Both sides agreed ...", "During the trip, the delegation met
...") join the event they refer to: definite references and plural subjects join
the latest event; a sentence with its own, different date starts a new one, and
so does one that says "separate". Outcome verbs (agreed, discussed, pledged)
only start an event of their own when the sentence names (or a plural subject
resolves to) at least two people.

Dates come from :mod:`workbench.analyse.timex` (reporting dates such as
"officials said on February 14" are not event dates).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

import ahocorasick

from workbench.analyse import timex as D
from workbench.analyse.gazetteer_match import Mention, is_location_use
from workbench.analyse.text import Sentence, StartIndex
from workbench.record import NO_EVENT_DATE_FIELDS, EventDate
from workbench.record import Event as RecordEvent

# (regex, kind, mode, strong)
_TRIGGERS = [
    (r"\b(?:phone\s+(?:call|talks|conversation)|telephone\s+(?:call|talks|conversation)|video\s+(?:call|conference)|"
     r"videoconference|spoke\s+by\s+phone|held\s+a\s+call)\b", "CONSULT", "phone", True),
    (r"\b(?:summit|summits|talks|consultations?|consulted|negotiations?|dialogue|conference|"
     r"meeting|meetings|met|meets|meet|hosted|welcomed|received)\b", "CONSULT", "meet", True),
    (r"\b(?:visit|visits|visited|visiting|arrived|arrives|trip|tour|toured)\b", "CONSULT", "visit", True),
    (r"\b(?:signed|inked|sign|signs|memorandum\s+of\s+understanding|MOU|MoU|accord|pact|agreement|agreements)\b",
     "AGREE", "sign", True),
    (r"\b(?:contract|contracts|deal|deals|awarded|order|orders)\b", "COOPERATE", "contract", False),
    (r"\b(?:redelivered|redelivery|delivered|delivery|deliveries|handed\s+over|handed\s+back|handed\s+(?:[\w.-]+\s+){1,5}back\s+to|returned\s+to\s+the)\b",
     "COOPERATE", "delivery", True),
    (r"\b(?:docked|entered|enter|enters|entering|berthed|port\s+call|pulled\s+into|arrival|arrive|arriving)\b",
     "MOVE", "arrival", False),
    (r"\b(?:exercise|exercises|drill|drills|maneuvers|manoeuvres|wargame|war\s+game|training)\b",
     "MOBILIZE", "exercise", False),
    (r"\b(?:agreed|agree|agrees|concurred|pledged|vowed|committed|reaffirmed|discussed|discuss|"
     r"explored|reviewed)\b", "AGREE", "agree", False),
]
_TRIGGER_ALL = re.compile("|".join(f"(?P<t{i}>{rx})" for i, (rx, _, _, _) in enumerate(_TRIGGERS)))


def _literal_prefixes(seq) -> set[str]:
    """Strings one of which every match of a parsed regex sequence starts with
    ("" when nothing can be said)."""
    from re import _constants as C  # type: ignore[attr-defined]  # the stdlib's regex parser
    out = {""}
    for op, av in seq:
        if op is C.LITERAL:
            out = {p + chr(av) for p in out}
        elif op is C.AT:                                # zero-width (\b, ^)
            continue
        elif op is C.IN and all(o is C.LITERAL for o, _ in av):
            out = {p + chr(c) for p in out for _, c in av}
        elif op is C.BRANCH:
            alts = set()
            for alt in av[1]:
                alts |= _literal_prefixes(alt)
            return {p + a for p in out for a in alts}
        elif op is C.SUBPATTERN and not av[1] & re.IGNORECASE:
            return {p + a for p in out for a in _literal_prefixes(av[3])}
        else:
            return out
    return out


def _prefix_automaton(rx: re.Pattern):
    """An Aho-Corasick automaton of literal words one of which starts every
    match of ``rx`` (None when the regex does not allow one)."""
    try:
        from re import _parser  # type: ignore[attr-defined]
        prefixes = _literal_prefixes(_parser.parse(rx.pattern, rx.flags).data)
    except Exception:       # a Python without the parser module: no prefilter
        return None
    if rx.flags & re.IGNORECASE or not prefixes or "" in prefixes:
        return None
    # a hit of "agreed" is also a hit of "agree": keep the shortest
    keep = [p for p in prefixes if not any(q != p and p.startswith(q) for q in prefixes)]
    a = ahocorasick.Automaton()
    for p in keep:
        a.add_word(p, len(p))
    a.make_automaton()
    return a


# Every trigger match starts with one of these words: sentences without one
# need no regex scan at all (most sentences of a story).
_TRIGGER_STARTS = _prefix_automaton(_TRIGGER_ALL)


def _trigger_starts(body: str) -> list[int] | None:
    """Sorted offsets in ``body`` where a trigger match could start (None: unknown,
    scan every sentence)."""
    if _TRIGGER_STARTS is None:
        return None
    return sorted({end - n + 1 for end, n in _TRIGGER_STARTS.iter(body)})


_CONTRACT_VERB = re.compile(r"\b(?:signed|awarded|won|secured|inked|clinched|struck|finali[sz]ed|concluded|"
                            r"placed|received)\b", re.I)
_EXERCISE_VERB = re.compile(r"\b(?:conduct|conducted|conducts|conducting|held|hold|holds|holding|stage|staged|"
                            r"staging|began|begin|begins|kicked\s+off|launched|launch|wrapped\s+up|carried\s+out|"
                            r"took\s+part|take\s+part|participated|joined|kick\s+off|started)\b", re.I)
_ANAPHOR = re.compile(
    r"(?:\b(?:the|this|that|these|his|her|their|its|during\s+the|at\s+the|after\s+the|following\s+the)\s+"
    r"(?:(?:us|u\.s\.|american|korean|south\s+korean|two|visiting)\s+)?"
    r"(?:meeting|meetings|talks|visit|trip|discussions?|consultations?|summit|call|delegation|session|"
    r"conference|exchange|sides|ministers|leaders|generals|commanders|officials|chiefs|delegations)\b"
    r"|^\W*(?:both|they|he|she|the\s+two)\b|\bat\s+talks\s+with\b|\bboth\s+sides\b|\bthe\s+two\b)",
    re.I)
_PLURAL_SUBJECT = re.compile(r"^\W*(?:both\s+\w+|they|the\s+two(?:\s+\w+)?|the\s+(?:ministers|leaders|"
                             r"generals|commanders|chiefs|officials|diplomats))\b", re.I)
_SEPARATE = re.compile(r"\bseparate\s+(?:talks|meeting|meetings|consultations|visit|call)\b", re.I)
_MODAL_PLAN = re.compile(r"\b(?:will|plans?\s+to|planned\s+to|scheduled\s+(?:to|for)|slated\s+(?:to|for)|set\s+to|"
                         r"expected\s+to|hope\s+to|"
                         r"hopes\s+to|expressed\s+hope|look(?:s|ing)?\s+forward)\b", re.I)
_PLACE_PREP = re.compile(r"(?:\b(?:in|at|inside|near|entered|enter|entering|enters)|\b(?:visit|visits|trip|"
                         r"travel(?:l?ed)?|arrived|came|went|headed|flew)\s+to)\s+(?:the\s+)?"
                         r"(?:[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3}'s\s+)?$")
# people after these (following the trigger) are background, not participants
_CLAUSE_CUT = re.compile(r"\s(?:as|because|while|amid|following|after|since|to\s+address|in\s+the\s+spirit\s+of)\s|;")
_SINCE = re.compile(r"\bsince\b[^,;.]{0,60}$")
_QUOTE_START = re.compile(r'^\s*["\'\u201c\u2018]')


@dataclass
class Event:
    kind: str
    mode: str
    sentence: Sentence
    date: EventDate | None
    place: str | None
    participants: list = field(default_factory=list)
    organizations: list = field(default_factory=list)
    platforms: list = field(default_factory=list)     # ships taking part
    evidence: list = field(default_factory=list)      # Sentence objects
    planned: bool = False
    last_index: int = 0
    strong: bool = False

    def as_dict(self) -> RecordEvent:
        return {
            "kind": self.kind,
            "mode": self.mode,
            **(self.date.event_fields() if self.date else NO_EVENT_DATE_FIELDS),  # type: ignore[typeddict-item]
            "place": self.place,
            "participants": list(self.participants),
            "organizations": list(self.organizations),
            "platforms": list(self.platforms),
            "sentence": self.sentence.text,
            "evidence": [s.text for s in self.evidence],
            "planned": self.planned,
        }


def _trigger(text: str, starts: list[int] | None = None):
    """(kind, mode, strong, position) of the sentence's event trigger, if any
    (one scan for all trigger words). ``starts``, when given, are the ascending
    offsets in ``text`` where a match can start (see :func:`_trigger_starts`):
    the regex is tried there only, with the same result as a full scan."""
    first: dict[int, int] = {}
    if starts is None:
        for m in _TRIGGER_ALL.finditer(text):
            first.setdefault(int((m.lastgroup or "_0")[1:]), m.start())
    else:
        # finditer's leftmost, non-overlapping matches, tried only where one can begin
        last_end = 0
        for p in starts:
            if p < last_end:
                continue
            hit = _TRIGGER_ALL.match(text, p)
            if hit is not None:
                first.setdefault(int((hit.lastgroup or "_0")[1:]), p)
                last_end = hit.end()
    if not first:
        return None
    found = []
    for i, pos in sorted(first.items()):
        _, kind, mode, strong = _TRIGGERS[i]
        if _SINCE.search(text, max(0, pos - 80), pos):
            continue      # "the first deal since the tariff pact": the pact is background
        if kind == "COOPERATE" and mode == "contract":
            if not _CONTRACT_VERB.search(text):
                continue
            strong = True
        if kind == "MOBILIZE":
            if not _EXERCISE_VERB.search(text):
                continue
            strong = True
        found.append((kind, mode, strong, pos))
    if not found:
        return None
    strong_ones = [f for f in found if f[2]]
    if strong_ones:
        # a meeting/visit sentence stays CONSULT even when it also says "agreed"
        for pref in ("CONSULT", "COOPERATE", "AGREE", "MOVE", "MOBILIZE"):
            for f in strong_ones:
                if f[0] == pref:
                    return f
    return min(found, key=lambda f: f[3])


def _participants(body: str, sent: Sentence, in_sent: list[tuple[int, int, str]], tpos: int) -> list[str]:
    """People in the sentence who take part: before any clause cut, not a possessor,
    not only the source of an attribution."""
    text = sent.text
    parts: list[str] = []
    cut = _CLAUSE_CUT.search(text, tpos)
    cut_at = sent.start + cut.start() if cut else sent.end
    for s, e, n in in_sent:
        rel = s - sent.start
        if s >= cut_at:
            continue
        if re.match(r"'s?\b|'(?!\w)", body[e:e + 2].replace("\u2019", "'")):
            continue      # "Donald Trump's recent threat": a possessor, not a participant
        before = text[max(0, rel - 16):rel]
        after = text[e - sent.start:e - sent.start + 8]
        if re.search(r"according\s+to\s+$", before, re.I) or re.match(r"\s+(?:said|told|added)\b", after):
            if n not in parts and len(in_sent) > 2:
                continue
        if n not in parts:
            parts.append(n)
    return parts


def _orgs_and_place(body: str, sent: Sentence, gaz: list[Mention], capitals: set[str],
                    media_orgs: set[str]) -> tuple[list[str], str | None]:
    """Organisations named in the sentence (not media) and the first place it puts the event in."""
    orgs: list[str] = []
    place = None
    for m in gaz:
        if not (sent.start <= m.start < sent.end):
            continue
        if m.category == "organization" and m.name not in media_orgs and m.name not in orgs:
            orgs.append(m.name)
        elif m.category == "place" and place is None:
            rel = sent.text[:m.start - sent.start]
            if m.name in capitals and not is_location_use(body, m):
                continue
            if _PLACE_PREP.search(rel[-30:]):
                place = m.name
    return orgs, place


@dataclass
class _Clue:
    """What one trigger sentence says."""

    sent: Sentence
    kind: str
    mode: str
    strong: bool
    parts: list[str]
    orgs: list[str]
    place: str | None
    date: EventDate | None
    anaphoric: bool
    plats: list[str] = field(default_factory=list)


def _continues(target: Event, c: _Clue) -> bool:
    """Whether the sentence goes on about the previous event rather than starting one."""
    if _SEPARATE.search(c.sent.text):
        return False
    if c.strong and target.strong and (c.kind, c.mode) != (target.kind, target.mode) \
            and "CONSULT" not in (c.kind, target.kind) and "agree" not in (c.mode, target.mode):
        return False      # a delivery after a contract, an arrival after an agreement: another event
    date = c.date
    close = c.sent.index - target.last_index <= 3 and c.sent.paragraph - target.evidence[-1].paragraph <= 2
    own_date_conflict = date is not None and target.date is not None and D.compatible(date, target.date) is False
    if date is not None and target.date is not None and (date.date or date.partial) \
            and D.compatible(date, target.date) is None:
        own_date_conflict = not c.anaphoric
    overlap = (set(c.parts) & set(target.participants)) or (set(c.orgs) & set(target.organizations)) \
        or (set(c.plats) & set(target.platforms))
    undated_target = target.date is None or (target.date.date is None and target.date.partial is None)
    adjacent = c.sent.index - target.last_index <= 2
    return bool(close and not own_date_conflict and (
        c.anaphoric
        or (overlap and (date is None or not c.strong or undated_target))
        or (not c.strong and not c.parts)
        or (adjacent and not target.participants and c.parts and (date is None or not c.strong))))


def _join(ev: Event, c: _Clue) -> None:
    """Add the sentence's evidence, people, organisations, place and date to ``ev``."""
    ev.evidence.append(c.sent)
    ev.last_index = c.sent.index
    ev.participants.extend(n for n in dict.fromkeys(c.parts) if n not in ev.participants)
    ev.organizations.extend(o for o in dict.fromkeys(c.orgs) if o not in ev.organizations)
    ev.platforms.extend(p for p in dict.fromkeys(c.plats) if p not in ev.platforms)
    if ev.place is None and c.place:
        ev.place = c.place
    date = c.date
    if date is not None and (ev.date is None or (ev.date.date is None and ev.date.partial is None)):
        ev.date = date
        ev.sentence = c.sent
    elif date is not None and D.compatible(date, ev.date) and D.more_precise(ev.date, date) is date:
        ev.date = date
    if c.strong and not ev.strong:
        ev.kind, ev.mode, ev.strong = c.kind, c.mode, True


def _person_spans(people: list[dict]) -> list[tuple[int, int, str]]:
    return sorted((s, e, p["name"]) for p in people for s, e in p.get("spans", []))


def _trigger_in(body: str, sent: Sentence, trig_starts: list[int] | None):
    text = sent.text
    lead = False
    if text[:1].isupper() and text[1:2].islower():
        low = text[0].lower() + text[1:]
        if _TRIGGER_ALL.match(low):          # "Talks ...", "Delivery of ...": a trigger opening the sentence
            text, lead = low, True
    if trig_starts is None:
        return _trigger(text)
    lo = bisect_left(trig_starts, sent.start)
    hi = bisect_left(trig_starts, sent.end, lo)
    rel = [p - sent.start for p in trig_starts[lo:hi]]
    if lead and (not rel or rel[0] != 0):
        rel = [0, *rel]
    return _trigger(text, rel) if rel else None


def _ships_in(sent: Sentence, gaz: list[Mention], ships: frozenset[str]) -> list[str]:
    """Ships named in the sentence (gazetteer platforms of kind ship), in order."""
    return list(dict.fromkeys(m.name for m in gaz if m.category == "platform" and m.name in ships
                              and sent.start <= m.start < sent.end))


def _clue(body: str, sent: Sentence, trig, in_sent: list[tuple[int, int, str]], gaz: list[Mention],
          anchor: D.Anchor, capitals: set[str], media_orgs: set[str],
          ships: frozenset[str] = frozenset()) -> _Clue | None:
    kind, mode, strong, tpos = trig
    plats = _ships_in(sent, gaz, ships)
    if plats and mode in ("visit", "arrival"):
        kind, mode, strong = "MOVE", "arrival", True      # a ship's visit or entry is its arrival
    elif kind == "MOVE":
        return None                                        # "entered the market": no ship, no arrival
    parts = [] if _QUOTE_START.match(sent.text) else _participants(body, sent, in_sent, tpos)
    orgs, place = _orgs_and_place(body, sent, gaz, capitals, media_orgs)
    date = D.event_date(sent.text, anchor)
    if date is not None and date.date is None and date.partial is None:
        date = None       # e.g. "on Sunday" with no anchor date: says nothing usable
    anaphoric = bool(_ANAPHOR.search(sent.text)) and not _SEPARATE.search(sent.text)
    return _Clue(sent, kind, mode, strong, parts, orgs, place, date, anaphoric, plats)


def _starts_event(c: _Clue, planned: bool) -> bool:
    dated = c.date is not None and (c.date.date or c.date.partial)
    if not (c.strong or len(c.parts) >= 2 or (dated and (c.parts or c.orgs or c.plats))):
        return False
    return c.strong or not planned or len(c.parts) >= 2


def _is_planned(c: _Clue, modal: bool, anchor: D.Anchor) -> bool:
    """A plan: a modal ("will", "plans to") and no date, or a modal and a date after the
    article's own ("will enter the dock in September"); a past date is no plan."""
    if not modal:
        return False
    if c.date is None:
        return True
    a = anchor.full
    return bool(a is not None and c.date.lo is not None and c.date.lo > a)


def extract_events(body: str, sentences: list[Sentence], gaz: list[Mention], people: list[dict],
                   anchor: D.Anchor, capitals: set[str], media_orgs: set[str],
                   ships: frozenset[str] = frozenset()) -> list[RecordEvent]:
    """Events of one story (see module doc); ``ships``: names of the gazetteer's ships."""
    person_spans = _person_spans(people)
    span_starts = [s for s, _, _ in person_spans]
    trig_starts = _trigger_starts(body)
    by_start = StartIndex(gaz)         # each trigger sentence looks at its own mentions only
    events: list[Event] = []
    recent_people: list[str] = []      # people in order of mention so far
    for sent in sentences:
        lo = bisect_left(span_starts, sent.start)
        in_sent = person_spans[lo:bisect_left(span_starts, sent.end, lo)]
        names_here = list(dict.fromkeys(n for _, _, n in in_sent)) if in_sent else []
        trig = _trigger_in(body, sent, trig_starts)
        if trig is not None:
            c = _clue(body, sent, trig, in_sent, by_start.starting_in(sent.start, sent.end), anchor, capitals,
                      media_orgs, ships)
            if c is None:
                pass
            elif events and _continues(events[-1], c):
                _join(events[-1], c)
            elif not _QUOTE_START.match(sent.text):   # speech reported in quotes does not start an event
                if not c.parts and _PLURAL_SUBJECT.search(sent.text) and recent_people:
                    # "The two ministers agreed ...": the last two people named
                    c.parts = list(reversed(list(dict.fromkeys(reversed(recent_people)))[:2]))
                planned = bool(_MODAL_PLAN.search(sent.text))
                if _starts_event(c, planned):
                    events.append(Event(c.kind, c.mode, sent, c.date, c.place, list(c.parts), list(c.orgs),
                                        list(c.plats), [sent], planned=_is_planned(c, planned, anchor),
                                        last_index=sent.index, strong=c.strong))
        recent_people.extend(names_here)
    return [e.as_dict() for e in events]
