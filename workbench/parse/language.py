"""A cheap guess at an article's language from its commonest short words.

Good enough to label a news story (ISO 639-1 code) without a model; returns
None when no language clearly leads.
"""
from __future__ import annotations

import re
from collections import Counter

from workbench.parse.lexicon import LANGUAGE_STOPWORDS

_STOPSETS = {lang: set(words.split()) for lang, words in LANGUAGE_STOPWORDS.items()}
_TOKEN = re.compile(r"\w+")


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when unclear."""
    if not text:
        return None
    sample = text[:5000]
    hangul = sum(1 for c in sample if "\uac00" <= c <= "\ud7a3")
    letters = sum(1 for c in sample if c.isalpha()) or 1
    if hangul / letters > 0.3:
        return "ko"
    if sum(1 for c in sample if "\u3040" <= c <= "\u30ff") / letters > 0.1:
        return "ja"
    if sum(1 for c in sample if "\u4e00" <= c <= "\u9fff") / letters > 0.3:
        return "zh"
    words = Counter(w.lower() for w in _TOKEN.findall(sample))
    scores = {lang: sum(words[w] for w in stop) for lang, stop in _STOPSETS.items()}
    lang, best = max(scores.items(), key=lambda kv: kv[1])
    total = sum(words.values()) or 1
    return lang if best / total > 0.08 else None
