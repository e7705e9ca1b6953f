from workbench.analyse.stories import duplicate_pairs, link_stories

STORY = ("Senior defence officials of South Korea and the United States held talks in Seoul on Wednesday to "
         "discuss ways to advance their combined sustainment capabilities, the South's Joint Chiefs of Staff "
         "said. The two sides discussed ways to deepen their combined sustainment capabilities based on the "
         "steadfast alliance and concurred that sustainment operations are a key deciding factor.")
FURNITURE = ("Share this article. Reader comments: Interesting read, logistics is the backbone of any military. "
             "Leave a comment. Related: Polish pilots test the KF-21 fighter; KAI secures a deal. ")
OTHER = ("Defence officials from South Korea and the United States recently held consultations aimed at "
         "expanding cooperation in naval logistics as well as maintenance, repair and overhaul capabilities, "
         "officials said. The meeting marked the first official engagement between the two organisations.")


def test_copy_with_extra_furniture_is_grouped_and_different_story_is_not():
    recs = [{"doc_id": "b", "body": STORY + "\n\n" + FURNITURE * 3},
            {"doc_id": "a", "body": STORY.replace("(JCS)", "")},
            {"doc_id": "c", "body": OTHER}]
    pairs = duplicate_pairs(recs)
    assert [(x, y) for x, y, _ in pairs] == [("a", "b")]
    link_stories(recs)
    assert [r["story_id"] for r in recs] == ["a", "a", "c"]


def test_siblings_fill_date_and_flagged_title():
    recs = [{"doc_id": "001", "body": STORY, "title": "Alliance talks", "published": None,
             "published_basis": None, "dateline_day": "--02-11", "warnings": []},
            {"doc_id": "002", "body": STORY, "title": None, "published": "2026-02-11",
             "published_basis": "page", "warnings": []}]
    link_stories(recs)
    assert (recs[0]["published"], recs[0]["published_basis"]) == ("2026-02-11", "syndicated-copy")
    assert (recs[1]["title"], recs[1]["title_basis"]) == ("Alliance talks", "syndicated-copy")
    assert recs[0].get("title_basis") is None
    assert any(w.startswith("title-from-syndicated-copy: 001") for w in recs[1]["warnings"])


def test_contradicting_dateline_is_not_filled():
    recs = [{"doc_id": "x", "body": STORY, "published": None, "dateline_day": "--03-02", "warnings": []},
            {"doc_id": "y", "body": STORY, "published": "2026-02-11", "published_basis": "page", "warnings": []}]
    link_stories(recs)
    assert recs[0]["published"] is None and recs[0]["warnings"]


def test_wire_headline_is_borrowed_before_a_rewrite_and_spelling_does_not_split_copies():
    a = STORY.replace("the United States", "the U.S.").replace("steadfast", "\u201csteadfast\u201d")
    b = STORY.replace("the United States", "the US").replace("sustainment capabilities", "sustainment-capabilities")
    recs = [{"doc_id": "a", "body": a, "title": "Outlet rewrite headline", "agency": None, "warnings": []},
            {"doc_id": "b", "body": b, "title": "Wire headline", "agency": "Yonhap", "warnings": []},
            {"doc_id": "c", "body": STORY.replace("'", "\u2019"), "title": None, "warnings": []}]
    link_stories(recs)
    assert len({r["story_id"] for r in recs}) == 1
    assert (recs[2]["title"], recs[2]["title_basis"]) == ("Wire headline", "syndicated-copy")
