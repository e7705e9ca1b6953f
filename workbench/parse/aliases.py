"""Known names by alias (outlets, wire agencies, aggregators), looked up in page lines.

``metadata`` asks, for each line around a story, which known name it holds (``find``) or opens
with (``at_start``). One Aho-Corasick automaton per table answers ``find`` in one pass over a
line; ``at_start`` looks up the line's word-ending openings; both remember their answer per
line, since a site's masthead, menu and footer lines come back on each of its pages.
"""
from __future__ import annotations

import re

MEMO_LINES = 20_000                  # lines whose answers an AliasMap keeps (then it starts again)
_NOT_ALNUM = re.compile(r"[\W_]")      # what ``str.isalnum`` refuses (\w is alphanumeric or "_")


class AliasMap:
    """Canonical names by alias. An alias written in capitals ("AP", "IANS")
    matches only in capitals; any other alias matches in any case."""

    def __init__(self, pairs: dict[str, str] | None = None):
        self._strict: dict[str, str] = {}
        self._loose: dict[str, str] = {}
        self._ac: list | None = None
        for alias, canon in (pairs or {}).items():
            alias = alias.strip()
            if alias.isupper():
                self._strict[alias] = canon
            else:
                self._loose[alias.lower()] = canon
        self._longest = (max(map(len, self._strict), default=0), max(map(len, self._loose), default=0))
        self._memo: tuple[dict[str, str | None], dict[str, str | None]] = ({}, {})    # find, at_start

    def get(self, text: str | None) -> str | None:
        """The canonical name ``text`` is an alias of, or None."""
        if not text:
            return None
        t = text.strip()
        return self._strict.get(t) or self._loose.get(t.lower())

    def __contains__(self, text) -> bool:
        return self.get(text) is not None

    def _automata(self) -> list:
        """One Aho-Corasick automaton per table (built on first use): one pass over a line
        instead of a ``str.find`` per alias."""
        if self._ac is None:
            import ahocorasick
            self._ac = []
            for table in (self._strict, self._loose):
                a = ahocorasick.Automaton()
                for i, (alias, canon) in enumerate(table.items()):
                    if alias:
                        a.add_word(alias, (i, len(alias), canon))
                if len(a):
                    a.make_automaton()
                self._ac.append(a)
        return self._ac

    def _hits(self, text: str):
        """(position, length, canonical) of each alias's first whole-word occurrence, in table order."""
        low = text.lower()
        for auto, hay in zip(self._automata(), (text, low)):
            if not len(auto):
                continue
            first: dict[int, tuple[int, int, str]] = {}
            for end1, (i, n, canon) in auto.iter(hay):
                pos, end = end1 - n + 1, end1 + 1
                if i not in first and (pos == 0 or not hay[pos - 1].isalnum()) and \
                        (end == len(hay) or not hay[end].isalnum()):
                    first[i] = (pos, n, canon)
            for i in sorted(first):
                yield first[i]

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_memo": ({}, {})}        # answers stay with the process that found them

    def _remember(self, which: int, text: str, answer: str | None) -> str | None:
        memo = self._memo[which]
        if len(memo) >= MEMO_LINES:
            memo.clear()
        memo[text] = answer
        return answer

    def find(self, text: str) -> str | None:
        """The canonical name of the longest alias found as a whole word in ``text``. Remembered per
        line: a site's masthead, menu and footer lines come back on each of its pages."""
        memo = self._memo[0]
        if text in memo:
            return memo[text]
        return self._remember(0, text, self._find(text))

    def _find(self, text: str) -> str | None:
        """``find`` (of equally long aliases, the first in table order: what ``max`` over
        ``_hits`` gives, without collecting and sorting the hits)."""
        best: tuple[int, int, int, str] | None = None        # length, table, index, canonical
        for t, (auto, hay) in enumerate(zip(self._automata(), (text, text.lower()))):
            if not len(auto):
                continue
            size = len(hay)
            for end1, (i, n, canon) in auto.iter(hay):
                if best is not None and (n < best[0] or (n == best[0] and (t, i) > best[1:3])):
                    continue
                pos, end = end1 - n + 1, end1 + 1
                if (pos == 0 or not hay[pos - 1].isalnum()) and (end == size or not hay[end].isalnum()):
                    best = (n, t, i, canon)
        return best[3] if best else None

    def at_start(self, text: str) -> str | None:
        """The canonical name of the longest alias ``text`` opens with (remembered per line, as ``find``)."""
        memo = self._memo[1]
        if text in memo:
            return memo[text]
        return self._remember(1, text, self._at_start(text))

    def _at_start(self, text: str) -> str | None:
        """``at_start``: ``text``'s openings that end a word, looked up in each table (strict
        first, as ``_hits`` orders them)."""
        best: tuple[int, str] | None = None
        for table, hay, longest in ((self._strict, text, self._longest[0]),
                                    (self._loose, text.lower(), self._longest[1])):
            if not table:
                continue
            head = hay[:longest + 1]
            ends = [m.start() for m in _NOT_ALNUM.finditer(head)]
            if len(hay) <= longest:
                ends.append(len(hay))
            for k in ends:
                canon = table.get(head[:k]) if 0 < k <= longest else None
                if canon is not None and (best is None or k > best[0]):
                    best = (k, canon)
        return best[1] if best else None
