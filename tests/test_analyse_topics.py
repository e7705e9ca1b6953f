from workbench.analyse import analyse_record
from workbench.reference import load_reference


def topics(body):
    return {t["topic"]: t for t in analyse_record({"body": body}, load_reference())["topics"]}


def test_cues_and_evidence_sentences():
    body = ("The two militaries discussed supply chain management and spare parts for the fleet. "
            "They also agreed on shipbuilding and maintenance, repair and overhaul (MRO) work.\n\n"
            "The weather was fine.")
    ts = topics(body)
    assert {"logistics-sustainment", "mro-shipbuilding"} <= set(ts)
    assert ts["logistics-sustainment"]["evidence"] == [
        "The two militaries discussed supply chain management and spare parts for the fleet."]
    assert 0.5 <= ts["mro-shipbuilding"]["score"] < 1


def test_single_weak_cue_is_not_enough():
    assert "trade-industry" not in topics("South Korea's strong industrial base contributes to the framework.")
    # "nuclear-powered submarines" is shipbuilding, not deterrence
    ts = topics("They agreed to cooperate on civil nuclear power and nuclear-powered submarines.")
    assert "deterrence-security" not in ts and "mro-shipbuilding" in ts


def test_only_body_counts():
    rec = {"body": "The military alliance talks went well. The alliance is strong.",
           "comments": ["Tariffs! Tariffs and trade and exports!"],
           "embedded_articles": [{"title": "Loudspeakers", "body": "inter-Korean border loudspeakers removed"}]}
    ts = {t["topic"] for t in analyse_record(rec, load_reference())["topics"]}
    assert ts == {"alliance-diplomacy"}


def test_out_of_domain_article_gets_no_topics():
    """A business story about supply chains is not military logistics (dev page snippet)."""
    from workbench.analyse.text import split_sentences
    from workbench.analyse.topics import scorer
    from workbench.reference import load_reference
    body = ("Tariffs on consumer products hit customers directly, while tariffs on raw materials can "
            "prompt companies to raise prices. Any slowdown in the supply chain could mean layoffs for "
            "producers and a hit to the broader economy. Companies shifted supply chains and spare parts "
            "orders to other suppliers, and logistics costs rose.")
    ref = load_reference()
    assert ref.topic_scoring.domain_min >= 1
    assert scorer(ref).score(body, split_sentences(body)) == []
    military = body + " The defense ministry said the military would review its munitions stockpile."
    assert "logistics-sustainment" in {t["topic"] for t in scorer(ref).score(military, split_sentences(military))}


def test_evidence_only_sentences_with_facts_and_at_most_the_setting():
    from workbench import settings
    from workbench.analyse.topics import carries_fact
    assert not carries_fact("And supply has always mattered for that.")
    assert not carries_fact("Readiness is what it is all about, after all.")
    assert carries_fact("The battalion moved 300 trucks.")
    assert carries_fact("Officials met in Pyeongtaek.")
    from workbench.analyse import analyse_record
    body = ("The 19th Expeditionary Sustainment Command moved 300 containers of ammunition by rail to Daegu. "
            "Logistics and sustainment matter, and supply chains are what logistics is about. "
            "The command's sustainment units also moved spare parts and fuel by truck to Camp Carroll. "
            "Logistics convoys of the command used the port of Busan and supply depots in Waegwan.")
    topics = analyse_record({"body": body})["topics"]
    assert topics
    for t in topics:
        assert len(t["evidence"]) <= settings.EVIDENCE_PER_ARTICLE
        assert all(carries_fact(s) for s in t["evidence"])
