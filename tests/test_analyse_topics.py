from workbench.analyse import analyse_record
from workbench.reference import load_reference


def topics(body):
    return {t["topic"]: t for t in analyse_record({"body": body}, load_reference())["topics"]}


def test_cues_and_evidence_sentences():
    body = ("The two sides discussed supply chain management and spare parts for the fleet. "
            "They also agreed on shipbuilding and maintenance, repair and overhaul (MRO) work.\n\n"
            "The weather was fine.")
    ts = topics(body)
    assert {"logistics-sustainment", "mro-shipbuilding"} <= set(ts)
    assert ts["logistics-sustainment"]["evidence"] == [
        "The two sides discussed supply chain management and spare parts for the fleet."]
    assert 0.5 <= ts["mro-shipbuilding"]["score"] < 1


def test_single_weak_cue_is_not_enough():
    assert "trade-industry" not in topics("South Korea's strong industrial base contributes to the framework.")
    # "nuclear-powered submarines" is shipbuilding, not deterrence
    ts = topics("They agreed to cooperate on civil nuclear power and nuclear-powered submarines.")
    assert "deterrence-security" not in ts and "mro-shipbuilding" in ts


def test_only_body_counts():
    rec = {"body": "The alliance talks went well. The alliance is strong.",
           "comments": ["Tariffs! Tariffs and trade and exports!"],
           "embedded_articles": [{"title": "Loudspeakers", "body": "inter-Korean border loudspeakers removed"}]}
    ts = {t["topic"] for t in analyse_record(rec, load_reference())["topics"]}
    assert ts == {"alliance-diplomacy"}
