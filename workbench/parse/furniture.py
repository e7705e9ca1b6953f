"""Page furniture left inside a story after cleaning: photo captions, slideshow and
image lines, promos, site banners, series blurbs, wire notes and a closing agency
credit. A post-pass over the cleaned body, paragraph by paragraph.

Captions are recognised by their *form*, never by their words: a line that ends in
a credit - ``(U.S. Navy)``, ``[HANWHA]``, ``(Courtesy of X)``, ``(Picture source:
X)``, ``(... photo by ...)``, ``(PHOTO NOT FOR SALE)`` - or that opens like a photo
block (``Photo By``, ``Photo :``, ``1 / 3 Show Caption``). A credit in parentheses
closing a *story* paragraph ("..., officials said. (Yonhap)") is the wire agency's
credit, not a caption: a caption is a description ("shows", "stands", "is seen")
without a reporting verb. Captions move to the record's ``captions`` field; promos
and banners are dropped (counted in a warning).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass, field

# A parenthesised or bracketed credit closing a line: "(U.S. Navy)", "[HANWHA OCEAN]".
_END_CREDIT = re.compile(r"\s*(?:\((?P<p>[^()]{2,60})\)|\[(?P<b>[^\[\]]{2,40})\])\s*$")
_CREDIT_WORDS = re.compile(r"^(?:courtesy\s+of|picture\s+source|photo\s+credit|image\s+source|source)\s*:?\s|"
                           r"\bphoto(?:graph)?s?\s+(?:by|courtesy)\b|\bphoto\b|\bfile\s+photo\b|"
                           r"^photo\s+not\s+for\s+sale$|^released$", re.I)
# Openings and fragments of photo blocks and slideshows.
_PHOTO_BLOCK = re.compile(r"^(?:photo\s+by\b|courtesy\s+photo\b|photo\s*:|\d+\s*/\s*\d+\s+show\s+caption|"
                          r"!\[|\|\s*view\s+image\s+page)|\bshow\s+caption\s*\+\s*hide\s+caption\b|"
                          r"\bsee\s+less\s*$|\bview\s+original\s*$|\(photo\s+not\s+for\s+sale\)", re.I)
# Promos, banners and notices that are never story text.
_PROMO = re.compile(
    r"^(?:follow\s+.{1,60}\s+on\s+(?:google\s+news|x|twitter|facebook|telegram|instagram)\.?$|"
    r"qr\s+code\s+for\s+.{1,40}\bapp\b|download\s+the\s+.{1,40}\bapp\b|"
    r"your\s+browser\s+does\s+not\s+support\s+the\s+(?:audio|video)\s+element|"
    r"an\s+official\s+website\s+of\s+the\s+united\s+states\s+government|here'?s\s+how\s+you\s+know|"
    r"official\s+websites\s+use\s+\.\w+|an?\s+\.\w+\s+website\s+belongs\s+to|secure\s+\.\w+\s+websites\s+use|"
    r"a\s+lock\s+\(|skip\s+to\s+(?:main\s+)?content|"
    r"related\s+article$|print\s+dictionary\s+print$|home\s*>|\[\s*email\s+protected\s*\]|"
    r"-\s*\[\s*email\s+protected\s*\])", re.I)
# ... and one more, apart: its ".{0,40}" tries the rest at 41 places of every line (half the cost of
# ``_PROMO``), so it runs only on a line holding "onat" in any case ("donation": "o", "n", "a" and
# "t" match only themselves and their capitals under re.I, so ``lower`` finds them).
_DONATION = re.compile(r"^.{0,40}\bmake\s+a\s+charitable\s+donation\b", re.I)
# A series tag alone on a line ("[NEXT CHIP]") and the series' standing introduction.
_SERIES_TAG = re.compile(r"^\[[A-Z0-9][A-Z0-9 &'-]{1,40}\]$")
_SERIES_BLURB = re.compile(r"\b(?:in\s+this\s+series|this\s+series\s+(?:looks|explores|examines))\b", re.I)
# A translation note ends the story; what follows it repeats paragraphs.
_TRANSLATION_NOTE = re.compile(r"^\*?\s*this\s+article.{0,80}\btranslated\b", re.I)
# A caption describes a picture: present-tense description, no reporting verb.
_DESCRIBES = re.compile(r"\b(?:shows?|showing|seen|is\s+seen|are\s+seen|stands?|sits?|sails?|poses?|pose|"
                        r"looks?\s+on|walk|walks|speaks?|refuels?|holds?|wave|waves|"
                        r"provided\s+by|pictured|in\s+this\s+(?:photo|file\s+photo|image))\b", re.I)
_REPORTED = re.compile(r"\b(?:said|says|told|announced|according\s+to|reported)\b", re.I)
# A caption glued before a story sentence: "... (Courtesy of HD Hyundai) The 210-meter ..."
_GLUED_CAPTION = re.compile(r"^(?P<cap>[^()]{3,200}?\((?:courtesy\s+of|picture\s+source|photo\s+by)[^()]{1,60}\))"
                            r"\s+(?=[A-Z])", re.I)
# Yonhap-style end of story: the reporter's address and "(END)".
_STORY_END = re.compile(r"^(?:\(END\)|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)$")


# Notices that can be glued to a story line ("<headline> Your browser does not support ...").
_INLINE_NOTICE = re.compile(r"\s*your\s+browser\s+does\s+not\s+support\s+the\s+(?:audio|video)\s+element\.?", re.I)


def strip_notices(text: str) -> str:
    """``text`` without player notices glued into it (they are never story text)."""
    return _INLINE_NOTICE.sub("", text) if "browser" in text.lower() else text


_WRAP_END = re.compile(r"(?:[a-z,]|\b[a-z]+-[a-z]+)$")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s*$")


def _opens_small(line: str) -> bool:
    """The line opens (after indentation) in a small ASCII letter."""
    return "a" <= line.lstrip()[:1] <= "z"


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Hard-wrapped story lines (a break in mid-sentence: a line of three or more words
    ending in a small letter or comma, the next opening in a small letter) joined into one
    line, the break kept as a newline so the text stays exact. A run is joined only when it
    ends a sentence (menus of small words never do).  It sees every line of every page, so
    only the lines opening in a small letter (found in one pass) are looked at further."""
    cand = [i for i, ln in enumerate(lines) if "a" <= ln.lstrip()[:1] <= "z" and i]
    if not cand:
        return list(lines)
    out: list[str] = []
    done = 0                               # lines[:done] are in ``out``
    a = last = -1                          # lines[a:last + 1]: the current group of joined lines
    for i in cand:
        if last != i - 1:                  # line i - 1 starts a group of its own
            a = last = i - 1
        prev = lines[i - 1].rstrip()
        if (prev and (i - a > 1 or (len(prev.split()) >= 3 and len(lines[i].lstrip().split()) >= 2))
                and _WRAP_END.search(prev)):
            last = i
            if i + 1 < len(lines) and _opens_small(lines[i + 1]):
                continue                   # the next candidate may extend the group
        if last > a:
            done = _close_group(lines, out, done, a, last)
        a = last = i
    return out + lines[done:]


def _close_group(lines: list[str], out: list[str], done: int, a: int, last: int) -> int:
    """Append lines[done:last + 1] to ``out``, the group lines[a:last + 1] as one line
    when it ends a sentence; returns the new ``done``."""
    out += lines[done:a]
    if _SENTENCE_END.search(lines[last]):
        out.append("\n".join(lines[a:last + 1]))
    else:
        out += lines[a:last + 1]
    return last + 1


def _promo(s: str) -> bool:
    """A promo, site banner or notice: ``_PROMO`` or ``_DONATION`` finds it in ``s``."""
    return _PROMO.search(s) is not None or ("onat" in s.lower() and _DONATION.search(s) is not None)


def is_promo(line: str) -> bool:
    """A promo, site banner or notice line ("Follow X on Google News", the US government banner)."""
    return _promo(line.strip())


def blank_promos(lines: list[str], memo: dict[str, bool] | None = None) -> list[str]:
    """``lines`` with promo lines blanked (indices kept).  ``memo`` caches the
    verdict per distinct line across pages (a site's banners recur)."""
    if memo is None:
        return ["" if is_promo(ln) else ln for ln in lines]
    # the verdicts looked up in one C-level pass; only the lines not seen before are judged,
    # and a page without a promo (most) is returned as a copy, not rebuilt line by line
    hits = list(map(memo.get, lines))
    if None in hits:
        for i in [i for i, h in enumerate(hits) if h is None]:
            ln = lines[i]
            hit = memo.get(ln)
            hits[i] = memo[ln] = is_promo(ln) if hit is None else hit
    if True not in hits:
        return list(lines)
    return ["" if hit else ln for ln, hit in zip(lines, hits)]


@dataclass
class Furniture:
    """What the post-pass took out of a body."""

    body: str
    captions: list[str] = field(default_factory=list)
    dropped: int = 0


def _end_credit(line: str) -> re.Match | None:
    """``_END_CREDIT.search(line)``, refused at once for a line not closing in ")" or "]"
    (``\\s`` and ``str.rstrip`` drop the same characters): most lines, and the regex
    would otherwise be tried at each of their characters."""
    if line.rstrip()[-1:] not in (")", "]"):
        return None
    return _END_CREDIT.search(line)


def credit_of(line: str) -> str | None:
    """The credit closing ``line`` ("(U.S. Navy)" -> "U.S. Navy"), or None."""
    m = _end_credit(line)
    return (m.group("p") or m.group("b")).strip() if m else None


# _PHOTO_BLOCK (~0.1 ms a paragraph, tried at every character) can match only where one of its
# branches' own words is: at the paragraph's start (photo/courtesy/a digit/"![" /"|"), "caption" or
# "(photo" in it, or "less"/"original" ending it; the regex runs on those paragraphs only. Its
# ignoring case is lowering once the four non-ASCII letters ``re.I`` matches to ASCII ones are
# folded ("\u017f" s, "\u0131"/"\u0130" i, "\u212a" k); ``\d`` is ``isdecimal``, ``\s*$`` is ``rstrip``.
_PHOTO_FIRST = frozenset("pc!|")
_PHOTO_FOLD = str.maketrans({"\u017f": "s", "\u0131": "i", "\u0130": "i", "\u212a": "k"})
_PHOTO_SPECIAL = ("\u017f", "\u0131", "\u0130", "\u212a")


def _photo_block(text: str) -> bool:
    """``_PHOTO_BLOCK.search(text)``, skipped when ``text`` holds none of its branches' words where
    the branch needs them (most paragraphs, in any script)."""
    low = text.lower()
    if not text.isascii() and any(c in text for c in _PHOTO_SPECIAL):    # a translate costs a regex's time
        low = text.translate(_PHOTO_FOLD).lower()
    first = low[:1]
    if not (first in _PHOTO_FIRST or first.isdecimal() or "caption" in low or "(photo" in low
            or low.rstrip().endswith(("less", "original"))):
        return False
    return _PHOTO_BLOCK.search(text) is not None


def is_caption(para: str, agencies: Container[str] = frozenset()) -> bool:
    """Whether a paragraph is a photo caption or a photo/slideshow block (see module doc)."""
    text = para.strip()
    if _photo_block(text):
        return True
    m = _end_credit(text)
    if m is None:
        return False
    credit = (m.group("p") or m.group("b")).strip()
    before = text[:m.start()].strip()
    if not before:
        return False
    inner = credit_of(before)
    if inner is not None:                           # "(PHOTO NOT FOR SALE) (Yonhap)"
        return True
    bracket = text.rstrip().endswith("]")
    if _CREDIT_WORDS.search(credit) or (bracket and credit.upper() == credit):
        return True
    if _REPORTED.search(before):
        return False                                # "..., officials said. (Yonhap)": a story's credit
    if credit in agencies:
        return bool(_DESCRIBES.search(before))
    # "(U.S. Navy)", "(Hanwha Ocean)" after a closed sentence (a story's own parenthesis
    # comes before its full stop) or after a described picture
    return _looks_like_name(credit) and (before.endswith(".") or bool(_DESCRIBES.search(before)))


def _looks_like_name(credit: str) -> bool:
    words = credit.replace(".", " ").split()
    return 1 <= len(words) <= 6 and all(w[:1].isupper() or w in ("of", "and", "&", "the") for w in words)


def _drop_after_note(paras: list[str]) -> tuple[list[str], int]:
    """Paragraphs up to a translation note (the note and what follows go)."""
    for i, p in enumerate(paras):
        if _TRANSLATION_NOTE.match(p.strip()):
            return paras[:i], len(paras) - i
    return paras, 0


def strip_furniture(body: str, agencies: Container[str] = frozenset()) -> Furniture:
    """``body`` without captions, promos, banners, series blurbs and what follows a
    translation note or the wire's "(END)"; captions are kept apart."""
    paras = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
    out = Furniture(body="")
    paras, out.dropped = _drop_after_note(paras)
    kept: list[str] = []
    for p in paras:
        p = strip_notices(p)
        s = p.strip()
        if not s:
            out.dropped += 1
            continue
        if _STORY_END.match(s):
            out.dropped += 1
            if s == "(END)":
                break
            continue
        if _promo(s) or _SERIES_TAG.match(s) or (len(kept) == 0 and _SERIES_BLURB.search(s)):
            out.dropped += 1
            continue
        if is_caption(s, agencies):
            out.captions.append(s)
            continue
        g = _GLUED_CAPTION.match(s) if "(" in s else None     # it needs a "(": most paragraphs have none
        if g:
            out.captions.append(g.group("cap").strip())
            p = p[p.index(g.group("cap")) + len(g.group("cap")):].lstrip()
        kept.append(p)
    if not kept and out.captions:
        # a photo-news page: its one captioned paragraph is the story, less the credit
        lone = out.captions.pop(0)
        cm = _END_CREDIT.search(lone)
        kept = [lone[:cm.start()].rstrip() if cm else lone]
    out.body = "\n\n".join(kept)
    return out


# "(Yonhap)" or a bare "Yonhap" glued to the story's last sentence: the agency's credit.
_CLOSING_CREDIT = re.compile(r"(?:(?<=[.!?\"'\u201d])|\s)\(?(?P<name>[A-Z][\w&-]*(?:\s[A-Z][\w&-]*){0,2})\)?\s*$")


# What a closing credit is made of, bar the character its look-behind reads.
_NOT_CREDIT_CHAR = re.compile(r"[^\w\s&()\-]")
_CREDIT_TAIL = 200


def _closing_match(body: str) -> re.Match | None:
    """``_CLOSING_CREDIT.search(body)`` without trying every character of the story: a match
    runs to the end, so it holds only word characters, spaces, "&", "-" and brackets; with
    another character among the last ``_CREDIT_TAIL`` (a story's final full stop), no match
    starts before them, and the search starts there (its look-behind still sees the text before)."""
    start = max(0, len(body) - _CREDIT_TAIL)
    if start and not _NOT_CREDIT_CHAR.search(body, start):
        start = 0
    return _CLOSING_CREDIT.search(body, start)


def closing_credit(body: str, is_agency: Callable[[str], str | None]) -> tuple[str, str | None]:
    """Cut an agency credit closing the story ("... last August.Yonhap", "... said. (Yonhap)");
    ``is_agency`` maps a name to an agency's canonical name or None."""
    m = _closing_match(body)
    if not m:
        return body, None
    name = is_agency(m.group("name"))
    if not name:
        return body, None
    cut = body[:m.start()].rstrip()
    if not cut or cut[-1] not in ".!?\"'\u201d":
        return body, None
    return cut, name
