"""metadata: title, date, outlet, author, agency and dateline around a story.

Pages are built by hand from real snippets of the seeds and dev pages, with the
story's line range given, so these tests check metadata alone, not the cleaner.
"""
import datetime as dt

from workbench.dates import find_full_date, find_partial_date
from workbench.parse.clean import Page
from workbench.parse.metadata import Sources, extract_metadata

SRC = Sources(outlets={"caliber.az": "Caliber.az", "BEMIL": "BEMIL", "Korea Herald": "Korea Herald"},
              agencies={"IANS": "IANS", "Yonhap": "Yonhap", "Yonhap News Agency": "Yonhap",
                        "Associated Press": "AP", "AP": "AP"},
              aggregators={"daily8"})
TODAY = dt.date(2026, 11, 22)


def page(lines, start, end):
    return Page(lines=lines, body="\n\n".join(ln.strip() for ln in lines[start:end] if ln.strip()),
                body_start=start, body_end=end)


def test_headline_date_author_outlet_below_menus():
    lines = ["search", "WHAT ARE YOU LOOKING FOR ?", "",
             "Any use of materials is allowed only if there is a hyperlink to Caliber.az",
             "Caliber.az © 2026. .", "WORLD", "A+", "A-", "",
             "Seoul, Washington expand military maintenance and supply partnership", "",
             "14 February 2026 10:29", "",
             "Defence officials from South Korea and the United States recently held consultations.", "",
             "The discussions took place during a visit earlier this month.", "",
             "By Tamilla Hasanova", "", "Caliber.Az", "Views: 68"]
    md = extract_metadata(page(lines, 13, 16), SRC, TODAY)
    assert md.title == "Seoul, Washington expand military maintenance and supply partnership"
    assert (md.published, md.published_basis) == ("2026-02-14", "page")
    assert md.author == "Tamilla Hasanova"
    assert md.outlet == "Caliber.az"
    assert md.agency is None and md.dateline is None


def test_wire_slug_is_cut_and_read():
    lines = [" date 2026-02-11 Seoul, Feb 11 (IANS) Senior defence officials of South Korea and the "
             "United States held talks in Seoul on Wednesday.", "",
             "The meeting marked the first official engagement, Yonhap News Agency reported."]
    md = extract_metadata(page(lines, 0, 3), SRC, TODAY)
    assert md.body.startswith("Senior defence officials")
    assert (md.published, md.published_basis) == ("2026-02-11", "page")
    assert (md.dateline, md.agency) == ("Seoul", "IANS")


def test_dateline_line_without_year_leaves_date_unknown_and_agency_credit_below():
    lines = ["South Korea, US Boost Military Logistics Alliance Amid Regional Tensions", "",
             "3 min read", "", "Seoul, Feb 11", "",
             "Senior defence officials of South Korea and the United States held talks in Seoul.", "",
             "Both sides agreed to expand and hold regular communication.", "", "- IANS", "",
             "Share this article:"]
    md = extract_metadata(page(lines, 6, 9), SRC, TODAY)
    assert md.title == "South Korea, US Boost Military Logistics Alliance Amid Regional Tensions"
    assert md.published is None and md.dateline == "Seoul" and md.dateline_date == "Feb 11"
    assert md.agency == "IANS"
    assert any("without a year" in w for w in md.warnings)


def test_wire_byline_is_agency_not_author_and_journalist_dateline_kept():
    lines = ["Nadal keeps Spain alive against Russia in Davis Cup Finals", "",
             "Associated Press November 19, 2019, 9:02 AM", "",
             "MADRID — Rafael Nadal kept Spain’s hopes alive in the inaugural Davis Cup Finals.", "",
             "© 2000-2019 Rogers Media. All rights reserved. Privacy Policy"]
    md = extract_metadata(page(lines, 4, 5), SRC, TODAY)
    assert md.title == "Nadal keeps Spain alive against Russia in Davis Cup Finals"
    assert md.published == "2019-11-19" and md.agency == "AP" and md.author is None
    assert md.dateline == "Madrid" and md.body.startswith("MADRID — ")
    assert md.outlet == "Rogers Media"


def test_aggregator_is_not_the_outlet():
    lines = ["S. Korea, US defense chiefs reaffirm alliance, vow deeper ties in shipbuilding",
             "Ahn, who took office on July 25, said he feels a strong sense of responsibility.",
             "The two expressed hope to meet in person at the earliest possible date.", "",
             "Try Our AI Features", "Explore what Daily8 AI can do for you:", "Comments"]
    md = extract_metadata(page(lines, 1, 3), SRC, TODAY)
    assert md.outlet is None and md.published is None
    assert md.title.startswith("S. Korea, US defense chiefs")


def test_date_finders():
    assert find_full_date("November 19, 2019, 9:02 AM").iso() == "2019-11-19"
    assert find_full_date("14 February 2026 10:29").iso() == "2026-02-14"
    assert find_full_date("2026.02.11 15:00").iso() == "2026-02-11"
    assert find_full_date("2026년 2월 11일").iso() == "2026-02-11"
    assert find_full_date("on February 30, 2026") is None            # no such day
    assert find_full_date("in 2031-01-01", today=TODAY) is None       # future
    p = find_partial_date("Seoul, Feb 11")
    assert (p.year, p.month, p.day) == (None, 2, 11)
    assert find_partial_date("Feb 11, 2026") is None


def test_dateline_with_a_year_dates_the_story():
    lines = ["S. Korea, US hold talks on military logistics cooperation", "",
             "SEOUL, Feb. 11, 2026 (Yonhap) -- Senior defense officials of South Korea and the United States "
             "held talks in Seoul on Wednesday, the Joint Chiefs of Staff said."]
    md = extract_metadata(page(lines, 2, 3), SRC, TODAY)
    assert (md.published, md.published_basis) == ("2026-02-11", "dateline")
    assert (md.dateline, md.agency) == ("Seoul", "Yonhap")
    assert md.body.startswith("Senior defense officials")


SITES = Sources(outlets={"Sample Times": "Sample Times", "Bureau Post": "Bureau Post"},
                domains={"sampletimes.example": "Sample Times", "bureaupost.example": "Bureau Post",
                         "aggr.example": "Aggr"},
                countries={"Sample Times": "US", "Bureau Post": "KR"}, aggregators={"Aggr"})


def test_outlet_from_the_input_url_longest_domain_suffix():
    lines = ["Shipyard wins repair deal for a navy tanker", "",
             "The yard will overhaul the tanker over the winter months, its owners said."]
    pg = page(lines, 2, 3)
    assert extract_metadata(pg, SITES, TODAY, url="https://news.sampletimes.example/a/1").outlet == "Sample Times"
    assert extract_metadata(pg, SITES, TODAY, url="https://www.bureaupost.example/x").outlet == "Bureau Post"
    assert extract_metadata(pg, SITES, TODAY, url="https://aggr.example/x").outlet is None
    assert extract_metadata(pg, SITES, TODAY, url="https://unknown.example/x").outlet is None


def test_numeric_page_date_follows_the_site_convention():
    lines = ["Port team moves cargo through the harbour", "", "4/5/2006", "",
             "Soldiers loaded containers onto a chartered ship at the port this week."]
    pg = page(lines, 4, 5)
    assert extract_metadata(pg, SITES, TODAY, url="https://sampletimes.example/a").published == "2006-04-05"
    assert extract_metadata(pg, SITES, TODAY, url="https://www.unit.army.mil/a").published == "2006-04-05"
    assert extract_metadata(pg, SITES, TODAY, url="https://bureaupost.example/a").published == "2006-05-04"
    assert extract_metadata(pg, SITES, TODAY).published is None


HOUSE = Sources(outlets={"Harbor Daily": "Harbor Daily", "HD": "Harbor Daily", "Wire One": "Wire One"},
                agencies={"Wire One": "Wire One"})


def test_bylines_dash_capitals_rank_and_glued_date():
    lines = ["Tanker repairs finish early at southern yard", "- KIM DA-EUN", "- LEE HO",
             "The yard finished repairs on the tanker two weeks early, the company said."]
    assert extract_metadata(page(lines, 3, 4), HOUSE, TODAY).author == "Kim Da-eun, Lee Ho"
    lines = ["Tanker repairs finish early at southern yard", "BY STAFF SGT. JO PARK", "",
             "The yard finished repairs on the tanker two weeks early, the company said."]
    assert extract_metadata(page(lines, 3, 4), HOUSE, TODAY).author == "Jo Park"
    lines = ["Tanker repairs finish early at southern yard", "Ana ReyesMarch 2, 2026", "",
             "The yard finished repairs on the tanker two weeks early, the company said."]
    md = extract_metadata(page(lines, 3, 4), HOUSE, TODAY)
    assert (md.author, md.published) == ("Ana Reyes", "2026-03-02")
    lines = ["Tanker repairs finish early at southern yard", "By Harbor Daily", "",
             "The yard finished repairs on the tanker two weeks early, the company said."]
    assert extract_metadata(page(lines, 3, 4), HOUSE, TODAY).author is None


def test_house_slug_is_the_outlet_and_wire_slug_the_agency():
    lines = ["Tanker repairs finish early at southern yard", "",
             "BUSAN, March 2 (HD) - The yard finished repairs on the tanker two weeks early."]
    md = extract_metadata(page(lines, 2, 3), HOUSE, TODAY)
    assert (md.agency, md.outlet, md.dateline) == (None, "Harbor Daily", "Busan")
    lines = ["Tanker repairs finish early at southern yard", "",
             "BUSAN/TOKYO, March 2 (Wire One) -- The yard finished repairs on the tanker early."]
    md = extract_metadata(page(lines, 2, 3), HOUSE, TODAY)
    assert (md.agency, md.dateline) == ("Wire One", "Busan/Tokyo")
    assert md.body.startswith("The yard finished")


def test_wire_notes_banners_and_date_prefixed_headline():
    lines = ["(2nd LD) Tanker repairs finish early at southern yard", "(ATTN: UPDATES headline)", "",
             "The yard finished repairs on the tanker two weeks early, the company said."]
    assert extract_metadata(page(lines, 3, 4), HOUSE, TODAY).title == "Tanker repairs finish early at southern yard"
    lines = ["An official website of the United States government", "Here's how you know", "",
             "The yard finished repairs on the tanker two weeks early, the company said."]
    assert extract_metadata(page(lines, 3, 4), HOUSE, TODAY).title is None
    lines = [" date 2025-07-09 Tanker repairs finish early at southern yard",
             "The yard finished repairs on the tanker two weeks early, the company said."]
    md = extract_metadata(page(lines, 1, 2), HOUSE, TODAY)
    assert (md.title, md.published) == ("Tanker repairs finish early at southern yard", "2025-07-09")


def test_via_agency_credit():
    lines = ["Tanker repairs finish early", "", "The yard finished repairs early, the paper reports via Wire One."]
    assert extract_metadata(page(lines, 2, 3), HOUSE, TODAY).agency == "Wire One"


def test_headline_opening_the_body_and_dateline_with_a_country():
    lines = ["Cargo ship unloads brigade vehicles at southern port", "",
             "PORT CITY, Republic of Korea - Trucks rolled off the ship onto the pier as soldiers worked."]
    pg = Page(lines=lines, body="\n\n".join([lines[0], lines[2]]), body_start=0, body_end=3)
    md = extract_metadata(pg, HOUSE, TODAY)
    assert md.title == "Cargo ship unloads brigade vehicles at southern port"
    assert md.dateline == "Port City" and md.body.startswith("PORT CITY")
    lines = [" date 2026-03-02 Cargo ship unloads vehicles at port Your browser does not support the audio element.",
             "", "The ship docked on Monday, and soldiers drove the vehicles off."]
    md = extract_metadata(page(lines, 0, 3), HOUSE, TODAY)
    assert (md.title, md.published) == ("Cargo ship unloads vehicles at port", "2026-03-02")
    assert md.body.startswith("The ship docked")


def test_agency_copyright_on_another_site_is_the_agency():
    lines = ["", "The yard finished repairs on the tanker two weeks early, the company said.", "",
             "Copyright 2025 The Wire Two. All rights reserved."]
    wire = Sources(outlets={"Harbor Daily": "Harbor Daily"}, agencies={"Wire Two": "Wire Two"})
    md = extract_metadata(page(lines, 1, 2), wire, TODAY)
    assert (md.outlet, md.agency) == (None, "Wire Two")


def test_aggregator_source_line_names_the_outlet_and_date():
    lines = ["logo", "Tanker repairs finish early at southern yard", "Harbor Daily21-03-2025", "",
             "The yard finished repairs on the tanker two weeks early, the company said."]
    md = extract_metadata(page(lines, 4, 5), HOUSE, TODAY)
    assert (md.outlet, md.published) == ("Harbor Daily", "2025-03-21")
    lines[2] = "Harbor Daily5 hours ago"
    assert extract_metadata(page(lines, 4, 5), HOUSE, TODAY).outlet == "Harbor Daily"


def test_teaser_cut_from_the_story_is_not_the_headline():
    lines = ["Tanker repairs finish early at southern yard", "",
             "Busan, May 2 The yard finished repairs on the tanker two ...", "",
             "Busan, May 2 The yard finished repairs on the tanker two weeks early, the company said."]
    assert extract_metadata(page(lines, 4, 5), HOUSE, TODAY).title == "Tanker repairs finish early at southern yard"


def _brute_hits(strict, loose, text):
    """The former way (one str.find per alias), as the reference for the automaton."""
    low = text.lower()
    for table, hay in ((strict, text), (loose, low)):
        for a, canon in table.items():
            pos = hay.find(a)
            while pos >= 0:
                end = pos + len(a)
                if (pos == 0 or not hay[pos - 1].isalnum()) and (end == len(hay) or not hay[end].isalnum()):
                    yield pos, len(a), canon
                    break
                pos = hay.find(a, pos + 1)


def test_alias_automaton_finds_what_a_search_per_alias_finds():
    from workbench.parse.aliases import AliasMap
    pairs = {"AP": "Associated Press", "Harbor Desk": "Harbor Desk", "harbor": "Harbor Weekly",
             "KDN": "Korea Defense News", "Korea Defense": "Korea Defense News", "Desk": "The Desk"}
    m = AliasMap(pairs)
    lines = ["AP report from the Harbor Desk", "ap apricot APPLE (AP)", "Korea Defense News said",
             "Harbor desk-side, KDN", "harbored nothing", "KDNs and desks", "", "Desk", "A harbor AP"]
    for ln in lines:
        assert list(m._hits(ln)) == list(_brute_hits(m._strict, m._loose, ln)), ln
    assert m.find("AP report from the Harbor Desk") == "Harbor Desk"
    assert m.at_start("Harbor desk-side, KDN") == "Harbor Desk" and m.at_start("harbored nothing") is None


def _brute_best(strict, loose, text, start_only=False):
    """``find``/``at_start`` as they were: the longest of the brute-force hits, first in table order."""
    hits = [h for h in _brute_hits(strict, loose, text) if not start_only or h[0] == 0]
    best = max(hits, key=lambda h: h[1], default=None)
    return best[2] if best else None


def test_find_and_at_start_agree_with_the_search_per_alias():
    from pathlib import Path

    from workbench.parse.article import sources_from_reference
    from workbench.reference import load_reference
    src = sources_from_reference(load_reference())
    lines = ["AP report from the Harbor Desk", "ap apricot APPLE (AP)", "", "AP", "Yonhap News Agency said",
             "yonhap", "AFP_Yonhap", "Reuters/AP", "The Korea Herald-Reuters", "KOREA HERALD", "\u0130stanbul AP"]
    for f in sorted((Path(__file__).resolve().parents[1] / "data" / "raw").glob("*.txt")):
        lines += f.read_text(encoding="utf-8", errors="replace").split("\n")
    for m in (src.outlets, src.agencies, src.aggregators):
        for _ in range(2):              # the second time from the per-line memo
            for ln in lines:
                assert m.find(ln) == _brute_best(m._strict, m._loose, ln), ln
                assert m.at_start(ln) == _brute_best(m._strict, m._loose, ln, start_only=True), ln
        assert m._memo[0] and m._memo[1]


def test_line_counts_agree_with_a_counter_of_the_page():
    from collections import Counter

    from workbench.parse.metadata import _line_counts
    lines = ["Menu", "  Headline here  ", "Headline here", "x Headline here", "Headline here x", "",
             "Menu", "Menu ", "a\nb", "solo", "solo line", " b"]
    wanted = ["Menu", "Headline here", "solo", "solo line", "a\nb", "b", "absent", "", "line", "Headline"]
    for page in (lines, [ln for ln in lines if "\n" not in ln]):     # with and without a line holding a break
        counts = Counter(s for ln in page if (s := ln.strip()))
        assert _line_counts(page, wanted) == {s: counts.get(s, 0) for s in wanted if s}
