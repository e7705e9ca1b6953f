"""Tests for workbench.parse.clean: seeds against hand-checked gold, the dev-set floor
with the benchmark's own metric, and edge cases on real snippets."""
from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import DEV, GOLD_PATH
from conftest import RAW as SEEDS

from workbench.evaluate.scorer import load_scorer
from workbench.parse import clean as clean_mod
from workbench.parse.clean import Page, clean_page, unit_features

GOLD = json.loads(GOLD_PATH.read_text(encoding="utf8"))
DOCS = {d["doc_id"]: d for d in GOLD["documents"]}


METRIC = load_scorer(DEV)


def _f1(gold: str, pred: str) -> float:
    r = METRIC.page_scores(gold, pred)
    p, rc = r["p"] or 0.0, r["r"] or 0.0
    return 2 * p * rc / (p + rc) if p + rc else 0.0


def _seed(doc_id: str) -> Page:
    return clean_page((SEEDS / f"{doc_id}.txt").read_text(encoding="utf8"))


def _without_prefix(gold_body: str, body: str) -> str:
    """Tolerate the metadata prefix ("date ... (IANS) ") another step strips."""
    k = body.find(gold_body[:40])
    return body[k:] if 0 < k < 200 else body


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_seed_body_matches_gold(doc_id):
    doc = DOCS[doc_id]
    page = _seed(doc_id)
    body = _without_prefix(doc["body"], page.body)
    assert _f1(doc["body"], body) >= 0.98
    for bad in doc.get("not_body") or []:
        assert bad not in body, bad
    # body paragraphs are exact source lines and the indices frame them
    assert page.body_start is not None and page.body_end > page.body_start
    paras = page.body.split("\n\n")
    assert paras[0] == page.lines[page.body_start].strip()
    assert paras[-1] == page.lines[page.body_end - 1].strip()
    assert all(p in (ln.strip() for ln in page.lines) for p in paras)


def test_seed_002_keeps_dateline_line_whole():
    page = _seed("002_13870656a1d7a076")
    assert page.body.startswith("date 2026-02-11 Seoul, Feb 11 (IANS) Senior defence officials")


def test_seed_001_summary_and_comments():
    doc = DOCS["001_6007161c3ca6bdf9"]
    page = _seed("001_6007161c3ca6bdf9")
    assert len(page.comments) == doc["reader_comments"] == 5
    assert page.comments[0].startswith("Interesting read.")
    assert not any("Sarah B" == c or "We welcome" in c for c in page.comments)
    assert page.summary is not None
    for line in doc["summary_lines"]:
        assert line in page.summary
    assert "Seoul, Feb 11" not in page.body


def test_seed_004_related_stories_are_embedded_not_body():
    doc = DOCS["004_ea56c1c4bcc3f02c"]
    page = _seed("004_ea56c1c4bcc3f02c")
    assert len(page.body.split("\n\n")) == 7
    got = [(e["title"], e["outlet"]) for e in page.embedded_articles]
    assert got == [(e["title"], e["outlet"]) for e in doc["embedded_articles"]]
    assert page.embedded_articles[0]["body"].startswith("Unification Minister Chung Dong-young said Monday")
    assert all(len(e["body"]) > 1000 for e in page.embedded_articles)


def test_dev_set_f1_floor():
    ids = [m["id"] for m in json.loads((DEV / "manifest.json").read_text(encoding="utf8"))]
    rows = []
    for pid in ids:
        text = (DEV / f"{pid}.txt").read_text(encoding="utf8")
        gold = (DEV / f"{pid}.gold.txt").read_text(encoding="utf8")
        rows.append(METRIC.page_scores(gold, clean_page(text).body))
    P, R, F, _ = METRIC.aggregate(rows)
    assert F >= 0.95, (P, R, F)


# ---- edge cases on real snippets -------------------------------------------

# Navigation cut from seed 003 (Caliber.az): menus only, no story.
MENU_ONLY = """twitter
youtube
instagram
facebook
telegram
apple store
play market
night_theme
ru
search
WHAT ARE YOU LOOKING FOR ?
Follow us on Youtube
Follow us on Youtube
WORLD
The most important world news
loading"""

# Story cut from seed 000 (BEMIL) with its header and footer.
BEMIL = """Quick access to main page (top) Direct access to main contents Quick access to main page (bottom)

U.S. and South Korea Strengthen Logistics Game Amid North Korea Threats

BEMIL Views\u00a0

ROK Joint Chiefs of Staff
ROK Joint Chiefs of Staff

South Korea\u2019s top military officer met with the commander of U.S. Transportation Command on Sunday, marking a rare high-level exchange aimed at boosting joint military transport capabilities as tensions rise on the Korean Peninsula.

Both commanders agreed that enhancing transportation readiness is critical for the timely arrival of U.S. reinforcements in a contingency scenario. They committed to expanding joint transportation drills and improving the interoperability of logistics systems across land, air, and sea.

BEMIL
CP-2023-0359@fastviewkorea.com

Comments0

300

Comments0

[Latest] Latest Stories

  \u2022 Polish Pilots Test Korea\u2019s Next-Gen KF-21 Fighter
  \u2022 South Korea Launches New Army Recruitment System for 2026
"""


def test_empty_text():
    for text in ("", "\n\n  \n"):
        page = clean_page(text)
        assert page.body == "" and page.body_start is None and page.body_end is None
        assert "no story found" in page.warnings


def test_menu_only_gives_empty_body_and_warning():
    page = clean_page(MENU_ONLY)
    assert page.body == ""
    assert page.warnings


def test_crlf_and_cr_input_give_same_body():
    lf = clean_page(BEMIL)
    crlf = clean_page(BEMIL.replace("\n", "\r\n"))
    cr = clean_page(BEMIL.replace("\n", "\r"))
    assert lf.body and crlf.body == lf.body == cr.body
    assert crlf.lines == lf.lines == cr.lines
    assert (crlf.body_start, crlf.body_end) == (lf.body_start, lf.body_end)
    assert "\r" not in crlf.body


def test_snippet_body_edges():
    page = clean_page(BEMIL)
    paras = page.body.split("\n\n")
    assert len(paras) == 2
    assert paras[0].startswith("South Korea\u2019s top military officer")
    assert "Comments0" not in page.body and "Polish Pilots" not in page.body
    assert "ROK Joint Chiefs of Staff" not in page.body


def test_short_story_is_flagged():
    text = BEMIL.split("Both commanders")[0]
    page = clean_page(text)
    assert "body very short" in page.warnings or page.body == ""


def test_line_cache_does_not_leak_between_pages():
    """Lines are cached across pages; context edits (repeats, captions, teasers)
    must not change how another page -- or the same page again -- is cleaned."""
    texts = [(SEEDS / f"{d}.txt").read_text(encoding="utf8") for d in sorted(DOCS)]
    first = [clean_page(t).body for t in texts]
    again = [clean_page(t).body for t in reversed(texts)][::-1]
    assert first == again


def test_teaser_list_after_story_is_not_body():
    story = "\n\n".join(
        f"Paragraph {k} of the story explains how the council voted on the new budget plan for the city." for k in range(6))
    teasers = "\n\n".join(
        f"Teaser headline number {k}\n\nJane Writer\nTuesday November 19, 2019\n"
        f"A different story summary {k} about budget plans and the city council that readers may like." for k in range(4))
    page = clean_page("Site menu\n\n" + story + "\n\n" + teasers + "\n")
    assert "Paragraph 5" in page.body
    assert "Teaser" not in page.body and "summary" not in page.body


# ---- general rules added in the third round (snippets cut from dev pages) ----

def _dev_snippet(prefix: str, lo: int, hi: int) -> str:
    """Lines [lo, hi) of the dev dump whose id starts with ``prefix``."""
    from workbench.parse.clean import split_lines
    ids = [m["id"] for m in json.loads((DEV / "manifest.json").read_text(encoding="utf8"))]
    pid = next(i for i in ids if i.startswith(prefix))
    return "\n".join(split_lines((DEV / f"{pid}.txt").read_text(encoding="utf8"))[lo:hi]) + "\n"


@pytest.mark.xfail(strict=True, reason="headline lines of an inline related box are kept by the line model (issue 9: known loss vs the old rules)")
def test_inline_related_box_and_schedule_after_story():
    """A "Related" box of headlines inside a story does not end it (the story
    resumes with several paragraphs); headlines ending in a quoted title are
    not sentences; a heading + dated list after the last paragraph is kept."""
    page = clean_page(_dev_snippet("ac1bfdd4", 60, 130))
    assert page.body.startswith("The Doobie Brothers will unite")
    assert "Dressed in black pants" in page.body
    assert "The band’s current tour continues" in page.body
    assert "Marty Stuart on Making" not in page.body
    assert "Lighting Up With the Stars" not in page.body
    assert "The Doobie Brothers Tour Dates" in page.body
    assert "June 17 – Nashville, TN @ Bridgestone Arena" in page.body
    assert "October 10 – Houston" in page.body


def test_tweet_signature_stays_inside_story():
    page = clean_page(_dev_snippet("3f65af7b", 205, 282))
    assert "— Dianna E. Anderson" in page.body
    assert "— Cooper Lund (@cooperlund) November 18, 2019" in page.body
    assert "Get the latest updates right in your inbox" not in page.body


def test_author_box_heading_any_case_ends_story():
    page = clean_page(_dev_snippet("ba07d1e6", 0, 80))
    assert "Dabei unterstützt die Software eZ Platform" in page.body
    assert "Über Moritz Bachmann" not in page.body
    assert "Als Inbound Sales Manager" not in page.body


def test_dateline_paragraph_is_not_a_dek():
    page = clean_page(_dev_snippet("e7994d55", 8, 60))
    assert page.body.startswith("LONDON (AP) — Britain's Conservative Party")
    assert page.summary is None or "LONDON (AP)" not in page.summary


@pytest.mark.xfail(strict=True, reason="the dek rule (_trim_lead) cuts the model's first two paragraphs here (issue 9: known loss vs the old rules)")
def test_two_paragraph_lead_before_an_ad_label_is_story_and_caps_promos_dropped():
    page = clean_page(_dev_snippet("51374560", 140, 182))
    assert "Dow component Home Depot reported third-quarter earnings" in page.body
    assert "Home Depot shares are up 39 percent" in page.body
    assert "GET FOX BUSINESS ON THE GO" not in page.body
    assert "CO-FOUNDER 'PROUD'" not in page.body


@pytest.mark.xfail(strict=True, reason="a sign-up form tail after a wall of boilerplate is kept by the line model (issue 9: known loss vs the old rules)")
def test_signup_form_tail_is_cut():
    page = clean_page(_dev_snippet("08f79376", 150, 205))
    assert page.body.split("\n\n")[-1].startswith("\"I like the fact that we lost to them")
    assert "opt-in box" not in page.body and "Thanks for signing up" not in page.body


def test_image_caption_lines_are_not_story():
    page = clean_page(_dev_snippet("70cb2d5b", 100, 182))
    assert "Image caption" not in page.body
    assert "Scooter Braun" in page.body


def test_standalone_subheads_do_not_lose_to_legal_footer():
    """A meal plan (short subhead lines set apart by blank lines between
    recipe lines) outweighs the site's legal disclaimer at the bottom."""
    page = clean_page(_dev_snippet("5f03fc17", 120, 600))
    assert page.body.startswith("If you’ve done 80 Day Obsession")
    assert "Pre-Workout Supplement" in page.body
    assert "Food and Drug Administration" not in page.body


# ---- failure shapes of pages the cleaner was never tuned on (issue 9); own-words snippets ----

HEAD = """Home
News
Defence
Logistics
Subscribe
Sign in

"""

STORY = [
    ("The army's new fuel depot near Pyeongtaek began operating on Monday, officials said, after two years of "
    "construction delayed by a shortage of steel and skilled welders."),
    ("The depot can hold enough diesel to supply an armoured brigade for a month, and it is linked by pipeline "
    "to the port, so tankers no longer have to queue at the pier during exercises."),
    ("Planners on both sides said the site would shorten the time needed to refuel units arriving from overseas "
    "in a crisis, which has long been a weak point of the alliance's logistics."),
]

COMMENTS = [
    ("I drove past that site last spring and the trucks were lined up all the way down the road, so this is "
    "overdue in my opinion and I hope they build another one further south before long."),
    ("Pipelines are great until someone cuts one. I would like to know what the backup plan is if the line to "
    "the port is damaged, because trucks alone will not keep a brigade moving for very long at all."),
    ("My brother worked on the welding crew there and he says the delays were mostly paperwork, not steel. "
    "Either way it is good news that it is finally open and the soldiers can use it now."),
    ("Does anyone know whether the navy can use the same pipeline for its ships, or is it only for the army? "
    "That would make a big difference for how useful it really is in a real emergency situation."),
    ("Two years for a fuel tank farm seems slow compared with what private companies manage, but military "
    "projects always take longer because of the security reviews and the many inspections involved."),
]


def _page(*blocks: str) -> str:
    return "\n\n".join(blocks) + "\n"


def test_short_story_beats_a_longer_comment_block():
    text = HEAD + _page("New fuel depot opens near Pyeongtaek", "By Min-ji Park", *STORY,
                        "Comments", *COMMENTS, "Leave a comment")
    page = clean_page(text)
    assert all(p in page.body for p in STORY)
    assert not any(c in page.body for c in COMMENTS)
    assert page.comments == COMMENTS


def test_story_after_an_early_comments_link_is_not_filed_away():
    """A promo blurb and a comment-count link above the story must not make
    the story itself look like reader comments."""
    promo = ("Our weekly briefing brings you the most important defence stories from across the region, "
             "with analysis from our correspondents, every Friday morning in your inbox.")
    text = HEAD + _page(promo, "12 Comments", "New fuel depot opens near Pyeongtaek", *STORY, "Related",
                        "Navy tests new tug boats", "Airlift wing gets new hangar")
    page = clean_page(text)
    assert all(p in page.body for p in STORY)
    assert promo not in page.body
    assert "Navy tests new tug boats" not in page.body


def test_story_under_a_comments_link_beats_a_weak_block_above_it():
    """A comment-count link below a sign-up promo long enough to pass for a
    story's end: the story under the link is still the body (safety net),
    because the promo is much weaker prose."""
    promo = [("Our weekly briefing brings you the most important defence stories from across the region, with "
             "analysis from our correspondents, every Friday morning in your inbox."),
             ("Sign up today and get three months of premium access for free, including our archive of maps, "
             "charts and interviews with commanders.")]
    text = HEAD + _page(*promo, "12 Comments", "New fuel depot opens near Pyeongtaek", *STORY)
    units, _ = unit_features(text)
    words = np.array([u.words for u in units])
    assert clean_mod._comments_start(units, words, [False] * len(units)) < len(units)   # the net is needed
    page = clean_page(text)
    assert all(p in page.body for p in STORY)
    assert not any(p in page.body for p in promo)


def test_table_layout_cells_are_judged_apart():
    side = ["Weather", "Markets | Sports", "Most read: ferry delays", "Contact us", "Jobs at the Herald"]
    rows = [f"{s}\t\t{p}" if k % 2 else f"{p}\t\t{s}" for k, (p, s) in enumerate(zip(STORY, side))]
    text = HEAD + "New fuel depot opens near Pyeongtaek\n\n" + "\n".join(rows) + "\n\n" + "\n".join(side[3:]) + "\n"
    page = clean_page(text)
    assert page.body.split("\n\n") == STORY     # exact cell text, side cells left out
    assert page.body_start is not None and page.lines[page.body_start].count("\t") == 2


def test_story_printed_twice_is_kept_once():
    text = HEAD + _page("New fuel depot opens near Pyeongtaek", *STORY, "Share this article", "Facebook",
                        "Twitter", *STORY, "More from Defence")
    page = clean_page(text)
    for p in STORY:
        assert page.body.count(p) == 1


def test_confidence_and_its_warning():
    clear = clean_page(HEAD + _page("New fuel depot opens near Pyeongtaek", "By Min-ji Park", *STORY,
                                    "Share this article", "Related", "Navy tests new tug boats"))
    assert 0.0 <= clear.confidence <= 1.0
    assert clear.confidence >= clean_mod.LOW_CONFIDENCE
    assert "low-confidence-extraction" not in clear.warnings
    # two unrelated blocks of equal weight: the body is one of them, never both
    other = [s.replace("depot", "school").replace("fuel", "music").replace("brigade", "choir") for s in STORY]
    torn = clean_page(_page(*STORY, "Advertisement", "Subscribe", "Sign in", "Share", "Facebook", "Twitter",
                            "Email", "Print", "Contact us", "Privacy policy", *other))
    assert torn.body.count("\n\n") == 2
    empty = clean_page(MENU_ONLY)
    assert empty.confidence == 0.0 and "no story found" in empty.warnings


def test_low_confidence_warning_below_threshold(monkeypatch):
    monkeypatch.setattr(clean_mod, "LOW_CONFIDENCE", 1.01)
    page = clean_page(HEAD + _page(*STORY))
    assert "low-confidence-extraction" in page.warnings and page.body


def test_story_reads_on_past_a_promo_line():
    from workbench.parse.clean import clean_page
    text = ("Tanker heads to a Korean yard\n"
            "A navy tanker is on its way to a yard in Ulsan for a winter of repairs, officials said.\n"
            "Follow Harbor Weekly on Google News\n"
            "The tanker will spend three months in dry dock before returning to the fleet in spring.\n"
            "QR code for HW app download\n"
            "Download the HW app today to stay informed.\n"
            "Repairs of this kind used to be done only at yards in the United States, officials said.\n")
    body = clean_page(text).body
    assert "returning to the fleet in spring" in body and "only at yards in the United States" in body
    assert "Google News" not in body and "app" not in body


def test_relabelled_lines_are_shared_copies_and_the_cache_is_never_changed():
    from workbench.parse import clean
    clean.clear_caches()
    menu = "Fleet updates\nPort calls\nShip reports\n\n"
    story = " ".join(["The harbour authority said the new berth would open in the spring after delays."] * 3)
    page = f"{menu}{story}\n\n{menu}"
    first = clean.clean_page(page)
    cached = {raw: [(u.kind, u.score) for u in units] for raw, units in clean._LINE_CACHE.items()}
    feats, _, _ = clean._units(clean.split_lines(page))
    clean._mark_repeats(feats)
    calls = [f for f in feats if f.core == "Port calls"]
    assert len(calls) == 2 and calls[0] is calls[1] and calls[0].score == clean.REPEAT_PENALTY
    assert calls[0] is not clean._LINE_CACHE["Port calls"][0]            # a copy, the cached line untouched
    again = clean.clean_page(page)
    assert {raw: [(u.kind, u.score) for u in units] for raw, units in clean._LINE_CACHE.items()} == cached
    assert (again.body, again.confidence, again.warnings) == (first.body, first.confidence, first.warnings)
    clean.clear_caches()
    assert not clean._RELABELLED
    fresh = clean.clean_page(page)
    assert (fresh.body, fresh.confidence, fresh.warnings) == (first.body, first.confidence, first.warnings)
