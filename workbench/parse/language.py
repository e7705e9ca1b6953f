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
_HANGUL = re.compile("[\uac00-\ud7a3]")
_KANA = re.compile("[\u3040-\u30ff]")
_HAN = re.compile("[\u4e00-\u9fff]")
_FROM_KANA = re.compile("[\u3040-\U0010ffff]")    # any character at or above the first CJK block


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when unclear."""
    if not text:
        return None
    sample = text[:5000]
    # only then can a CJK script lead (one regex scan: ``max(sample) >= "\u3040"`` made a string per character)
    if not sample.isascii() and _FROM_KANA.search(sample):
        letters = sum(map(str.isalpha, sample)) or 1
        if len(_HANGUL.findall(sample)) / letters > 0.3:
            return "ko"
        if len(_KANA.findall(sample)) / letters > 0.1:
            return "ja"
        if len(_HAN.findall(sample)) / letters > 0.3:
            return "zh"
    # Lowering maps every character to one of the same word/non-word kind, except "İ" (two
    # characters) and "Σ" (final form depends on context): without them the words of the
    # lowered text are the lowered words, found with one lower() instead of one per word.
    if "\u0130" in sample or "\u03a3" in sample:
        tokens = [w.lower() for w in _TOKEN.findall(sample)]
    else:
        tokens = _TOKEN.findall(sample.lower())
    words = Counter(tokens)
    seen = set(words)              # a set: each intersection then walks the smaller side (the stop words)
    scores = {lang: sum(words[w] for w in stop & seen) for lang, stop in _STOPSETS.items()}
    lang, best = max(scores.items(), key=lambda kv: kv[1])
    total = len(tokens) or 1
    return lang if best / total > 0.08 else None
