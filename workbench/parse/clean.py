"""Main text vs boilerplate for plain-text dumps of web pages.

A browser's select-all-copy gives the story surrounded by menus, share prompts,
captions, comments and related stories. ``clean_page`` splits such a dump into
the story's own paragraphs and the furniture around them, judging lines in
their context (blocks), not one at a time.

How: every line gets a kind (prose, short, list item, boilerplate, date/byline,
section marker) and a score (prose positive, furniture negative).  The story is
the best-scoring contiguous run of lines (max-subarray), with prose after a
"Related / Comments" marker discounted so that comment threads and embedded
stories cannot win.  The run is then trimmed at its edges (title, dek, byline,
captions) and the lines inside it kept unless they are furniture; a wall of
page boilerplate (share bar, sign-up form, legal footer) between paragraphs
ends it once most of its text is behind.  A "Related" box of headlines
followed by several paragraphs is an insert, not the story's end; a heading
plus a list of dated lines after the last paragraph (a schedule) and the rest
of a bullet list the story ends in are kept.  Before scoring, context marks
captions (prose above a photo credit), teaser lists (title, byline/date, one
summary paragraph, repeated) and key-point boxes.

Speed: each distinct line is measured and classified once and cached across
pages (menus and footers recur on a site); cheap token-set and substring gates
decide which patterns run.  Context edits copy the line (``_relabel``).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain

from workbench.parse.furniture import is_promo, join_wrapped_lines

# --------------------------------------------------------------------------
# Tunable thresholds (words are \w+ runs; a CJK character counts as half a word)
# --------------------------------------------------------------------------
PROSE_MIN_WORDS = 8          # fewer words than this is never prose on its own
BULLET_PROSE_WORDS = 15     # a bullet line is prose if this long or a sentence
PROSE_MIN_STOP = 0.12        # unpunctuated lines need this stopword share ...
PROSE_MID_WORDS = 15         # ... and this many words
PROSE_LONG_WORDS = 25        # a line this long is prose whatever its ending
LINE_SCORE_CAP = 60          # one line's positive score is capped (blobs, embeds)
PROSE_OFFSET = 3             # subtracted from a prose line's word count
SHORT_PENALTY = -3.0         # short neutral line (title, subhead, label)
ISOLATED_PENALTY = -2.0         # a short line standing alone between blank lines (subhead, label)
LIST_PENALTY = -4.0          # short bullet line (menus, link lists)
BOILER_PENALTY = -10.0       # share / subscribe / copyright ... lines
META_PENALTY = -6.0          # dates, bylines, "3 min read"
MARKER_PENALTY = -30.0       # "Related articles", "Comments", "Most popular" ...
AFTER_MARKER_FACTOR = 0.25   # prose after an end marker counts this much
MARKER_MIN_PROSE = 40        # words of prose before a marker for it to end a story
REPEAT_PENALTY = -4.0        # a short line that occurs twice or more (menus)
DUP_WINDOW = 12              # prose repeated within this many lines is a caption
DUP_PENALTY = -5.0           # ... and so is a line with a photo credit
CAPTION_MAX_WORDS = 45
REPEAT_FACTOR = 0.3          # prose repeated far away (footers, teasers) counts less
CAPS_MIN_WORDS = 6           # an all-capitals line this long (not a question) is a promo link
CAPS_MAX_WORDS = 20
LINK_ROW_PIPES = 3           # "A | B | C | D" with this many separators is a link row
LINK_ROW_MAX_WORDS = 80
TABLE_SCORE = 0.5            # table rows (columns split by runs of spaces)
BOILER_DENSITY = 0.3         # share of furniture words that makes a line furniture
COHESION_MIN_LINES = 3       # prose lines in the first-pass run to judge cohesion
COHESION_FULL = 0.3          # vocabulary overlap with the story that counts fully
COHESION_FLOOR = 0.25        # factor for prose sharing no vocabulary with the story
COHESION_LIFT = 0.35         # after a "related" marker, prose this cohesive continues
BOILER_MAX_WORDS = 14        # boilerplate vocabulary only condemns short lines
LEGAL_MAX_WORDS = 60         # ... but legal notices (©, all rights reserved) longer ones
GAP_MAX_LINES = 3            # non-prose lines kept between two paragraphs (subheads)
TAIL_WALL = 2                # boilerplate lines between paragraphs that end a story ...
TAIL_MIN_SHARE = 0.5         # ... once this share of its prose words stands before them
TAIL_REST_SHARE = 0.1        # ... or spread over the last gaps when this little prose follows
SHORT_BODY_WORDS = 40        # warn below this many words of body
EMBED_MIN_WORDS = 60         # an embedded story's body has at least this many words
EMBED_LINE_WORDS = 25        # ... and starts with a line this long
EMBED_HEAD_LINES = 6         # lines above it searched for title and outlet
TEASER_HEAD = 3              # lines above a teaser summary searched for its date
TEASER_MIN_UNITS = 3         # teasers that make a list
KEY_MAX_LINES = 15           # lines under a "Key Points" heading
LEAD_MAX_PROSE = 2           # a dek is at most this many prose lines ...
LEAD_MAX_SHARE = 0.35        # ... holding at most this share of the run's words
LEAD_LINE_WORDS = 45         # a longer line above just a caption or ad is a first paragraph
LEAD_MAX_CUTS = 3            # dek, then e.g. a pull quote and dateline
SUMMARY_WINDOW = 40          # key points this close above the story are its summary
INLINE_BOX_LINES = 14        # a story-ending marker followed by at most this many headline lines ...
INLINE_BOX_PROSE = 3         # ... and then this many paragraphs in a row is an inline box
DATED_HEAD_WORDS = 8         # a schedule after the story: heading of at most this many words ...
DATED_MIN_ROWS = 3           # ... over this many adjacent lines opening with a date
DATED_ROW_WORDS = 20
COMMENT_MIN_WORDS = 5        # a reader comment has at least this many words

# --------------------------------------------------------------------------
# Vocabulary (lower case).  Small multilingual lists: cheap signals, not grammar.
# --------------------------------------------------------------------------
STOPWORDS = frozenset("""
the a an and or but of to in on at for with by from as is are was were be been
being has have had it its this that these those he she they we you i his her
their our not will would can could said which who what when there than then also
after before about into over more most some such only other so if no up out
der die das und oder aber zu im am auf für mit von aus als ist sind war waren
sein hat haben es ein eine einer einen dem den des nicht auch sich wie bei nach
um noch dass wird werden sie er wir ich
le la les et ou du des un une à au aux en dans pour par sur avec est sont était
ont que qui ne pas ce cette il elle ils se plus son sa ses
el los las y del una por para con es son fue no al lo su sus como más pero
o os as e do da dos das um em na com é são foi não ao seu sua mais
il lo gli di della che è non si per
het een van op voor met zijn niet dat die te
и в во не что он на я с со как а то все она так его но да к у же вы за бы по
только ее мне было от из ему когда даже ли если уже или быть был до там где есть
для мы их чем была сам без будет кто этот того потому этого при после над это
yang dan di ke dari ini itu dengan untuk tidak ada dalam akan pada juga adalah
""".split())

LEGAL_RE = re.compile(
    r"©|\ball\s+rights\s+reserved|\bcopyright\b|\bcookies\b|\bprivacy\s+policy|"
    r"alle\s+rechte\s+vorbehalten|tous\s+droits\s+réservés|derechos\s+reservados|"
    r"direitos\s+reservados|все\s+права\s+защищены|\bdatenschutz")   # on lower-cased text

LEGAL_HINTS = ("©", "right", "copyright", "cookie", "privacy", "rechte", "droits", "derechos", "direitos",
               "права", "datenschutz")   # cheap substrings gating LEGAL_RE (speed)

# Photo captions and credits.
CAPTION_RE = re.compile(
    r"\((?:image|photo|picture|pic|credit|foto|bild)s?\s*:[^)]*\)\s*$|\b(?:credit|photograph|photo|image|foto|bild)s?\s*:|"
    r"[(\[](?:ap|afp|reuters|getty|epa|dpa|file)\b[^)\]]{0,40}[)\]]\s*$|\.\s+(?:reuters|ap|afp|epa|dpa|getty\s+images)\s*$|"
    r"^(?:image|photo|picture|media)\s+(?:caption|copyright)\b|^video\s*:|\(ap\s+photo|\bphoto\s+by\b|getty\s+images|/\s*getty\b|\b(?:reuters|afp|ap|epa|dpa)\s*/|shutterstock|"
    r"^(?:see|read|watch|listen|also\s+read|related|more|click)(?:\s+\w+)?\s*:")   # on lower-cased text

CREDIT_TAILS = (" reuters", " ap", " afp", " epa", " dpa", " images")   # ". Reuters" closing a caption
CAPTION_HINTS = (":", "(", "/", "getty", "shutterstock", "photo", "[", "caption", "copyright")   # gate CAPTION_RE (speed)

# Whole-line furniture (matched against a short line, case-insensitive).
_BOILER_WORDS = r"""
share|shares|sharing|shared|tweet|retweet|follow|followers|subscribe|subscribed|
subscription|unsubscribe|sign\s?in|sign\s?up|log\s?in|log\s?out|login|register|
newsletters?|advertisement|advertising|advertise|sponsored|ads?|cookies?|
privacy|terms|copyright|reserved|rights|©|print|email|e-mail|facebook|twitter|
instagram|youtube|linkedin|pinterest|whatsapp|telegram|reddit|flipboard|tumblr|
vk|messenger|rss|menu|search|home|loading|views?|min\s+read|read\s+more|
continue\s+reading|click|tap|download|app|caption|close|skip|navigation|
toggle|back\s+to\s+top|top|photo|photos|image|images|video|videos|gallery|
getty|credit|source|tags?|filed|topics?|categories|category|comments?|reply|
replies|permalink|link|copy|copied|save|saved|bookmark|like|likes|
teilen|anzeige|werbung|weiterlesen|kommentare?|datenschutz|impressum|
partager|publicité|commentaires?|abonnez|compartir|publicidad|comentarios?|
compartilhar|publicidade|coment[aá]rios?|condividi|pubblicità|commenti|
поделиться|реклама|комментарии|подписаться|ссылка|скопирована|bagikan|iklan|komentar
"""
_BOILER_ALTS = re.sub(r"\s+", "", _BOILER_WORDS).split("|")
BOILER_WORDS = frozenset(a for a in _BOILER_ALTS if a.isalpha() or a == "©")   # single tokens
_BOILER_HIT = BOILER_WORDS.__contains__
BOILER_MULTI_RE = re.compile(r"\b(?:" + "|".join(a for a in _BOILER_ALTS if not (a.isalpha() or a == "©")) + r")\b")

# Phrases that condemn a short line on their own.
_BOILER_PHRASES = r"""
all\s+rights\s+reserved|share\s+(?:this|on|it|via)|follow\s+us|sign\s+up|subscribe\s+(?:to|now|for)|
privacy\s+policy|terms\s+(?:of|and)\s|cookie|copyright|©|advertisement|read\s+more|click\s+here|
newsletter|social\s+media|skip\s+to|back\s+to\s+top|log\s?in\b|sign\s+in|download\s+(?:the|our)\s+app|
(?:photo|image|picture|credit|source|foto|bild)\s*:|getty\s+images|shutterstock|
alle\s+rechte\s+vorbehalten|tous\s+droits\s+réservés|todos\s+los\s+derechos|todos\s+os\s+direitos|
все\s+права\s+защищены|lesen\s+sie\s+auch|lire\s+aussi|leia\s+também|leer\s+más|baca\s+juga|
читайте\s+также|ссылка\s+скопирована|(?:requires|enable)\s+javascript|\[/\w+\]
"""
BOILER_PHRASE_RE = re.compile(re.sub(r"\s+", "", _BOILER_PHRASES))   # on lower-cased text

# Newsletter / sign-up form text: furniture even as a full sentence.
FORM_RE = re.compile(
    r"\b(?:subscribe|sign\s+up|register)\s+(?:to|for)\s+(?:our|the)\s+(?:\w+\s+){0,2}(?:newsletters?|mailing\s+list)|"
    r"\bsucc?ess?fully\s+subscribed|\b(?:activate|confirm)\s+your\s+(?:subscription|email)|"
    r"\bnewsletters?\b.{0,40}\b(?:inbox|sign\s+up|subscribe)|\bunsubscribe\s+at\s+any\s+time")   # lower-cased
FORM_HINTS = ("subscri", "newsletter", "sign up", "register", "mailing")
FORM_MAX_WORDS = 40

# Furniture that also sits inside stories (ads, photo credits, "read more" links).
INLINE_FURNITURE_RE = re.compile(
    r"advertis|\bads?\b|anzeige|werbung|publicid|publicité|pubblicità|реклама|iklan|read\s+more|"
    r"image|photo|picture|foto|bild|credit|caption|getty|shutterstock|video")   # lower-cased

# Headings after which nothing is story: author boxes ("About Jane Doe").
AUTHOR_MARKER_RE = re.compile(
    r"^\W*(?:(?i:about\s+the\s+authors?|about\s+me|об\s+авторе|tentang\s+penulis|explore\s+further)|"
    r"(?i:about|über|sobre|à\s+propos\s+de|a\s+proposito\s+di)"
    r"\s+[A-ZÀ-Ý]\w+(?:\s+[A-ZÀ-Ý]\w+){0,2})\W*$")

# Headings of a summary box above the story ("Key Points", "Highlights").
SUMMARY_HEAD_RE = re.compile(
    r"^\W*(?:key\s+(?:points|takeaways|facts)|highlights|summary|in\s+brief|at\s+a\s+glance|tl;?dr|"
    r"das\s+wichtigste|en\s+bref|l'essentiel|resumen|resumo|главное|коротко)\b.{0,80}$", re.I)

# "Jane says:" / "John Smith replied:" -- the head of a reader comment.
COMMENT_HEAD_RE = re.compile(r"^\W*(?:\d+[.)]\s*)?[\w .'@-]{1,40}\s(?:says|said|wrote|replied|commented)\s*:?\s*$", re.I)

# Section headings that end a story (whole line, optional trailing count/colon).
_MARKERS = r"""
related|related\s+(?:articles?|stories|posts|news|content|links|coverage|topics)|
more\s+(?:from|on|stories|news|articles|in|like\s+this)\b.*|more|read\s+(?:next|also)|
also\s+read|see\s+also|you\s+(?:may|might)\s+(?:also\s+)?(?:like|be\s+interested\s+in|enjoy)|
recommended(?:\s+(?:for\s+you|stories|articles|reading))?|most\s+(?:popular|read|viewed|shared)|
popular(?:\s+(?:now|posts|stories|articles))?|most\s+(?:popular|read|viewed|shared)\s+(?:in|on|from|this)\b.*|trending(?:\s+now)?|latest(?:\s+(?:news|stories|posts))?|
top\s+stories|editor'?s?\s+picks?|comments?|reader\s+comments|\d+\s+comments?|
(?:leave|post|add|write)\s+a\s+(?:comment|reply)|join\s+the\s+(?:discussion|conversation)|
discussion|about\s+the\s+authors?|share\s+this(?:\s+(?:article|story|post))?|
sources?|references|footnotes|tags|filed\s+under|
mehr\s+zum\s+thema|das\s+könnte\s+sie\s+auch\s+interessieren|lesen\s+sie\s+auch|
à\s+lire\s+aussi|lire\s+aussi|sur\s+le\s+même\s+sujet|noticias\s+relacionadas|
te\s+puede\s+interesar|leia\s+(?:também|mais)|veja\s+também|leggi\s+anche|
читайте\s+также|похожие\s+(?:статьи|новости)|baca\s+juga|berita\s+terkait
"""
MARKER_RE = re.compile(
    r"^\W*(?:" + re.sub(r"\s+", "", _MARKERS).replace(r"\s\s", r"\s") + r")\W*(?:\(?\d+\)?)?\W*$", re.I)

COMMENT_MARKER_RE = re.compile(
    r"^\W*(?:(?:reader\s+)?comments?|\d+\s+comments?|comments?\s*\(?\d+\)?|"
    r"(?:\d+|one|two)\s+(?:responses?|repl(?:y|ies)|comments?|thoughts?)\s+(?:to|on)\b.*|"
    r"kommentare|commentaires|comentarios|comentários|commenti|комментарии|komentar)\W*$", re.I)
COMMENT_END_RE = re.compile(
    r"^\W*(?:leave\s+a\s+(?:comment|reply)|post\s+a\s+comment|add\s+a\s+comment|"
    r"write\s+a\s+comment|we\s+welcome\b.*|minimum\s+\d+\s+characters.*)\W*$", re.I)

_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
           r"januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|"
           r"juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|"
           r"mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|"
           r"março|maio|junho|julho|setembro|outubro|dezembro|января|февраля|марта|апреля|мая|"
           r"июня|июля|августа|сентября|октября|ноября|декабря")
DATE_RE = re.compile(
    r"\b(?:(?:" + _MONTHS + r")\.?\s+\d{1,2}\b|\d{1,2}\.?\s+(?:" + _MONTHS + r")\b|"
    r"\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}:\d{2}|"
    r"\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago|"
    r"(?:updated|published|posted)\b)")   # on lower-cased text
AGO_RE = re.compile(r"^\W*\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago\W*$", re.I)
# "— Jane Doe (@janedoe) November 18, 2019": the signature line of an embedded tweet.
TWEET_SIG_RE = re.compile(r"^[—–-]\s*[^()]{1,80}\(@\w{1,30}\)\s+\S.{0,30}\d{4}\s*$")
# "LONDON (AP) — ...", "WASHINGTON -- ...": a story's first paragraph.
DATELINE_RE = re.compile(r"^[A-ZÀ-Ý]{2}[A-ZÀ-Ý.' -]{0,40}(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?\s*(?:\([\w .-]{1,20}\)\s*)?(?:—|–|--|-)\s")
BYLINE_RE = re.compile(r"^(?:by|written\s+by|von|par|por|di|от|oleh|door|av)\s+\w", re.I)
READTIME_RE = re.compile(r"^\W*\d+\s*(?:min(?:ute)?s?\.?\s+read|minutes?)\W*$", re.I)
BULLET_RE = re.compile(r"^(?:[•·▪◦●○■□►▸‣⁃∙*+\-–—]|\d{1,2}[.)])\s+")
INDENT_BULLET_RE = re.compile(r"^\s+o\s+")
BULLET_FIRST = frozenset("•·▪◦●○■□►▸‣⁃∙*+-–—0123456789")   # first characters BULLET_RE can match
SENT_END = frozenset(".!?:;\"'”’»)…。！？")
QUOTE_END = frozenset("\"'”’»")   # a closing quote ends a sentence only after punctuation
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
WORD_RE = re.compile(r"\w+")

# A photo credit closing a line ("... Jane Doe / AFP", "Name | Agency | Getty Images"): on its
# own line it makes the prose line just above a caption; at the end of a prose line, that line.
CREDIT_END_RE = re.compile(r"[|/]\s*(?:afp|reuters|ap|epa|dpa|getty(?:\s+images)?|shutterstock|xinhua|ansa|"
                           r"bloomberg|zuma\s+press|sipa)\W*$")   # on lower-cased text
CREDIT_MAX_WORDS = 8
TABLE_GAP_RE = re.compile(r"\S(?:\t|\s{2,})\S")

# Token gates: a pattern can only match a line holding one of these tokens.
DIGIT_RE = re.compile(r"\d")
# First words of section markers (MARKER_RE, AUTHOR_MARKER_RE, COMMENT_MARKER_RE).
_MARKER_FIRST = frozenset("""related more read also see you recommended most popular trending latest top editor
editors comments comment reader leave post add write join discussion about share sources source references
footnotes tags filed mehr das lesen à lire sur noticias te leia veja leggi читайте похожие baca berita über
sobre a об tentang explore one two kommentare commentaires comentarios comentários commenti комментарии
komentar""".split())
_KEY_HEAD_FIRST = frozenset("key highlights summary in at tl tldr das en l resumen resumo главное коротко".split())
_DATE_WORDS = frozenset("updated published posted".split())
_COMMENT_VERBS = frozenset("says said wrote replied commented".split())
_LEGAL_WORDS = frozenset("all rights copyright cookies privacy rechte droits derechos direitos права".split())
_FORM_WORDS = frozenset("subscribe sign register successfully sucessfully succesfully sucesfully activate "
                        "confirm newsletter newsletters unsubscribe".split())
_PHRASE_WORDS = frozenset("""all share follow sign subscribe privacy terms cookie cookies copyright advertisement
read click newsletter newsletters social skip back log login download getty shutterstock alle tous todos
все lesen lire leia leer baca читайте ссылка requires enable javascript""".split())
_MULTI_WORDS = frozenset("""signin signup sign login logout log newsletter newsletters ad ads cookie cookies e mail
view views min read continue back tag tags topic topics comment comments kommentar kommentare commentaire
commentaires comentario comentarios comentário comentários""".split())

# kinds
EMPTY, PROSE, SHORT, ITEM, BOILER, META, MARKER, TABLE, DUP, KEY = range(10)
FURNITURE = (BOILER, META, MARKER, DUP, KEY)   # furniture kinds (kept for callers)
LEAD_BREAKS = (BOILER, META, DUP, KEY)   # kinds that set a dek off from the story (an inline
                                         # "More:" box after two paragraphs does not)


@dataclass
class Page:
    """A text dump split into story and furniture.

    ``lines`` are the dump's lines (``\\n``-split after newline normalisation);
    ``body_start``/``body_end`` index the first and one-past-last line of the
    story in ``lines`` (None when no story was found), so metadata extraction
    can look at what stands just before and after it.
    """

    lines: list[str]
    body: str = ""
    body_start: int | None = None
    body_end: int | None = None
    summary: str | None = None
    comments: list[str] = field(default_factory=list)
    embedded_articles: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Line:
    """Features of one dump line."""

    text: str            # stripped source line
    core: str            # text without a leading bullet
    low: str             # core, lower-cased (furniture patterns match this)
    words: float         # \w+ tokens, CJK characters counted as half words
    stop: float          # share of stopword tokens
    ends: bool           # ends like a sentence
    bullet: bool
    kind: int = EMPTY
    score: float = 0.0
    toks: tuple = ()     # \w+ tokens of ``low``
    cjk: bool = False    # holds CJK characters
    content: set | None = None   # content words (cohesion), filled lazily; never mutated
    credit: bool = False # ends with a photo credit ("... / AFP")
    key_head: bool = False   # a "Key Points" heading

    def copy(self) -> "_Line":
        return _Line(self.text, self.core, self.low, self.words, self.stop, self.ends, self.bullet,
                     self.kind, self.score, self.toks, self.cjk, self.content, self.credit, self.key_head)


_EMPTY_LINE = _Line("", "", "", 0, 0.0, False, False)
_STOP_HIT = STOPWORDS.__contains__


def _features(raw: str) -> _Line:
    """Measure one line (no context)."""
    text = raw.strip()
    if not text:
        return _EMPTY_LINE
    m = BULLET_RE.match(text) if text[0] in BULLET_FIRST else None
    if m is None and raw[0].isspace() and text[0] == "o" and INDENT_BULLET_RE.match(raw):
        m = re.match(r"o\s+", text)
    core = text[m.end():].strip() if m else text
    low = core.lower()
    toks = WORD_RE.findall(low)
    cjk = 0 if core.isascii() else len(CJK_RE.findall(core))
    words = len(toks) + (cjk / 2 if cjk > 4 else 0)
    stop = sum(map(_STOP_HIT, toks)) / len(toks) if toks else 0.0
    ends = bool(core) and core[-1] in SENT_END
    if ends and core[-1] in QUOTE_END and len(core) > 1 and core[-2] not in SENT_END:
        ends = False   # a headline ending in a quoted title: 'on Making Ken Burns' 'Country Music''
    return _Line(text, core, low, words, stop, ends, bool(m), EMPTY, 0.0, toks, cjk > 0)


def _is_prose(f: _Line) -> bool:
    """Sentence-like enough to be story text when its neighbours agree: ends
    like a sentence, or is long; headlines and link texts usually do neither."""
    if f.words < PROSE_MIN_WORDS:
        return False
    if f.bullet and f.words < BULLET_PROSE_WORDS and not f.core.endswith((".", "!", "?", "。")):
        return False
    if f.ends or any(ch in f.core for ch in "。，"):
        return True
    return f.words >= PROSE_LONG_WORDS or (f.words >= PROSE_MID_WORDS and f.stop >= PROSE_MIN_STOP)


def _classify(f: _Line) -> None:
    """Set kind and stand-alone score of a line.  Cheap gates (word counts,
    token-set and substring tests) decide which patterns are worth running."""
    if not f.text:
        f.kind, f.score = EMPTY, 0.0
        return
    core, low, words, toks = f.core, f.low, f.words, f.toks
    f.credit = ("/" in low or "|" in low) and CREDIT_END_RE.search(low) is not None
    f.key_head = (words <= 12 and bool(toks) and toks[0] in _KEY_HEAD_FIRST
                  and SUMMARY_HEAD_RE.match(core) is not None)
    if words <= 16 and toks and (toks[0].rstrip("0123456789") in _MARKER_FIRST or toks[0].isdigit()):
        if (words <= 8 and (MARKER_RE.match(core) or AUTHOR_MARKER_RE.match(core))
                or COMMENT_MARKER_RE.match(core)):
            f.kind, f.score = MARKER, MARKER_PENALTY
            return
    if "(@" in core and TWEET_SIG_RE.match(f.text):
        f.kind, f.score = SHORT, SHORT_PENALTY    # an embedded tweet's signature: part of the story
        return
    if words <= 8 and not _COMMENT_VERBS.isdisjoint(toks) and COMMENT_HEAD_RE.match(core):
        f.kind, f.score = META, META_PENALTY
        return
    if words <= 20:
        dated = DIGIT_RE.search(low) or not _DATE_WORDS.isdisjoint(toks)
        byline = BYLINE_RE.match(core)
        if ((words <= 10 and ((dated and (AGO_RE.match(core) or READTIME_RE.match(core)
                                          or (f.stop < 0.3 and DATE_RE.search(low))))
                              or (byline and words <= 6)))
                or ((byline or (toks and toks[0] in _DATE_WORDS)) and dated and DATE_RE.search(low))):
            f.kind, f.score = META, META_PENALTY
            return
    if _boilerish(f):
        f.kind, f.score = BOILER, BOILER_PENALTY
        return
    if ("  " in core or "\t" in core) and len(TABLE_GAP_RE.findall(core)) >= 2 and DIGIT_RE.search(core):
        f.kind, f.score = TABLE, TABLE_SCORE
        return
    if (words <= CAPTION_MAX_WORDS
            and (":" in low or "(" in low or "/" in low or "getty" in low or "shutterstock" in low or "photo" in low
                 or "[" in low or "caption" in low or "copyright" in low or low.endswith(CREDIT_TAILS))
            and CAPTION_RE.search(low)):
        f.kind, f.score = DUP, DUP_PENALTY
        return
    if words <= LINK_ROW_MAX_WORDS and core.count(" | ") >= LINK_ROW_PIPES:
        f.kind, f.score = ITEM, LIST_PENALTY      # "A | B | C | D": a row of links
        return
    if CAPS_MIN_WORDS <= words <= CAPS_MAX_WORDS and core.isupper() and not core.endswith("?"):
        f.kind, f.score = DUP, DUP_PENALTY        # "GET THE APP BY CLICKING HERE": a promo link, not a subhead
        return
    if _is_prose(f):
        f.kind = PROSE
        f.score = min(words, LINE_SCORE_CAP) - PROSE_OFFSET
        return
    if f.bullet:
        f.kind, f.score = ITEM, LIST_PENALTY
    else:
        f.kind, f.score = SHORT, SHORT_PENALTY


def _boilerish(f: _Line) -> bool:
    """Short line made of furniture vocabulary (share, subscribe, ...), or a
    legal notice of any reasonable length."""
    words = f.words
    if words > LEGAL_MAX_WORDS:
        return False
    if is_promo(f.core):
        return True            # site banners and promos ("An official website of ...")
    low, toks = f.low, f.toks
    copy = "©" in low
    if (copy or not _LEGAL_WORDS.isdisjoint(toks) or "datenschutz" in low) and LEGAL_RE.search(low):
        return True
    if words <= FORM_MAX_WORDS and not _FORM_WORDS.isdisjoint(toks) and FORM_RE.search(low):
        return True
    if words > BOILER_MAX_WORDS:
        return False
    if ((copy or not _PHRASE_WORDS.isdisjoint(toks) or ":" in low or "[/" in low or "sign" in low or "advertis" in low
         or "cookie" in low or "newsletter" in low) and BOILER_PHRASE_RE.search(low)):
        return not (words >= 10 and f.ends and f.stop >= 0.3)
    hits = sum(map(_BOILER_HIT, toks)) + copy
    if words >= 2 and not hits and not _MULTI_WORDS.isdisjoint(toks):
        hits = len(BOILER_MULTI_RE.findall(low))
    if not hits:
        return False
    return words <= 3 or hits / max(words, 1) >= BOILER_DENSITY


def _best_run(scores: list[float]) -> tuple[int, int, float]:
    """Max-subarray (Kadane): (start, end_exclusive, sum) of the best run."""
    best, best_s, best_e = 0.0, 0, 0
    cur, cur_s = 0.0, 0
    for i, s in enumerate(scores):
        if cur <= 0:
            cur, cur_s = 0.0, i
        cur += s
        if cur > best:
            best, best_s, best_e = cur, cur_s, i + 1
    return best_s, best_e, best


def split_lines(text: str) -> list[str]:
    """Dump lines after newline normalisation (\\r\\n and \\r become \\n)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# Stand-alone features of each distinct line, shared across pages: a site's
# menus and footers recur on all its pages.  Cleared when it grows too big.
_LINE_CACHE: dict[str, _Line] = {}
LINE_CACHE_SIZE = 200_000


def clean_page(text: str) -> Page:
    """Split a text dump into the story body (paragraphs joined by a blank line,
    exact source text) and the furniture around it."""
    # promos and site banners are never story text: blanked (indices kept), so a story
    # interrupted by "Follow X on Google News" reads on past it
    lines = join_wrapped_lines(["" if is_promo(ln) else ln for ln in split_lines(text or "")])
    page = Page(lines=lines)
    feats: list[_Line] = []
    memo = _LINE_CACHE                   # menus and footers repeat: measure each text once
    if len(memo) > LINE_CACHE_SIZE:
        memo.clear()
    seen: dict[str, list[int]] = {}
    for i, raw in enumerate(lines):
        f = memo.get(raw)
        if f is None:
            f = memo[raw] = _features(raw)
            if f.text:
                _classify(f)
        feats.append(f)                  # shared with the cache: context edits go through _relabel
        if f.text:
            s = seen.get(f.core)
            if s is None:
                seen[f.core] = [i]
            else:
                s.append(i)
    for idx in seen.values():
        if len(idx) < 2:
            continue
        for n, i in enumerate(idx):
            f = feats[i]
            if f.kind in (SHORT, ITEM) and not (f.kind == SHORT and _isolated(feats, i)):
                _relabel(feats, i, f.kind, min(f.score, REPEAT_PENALTY))
            elif f.kind == PROSE and any(0 < abs(i - j) <= DUP_WINDOW for j in idx):
                _relabel(feats, i, DUP, DUP_PENALTY)
            elif f.kind == PROSE:
                _relabel(feats, i, PROSE, f.score * REPEAT_FACTOR)
    for i, f in enumerate(feats):
        if f.kind == SHORT and f.words >= 2 and _isolated(feats, i):
            _relabel(feats, i, SHORT, ISOLATED_PENALTY)
    _mark_captions(feats)
    _mark_teasers(feats)
    _mark_key_points(feats)

    start, end, total = _best_run(_scores(feats, None))
    if total > 0:
        coh = _cohesion(feats, start, end)
        if coh is not None:
            start, end, total = _best_run(_scores(feats, coh, start))
    keep = _select(feats, start, end) if total > 0 else []
    keep = _trim_tail(feats, keep)
    keep, dek = _trim_lead(feats, keep)
    if not keep:
        page.warnings.append("no story found")
        return page
    page.body_start, page.body_end = keep[0], keep[-1] + 1
    page.body = "\n\n".join(feats[i].text for i in keep)
    if sum(feats[i].words for i in keep) < SHORT_BODY_WORDS:
        page.warnings.append("body very short")
    page.summary = _summary(feats, page.body_start, dek)
    page.comments = _comments(feats, page.body_end)
    page.embedded_articles = _embedded(feats, page.body_end)
    return page


def _content(f: _Line) -> set:
    """Content words of a line (lower case, 4+ letters, not stopwords)."""
    if f.content is None:
        f.content = {t for t in set(f.toks) - STOPWORDS if len(t) >= 4 and not t.isdigit()}
    return f.content


def _cohesion(feats: list[_Line], start: int, end: int) -> list[float] | None:
    """Per line: share of its content words found in the other prose lines of
    the run [start, end) -- story paragraphs share names and topic words,
    teasers, ads and other stories mostly do not.  None when the run is too
    small to judge."""
    sets = [(_content(f) if f.kind == PROSE and not f.cjk else None) for f in feats]
    inside = [i for i in range(start, end) if sets[i]]
    if len(inside) < COHESION_MIN_LINES:
        return None
    vocab = Counter(chain.from_iterable(sets[i] for i in inside))
    shared = {w for w, c in vocab.items() if c >= 2}      # found in another line of the run
    out = []
    for i, ws in enumerate(sets):
        if not ws:
            out.append(1.0)
        elif start <= i < end:
            out.append(len(ws & shared) / len(ws))
        else:
            out.append(len(ws & vocab.keys()) / len(ws))
    return out


def _scores(feats: list[_Line], coh: list[float] | None, core: int = 0) -> list[float]:
    """Line scores in context.

    First pass (``coh`` None): prose after a reader-comments heading is
    discounted.  Second pass: prose is weighted by its cohesion with the
    first-pass story, and prose after any story-ending marker met past the
    story's start (``core``) is discounted unless it clearly continues the
    story's topic (inline "Related" boxes).
    """
    scores, prose_seen, ended, comments = [], 0.0, False, False
    for i, f in enumerate(feats):
        s = f.score
        if f.kind == PROSE:
            c = coh[i] if coh is not None else 1.0
            if coh is not None:
                s *= COHESION_FLOOR + (1 - COHESION_FLOOR) * min(1.0, c / COHESION_FULL)
            if comments or (ended and c < COHESION_LIFT):
                s *= AFTER_MARKER_FACTOR
            elif i >= core:
                prose_seen += f.words
        elif f.kind == MARKER and prose_seen >= MARKER_MIN_PROSE and not f.bullet:
            if COMMENT_MARKER_RE.match(f.core) or AUTHOR_MARKER_RE.match(f.core):
                comments = True
            elif coh is not None and not _inline_box(feats, i):
                ended = True
        scores.append(s)
    return scores


def _inline_box(feats: list[_Line], i: int) -> bool:
    """A "Related" / "Most read" box set inside the story: after the marker at
    line i only headline-like lines (no dates, bylines or furniture) before
    the story's paragraphs resume, INLINE_BOX_PROSE of them in a row."""
    n, j, lines = len(feats), i + 1, 0
    while j < n and feats[j].kind != PROSE:
        k = feats[j].kind
        if k != EMPTY:
            if k not in (SHORT, ITEM, MARKER, DUP) or lines >= INLINE_BOX_LINES:
                return False
            lines += 1
        j += 1
    run = 0
    while j < n and run < INLINE_BOX_PROSE:
        k = feats[j].kind
        if k == PROSE:
            run += 1
        elif k != EMPTY:
            break
        j += 1
    return run >= INLINE_BOX_PROSE


def _select(feats: list[_Line], start: int, end: int) -> list[int]:
    """Indices of body lines inside the run [start, end).

    The run's prose lines are kept; the non-prose lines between two of them
    (a "gap") are kept when they look like part of the story: a subhead or
    two, a table, or a list the previous line introduces with a colon.  Gaps
    holding a section marker ("Most read ...") are inserts and dropped, as are
    furniture lines anywhere.  A list introduced by the last paragraph is kept.
    """
    prose = [i for i in range(start, end) if feats[i].kind == PROSE]
    if not prose:
        return []
    keep = []
    for a, b in zip(prose, prose[1:] + [None]):
        keep.append(a)
        intro = feats[a].core.endswith(":")
        if b is None:
            if not intro:
                j = a + 1
                while feats[a].bullet and j < len(feats) and feats[j].bullet and feats[j].kind in (ITEM, SHORT):
                    keep.append(j)      # the rest of a bullet list the story ends in
                    j += 1
                keep.extend(_dated_list(feats, j))
                break
            b = _list_end(feats, a + 1)
        gap = [j for j in range(a + 1, b) if feats[j].kind != EMPTY]
        if not gap or any(feats[j].kind == MARKER for j in gap):
            continue
        body_kinds = (SHORT, ITEM, TABLE, META) if intro else (SHORT, ITEM, TABLE)
        inner = [j for j in gap if feats[j].kind in body_kinds]
        if intro or len(inner) <= GAP_MAX_LINES or all(feats[j].kind == TABLE for j in inner):
            keep.extend(inner)
    return sorted(keep)


def _trim_tail(feats: list[_Line], keep: list[int]) -> list[int]:
    """Cut the body at a wall of furniture (a share bar, a sign-up form: two
    or more boilerplate lines between two paragraphs) once most of the
    story's text stands before it: what follows is the site's, not the
    story's, even when it shares the story's vocabulary."""
    prose = [i for i in keep if feats[i].kind == PROSE]
    total = sum(feats[i].words for i in prose)
    gaps = [sum(_wall(feats[j]) for j in range(a + 1, b)) for a, b in zip(prose, prose[1:])]
    rest = [0] * len(gaps)          # walls in this gap and all later ones
    acc = 0
    for k in range(len(gaps) - 1, -1, -1):
        acc += gaps[k]
        rest[k] = acc
    seen = 0.0
    for k, (a, walls) in enumerate(zip(prose, gaps)):
        seen += feats[a].words
        if seen < TAIL_MIN_SHARE * total:
            continue
        # one wall, then a tail of short sign-up / promo lines with another wall in it
        if walls >= TAIL_WALL or (walls and rest[k] >= TAIL_WALL and total - seen <= TAIL_REST_SHARE * total):
            return [i for i in keep if i <= a]
    return keep


def _wall(f: _Line) -> int:
    """How much a line between two paragraphs separates them: a section
    heading 2, page boilerplate (share, sign-up, legal) 1, but not the inserts
    found inside stories (ads, "read more", photo credits)."""
    if f.kind == MARKER:
        return 0 if f.bullet else 2
    if f.kind != BOILER or INLINE_FURNITURE_RE.search(f.low):
        return 0
    return 1


def _dated_list(feats: list[_Line], i: int) -> list[int]:
    """A heading and a list of dated lines just after the story's last
    paragraph ("Tour Dates" / "June 9 – Tampa, FL @ ..."), one line each with
    no blank lines between: a schedule that belongs to the story.  Returns
    their indices (empty when there is none)."""
    n = len(feats)
    while i < n and feats[i].kind == EMPTY:
        i += 1
    if i >= n or feats[i].kind != SHORT or feats[i].words > DATED_HEAD_WORDS:
        return []
    head, j = i, i + 1
    while j < n and feats[j].kind == EMPTY:
        j += 1
    rows = []
    while (j < n and feats[j].kind in (SHORT, ITEM, META) and feats[j].words <= DATED_ROW_WORDS
           and DATE_RE.match(feats[j].low)):
        rows.append(j)
        j += 1
    return [head] + rows if len(rows) >= DATED_MIN_ROWS else []


def _list_end(feats: list[_Line], i: int) -> int:
    """End of the list that starts at line i (stops at furniture or a gap of
    two blank lines)."""
    blank = 0
    n = len(feats)
    last = i
    while i < n:
        f = feats[i]
        if f.kind == EMPTY:
            blank += 1
            if blank >= 2:
                break
        elif f.kind in (SHORT, ITEM, TABLE, META):
            blank, last = 0, i + 1
        else:
            break
        i += 1
    return last


def _isolated(feats: list[_Line], i: int) -> bool:
    """Line i stands alone between blank lines -- a subhead or label set as
    its own paragraph; menus and link lists come as runs of adjacent lines."""
    n = len(feats)
    return 0 < i < n - 1 and feats[i - 1].kind == EMPTY and feats[i + 1].kind == EMPTY


def _relabel(feats: list[_Line], i: int, kind: int, score: float) -> _Line:
    """Give line i a new kind and score in context: lines are shared with the
    cache (and repeated lines with each other), so the page gets its own copy."""
    g = feats[i].copy()
    g.kind, g.score = kind, score
    feats[i] = g
    return g


def _mark_captions(feats: list[_Line]) -> None:
    """A prose line directly above a short photo-credit line is a caption."""
    prev = None
    for i, f in enumerate(feats):
        if f.kind == EMPTY:
            continue
        credit = f.credit
        if credit and f.kind == PROSE:
            f = _relabel(feats, i, DUP, DUP_PENALTY)
        elif credit and prev is not None and f.words <= CREDIT_MAX_WORDS and "(" not in f.low:
            _relabel(feats, prev, DUP, DUP_PENALTY)
        prev = i if f.kind == PROSE and f.words <= 2 * CAPTION_MAX_WORDS else None


def _mark_teasers(feats: list[_Line]) -> None:
    """Teaser lists -- title, author, date, one summary paragraph, repeated: a
    lone prose line (no prose right after it) with a date or byline among the
    few lines just above it.  Three or more such units make a list, whose
    summaries are furniture."""
    nonempty = [i for i, f in enumerate(feats) if f.kind != EMPTY]
    units = []
    for n, i in enumerate(nonempty):
        f = feats[i]
        if f.kind != PROSE:
            continue
        if n + 1 < len(nonempty) and feats[nonempty[n + 1]].kind == PROSE:
            continue
        head = [feats[j] for j in nonempty[max(0, n - TEASER_HEAD):n]]
        if (any(h.kind == META for h in head) and any(h.kind in (SHORT, ITEM) for h in head)
                and not any(h.kind == PROSE for h in head[-2:])):
            units.append(i)
    if len(units) < TEASER_MIN_UNITS:
        return
    for i in units:
        _relabel(feats, i, DUP, DUP_PENALTY)


def _mark_key_points(feats: list[_Line]) -> None:
    """A "Key Points" / "Highlights" heading and the bullets or lines under it
    (up to a blank line after the first item) are a summary box, not story."""
    n = len(feats)
    for i, f in enumerate(feats):
        if not f.key_head:
            continue
        _relabel(feats, i, KEY, META_PENALTY)
        j, items = i + 1, 0
        while j < n and j <= i + KEY_MAX_LINES:
            g = feats[j]
            if g.kind == EMPTY:
                # a blank line ends the box unless it sits inside a bullet list
                if items and not (feats[j - 1].bullet and j + 1 < n and feats[j + 1].bullet):
                    break
            elif g.bullet or (items == 0 and g.kind == PROSE):
                _relabel(feats, j, KEY, 0.0)
                items += 1
            else:
                break
            j += 1


def _trim_lead(feats: list[_Line], keep: list[int]) -> tuple[list[int], list[int]]:
    """Drop a dek / standfirst from the head of the story: up to
    LEAD_MAX_PROSE prose lines followed by furniture (dateline, byline, date,
    read time, caption) before the bulk of the text.  Returns (body, dek)."""
    dek: list[int] = []
    total = sum(feats[i].words for i in keep if feats[i].kind == PROSE)
    for _ in range(LEAD_MAX_CUTS):
        prose = [i for i in keep if feats[i].kind == PROSE]
        cut = None
        for k in range(min(LEAD_MAX_PROSE, len(prose) - 1)):
            a, b = prose[k], prose[k + 1]
            kinds = {feats[j].kind for j in range(a + 1, b)}
            if not kinds.isdisjoint(LEAD_BREAKS):
                cut = k
                break
        if cut is None:
            break
        head = prose[:cut + 1]
        words = sum(feats[i].words for i in head)
        if words > LEAD_MAX_SHARE * total:
            break
        # a long line, or two lines, followed only by a photo caption or an ad label are the
        # story's first paragraphs; so is a line opening with a dateline ("LONDON (AP) --")
        if kinds.isdisjoint((META, KEY)) and (len(head) > 1 or any(feats[i].words > LEAD_LINE_WORDS for i in head)):
            break
        if any(DATELINE_RE.match(feats[i].core) for i in head):
            break
        dek.extend(i for i in keep if i <= head[-1] and feats[i].kind == PROSE)
        keep = [i for i in keep if i > head[-1]]
        while keep and feats[keep[0]].kind != PROSE:
            keep.pop(0)
    return keep, dek


def _summary(feats: list[_Line], body_start: int, dek: list[int]) -> str | None:
    """Dek / standfirst lines cut from the story's head plus a key-points box
    shown shortly before the story; pull quotes are left out."""
    lo = max(0, body_start - SUMMARY_WINDOW)
    idx = set(i for i in dek if not _pull_quote(feats[i]))
    idx.update(i for i in range(lo, body_start) if feats[i].kind == KEY and feats[i].words >= 2
               and not SUMMARY_HEAD_RE.match(feats[i].core))
    if not idx:
        return None
    return "\n\n".join(feats[i].core for i in sorted(idx))


def _pull_quote(f: _Line) -> bool:
    """A short quoted line ("... - Name") set off above the story."""
    return f.core[:1] in "\"“'«„" and f.words < 20


def _comments(feats: list[_Line], body_end: int) -> list[str]:
    """Reader comments after the story: prose lines following a comments
    heading, minus commenter names/initials and the form's own prompts."""
    n = len(feats)
    i = body_end
    while i < n and not (feats[i].kind == MARKER and COMMENT_MARKER_RE.match(feats[i].core)):
        i += 1
    out: list[str] = []
    for j in range(i + 1, n):
        f = feats[j]
        if f.kind == MARKER and not COMMENT_MARKER_RE.match(f.core) or COMMENT_END_RE.match(f.core):
            break
        if f.kind == PROSE and f.words >= COMMENT_MIN_WORDS and not _comment_prompt(f):
            out.append(f.core)
    return out


def _comment_prompt(f: _Line) -> bool:
    """Comment-form boilerplate ("Save my name...", "Please keep comments ...")."""
    return f.words <= 25 and bool(re.search(r"\bcomments?\b|\bemail\b|\bspam\b|\blog(?:ged)?\s?in\b", f.core, re.I))


def _embedded(feats: list[_Line], body_end: int) -> list[dict]:
    """Whole other stories after the story (e.g. a "Related Articles" block
    holding outlet, "8 hours ago", title and full text): each long prose run
    with a title line above it, within a related/more section."""
    n = len(feats)
    i = body_end
    while i < n and not (feats[i].kind == MARKER and not COMMENT_MARKER_RE.match(feats[i].core)):
        i += 1
    out: list[dict] = []
    j = i + 1
    while j < n:
        f = feats[j]
        if f.kind == MARKER and COMMENT_MARKER_RE.match(f.core):
            break
        if f.kind != PROSE or f.words < EMBED_LINE_WORDS:
            j += 1
            continue
        k = j
        body = []
        while k < n and (feats[k].kind in (PROSE, EMPTY)):
            if feats[k].kind == PROSE:
                body.append(feats[k].text)
            k += 1
        words = sum(len(WORD_RE.findall(b)) for b in body)
        head = [h for h in range(max(i + 1, j - EMBED_HEAD_LINES), j) if feats[h].kind != EMPTY]
        if words >= EMBED_MIN_WORDS and head:
            out.append(_embed_record(feats, head, body))
        j = k
    return out


def _embed_record(feats: list[_Line], head: list[int], body: list[str]) -> dict:
    """Title (the last headline-like line above), outlet (a "- Outlet" line or
    the line before "N hours ago", or a name repeated in the header)."""
    title = outlet = None
    for h in reversed(head):
        f = feats[h]
        if f.kind in (SHORT, PROSE, ITEM) and f.words >= 3 and not f.text.startswith(("-", "–", "—")):
            title = f.text
            break
    texts = [feats[h].text for h in head]
    for t in texts:
        m = re.match(r"^[-–—]\s*(\S.{0,60})$", t)
        if m:
            outlet = m.group(1).strip()
    if outlet is None:
        for a, b in zip(head, head[1:]):
            if AGO_RE.match(feats[b].core) and feats[a].words <= 5:
                outlet = feats[a].text
    return {"title": title, "outlet": outlet, "body": "\n\n".join(body)}
