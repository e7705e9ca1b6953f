from workbench.analyse import analyse_record, merge_events
from workbench.reference import load_reference


def evs(body, **rec):
    return analyse_record(dict(rec, body=body), load_reference())["events"]


def test_meeting_with_participants_from_the_next_sentence():
    body = ("Senior defence officials of South Korea and the United States held talks in Seoul on Wednesday "
            "to discuss sustainment, the South's Joint Chiefs of Staff said.\n\n"
            "The meeting between Koo Sang-mo, the JCS' chief director of military support, and Mark Simerly, "
            "director of the US Defence Logistics Agency (DLA), marked the first official engagement.\n\n"
            "Simerly arrived in South Korea on Tuesday for a three-day trip.")
    es = evs(body, published="2026-02-11", published_basis="page")
    assert len(es) == 2
    meet, visit = es
    assert (meet["kind"], meet["date"], meet["place"]) == ("CONSULT", "2026-02-11", "Seoul")
    assert meet["participants"] == ["Koo Sang-mo", "Mark Simerly"]
    assert meet["organizations"] == ["ROK Joint Chiefs of Staff", "Defense Logistics Agency"]
    assert meet["sentence"].startswith("Senior defence officials")
    assert (visit["mode"], visit["date"], visit["participants"]) == ("visit", "2026-02-10", ["Mark Simerly"])


def test_plural_subject_resolves_to_people_named_before():
    body = ("Ahn, who took office on July 25, said he feels responsible as the first defense minister.\n\n"
            "According to the ministry, Secretary Hegseth reaffirmed the commitment.\n\n"
            "The two ministers agreed to maintain close coordination.")
    (e,) = evs(body)
    assert e["participants"] == ["Ahn Gyu-back", "Pete Hegseth"] and e["date"] is None


def test_separate_talks_are_a_separate_event_and_reporting_date_ignored():
    body = ("Officials recently held consultations in South Korea, officials said on February 14.\n\n"
            "The discussions took place during a visit earlier this month by a US delegation headed by "
            "Capt. Albert Sonon.\n\n"
            "Earlier in February, senior officials from the Joint Chiefs of Staff and the Defence Logistics "
            "Agency held separate talks.")
    es = evs(body, published="2026-02-14", published_basis="page")
    assert [(e["date"], e["date_precision"]) for e in es] == [("2026-02", "month"), ("2026-02", "month")]
    assert es[0]["participants"] == ["Albert Sonon"]
    assert es[1]["organizations"] == ["ROK Joint Chiefs of Staff", "Defense Logistics Agency"]


def test_exercise_and_contract_kinds():
    es = evs("The ROK Navy and the US Navy conducted a combined exercise off Busan on Monday.",
             published="2025-06-10", published_basis="page")
    assert es[0]["kind"] == "MOBILIZE" and es[0]["date"] == "2025-06-09"
    es = evs("Hanwha Ocean signed a contract with the US Navy to repair a supply ship on March 3, 2025.")
    assert es[0]["kind"] in ("COOPERATE", "AGREE") and es[0]["date"] == "2025-03-03"


def test_merge_across_documents_counts_outlets_once():
    a = ("Senior officials of the Joint Chiefs of Staff and the Defence Logistics Agency held talks in Seoul "
         "on Wednesday, officials said.\n\nThe meeting between Koo Sang-mo, the JCS' chief director of "
         "military support, and Mark Simerly, director of the DLA, was the first.")
    recs = [
        {"doc_id": "a1", "story_id": "a1", "body": a, "published": "2026-02-11", "published_basis": "page"},
        {"doc_id": "a2", "story_id": "a1", "body": a, "published": "2026-02-11", "published_basis": "page"},
        {"doc_id": "b1", "story_id": "b1", "published": "2026-02-14", "published_basis": "page",
         "body": "Earlier in February, senior officials from the Joint Chiefs of Staff and the Defence "
                 "Logistics Agency held separate talks."},
    ]
    ref = load_reference()
    for r in recs:
        r.update(analyse_record(r, ref))
    df = merge_events(recs)
    assert len(df) == 1
    row = df.iloc[0]
    assert row["date"] == "2026-02-11" and row["n_sources"] == 3 and row["n_outlets"] == 2
    assert sorted(row["sources"]) == ["a1", "a2", "b1"]


def _one(body, published):
    out = evs(body, published=published, published_basis="page")
    assert len(out) == 1, out
    return out[0]


def test_ship_entering_a_yard_is_an_arrival_with_the_ship_as_actor():
    e = _one("USNS Yukon docked at Hanwha Ocean's Okpo yard on Oct. 2 and will stay there all winter.",
             "2024-10-20")
    assert (e["kind"], e["mode"], e["date"], e["planned"]) == ("MOVE", "arrival", "2024-10-02", False)
    assert e["platforms"] == ["USNS Yukon"] and "Hanwha Ocean" in e["organizations"]
    assert e["place"] == "Okpo"


def test_planned_arrival_after_the_article_date():
    e = _one("Hanwha Ocean said Monday that USNS Yukon will enter its dock in Geoje in December.", "2024-10-20")
    assert (e["kind"], e["date"], e["planned"]) == ("MOVE", "2024-12", True)


def test_no_ship_no_arrival():
    assert evs("The firm entered the repair market on Oct. 2, its chief said.",
               published="2024-10-20", published_basis="page") == []


def test_signed_contract_is_a_contract_and_handover_a_delivery():
    e = _one("Hanwha Ocean signed a repair contract with the U.S. Navy for USNS Yukon in May.", "2024-10-20")
    assert (e["kind"], e["mode"]) == ("COOPERATE", "contract")
    assert e["platforms"] == ["USNS Yukon"]
    e = _one("Hanwha Ocean handed back USNS Yukon to the U.S. Navy on Oct. 9 after repairs.", "2024-10-20")
    assert (e["kind"], e["mode"], e["date"]) == ("COOPERATE", "delivery", "2024-10-09")


def test_told_a_news_agency_is_a_reporting_date():
    e = _one("Hanwha Ocean told Yonhap on Monday it had won a contract to repair USNS Yukon.", "2024-10-20")
    assert e["date"] is None and "Yonhap" not in e["organizations"]


def test_background_after_since_and_slated_plans():
    out = evs("The yard will repair USNS Yukon, its first job since the tariff pact with Washington.",
              published="2025-08-06", published_basis="page")
    assert not any(e["kind"] == "AGREE" for e in out)
    e = _one("Hanwha Ocean handed back USNS Yukon to the U.S. Navy in May; delivery of USNS Yukon's sister "
             "ship is slated for November.", "2025-08-06")
    assert e["date"] == "2025-05"
    e = _one("The delivery of USNS Yukon to the U.S. Navy is slated for November.", "2025-08-06")
    assert (e["date"], e["planned"]) == ("2025-11", True)


def test_trigger_opening_a_sentence():
    e = _one("Delivery of USNS Yukon to the U.S. Navy is slated for November.", "2025-08-06")
    assert (e["mode"], e["date"], e["planned"]) == ("delivery", "2025-11", True)
