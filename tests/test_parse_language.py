"""guess_language: the one-lower() word count gives what lowering word by word gives."""
from collections import Counter

from workbench.parse.language import _STOPSETS, _TOKEN, guess_language


def _slow(text: str) -> str | None:
    """The per-word reference the fast path must agree with (Latin-script texts)."""
    words = Counter(w.lower() for w in _TOKEN.findall(text[:5000]))
    scores = {lang: sum(words[w] for w in stop) for lang, stop in _STOPSETS.items()}
    lang, best = max(scores.items(), key=lambda kv: kv[1])
    return lang if best / (sum(words.values()) or 1) > 0.08 else None


TEXTS = [
    "The ship and the crew were in the port of the city for the repairs.",
    "Der Minister sagte, dass die Werft und die Marine das Schiff reparieren.",
    "THE SHIP AND THE CREW WERE IN THE PORT — “curly” quotes and ĐÔNG words.",
    "İSTANBUL'DA THE FLEET AND THE TUGS WAITED FOR THE TIDE",          # "İ" lowers to two characters
    "ΟΔΟΣ'Α and the ΣΟΦΟΣ of the navy were in the harbour",              # context-dependent final sigma
    "",
]


def test_fast_word_count_agrees_with_per_word_lowering():
    for t in TEXTS:
        assert guess_language(t) == (_slow(t) if t else None), t


def test_clear_english_and_german():
    assert guess_language(TEXTS[0]) == "en"
    assert guess_language(TEXTS[1]) == "de"
