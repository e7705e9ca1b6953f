"""A cheap guess at an article's language from its commonest short words.

Good enough to label a news story (ISO 639-1 code) without a model; returns
None when no language clearly leads.
"""
from __future__ import annotations

import re
from collections import Counter

_STOP = {
    "en": "the of and to in a is that for on with as was by it at from said",
    "de": "der die und das ist nicht mit den von zu sich auf für im dem ein eine",
    "fr": "le la les des et est une un du que dans pour pas sur au avec qui",
    "es": "el la los las de que y en un una por con para se del al es",
    "it": "il di che la per un una non sono del della con le è gli nel",
    "pt": "o a os as de que e do da em um uma para com não no na",
    "nl": "de het een en van is dat op te in voor niet met zijn",
    "ru": "и в не на что с по как это из за от для он она к",
}
_STOPSETS = {lang: set(words.split()) for lang, words in _STOP.items()}
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
