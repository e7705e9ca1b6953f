"""Article metadata from a cleaned text dump: title, date, outlet, author,
wire agency and dateline.

Works on a ``clean.Page``: the lines just above the story (headline, byline,
date), the first lines of the story (dateline), and the lines just below it
(signature, agency credit, copyright). Known outlets and agencies come from
``data/reference/sources.toml`` as plain alias maps, so this module stays
free of any file format.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from workbench.dates import find_full_date, find_partial_date
from workbench.parse.aliases import AliasMap
from workbench.parse.clean import Page
from workbench.parse.furniture import is_promo, strip_notices
from workbench.parse.lexicon import (
    AGENCY_LINE,
    AGENCY_VIA,
    AUTHOR_LABEL,
    BOILERPLATE,
    BYLINE,
    COPYRIGHT,
    CREDIT,
    DASH_BYLINE,
    DATELINE_LINE,
    HEADLINE_STOPWORDS,
    LEAD_META,
    NAME_COPYRIGHT,
    NAME_GLUED_DATE,
    PERSON_NAME,
    PLACE_DASH,
    RANK,
    SECTION_END,
    SOURCE_GLUED_DATE,
    WIRE_NOTE,
    WIRE_SLUG,
)

# How far from the story we look for its metadata (in non-empty lines, unless said).
HEAD_WINDOW = 25
TAIL_WINDOW = 12
HEAD_SCAN_LINES = 200             # raw lines above the story searched for those HEAD_WINDOW lines
DATELINE_MAX_GAP = 3              # a "Seoul, Feb 11" line at most this many lines above the story
HEAD_DATE_LINE_MAX_WORDS = 16     # a date line above the story is short (not a sentence with a date)
TAIL_DATE_LINE_MAX_WORDS = 12
TAIL_DATE_MAX_GAP = 3             # lines below the story's end where its date may stand
TAIL_BYLINE_MAX_GAP = 6           # ... and where a closing "By X" may stand
AGENCY_HEAD_LINE_MAX_CHARS = 80   # a line above naming an agency is a credit, not prose
AGENCY_TAIL_LINE_MAX_CHARS = 40   # a closing agency credit ("- IANS") is shorter still
PAGE_TOP_LINES = 8                # the page's first lines (masthead) are searched for the outlet
PAGE_BOTTOM_LINES = 15            # the page's last lines (footer) are searched for a copyright holder

_WORD = re.compile(r"\w+")


def url_host(url: str | None) -> str:
    """The lower-case host of ``url`` without "www." ("" when there is none)."""
    m = re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//([^/?#:@]+)", (url or "").strip(), re.I)
    host = m.group(1).lower().rstrip(".") if m else ""
    return host[4:] if host.startswith("www.") else host


@dataclass
class Sources:
    """Known outlets, wire agencies and aggregators (sites that republish others' stories)."""

    outlets: AliasMap = field(default_factory=AliasMap)
    agencies: AliasMap = field(default_factory=AliasMap)
    aggregators: AliasMap = field(default_factory=AliasMap)
    domains: dict[str, str] = field(default_factory=dict)     # web domain -> source name
    countries: dict[str, str] = field(default_factory=dict)   # source name -> country code

    def site_of(self, url: str | None) -> str | None:
        """The source whose domain is the longest suffix of ``url``'s host, or None."""
        host = url_host(url)
        while host:
            if host in self.domains:
                return self.domains[host]
            host = host.partition(".")[2]
        return None

    def month_first(self, url: str | None) -> bool | None:
        """The site's order for all-number dates: month first on US sites (and .mil/.gov hosts),
        day first on other known sites, None when the site is unknown."""
        host = url_host(url)
        if host.endswith((".mil", ".gov")):
            return True
        site = self.site_of(url)
        if site is None or site not in self.countries:
            return None
        return self.countries[site] == "US"

    def __post_init__(self):
        for name in ("outlets", "agencies", "aggregators"):
            v = getattr(self, name)
            if isinstance(v, (set, list, tuple)):
                v = {a: a for a in v}
            if isinstance(v, dict):
                setattr(self, name, AliasMap(v))


@dataclass
class Metadata:
    title: str | None = None
    title_alternatives: list[str] = field(default_factory=list)
    published: str | None = None
    published_basis: str | None = None
    outlet: str | None = None
    author: str | None = None
    agency: str | None = None
    dateline: str | None = None
    dateline_date: str | None = None   # e.g. "Feb 11": day and month the dateline gave, year unknown
    month_first: bool | None = None    # the site's order for all-number dates (None: unknown)
    house_outlet: str | None = None    # an outlet naming itself in the wire-slug position
    body: str = ""
    warnings: list[str] = field(default_factory=list)


def _nonempty(lines: list[str], idx: range) -> list[tuple[int, str]]:
    """(index, stripped line) of the non-blank lines at ``idx`` (a step-1 range; out-of-list indices skipped)."""
    lo, hi = max(idx.start, 0), min(idx.stop, len(lines))
    return [(i, s) for i, s in enumerate((ln.strip() for ln in lines[lo:hi]), lo) if s]


def _nonempty_first(lines: list[str], lo: int, k: int) -> list[tuple[int, str]]:
    """``_nonempty(lines, range(lo, len(lines)))[:k]`` without stripping the rest of the page."""
    out: list[tuple[int, str]] = []
    for i in range(max(lo, 0), len(lines)):
        if len(out) >= k:
            break
        s = lines[i].strip()
        if s:
            out.append((i, s))
    return out


def _nonempty_last(lines: list[str], lo: int, k: int, hi: int | None = None) -> list[tuple[int, str]]:
    """``_nonempty(lines, range(lo, hi))[-k:]`` (``hi`` default the end), scanning back from ``hi``."""
    out: list[tuple[int, str]] = []
    top = len(lines) if hi is None else min(hi, len(lines))
    for i in range(top - 1, max(lo, 0) - 1, -1):
        if len(out) >= k:
            break
        s = lines[i].strip()
        if s:
            out.append((i, s))
    return out[::-1]




def _content_words(text: str) -> set[str]:
    return {lw for w in _WORD.findall(text) if len(w) > 2 and (lw := w.lower()) not in HEADLINE_STOPWORDS}


def _headline_score(line: str, counts: dict[str, int]) -> float:
    """How much a line looks like a headline on its own (0 = not at all)."""
    words = _WORD.findall(line)
    n = len(words)
    if n < 3 or n > 30 or len(line) > 220:
        return 0.0
    if line[-1] in ".:;," and not line.endswith("..."):
        return 0.0
    if line[0] in "\"“'‘«•·*+-–—|>[(/" or line.startswith("o "):
        return 0.0
    if (counts.get(line, 0) > 2 and n < 6) or is_promo(line):     # the regex after the character tests
        return 0.0
    caps = sum(1 for w in words if w[:1].isupper())
    if caps == 0 or "@" in line or "http" in line:     # the cheap refusals first (all give 0)
        return 0.0
    hits = len(BOILERPLATE.findall(line))
    if hits and (n < 8 or hits > 1):
        return 0.0
    if BYLINE.match(line) or DATELINE_LINE.match(line) or CREDIT.search(line) or find_full_date(line):
        return 0.0
    score = 1.0 + min(n, 12) / 12
    if caps / n > 0.6:
        score += 0.2
    # headlines drop articles and copulas; a line thick with them reads as a sentence
    stop = sum(1 for w in words if w.lower() in HEADLINE_STOPWORDS or w.lower() in ("there", "if", "only", "any"))
    score -= 2.0 * max(0.0, stop / n - 0.25)
    return max(score, 0.01)


def _teaser_of(line: str, body: str, flat: list[str]) -> bool:
    """A teaser cut with "..." from the story's own text ("Seoul, Aug 6 The yard said it has ...").
    ``flat`` caches the body with its spaces collapsed (made on first need: most lines end otherwise)."""
    stem = line.rstrip(".\u2026 ")
    if not (len(stem) < len(line) and len(stem) >= 20):
        return False
    if not flat:
        flat.append(" ".join(body.split()))
    return " ".join(stem.split()) in flat[0]


def _line_counts(lines: list[str], wanted: list[str]) -> dict[str, int]:
    """How many of ``lines``, stripped, equal each non-empty string of ``wanted`` (what a
    ``Counter`` of the whole page's stripped lines gives for them, without stripping every line):
    each line holding the string is found in the joined page text and compared whole, once."""
    joined = "\n".join(lines)
    size = len(joined)
    plain = joined.count("\n") == len(lines) - 1    # no line holds a line break of its own
    out: dict[str, int] = {}
    for s in wanted:
        if not s or s in out:
            continue
        if not plain:
            out[s] = sum(1 for ln in lines if ln.strip() == s)
            continue
        c, at = 0, joined.find(s)
        while at >= 0:
            lo, hi = joined.rfind("\n", 0, at) + 1, joined.find("\n", at)
            hi = size if hi < 0 else hi
            c += joined[lo:hi].strip() == s
            at = joined.find(s, hi)         # on from the next line
        out[s] = c
    return out


def _find_title(lines: list[str], raw_head: list[tuple[int, str]], body: str) -> tuple[str | None, list[str]]:
    """The story's headline: a headline-like line above it (``raw_head``: the page's last
    ``HEAD_WINDOW`` non-blank lines above the story) that shares words with the story's
    opening, is often repeated on the page, and stands near."""
    head = [(i, WIRE_NOTE.sub("", LEAD_META.sub("", s))) for i, s in raw_head]
    counts = _line_counts(lines, [s for _, s in head])      # only the head's lines are looked up
    prefixed = {i for i, s in raw_head if LEAD_META.match(s)}
    opening = _content_words(" ".join(body.split(None, 120)[:120]))
    first = next((i for i, ln in enumerate(lines) if ln.strip()), -1)
    cands = []
    flat: list[str] = []
    cw_of: dict[str, set[str]] = {}         # each candidate's content words, for the score and below
    for i, s in head:
        sc = _headline_score(s, counts)
        if not sc or _teaser_of(s, body, flat):
            continue
        cw = cw_of[s] = _content_words(s)
        if cw and opening:
            sc += 1.5 * len(cw & opening) / len(cw)
        if counts.get(s, 0) > 1 or any(s in t and s != t for _, t in head):
            sc += 0.5
        sc -= 0.02 * sum(1 for j, _ in head if i < j)     # lines between it and the story
        if i == first and len(_WORD.findall(s)) >= 5:
            sc += 1.0    # a page saved from its headline down opens with it
        if i in prefixed:
            sc += 1.0    # "date 2025-07-09 <headline>": a stored page's own headline
        cands.append((sc, i, s))
    if not cands:
        return None, []
    best = max(cands, key=lambda c: (c[0], c[1]))
    # the other headlines, the one standing nearest above the story first (a wire copy's
    # own headline, where the title is an outlet's rewrite at the top of the page)
    near = [s for _, i, s in sorted(cands, key=lambda c: -c[1])
            if s != best[2] and i > best[1] and cw_of[s] & opening]
    alts = near + [s for _, _, s in cands if s != best[2] and s not in near]
    return best[2], alts


def _clean_name(name: str) -> str | None:
    """A byline's person: rank and unit dropped, capitals in title case ("PARK HYE-RIN" -> "Park Hye-rin");
    "A and B" gives "A, B"."""
    if re.search(r"\s(?:and|&)\s", name):
        names = [_clean_name(n) for n in re.split(r"\s+(?:and|&)\s+|,\s*", name.strip())]
        return ", ".join(n for n in names if n) if all(names) else None
    name = re.split(r"\s*(?:[|,/]|\s[-–—]\s|@|\bfor\b|\bin\b|\bupdated\b|\bpublished\b)\s*", name.strip(), maxsplit=1)[0]  # noqa: E501
    name = name.strip()
    if name.isupper():
        name = _title_name(name)
    name = re.sub(r"\s*\([^)]*\)\s*$", "", RANK.sub("", name)).strip(" .:-–—")
    return name if PERSON_NAME.match(name) else None


def _title_name(name: str) -> str:
    """Title case for a name in capitals, hyphenated given names kept lower after the hyphen."""
    return " ".join(w[:1] + w[1:].lower() for w in name.split())


def _place(text: str) -> str:
    """A dateline's place as a name: "SEOUL" -> "Seoul"."""
    text = text.strip()
    return text.title() if text.isupper() else text


def _date_from_dateline(md: Metadata, m: re.Match, today: dt.date | None) -> None:
    """A dateline that carries a year ("SEOUL, Feb. 11, 2026") dates the story
    when the page itself gave no date."""
    if md.published is None and m["year"]:
        fd = find_full_date(f"{m['date']} {m['year']}", today, md.month_first)
        if fd:
            md.published, md.published_basis = fd.iso(), "dateline"


def byline_agency(md: Metadata, src: Sources) -> None:
    """A byline that names a wire service ("By Associated Press") credits an
    agency, not an author; one that names an outlet ("By Korea Herald") is house copy."""
    if md.author and md.author in src.agencies:
        md.agency = md.agency or src.agencies.get(md.author)
        md.author = None
    elif md.author and md.author in src.outlets:
        md.author = None


def _headline_in_body(md: Metadata) -> bool:
    """With no title found, a body that opens with a headline-like paragraph (short, no
    sentence-final stop) followed by the story gives that paragraph as the title."""
    first, sep, rest = md.body.partition("\n\n")
    line = first.strip()
    if md.title is None and sep and rest.strip() and "\n" not in line and line[-1:] not in ".!?\"'”’:" \
            and len(_WORD.findall(line)) <= 20 and _headline_score(line, {}) > 1.2:
        md.title, md.body = WIRE_NOTE.sub("", line), rest.strip()
        return True
    return False


def _dash_bylines(head: list[tuple[int, str]]) -> str | None:
    """Authors written one per line as "- NAME IN CAPITALS", in the page's order."""
    found = [_clean_name(m["name"]) for _, s in head if (m := DASH_BYLINE.match(s))]
    names = [n for n in found if n]
    return ", ".join(dict.fromkeys(names)) or None


def _via_agency(md: Metadata, body: str, src: Sources) -> None:
    """"... via Yonhap", "according to Yonhap" in the first or last paragraph names the origin."""
    if md.agency:
        return
    paras = [p for p in body.split("\n\n") if p.strip()]
    for p in paras[:1] + paras[-1:]:
        for m in AGENCY_VIA.finditer(p):
            ag = src.agencies.at_start(m["name"])
            if ag:
                md.agency = ag
                return


def apply_lead(md: Metadata, body: str, src: Sources, today: dt.date | None = None) -> None:
    """Read the story's first line: a page-data prefix ("date 2026-02-11") and a
    wire slug ("Seoul, Feb 11 (IANS)") are cut from ``md.body``; a journalist's
    dateline ("MADRID — ...") is read but stays in the text."""
    first = body.split("\n\n", 1)[0]
    m = LEAD_META.match(first)
    if m:
        fd = find_full_date(m.group(0), today, md.month_first)
        if fd:
            md.published, md.published_basis = fd.iso(), "page"
        body = body[m.end():]
        first = first[m.end():]
        line, nl, rest = first.partition("\n")
        more = rest if nl else body[len(first):].lstrip()
        head = strip_notices(line).strip()
        if more.strip() and _headline_score(head, {}):
            md.title = WIRE_NOTE.sub("", head)       # "date 2025-07-09 <headline>" then the story
            body = body[len(line) + 1:]
            first = body.split("\n\n", 1)[0].lstrip()
    m = WIRE_SLUG.match(first)
    if m:
        md.dateline = _place(m["place"])
        md.dateline_date = m["date"]
        _date_from_dateline(md, m, today)
        name = m["agency"].strip()
        ag = src.agencies.find(name)
        house = None if ag else src.outlets.find(name)
        if house:
            md.house_outlet = house            # "SEOUL, Nov. 16 (AJP) -": the outlet's own copy
        else:
            md.agency = ag or name
        body = body[m.end():]
    else:
        m = PLACE_DASH.match(first)
        if m:
            md.dateline = _place(m["place"])
            if m["agency"]:
                md.agency = src.agencies.find(m["agency"]) or m["agency"].strip()
    md.body = body.strip()


def _read_head(md: Metadata, head: list[tuple[int, str]], start: int, src: Sources,
               today: dt.date | None) -> None:
    """Lines just above the story: dateline line, byline, date, agency."""
    md.author = md.author or _dash_bylines(head)
    for i, s in reversed(head):
        gm = NAME_GLUED_DATE.match(s)
        if gm and md.author is None:
            md.author = _clean_name(gm["name"])
            fd = find_full_date(gm["date"], today, md.month_first)
            if fd and md.published is None:
                md.published, md.published_basis = fd.iso(), "page"
        if md.dateline is None:
            dm = DATELINE_LINE.match(s)
            if dm and start - i <= DATELINE_MAX_GAP:
                md.dateline, md.dateline_date = _place(dm["place"]), dm["date"]
                _date_from_dateline(md, dm, today)
                continue
            wm = WIRE_SLUG.match(s)
            if wm and wm.end() == len(s) and start - i <= DATELINE_MAX_GAP:
                # a wire slug on its own line above a hard-wrapped story
                md.dateline, md.dateline_date = _place(wm["place"]), wm["date"]
                _date_from_dateline(md, wm, today)
                md.agency = md.agency or src.agencies.find(wm["agency"])
                continue
        if md.published is None:
            fd = find_full_date(s, today, md.month_first)
            if fd and len(_WORD.findall(s)) <= HEAD_DATE_LINE_MAX_WORDS:
                md.published, md.published_basis = fd.iso(), "page"
        if md.author is None:
            bm = BYLINE.match(s) or AUTHOR_LABEL.match(s)
            if bm:
                md.author = _clean_name(bm["name"])
        if md.agency is None and len(s) < AGENCY_HEAD_LINE_MAX_CHARS:
            bm = BYLINE.match(s)
            ag = src.agencies.at_start(bm["name"] if bm else s)
            if ag:
                md.agency = ag


def _read_tail(md: Metadata, tail: list[tuple[int, str]], end: int, src: Sources,
               today: dt.date | None) -> None:
    """Lines just below the story: agency credit ("- IANS"), "By X", signature, date."""
    for i, s in tail:
        if md.agency is None and len(s) <= AGENCY_TAIL_LINE_MAX_CHARS:
            am = AGENCY_LINE.match(s)
            if am:
                ag = src.agencies.get(am["name"])
                if ag:
                    md.agency = ag
                    continue
        if md.author is None and i - end <= TAIL_BYLINE_MAX_GAP:
            bm = BYLINE.match(s) or AUTHOR_LABEL.match(s)
            if bm:
                md.author = _clean_name(bm["name"])
        if md.published is None and i - end <= TAIL_DATE_MAX_GAP:
            fd = find_full_date(s, today, md.month_first)
            if fd and len(_WORD.findall(s)) <= TAIL_DATE_LINE_MAX_WORDS:
                md.published, md.published_basis = fd.iso(), "page"


def _find_outlet(lines: list[str], head: list[tuple[int, str]], tail: list[tuple[int, str]], start: int,
                 end: int, src: Sources) -> str | None:
    """A known outlet named around the story, else a copyright holder below it."""
    around = [s for _, s in head] + [s for _, s in tail] \
        + [s for _, s in _nonempty(lines, range(0, min(start, PAGE_TOP_LINES)))]
    for s in around:
        o = src.outlets.find(s)
        if o and o not in src.aggregators:
            return o
    bottom = _nonempty_last(lines, end, PAGE_BOTTOM_LINES)
    for s in [s for _, s in tail] + [s for _, s in bottom]:
        cm = NAME_COPYRIGHT.match(s) or COPYRIGHT.search(s)
        if cm:
            name = cm["name"].strip(" .,")
            if 1 <= len(name.split()) <= 4 and name not in src.aggregators and not BOILERPLATE.search(name):
                return src.outlets.get(name) or name
    return None


def _source_line(head: list[tuple[int, str]], src: Sources) -> str | None:
    """The known outlet an aggregator's source line names ("Business Insider14-03-2025")."""
    for _, s in head:
        m = SOURCE_GLUED_DATE.match(s)
        if m and src.outlets.get(m["name"].strip()) and m["name"].strip() not in src.aggregators:
            return src.outlets.get(m["name"].strip())
    return None


def _outlet_of_site(src: Sources, url: str | None) -> str | None:
    """The outlet the input's URL names (an aggregator's URL names none)."""
    site = src.site_of(url)
    return None if site is None or site in src.aggregators else site


def _undated_warnings(md: Metadata, head: list[tuple[int, str]]) -> None:
    if md.published is None and md.dateline_date:
        md.warnings.append(f"dateline gives {md.dateline_date} without a year; published left unknown")
    if md.published is None and any(find_partial_date(s) for _, s in head):
        md.warnings.append("page shows a day and month without a year; published left unknown")


def extract_metadata(page: Page, sources: Sources | None = None, today: dt.date | None = None,
                     url: str | None = None) -> Metadata:
    """Metadata of the story in ``page``; also returns the body with any wire
    slug ("Seoul, Feb 11 (IANS)") or page-data prefix ("date 2026-02-11") cut.
    ``url``, when the input carries one, names the site (outlet, date order)."""
    src = sources or Sources()
    md = Metadata(body=page.body, month_first=src.month_first(url))
    lines = page.lines
    if page.body_start is None:
        md.warnings.append("no story found: metadata not extracted")
        return md
    start, end = page.body_start, page.body_end or page.body_start
    head = _nonempty_last(lines, start - HEAD_SCAN_LINES, HEAD_WINDOW, hi=start)
    tail = []
    for i, s in _nonempty_first(lines, end, TAIL_WINDOW):
        if SECTION_END.match(s):
            break        # related stories, comments, ...: other stories' furniture from here on
        tail.append((i, s))
    md.title, md.title_alternatives = _find_title(lines, head, page.body)
    apply_lead(md, page.body, src, today)
    if _headline_in_body(md) and md.dateline is None:
        apply_lead(md, md.body, src, today)      # the story (and its dateline) starts after it
    _via_agency(md, md.body, src)
    _read_head(md, head, start, src, today)
    _read_tail(md, tail, end, src, today)
    byline_agency(md, src)
    md.outlet = _outlet_of_site(src, url) or md.house_outlet or _source_line(head, src)
    if md.outlet is None:
        found = _find_outlet(lines, head, tail, start, end, src)
        if found and found not in src.outlets and src.agencies.find(found):
            # "Copyright 2025 The Associated Press" on another site's page: the wire's copy
            md.agency, found = md.agency or src.agencies.find(found), None
        md.outlet = found
    _undated_warnings(md, head)
    return md
