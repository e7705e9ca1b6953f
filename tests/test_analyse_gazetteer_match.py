from workbench.analyse.gazetteer_match import is_location_use, matcher
from workbench.reference import load_reference


def names(text, category=None):
    return [(m.name, m.surface) for m in matcher(load_reference()).find(text)
            if category is None or m.category == category]


def test_aliases_spellings_and_prefixes():
    got = names("the US Defence Logistics Agency (DLA) and the South's Joint Chiefs of Staff (JCS)", "organization")
    assert got == [("Defense Logistics Agency", "US Defence Logistics Agency"), ("Defense Logistics Agency", "DLA"),
                   ("ROK Joint Chiefs of Staff", "Joint Chiefs of Staff"), ("ROK Joint Chiefs of Staff", "JCS")]
    assert names("a head of U.S. TRANSCOM visited", "organization") == [("US Transportation Command", "U.S. TRANSCOM")]
    assert names("the South Korean Navy said", "organization") == [("ROK Navy", "South Korean Navy")]
    assert names("the U.S. Navy said", "organization") == [("US Navy", "U.S. Navy")]
    assert names("the Department of War said", "organization") == [("US Department of Defense", "Department of War")]


def test_misprint_is_flagged_and_longest_match_wins():
    ms = matcher(load_reference()).find("Weapon Systems Support (NAVSUP WS, according to reports. NAVSUP WSS noted")
    orgs = [(m.name, m.surface, m.misprint) for m in ms if m.category == "organization"]
    assert orgs == [("NAVSUP Weapon Systems Support", "NAVSUP WS", True),
                    ("NAVSUP Weapon Systems Support", "NAVSUP WSS", False)]
    # "Indo-Pacific Command" is an organisation, not the place Indo-Pacific
    assert names("through the Indo-Pacific Command to defend") == [("US Indo-Pacific Command", "Indo-Pacific Command")]


def test_case_rules():
    assert names("the pentagon of a building", "organization") == []       # common noun
    assert names("jcs and dla", "organization") == []                      # acronyms need their case
    assert names("officials from the naval logistics command", "organization") == [
        ("ROK Navy Logistics Command", "naval logistics command")]
    assert names("the air command", "organization") == []


def test_capital_as_place_or_government():
    text = "talks in Seoul on Monday, as Seoul is stepping up efforts; ties between Pyongyang and Moscow."
    ms = [m for m in matcher(load_reference()).find(text) if m.category == "place"]
    assert [(m.name, is_location_use(text, m)) for m in ms] == [
        ("Seoul", True), ("Seoul", False), ("Pyongyang", False), ("Moscow", False)]


def test_unknown_ships_by_navy_prefix_are_platforms_not_people():
    from workbench.analyse import analyse_record
    body = ("USNS Mary Example (T-AKE 99) docked at the Busan yard on Oct. 2. "
            "The ship is named after Mary Example, a wartime nurse. ROKS Harbor Guard escorted it.")
    r = analyse_record({"body": body, "published": "2025-10-10", "published_basis": "page"})
    names = {p["name"] for p in r["platforms"]}
    assert {"USNS Mary Example", "ROKS Harbor Guard"} <= names
    assert "Mary Example" not in {p["name"] for p in r["people"]}
    assert any("USNS Mary Example" in e["platforms"] for e in r["events"])
