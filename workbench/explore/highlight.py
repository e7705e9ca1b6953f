"""Article text as HTML with what the analysis found marked: topic evidence,
organisations and people (every surface form), search hits. Text is escaped
first, so an article's own markup never runs."""
from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from workbench.explore.query import _list, _str, search_terms


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    cls: str          # CSS class: wb-org, wb-person, wb-evidence, wb-hit
    note: str = ""    # tooltip: canonical name, topic


def _surface_forms(e) -> list[str]:
    if not isinstance(e, dict):
        return [str(e)] if e else []
    forms = [e.get("name")]
    for key in ("aliases", "mentions", "surface", "surfaces"):
        v = e.get(key)
        if isinstance(v, str):
            forms.append(v)
        elif isinstance(v, list):
            forms += [x.get("text") if isinstance(x, dict) else x for x in v]
    return [f.strip() for f in forms if isinstance(f, str) and len(f.strip()) >= 2]


def _term_spans(text: str, forms: dict[str, str], cls: str) -> list[Span]:
    """Whole-word, case-insensitive occurrences of each surface form."""
    if not forms:
        return []
    alts = sorted(forms, key=len, reverse=True)
    lookup = {f.lower(): note for f, note in forms.items()}
    rx = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alts) + r")(?!\w)", re.IGNORECASE)
    return [Span(m.start(), m.end(), cls, lookup.get(m.group(0).lower(), "")) for m in rx.finditer(text)]


def article_spans(record, query: str = "") -> list[Span]:
    """Spans to highlight in ``record['body']``: topic evidence sentences,
    organisations and people (by every surface form known), search hits."""
    body = _str(record.get("body"))
    spans: list[Span] = []
    for t in _list(record.get("topics")):
        if not isinstance(t, dict):
            continue
        for sent in _list(t.get("evidence")):
            sent = _str(sent).strip()
            if len(sent) < 3:
                continue
            start = body.find(sent)
            while start >= 0:
                spans.append(Span(start, start + len(sent), "wb-evidence", _str(t.get("topic"))))
                start = body.find(sent, start + len(sent))
    for col, cls in (("organizations", "wb-org"), ("people", "wb-person")):
        forms: dict[str, str] = {}
        for e in _list(record.get(col)):
            name = e.get("name") if isinstance(e, dict) else e
            for f in _surface_forms(e):
                forms.setdefault(f, _str(name))
        spans += _term_spans(body, forms, cls)
    terms = search_terms(query)
    if terms:
        rx = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
        spans += [Span(m.start(), m.end(), "wb-hit", "search") for m in rx.finditer(body)]
    return spans


def highlight(text: str, spans: Iterable[Span]) -> str:
    """``text`` as HTML: escaped first, then each stretch covered by spans
    wrapped in ``<mark class="...">`` (overlaps get both classes)."""
    text = _str(text)
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    if not spans:
        return html.escape(text)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        seg = html.escape(text[a:b])
        on = [s for s in spans if s.start <= a and s.end >= b]
        if not on:
            out.append(seg)
            continue
        classes = " ".join(sorted({s.cls for s in on}))
        notes = "; ".join(dict.fromkeys(s.note for s in on if s.note))
        title = f' title="{html.escape(notes, quote=True)}"' if notes else ""
        out.append(f'<mark class="{classes}"{title}>{seg}</mark>')
    return "".join(out)
