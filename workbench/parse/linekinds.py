"""What one line of a text dump is, on its own: prose, a short label, a list
item, boilerplate, a date/byline, a section marker, a table row, a caption.

Moved out of ``clean`` so that the line classifier (``linefeatures``) and the
page cleaner share one measurement of each line.  Every pattern is about a
kind of page furniture (share bars, legal footers, bylines, "Related" headings)
in several languages, not about any particular site.  Cheap token-set and
substring gates decide which patterns run: ``classify`` sees every distinct
line of every page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import filterfalse

from workbench.dates import MONTHS

# --------------------------------------------------------------------------
# Thresholds (words are \w+ runs; a CJK character counts as half a word)
# --------------------------------------------------------------------------
PROSE_MIN_WORDS = 8          # fewer words than this is never prose on its own
BULLET_PROSE_WORDS = 15     # a bullet line is prose if this long or a sentence
PROSE_MIN_STOP = 0.12        # unpunctuated lines need this stopword share ...
PROSE_MID_WORDS = 15         # ... and this many words
PROSE_LONG_WORDS = 25        # a line this long is prose whatever its ending
LINE_SCORE_CAP = 60          # one line's positive score is capped (blobs, embeds)
PROSE_OFFSET = 3             # subtracted from a prose line's word count
SHORT_PENALTY = -3.0         # short neutral line (title, subhead, label)
LIST_PENALTY = -4.0          # short bullet line (menus, link lists)
BOILER_PENALTY = -10.0       # share / subscribe / copyright ... lines
META_PENALTY = -6.0          # dates, bylines, "3 min read"
MARKER_PENALTY = -30.0       # "Related articles", "Comments", "Most popular" ...
DUP_PENALTY = -5.0           # ... and so is a line with a photo credit
CAPTION_MAX_WORDS = 45
CAPS_MIN_WORDS = 6           # an all-capitals line this long (not a question) is a promo link
CAPS_MAX_WORDS = 20
LINK_ROW_PIPES = 3           # "A | B | C | D" with this many separators is a link row
LINK_ROW_MAX_WORDS = 80
TABLE_SCORE = 0.5            # table rows (columns split by runs of spaces)
BOILER_DENSITY = 0.3         # share of furniture words that makes a line furniture
BOILER_MAX_WORDS = 14        # boilerplate vocabulary only condemns short lines
LEGAL_MAX_WORDS = 60         # ... but legal notices (©, all rights reserved) longer ones

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
""".split())  # noqa: SIM905

# Every alternative opens with a literal character (a word boundary before it is the look-behind
# after it, "a(?<!\w.)ll" for "\ball"), so the engine skips to those characters: the same
# matches as the "\ball|\bcopyright..." form, at a sixth of the cost.
LEGAL_RE = re.compile(
    r"©|a(?<!\w.)ll\s+rights\s+reserved|c(?<!\w.)opyright\b|c(?<!\w.)ookies\b|p(?<!\w.)rivacy\s+policy|"
    r"alle\s+rechte\s+vorbehalten|tous\s+droits\s+réservés|derechos\s+reservados|"
    r"direitos\s+reservados|все\s+права\s+защищены|d(?<!\w.)atenschutz")   # on lower-cased text


# Photo captions and credits.
CAPTION_RE = re.compile(
    r"\((?:image|photo|picture|pic|credit|foto|bild)s?\s*:[^)]*\)\s*$|\b(?:credit|photograph|photo|image|foto|bild)s?\s*:|"
    r"[(\[](?:ap|afp|reuters|getty|epa|dpa|file)\b[^)\]]{0,40}[)\]]\s*$|\.\s+(?:reuters|ap|afp|epa|dpa|getty\s+images)\s*$|"
    r"^(?:image|photo|picture|media)\s+(?:caption|copyright)\b|^video\s*:|\(ap\s+photo|\bphoto\s+by\b|getty\s+images|/\s*getty\b|\b(?:reuters|afp|ap|epa|dpa)\s*/|shutterstock|"
    r"^(?:see|read|watch|listen|also\s+read|related|more|click)(?:\s+\w+)?\s*:")   # on lower-cased text

CREDIT_TAILS = (" reuters", " ap", " afp", " epa", " dpa", " images")   # ". Reuters" closing a caption

# ``CAPTION_RE.search`` as ``caption_like``: the same alternatives, split by what each needs --
# the three anchored ones (``match``), the three opening with a bracket (one character-set
# prefix, so the engine skips to brackets; look-behinds keep which bracket each needs), and
# the rest each run only when the line holds a substring every match of it holds.  One
# 13-way alternation tried at every character was a fifth of ``classify``.
_CAPTION_START_RE = re.compile(r"(?:image|photo|picture|media)\s+(?:caption|copyright)\b|video\s*:|"
                               r"(?:see|read|watch|listen|also\s+read|related|more|click)(?:\s+\w+)?\s*:")
_CAPTION_BRACKET_RE = re.compile(
    r"[(\[](?:(?<=\()(?:image|photo|picture|pic|credit|foto|bild)s?\s*:[^)]*\)\s*$|"
    r"(?:ap|afp|reuters|getty|epa|dpa|file)\b[^)\]]{0,40}[)\]]\s*$|(?<=\()ap\s+photo)")
_CAPTION_LABEL_RE = re.compile(r"c(?<!\w.)redits?\s*:|p(?<!\w.)hotographs?\s*:|p(?<!\w.)hotos?\s*:|i(?<!\w.)mages?\s*:|"
                               r"f(?<!\w.)otos?\s*:|b(?<!\w.)ilds?\s*:")   # "\b(?:credit|...)": boundary after 1st char
_CAPTION_WIRE_END_RE = re.compile(r"\.\s+(?:reuters|ap|afp|epa|dpa|getty\s+images)\s*$")
_CAPTION_PHOTO_BY_RE = re.compile(r"\bphoto\s+by\b")
_CAPTION_GETTY_RE = re.compile(r"getty\s+images|/\s*getty\b")
_CAPTION_AGENCY_RE = re.compile(r"\b(?:reuters|afp|ap|epa|dpa)\s*/")


def caption_like(low: str) -> bool:
    """``bool(CAPTION_RE.search(low))``, computed faster (see above)."""
    return ("shutterstock" in low
            or _CAPTION_START_RE.match(low) is not None
            or (("(" in low or "[" in low) and _CAPTION_BRACKET_RE.search(low) is not None)
            or (":" in low and _CAPTION_LABEL_RE.search(low) is not None)
            or ("." in low and _CAPTION_WIRE_END_RE.search(low) is not None)
            or ("photo" in low and _CAPTION_PHOTO_BY_RE.search(low) is not None)
            or ("getty" in low and _CAPTION_GETTY_RE.search(low) is not None)
            or ("/" in low and _CAPTION_AGENCY_RE.search(low) is not None))

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
photo\s*:|image\s*:|picture\s*:|credit\s*:|source\s*:|foto\s*:|bild\s*:|getty\s+images|shutterstock|
alle\s+rechte\s+vorbehalten|tous\s+droits\s+réservés|todos\s+los\s+derechos|todos\s+os\s+direitos|
все\s+права\s+защищены|lesen\s+sie\s+auch|lire\s+aussi|leia\s+também|leer\s+más|baca\s+juga|
читайте\s+также|ссылка\s+скопирована|requires\s+javascript|enable\s+javascript|\[/\w+\]
"""
# (no alternative opens with a group: then all open with a literal, and the engine skips to those)
BOILER_PHRASE_RE = re.compile(re.sub(r"\s+", "", _BOILER_PHRASES))   # on lower-cased text

# Newsletter / sign-up form text: furniture even as a full sentence.
FORM_RE = re.compile(
    r"\b(?:subscribe|sign\s+up|register)\s+(?:to|for)\s+(?:our|the)\s+(?:\w+\s+){0,2}(?:newsletters?|mailing\s+list)|"
    r"\bsucc?ess?fully\s+subscribed|\b(?:activate|confirm)\s+your\s+(?:subscription|email)|"
    r"\bnewsletters?\b.{0,40}\b(?:inbox|sign\s+up|subscribe)|\bunsubscribe\s+at\s+any\s+time")   # lower-cased
FORM_MAX_WORDS = 40

# Headings after which nothing is story: author boxes ("About Jane Doe").
AUTHOR_MARKER_RE = re.compile(
    r"^\W*(?:(?i:about\s+the\s+authors?|about\s+me|об\s+авторе|tentang\s+penulis|explore\s+further)|"
    r"(?i:about|über|sobre|à\s+propos\s+de|a\s+proposito\s+di)"
    r"\s+[A-ZÀ-Ý]\w+(?:\s+[A-ZÀ-Ý]\w+){0,2})\W*$")

# Headings of a summary box above the story ("Key Points", "Highlights").
SUMMARY_HEAD_RE = re.compile(
    r"^\W*(?:key\s+(?:points|takeaways|facts)|highlights|summary|in\s+brief|at\s+a\s+glance|tl;?dr|"
    r"das\s+wichtigste|en\s+bref|l'essentiel|resumen|resumo|главное|коротко)\b.{0,80}$", re.IGNORECASE)

# "Jane says:" / "John Smith replied:" -- the head of a reader comment.
COMMENT_HEAD_RE = re.compile(r"^\W*(?:\d+[.)]\s*)?[\w .'@-]{1,40}\s(?:says|said|wrote|replied|commented)\s*:?\s*$",
                             re.IGNORECASE)

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
    r"^\W*(?:" + re.sub(r"\s+", "", _MARKERS).replace(r"\s\s", r"\s") + r")\W*(?:\(?\d+\)?)?\W*$", re.IGNORECASE)

COMMENT_MARKER_RE = re.compile(
    r"^\W*(?:(?:reader\s+)?comments?|\d+\s+comments?|comments?\s*\(?\d+\)?|"
    r"(?:\d+|one|two)\s+(?:responses?|repl(?:y|ies)|comments?|thoughts?)\s+(?:to|on)\b.*|"
    r"kommentare|commentaires|comentarios|comentários|commenti|комментарии|komentar)\W*$", re.IGNORECASE)
COMMENT_END_RE = re.compile(
    r"^\W*(?:leave\s+a\s+(?:comment|reply)|post\s+a\s+comment|add\s+a\s+comment|"
    r"write\s+a\s+comment|we\s+welcome\b.*|minimum\s+\d+\s+characters.*)\W*$", re.IGNORECASE)

# Month names: the one table in ``workbench.dates``, plus Russian genitive forms (dates of Russian
# pages are only recognised as date lines here, never parsed).
_RU_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
              "октября", "ноября", "декабря")
_MONTHS = "|".join(sorted(map(re.escape, (*MONTHS, *_RU_MONTHS)), key=len, reverse=True))
DATE_RE = re.compile(
    r"\b(?:(?:" + _MONTHS + r")\.?\s+\d{1,2}\b|\d{1,2}\.?\s+(?:" + _MONTHS + r")\b|"
    r"\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}:\d{2}|"
    r"\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago|"
    r"(?:updated|published|posted)\b)")   # on lower-cased text
# ``DATE_RE.search`` as ``date_like``: the alternatives opening with a digit (a word boundary
# before it as the look-behind after it, so the engine skips to digits; "\d{1,2}" as "\d\d?"),
# and the ones opening with a word, run only when that word is one of the line's tokens
# (each is a whole \w+ run: a boundary before it, "." or a space or "\b" after it).
_DATE_DIGIT_RE = re.compile(
    r"\d(?<!\w.)(?:\d?\.?\s+(?:" + _MONTHS + r")\b|\d{3}-\d{2}-\d{2}|\d?[./]\d{1,2}[./]\d{2,4}|\d?:\d{2}|"
    r"\d*\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago)")
_DATE_WORD_RE = re.compile(r"\b(?:(?:" + _MONTHS + r")\.?\s+\d{1,2}\b|(?:updated|published|posted)\b)")
_DATE_WORDS = frozenset("updated published posted".split())  # noqa: SIM905
_DATE_TOKENS = frozenset((*MONTHS, *_RU_MONTHS)) | _DATE_WORDS


def date_like(low: str, toks: list | tuple | set | frozenset) -> bool:
    """``bool(DATE_RE.search(low))``, computed faster (see above); ``toks``: the \\w+ runs of ``low``
    (or those of them in ``_DATE_TOKENS`` and others)."""
    return (_DATE_DIGIT_RE.search(low) is not None
            or (not _DATE_TOKENS.isdisjoint(toks) and _DATE_WORD_RE.search(low) is not None))


AGO_RE = re.compile(r"^\W*\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago\W*$", re.IGNORECASE)
# "— Jane Doe (@janedoe) November 18, 2019": the signature line of an embedded tweet.
TWEET_SIG_RE = re.compile(r"^[—–-]\s*[^()]{1,80}\(@\w{1,30}\)\s+\S.{0,30}\d{4}\s*$")
# "LONDON (AP) — ...", "WASHINGTON -- ...": a story's first paragraph.
DATELINE_RE = re.compile(r"^[A-ZÀ-Ý]{2}[A-ZÀ-Ý.' -]{0,40}(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?\s*"
                         r"(?:\([\w .-]{1,20}\)\s*)?(?:—|–|--|-)\s")
BYLINE_RE = re.compile(r"^(?:by|written\s+by|von|par|por|di|от|oleh|door|av)\s+\w", re.IGNORECASE)
BYLINE_FIRST = frozenset("ABDOPVWabdopvwОоᲂ")   # every character (?i) matches to b w v p d о o a: a byline's first
READTIME_RE = re.compile(r"^\W*\d+\s*(?:min(?:ute)?s?\.?\s+read|minutes?)\W*$", re.IGNORECASE)
BULLET_RE = re.compile(r"^(?:[•·▪◦●○■□►▸‣⁃∙*+\-–—]|\d{1,2}[.)])\s+")
INDENT_BULLET_RE = re.compile(r"^\s+o\s+")
BULLET_FIRST = frozenset("•·▪◦●○■□►▸‣⁃∙*+-–—0123456789")   # first characters BULLET_RE can match
SENT_END = frozenset(".!?:;\"'”’»)…。！？")
QUOTE_END = frozenset("\"'”’»")   # a closing quote ends a sentence only after punctuation
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
WORD_RE = re.compile(r"\w+")
# On an ASCII string the \w+ runs are what is left when every other character becomes a
# space: one ``bytes.translate`` by this table and a ``split`` (about 0.7 of ``findall``).
_ASCII_SPACED = bytes(c if chr(c).isascii() and (chr(c).isalnum() or chr(c) == "_") else 32 for c in range(256))
# A non-ASCII word character (\w is ``isalnum()`` or "_").  A line without one (ASCII words
# with curly quotes, dashes, bullets: most non-ASCII lines of Latin-script pages) has the
# same \w+ runs once each non-ASCII character becomes a space: ``encode``'s "?" does.
_NON_ASCII_WORD_RE = re.compile(r"[^\W\x00-\x7f]")


def tokens(low: str) -> list[str]:
    """``WORD_RE.findall(low)``, by ``bytes.translate`` and ``split`` unless ``low`` holds a
    non-ASCII word character (then the regex)."""
    if low.isascii():
        return low.encode().translate(_ASCII_SPACED).decode().split()
    if _NON_ASCII_WORD_RE.search(low) is None:
        return low.encode("ascii", "replace").translate(_ASCII_SPACED).decode().split()
    return WORD_RE.findall(low)

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
komentar""".split())  # noqa: SIM905
_KEY_HEAD_FIRST = frozenset("key highlights summary in at tl tldr das en l resumen resumo главное коротко".split())  # noqa: SIM905
_COMMENT_VERBS = frozenset("says said wrote replied commented".split())  # noqa: SIM905
_LEGAL_WORDS = frozenset("all rights copyright cookies privacy rechte droits derechos direitos права".split())  # noqa: SIM905
_FORM_WORDS = frozenset(("subscribe sign register successfully sucessfully succesfully sucesfully activate "  # noqa: SIM905
                         "confirm newsletter newsletters unsubscribe").split())
_PHRASE_WORDS = frozenset("""all share follow sign subscribe privacy terms cookie cookies copyright advertisement
read click newsletter newsletters social skip back log login download getty shutterstock alle tous todos
все lesen lire leia leer baca читайте ссылка requires enable javascript""".split())  # noqa: SIM905
_MULTI_WORDS = frozenset("""signin signup sign login logout log newsletter newsletters ad ads cookie cookies e mail
view views min read continue back tag tags topic topics comment comments kommentar kommentare commentaire
commentaires comentario comentarios comentário comentários""".split())  # noqa: SIM905
# Every token a gate of ``classify`` asks about: a line's tokens among these are found in one pass,
# and each gate asks that small set (S ∩ toks is S ∩ (this ∩ toks) for each S inside this).
_GATE_WORDS = _COMMENT_VERBS | _DATE_WORDS | _DATE_TOKENS | _LEGAL_WORDS | _FORM_WORDS | _PHRASE_WORDS | _MULTI_WORDS
_NO_TOKENS: frozenset = frozenset()

# kinds
EMPTY, PROSE, SHORT, ITEM, BOILER, META, MARKER, TABLE, DUP, KEY = range(10)
N_KINDS = 10


@dataclass(slots=True)
class Line:
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
    toks: list | tuple = ()   # \w+ tokens of ``low``
    cjk: bool = False    # holds CJK characters
    content: set | frozenset | None = None   # content words (cohesion; set by ``measure``); never mutated
    credit: bool = False # ends with a photo credit ("... / AFP")
    key_head: bool = False   # a "Key Points" heading
    vec: tuple | None = None  # stand-alone classifier features (``linefeatures``), filled lazily
    row: int = -1        # index of ``vec`` in ``linefeatures``' row table (-1: not stored there)

    def copy(self) -> Line:
        return Line(self.text, self.core, self.low, self.words, self.stop, self.ends, self.bullet,
                    self.kind, self.score, self.toks, self.cjk, self.content, self.credit, self.key_head,
                    self.vec, self.row)


EMPTY_LINE = Line("", "", "", 0, 0.0, False, False)
_STOP_HIT = STOPWORDS.__contains__
_NO_CONTENT: frozenset = frozenset()


def measure(raw: str) -> Line:
    """Measure one line (no context)."""
    text = raw.strip()
    if not text:
        return EMPTY_LINE
    m = BULLET_RE.match(text) if text[0] in BULLET_FIRST else None
    if m is None and raw[0].isspace() and text[0] == "o" and INDENT_BULLET_RE.match(raw):
        m = re.match(r"o\s+", text)
    core = text[m.end():].strip() if m else text
    low = core.lower()
    toks = tokens(low)
    cjk = 0 if core.isascii() else len(CJK_RE.findall(core))
    words = len(toks) + (cjk / 2 if cjk > 4 else 0)
    # the tokens that are not stopwords give the stopword share and the content words
    # (``Line.content``, read by ``linefeatures``: none for a CJK line) in one pass
    rest = list(filterfalse(_STOP_HIT, toks))
    stop = (len(toks) - len(rest)) / len(toks) if toks else 0.0
    ends = bool(core) and core[-1] in SENT_END
    if ends and core[-1] in QUOTE_END and len(core) > 1 and core[-2] not in SENT_END:
        ends = False   # a headline ending in a quoted title: 'on Making Ken Burns' 'Country Music''
    return Line(text, core, low, words, stop, ends, bool(m), EMPTY, 0.0, toks, cjk > 0,
                _NO_CONTENT if cjk else set(rest))


def is_prose(f: Line) -> bool:
    """Sentence-like enough to be story text when its neighbours agree: ends
    like a sentence, or is long; headlines and link texts usually do neither."""
    if f.words < PROSE_MIN_WORDS:
        return False
    if f.bullet and f.words < BULLET_PROSE_WORDS and not f.core.endswith((".", "!", "?", "。")):
        return False
    if f.ends or any(ch in f.core for ch in "。，"):
        return True
    return f.words >= PROSE_LONG_WORDS or (f.words >= PROSE_MID_WORDS and f.stop >= PROSE_MIN_STOP)


def classify(f: Line) -> None:
    """Set kind and stand-alone score of a line.  Cheap gates (word counts,
    token-set and substring tests) decide which patterns are worth running."""
    if not f.text:
        f.kind, f.score = EMPTY, 0.0
        return
    core, low, words, toks = f.core, f.low, f.words, f.toks
    gate = _GATE_WORDS.intersection(toks) if words <= LEGAL_MAX_WORDS else _NO_TOKENS   # (longer: no gate asks)
    f.credit = ("/" in low or "|" in low) and CREDIT_END_RE.search(low) is not None
    f.key_head = (words <= 12 and bool(toks) and toks[0] in _KEY_HEAD_FIRST
                  and SUMMARY_HEAD_RE.match(core) is not None)
    if (words <= 16 and toks and (toks[0].rstrip("0123456789") in _MARKER_FIRST or toks[0].isdigit())
            and (words <= 8 and (MARKER_RE.match(core) or AUTHOR_MARKER_RE.match(core))
                 or COMMENT_MARKER_RE.match(core))):
        f.kind, f.score = MARKER, MARKER_PENALTY
        return
    if "(@" in core and TWEET_SIG_RE.match(f.text):
        f.kind, f.score = SHORT, SHORT_PENALTY    # an embedded tweet's signature: part of the story
        return
    if words <= 8 and not _COMMENT_VERBS.isdisjoint(gate) and COMMENT_HEAD_RE.match(core):
        f.kind, f.score = META, META_PENALTY
        return
    if words <= 20 and ((byline := core[:1] in BYLINE_FIRST and BYLINE_RE.match(core))
                        or words <= 10 or (toks and toks[0] in _DATE_WORDS)):
        # (a longer line, no byline, no date word first: not META whether dated or not)
        dated = DIGIT_RE.search(low) or not _DATE_WORDS.isdisjoint(gate)
        if ((words <= 10 and ((dated and (AGO_RE.match(core) or READTIME_RE.match(core)
                                          or (f.stop < 0.3 and date_like(low, gate))))
                              or (byline and words <= 6)))
                or ((byline or (toks and toks[0] in _DATE_WORDS)) and dated and date_like(low, gate))):
            f.kind, f.score = META, META_PENALTY
            return
    if _boilerish(f, gate):
        f.kind, f.score = BOILER, BOILER_PENALTY
        return
    if ("  " in core or "\t" in core) and len(TABLE_GAP_RE.findall(core)) >= 2 and DIGIT_RE.search(core):
        f.kind, f.score = TABLE, TABLE_SCORE
        return
    if (words <= CAPTION_MAX_WORDS
            and (":" in low or "(" in low or "/" in low or "getty" in low or "shutterstock" in low or "photo" in low
                 or "[" in low or "caption" in low or "copyright" in low or low.endswith(CREDIT_TAILS))
            and caption_like(low)):
        f.kind, f.score = DUP, DUP_PENALTY
        return
    if words <= LINK_ROW_MAX_WORDS and core.count(" | ") >= LINK_ROW_PIPES:
        f.kind, f.score = ITEM, LIST_PENALTY      # "A | B | C | D": a row of links
        return
    if CAPS_MIN_WORDS <= words <= CAPS_MAX_WORDS and core.isupper() and not core.endswith("?"):
        f.kind, f.score = DUP, DUP_PENALTY        # "GET THE APP BY CLICKING HERE": a promo link, not a subhead
        return
    if is_prose(f):
        f.kind = PROSE
        f.score = min(words, LINE_SCORE_CAP) - PROSE_OFFSET
        return
    if f.bullet:
        f.kind, f.score = ITEM, LIST_PENALTY
    else:
        f.kind, f.score = SHORT, SHORT_PENALTY


def _boilerish(f: Line, gate: set | frozenset) -> bool:
    """Short line made of furniture vocabulary (share, subscribe, ...), or a
    legal notice of any reasonable length.  ``gate``: its tokens in ``_GATE_WORDS``."""
    words = f.words
    if words > LEGAL_MAX_WORDS:
        return False
    low, toks = f.low, f.toks
    copy = "©" in low
    if (copy or not _LEGAL_WORDS.isdisjoint(gate) or "datenschutz" in low) and LEGAL_RE.search(low):
        return True
    if words <= FORM_MAX_WORDS and not _FORM_WORDS.isdisjoint(gate) and FORM_RE.search(low):
        return True
    if words > BOILER_MAX_WORDS:
        return False
    if ((copy or not _PHRASE_WORDS.isdisjoint(gate) or ":" in low or "[/" in low or "sign" in low or "advertis" in low
         or "cookie" in low or "newsletter" in low) and BOILER_PHRASE_RE.search(low)):
        return not (words >= 10 and f.ends and f.stop >= 0.3)
    hits = sum(map(_BOILER_HIT, toks)) + copy
    if words >= 2 and not hits and not _MULTI_WORDS.isdisjoint(gate):
        hits = len(BOILER_MULTI_RE.findall(low))
    if not hits:
        return False
    return words <= 3 or hits / max(words, 1) >= BOILER_DENSITY

