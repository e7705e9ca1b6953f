import dataclasses

from workbench.analyse.gazetteer_match import matcher
from workbench.analyse.people import recogniser
from workbench.reference import load_reference


def people(text, known=True):
    ref = load_reference()
    if not known:   # recognition must not depend on the gazetteer knowing the person
        ref = dataclasses.replace(ref, people=(), _compiled={})
    return {p["name"]: p for p in recogniser(ref).find(text, matcher(ref).find(text))}


def test_appositive_role_and_surname_back_reference():
    text = ("The meeting between Koo Sang-mo, the JCS' chief director of military support, and Mark Simerly, "
            "director of the US Defence Logistics Agency (DLA), marked the first engagement.\n\n"
            "Koo noted that cooperation was essential. In response, Simerly said the US prioritises supply.")
    ps = people(text, known=False)
    assert set(ps) == {"Koo Sang-mo", "Mark Simerly"}
    assert ps["Koo Sang-mo"]["role"] == "Chief Director of Military Support, ROK Joint Chiefs of Staff"
    assert ps["Mark Simerly"]["role"] == "Director, Defense Logistics Agency"
    assert ps["Koo Sang-mo"]["mentions"] == 2 and ps["Mark Simerly"]["mentions"] == 2


def test_rank_and_title_before_name():
    ps = people("General Kim Myung Soo, Chairman of South Korea's Joint Chiefs of Staff, welcomed General "
                "Randall Reed, who leads U.S. TRANSCOM, for talks. General Kim said so.", known=False)
    assert ps["Kim Myung Soo"]["rank"] == "General"
    assert ps["Kim Myung Soo"]["role"] == "Chairman, ROK Joint Chiefs of Staff"
    assert ps["Kim Myung Soo"]["mentions"] == 2
    assert ps["Randall Reed"]["role"] == "Commander, US Transportation Command"


def test_other_writing_styles():
    ps = people("Gen. Paik Sun-yup inspected the unit. Adm. Samuel Paparo, commander of US Indo-Pacific "
                "Command, met Defense Minister Ahn Gyu-back and Navy Secretary John Phelan.", known=False)
    assert ps["Paik Sun-yup"]["rank"] == "General"
    assert ps["Samuel Paparo"]["rank"] == "Admiral"
    assert ps["Samuel Paparo"]["role"] == "Commander, US Indo-Pacific Command"
    assert ps["Ahn Gyu-back"]["role"].startswith("Defense Minister")
    assert ps["John Phelan"]["role"].startswith("Navy Secretary")
    ps = people("South Korea's Foreign Minister Cho Hyun and US Secretary of State Marco Rubio met, according "
                "to Tommy Pigott, the department's principal deputy spokesperson.", known=False)
    assert ps["Cho Hyun"]["role"] == "Foreign Minister, South Korea"
    assert ps["Marco Rubio"]["role"] == "Secretary of State, United States"
    assert ps["Tommy Pigott"]["role"] == "Principal Deputy Spokesperson"


def test_surname_only_needs_gazetteer_and_context():
    text = ("Ahn, who took office on July 25, said he feels responsible as the first defense minister. "
            "He looks forward to working with Hegseth. Secretary Hegseth reaffirmed the commitment.")
    ps = people(text)
    assert set(ps) == {"Ahn Gyu-back", "Pete Hegseth"}
    assert ps["Pete Hegseth"]["mentions"] == 2
    # a common Korean surname with no supporting context is not resolved
    assert "Ahn Gyu-back" not in people("Ahn said the weather was fine.")


def test_no_people_from_organisations_or_places():
    assert people("Hanwha Ocean said on Monday that Seoul and Washington agreed. The Joint Chiefs of Staff "
                  "said North Korea fired a missile.", known=False) == {}


def test_possessive_role_keeps_word_order():
    from workbench.analyse import analyse_record
    r = analyse_record({"body": "Lee Da-som, chief of Hanwha Ocean's repair planning team, said work began."})
    roles = {p["name"]: p["role"] for p in r["people"]}
    assert roles["Lee Da-som"] == "Chief, Repair Planning Team, Hanwha Ocean"
