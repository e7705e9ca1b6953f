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
