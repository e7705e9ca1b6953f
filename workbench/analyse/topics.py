"""Topics: cue-term scoring per sentence of the story's own body.

The taxonomy and cues live in ``data/reference/topics.toml``. All cues of all
topics go into one Aho-Corasick automaton; one pass over the lower-cased body
finds them (whole words only). Each sentence adds, per topic, the summed weight
of the distinct cues it holds (capped at ``sentence_cap``); a topic whose total
reaches ``threshold`` is assigned, with the scoring sentences as evidence
(strongest first, at most ``settings.EVIDENCE_PER_ARTICLE``, and only sentences that
carry a fact - a name, a number or a date - never a generality such as "And
logistics has always been an essential part of that."). ``score`` is total / (total + threshold): 0.5 at the
threshold, towards 1 for heavily evidenced topics.

Only the body is read: comments and related stories never count. The taxonomy
is for defence news: a body naming fewer than ``[domain] min_terms`` distinct
domain terms (topics.toml) gets no topics at all.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

import ahocorasick

from workbench import settings
from workbench.analyse.text import Sentence, lower_same_length, normalise
from workbench.record import TopicHit
from workbench.reference import Reference

_NUMBER = re.compile(r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?|"
                     r"millions?|billions?|first|second|third)\b", re.I)
# Verbs that report something done (an event), not a general truth.
_DEED = re.compile(r"\b(?:discussed|agreed|signed|met|held|visited|arrived|moved|delivered|awarded|won|"
                   r"conducted|completed|launched|deployed|shipped|repaired|overhauled|transported|loaded|"
                   r"unloaded|built|ordered|announced|opened|hosted|toured|inspected)\b", re.I)
_INNER_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z]+")


def carries_fact(sentence: str) -> bool:
    """Whether a sentence states something checkable: a number or date, a name (a
    capitalised word that does not open the sentence), or a deed ("discussed", "moved")."""
    text = sentence.strip().lstrip("\"'(\u201c")
    return bool(_NUMBER.search(text) or _INNER_NAME.search(text[1:]) or _DEED.search(text))


class TopicScorer:
    def __init__(self, ref: Reference):
        self.ref = ref
        self.scoring = ref.topic_scoring
        self.automaton = ahocorasick.Automaton()
        table: dict[str, list[tuple[int, float, str]]] = {}
        excl: dict[str, list[int]] = {}
        for ti, t in enumerate(ref.topics):
            for cue, w in t.cues.items():
                table.setdefault(lower_same_length(normalise(cue)), []).append((ti, w, cue))
            for x in t.exclude:
                excl.setdefault(lower_same_length(normalise(x)), []).append(ti)
        keys = set(table) | set(excl)
        for k in keys:
            self.automaton.add_word(k, (len(k), tuple(table.get(k, ())), tuple(excl.get(k, ()))))
        if keys:
            self.automaton.make_automaton()
        self.empty = not keys
        self.domain = ahocorasick.Automaton()
        for term in self.scoring.domain_terms:
            k = lower_same_length(normalise(term))
            self.domain.add_word(k, (len(k), k))
        if self.scoring.domain_terms:
            self.domain.make_automaton()

    def in_domain(self, low: str) -> bool:
        """Whether the lower-cased body names enough distinct domain terms."""
        need = self.scoring.domain_min
        if not need:
            return True
        found = set()
        n = len(low)
        for end, (length, term) in self.domain.iter(low):
            start = end - length + 1
            if (start > 0 and low[start - 1].isalnum()) or (end + 1 < n and low[end + 1].isalnum()):
                continue
            found.add(term)
            if len(found) >= need:
                return True
        return False

    def score(self, body: str, sentences: list[Sentence], low: str | None = None) -> list[TopicHit]:
        """``low``: ``lower_same_length(normalise(body))``, when the caller has it."""
        if self.empty or not body:
            return []
        if low is None:
            low = lower_same_length(normalise(body))
        if not self.in_domain(low):
            return []
        n = len(low)
        hits = []          # (start, end, topic index, weight, cue)
        excluded = []      # (start, end, topic index)
        for end, (length, cues, exc) in self.automaton.iter(low):
            start = end - length + 1
            if start > 0 and (low[start - 1].isalnum()):
                continue
            if end + 1 < n and (low[end + 1].isalnum()):
                continue
            for ti in exc:
                excluded.append((start, end + 1, ti))
            for ti, w, cue in cues:
                hits.append((start, end + 1, ti, w, cue))
        if excluded:
            hits = _not_excluded(hits, excluded)
        # drop a cue inside a longer cue of the same topic ("supply" in "supply chain")
        hits.sort(key=lambda h: (h[2], h[0], -(h[1] - h[0])))
        kept: list[tuple] = []
        for h in hits:
            if kept and kept[-1][2] == h[2] and kept[-1][0] <= h[0] and h[1] <= kept[-1][1]:
                continue
            kept.append(h)
        # per sentence
        cap = self.scoring.sentence_cap
        per_topic: dict[int, dict[int, dict[str, float]]] = {}
        si = 0
        ordered = sorted(kept, key=lambda h: h[0])
        for s, _e, ti, w, cue in ordered:
            while si < len(sentences) and sentences[si].end <= s:
                si += 1
            if si >= len(sentences):
                break
            if s < sentences[si].start:
                continue
            d = per_topic.setdefault(ti, {}).setdefault(si, {})
            d[cue.lower()] = max(d.get(cue.lower(), 0.0), w)
        out: list[TopicHit] = []
        for ti, sents in per_topic.items():
            contrib = {si: min(cap, sum(c.values())) for si, c in sents.items()}
            total = sum(contrib.values())
            if total < self.scoring.threshold:
                continue
            order = sorted(contrib, key=lambda i: (-contrib[i], i))
            out.append({
                "topic": self.ref.topics[ti].name,
                "score": round(total / (total + self.scoring.threshold), 3),
                "weight": round(total, 2),
                "evidence": [sentences[i].text for i in order
                             if carries_fact(sentences[i].text)][:settings.EVIDENCE_PER_ARTICLE],
                "cues": sorted({c for i in order for c in sents[i]}),
            })
        out.sort(key=lambda t: -t["score"])
        return out


def _not_excluded(hits: list[tuple], excluded: list[tuple[int, int, int]]) -> list[tuple]:
    """``hits`` without those inside an exclusion span of their own topic: per topic, the
    exclusions sorted by start with the running maximum of their ends, so each hit costs a
    bisection, not a scan of every exclusion (long stories were quadratic)."""
    by_topic: dict[int, list[tuple[int, int]]] = {}
    for s, e, ti in excluded:
        by_topic.setdefault(ti, []).append((s, e))
    index = {}
    for ti, spans in by_topic.items():
        spans.sort()
        index[ti] = ([s for s, _ in spans], list(accumulate((e for _, e in spans), max)))
    out = []
    for h in hits:
        ix = index.get(h[2])
        if ix is not None:
            i = bisect_right(ix[0], h[0])            # exclusions starting at or before the hit
            if i and ix[1][i - 1] >= h[1]:          # one of them reaches its end
                continue
        out.append(h)
    return out


def scorer(ref: Reference) -> TopicScorer:
    return ref.compiled("topic_scorer", TopicScorer)
