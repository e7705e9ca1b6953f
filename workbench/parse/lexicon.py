"""The word lists and patterns the parse stage reads pages with, in one place.

Bylines, datelines, wire slugs, section ends ("Related stories", "Comments"),
copyright lines, credit lines, and the stopword lists for headline scoring and
for the language guess. ``metadata`` and ``language`` use these; ``clean`` still
holds its own lists until the extraction track's rewrite of it lands (it will
import them from here).
"""
from __future__ import annotations

import re

# --------------------------------------------------------------------------- around the story

BOILERPLATE = re.compile(
    r"\b(share|shares|tweet|follow us|subscribe|sign in|sign up|log ?in|newsletter|cookie|"
    r"advertis\w*|comments?|read more|related|copyright|all rights reserved|menu|search|"
    r"min read|views?|print|e-?mail|whatsapp|facebook|twitter|quick access|skip to)\b", re.I)
BYLINE = re.compile(r"^(?:by|written by|story by|words by|reporting by|von|par|por|di)\s+(?P<name>.+)$", re.I)
AUTHOR_LABEL = re.compile(r"^(?:author|reporter|writer|byline)\s*[:：]\s*(?P<name>.+)$", re.I)
PERSON_NAME = re.compile(r"^(?:[A-Z][\w'’.-]+|[A-Z]\.)(?:\s+(?:[A-Z][\w'’.-]+|[A-Z]\.|van|von|de|da|del|der|bin|al-[A-Z]\w+)){1,3}$")  # noqa: E501
COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\.?\s*)?(?P<name>[A-Z][\w.&' -]{1,40}?)"
                        r"(?:\s*[.,]|\s+\d{4}|\s+all rights|\s*$)", re.I)
NAME_COPYRIGHT = re.compile(r"^(?P<name>[A-Z][\w.&'-]*(?:\s[A-Z][\w.&'-]*){0,3})\s*©\s*\d{4}")
LEAD_META = re.compile(r"^\s*(?:date|published|posted|updated)\s*:?\s*\d{4}-\d\d-\d\d(?:[ T]\d\d:\d\d(?::\d\d)?)?\s+", re.I)  # noqa: E501
# "Seoul, Feb 11 (IANS) " / "SEOUL, Feb. 11 (Yonhap) -- " : a wire slug, stripped from the body.
WIRE_SLUG = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'’ /-]{1,40}?),?\s+(?P<date>(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}))"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\s*\((?P<agency>[A-Za-z][\w .&-]{1,30})\)\s*(?:[-—–:]{1,2}\s*)?")
# "MADRID — " / "SEOUL (Reuters) - " : the journalist's dateline, kept in the body.
PLACE_DASH = re.compile(r"^(?P<place>[A-Z][A-Z.'’ -]{2,30}?)(?:,\s*[A-Z][A-Za-z.]+(?:\s+(?:of\s+)?[A-Z][A-Za-z.]+){0,3})?\s*(?:\((?P<agency>[A-Za-z][\w .&-]{1,30})\)\s*)?[—–-]{1,2}\s+\S")  # noqa: E501
# A line that is only a dateline: "Seoul, Feb 11" / "Washington, 3 March".
DATELINE_LINE = re.compile(r"^(?P<place>[A-Z][A-Za-z.'’ -]{1,30}?),\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})(?:,?\s+(?P<year>(?:19|20)\d\d))?\.?$")  # noqa: E501
SECTION_END = re.compile(r"^(?:\[[^\]]*\]\s*)?(?:related|more (?:from|on|stories|news)|read (?:more|next|also)|"
                          r"recommended|popular|most (?:read|popular|viewed)|latest|you may (?:also )?like|"
                          r"see also|also read|comments?\b|reader comments|leave a (?:comment|reply)|trending)",
                          re.I)
AGENCY_LINE = re.compile(r"^[\s\-—–/|(]*(?P<name>[A-Za-z][\w .&-]{1,40}?)[\s)]*$")
CREDIT = re.compile(r"\b(photo|photos|image|images|picture|credit|getty|reuters/|afp/|ap photo|file photo|"
                     r"caption|video|watch|listen|updated|posted|published|min read|edt|est|gmt|kst|[ap]\.?m\.?)\b"
                     r"|\d{1,2}:\d\d|\s\|\s|»|›", re.I)

# --------------------------------------------------------------------------- word lists

# Function words left out when a headline's content words are compared with the body's.
HEADLINE_STOPWORDS = frozenset("""a an the of and or to in on at for with by from as is are was were be has have had
it its this that these those he she they we you i his her their our your not no but if so than then
der die das und ist von zu den le la les des et un une el los las de que y en il di che per o os um uma""".split())

# Commonest short words per language (ISO 639-1), for ``language.guess_language``.
LANGUAGE_STOPWORDS = {
    "en": "the of and to in a is that for on with as was by it at from said",
    "de": "der die und das ist nicht mit den von zu sich auf für im dem ein eine",
    "fr": "le la les des et est une un du que dans pour pas sur au avec qui",
    "es": "el la los las de que y en un una por con para se del al es",
    "it": "il di che la per un una non sono del della con le è gli nel",
    "pt": "o a os as de que e do da em um uma para com não no na",
    "nl": "de het een en van is dat op te in voor niet met zijn",
    "ru": "и в не на что с по как это из за от для он она к",
}

# Wire notes before a headline: "(LEAD)", "(2nd LD)", "(URGENT)" - neither title nor body.
WIRE_NOTE = re.compile(r"^\s*\((?:LEAD|URGENT|\d+(?:st|nd|rd|th)\s+LD|[A-Z]+\s+LD)\)\s*")
# An editor's note to subscribers on its own line: "(ATTN: ADDS comments in paras 3-4)",
# "(EDITOR'S NOTE: ...)", "(CORRECTS spelling ...)" - neither title nor body.
EDITOR_NOTE = re.compile(r"^\s*\((?:ATTN|EDITOR'?S?\s+NOTE|EDS)\s*:[^)]*\)\s*$|"
                         r"^\s*\((?:CORRECTS|UPDATES|ADDS|RECASTS|REPEATS)\b[^)]*\)\s*$", re.I)
# A byline line "- NAME IN CAPITALS" (one author per line).
DASH_BYLINE = re.compile(r"^[-–—]\s*(?P<name>[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+){1,3})$")
# Military and police ranks before a byline name ("Staff Sgt. Dana Whitfield").
RANK = re.compile(
    r"^(?:(?:Staff|Master|First|1st|Sgt\.?\s+1st|Command|Chief|Senior|Petty|Lance|Private|Army|Navy|Air|Marine)\s+)*"
    r"(?:Sgt|Sergeant|Spc|Specialist|Pfc|Pvt|Cpl|Corporal|Capt|Captain|Lt|Lieutenant|Maj|Major|Col|Colonel|"
    r"Gen|General|Adm|Admiral|Cmdr|Commander|Ens|Ensign|Officer(?:\s+\d\w+\s+Class)?|Airman|Seaman|"
    r"Mass\s+Communication\s+Specialist(?:\s+\d\w+\s+Class)?|Class)\.?"
    r"(?:\s+(?:\d\w+\s+Class|Class|Col\.|Cmdr\.))*\s+")
# A name glued to a date: "Tom HarrisFebruary 26, 2026".
NAME_GLUED_DATE = re.compile(
    r"^(?i:by\s+)?(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,4}?[a-z])(?:\s*\([^)]{1,40}\))?"
    r"(?P<date>(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)\s*\d{1,2},?\s+(?:19|20)\d\d)\b.*$")
# "via Yonhap", "according to Yonhap", "reports Yonhap news agency": the story's origin.
AGENCY_VIA = re.compile(r"\b(?:via|according\s+to|reports?|reported\s+by|citing|informs\s+via)\s+(?:the\s+)?"
                        r"(?P<name>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,2})")
# An aggregator's source line: the source glued to a date or an age ("Yahoo14-03-2025",
# "Business Insider16 hours ago").
SOURCE_GLUED_DATE = re.compile(r"^(?P<name>[A-Z][\w&.' -]{1,40}?[A-Za-z.])(?:\d{1,2}[-./]\d{1,2}[-./](?:19|20)\d\d|"
                               r"\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?)\s+ago)$")
