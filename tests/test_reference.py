"""Reference files: they load, they hold real domain knowledge, and a malformed
entry fails with a message naming the file and the entry."""
import shutil
from pathlib import Path

import pytest

from workbench import settings
from workbench.errors import ReferenceDataError
from workbench.reference import load_reference

REF = settings.reference_dir()


@pytest.fixture
def ref_copy(tmp_path):
    d = tmp_path / "reference"
    d.mkdir()
    for name in ("gazetteer.toml", "topics.toml", "sources.toml"):
        shutil.copy(REF / name, d / name)
    return d


def test_loads_and_has_domain_knowledge():
    ref = load_reference()
    orgs = {o.name for o in ref.organizations}
    assert len(orgs) >= 40
    for name in ("ROK Joint Chiefs of Staff", "Defense Logistics Agency", "US Transportation Command",
                 "NAVSUP Weapon Systems Support", "Hanwha Ocean", "HD Hyundai Heavy Industries",
                 "Korea Aerospace Industries", "US Forces Korea", "ROK-US Combined Forces Command"):
        assert name in orgs
    dod = ref.organization("US Department of Defense")
    assert "Department of War" in dod.aliases
    assert "NAVSUP WS" in ref.organization("NAVSUP Weapon Systems Support").misprints
    assert {t.name for t in ref.topics} == {
        "logistics-sustainment", "transport-deployment", "mro-shipbuilding", "command-control",
        "deterrence-security", "trade-industry", "inter-korean", "alliance-diplomacy"}
    assert {"IANS", "Yonhap", "Associated Press", "Reuters", "AFP"} <= {a.name for a in ref.agencies}
    assert {"Caliber.az", "Korea Herald", "BEMIL"} <= {o.name for o in ref.outlets}
    assert "Daily8" in {a.name for a in ref.aggregators}
    assert {p.name for p in ref.platforms} >= {"P-8A Poseidon", "MH-60R Seahawk", "KF-21 Boramae", "FA-50"}


def test_cached_until_a_file_changes(ref_copy):
    a = load_reference(ref_copy)
    assert load_reference(ref_copy) is a
    g = ref_copy / "gazetteer.toml"
    g.write_text(g.read_text() + '\n[[place]]\nname = "Nowhere Town"\n', encoding="utf-8")
    b = load_reference(ref_copy)
    assert b is not a and any(p.name == "Nowhere Town" for p in b.places)


def _replace(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_missing_name_names_file_and_entry(ref_copy):
    _replace(ref_copy / "gazetteer.toml", 'name = "Defense Logistics Agency"\n', "")
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(ref_copy)
    msg = str(exc.value)
    assert "gazetteer.toml" in msg and "organization #" in msg and 'missing "name"' in msg


def test_wrong_type_names_the_entry(ref_copy):
    _replace(ref_copy / "gazetteer.toml", 'aliases = ["DLA",', 'aliases = "DLA"\nx = ["DLA",')
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(ref_copy)
    assert '("Defense Logistics Agency")' in str(exc.value)


def test_unknown_key_is_reported(ref_copy):
    _replace(ref_copy / "topics.toml", 'name = "inter-korean"\n', 'name = "inter-korean"\ncuess = ["x"]\n')
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(ref_copy)
    msg = str(exc.value)
    assert "topics.toml" in msg and '("inter-korean")' in msg and "cuess" in msg


def test_duplicate_alias_across_entries(ref_copy):
    g = ref_copy / "gazetteer.toml"
    g.write_text(g.read_text() + '\n[[organization]]\nname = "Dummy"\naliases = ["DLA"]\n', encoding="utf-8")
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(ref_copy)
    assert '"DLA" is already used by' in str(exc.value) and '("Dummy")' in str(exc.value)


def test_bad_topic_weight(ref_copy):
    _replace(ref_copy / "topics.toml", '"tariffs" = 2.0', '"tariffs" = "high"')
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(ref_copy)
    assert '("trade-industry")' in str(exc.value) and "tariffs" in str(exc.value)


def test_invalid_toml_names_file(ref_copy):
    (ref_copy / "sources.toml").write_text("[[outlet]\nname = 1", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(ref_copy)
    assert "sources.toml" in str(exc.value) and "not valid TOML" in str(exc.value)


def test_alias_added_by_editing_is_used(ref_copy):
    from workbench.analyse import analyse_record
    rec = {"body": "Officials of the Logistics Widget Bureau met in Seoul on Monday."}
    assert not analyse_record(rec, load_reference(ref_copy))["organizations"]
    g = ref_copy / "gazetteer.toml"
    g.write_text(g.read_text() + '\n[[organization]]\nname = "Widget Bureau"\naliases = ["Logistics Widget Bureau"]\n',
                 encoding="utf-8")
    orgs = analyse_record(rec, load_reference(ref_copy))["organizations"]
    assert [o["name"] for o in orgs] == ["Widget Bureau"]


# --------------------------------------------------------------------------
# Every alias names one entry (unless declared), every domain one source
# --------------------------------------------------------------------------

def _norm(alias: str) -> str:
    return " ".join(alias.split()).casefold()


def _surface_forms(ref):
    """(table, canonical name, alias) for every form the gazetteer lets text
    take: names, aliases, misprints, prefixed aliases with each national prefix
    of the entry's country, and people's hyphenated names written with spaces."""
    for o in ref.organizations:
        for a in (o.name, *o.aliases, *o.misprints):
            yield "organization", o.name, a
        for a in o.prefixed_aliases:
            for pre in ref.national_prefixes.get(o.country or "", ()):
                yield "organization", o.name, f"{pre} {a}"
    for p in ref.people:
        for a in (p.name, *p.aliases):
            yield "person", p.name, a
            yield "person", p.name, a.replace("-", " ")
    for table, items in (("place", ref.places), ("platform", ref.platforms)):
        for it in items:
            for a in (it.name, *it.aliases):
                yield table, it.name, a


def alias_collisions(ref) -> dict[str, set[str]]:
    """Normalised alias -> {"table:Name", ...} for aliases naming two entries."""
    owners: dict[str, set[str]] = {}
    for table, name, alias in _surface_forms(ref):
        owners.setdefault(_norm(alias), set()).add(f"{table}:{name}")
    return {a: o for a, o in owners.items() if len(o) > 1}


def test_every_alias_resolves_uniquely():
    ref = load_reference()
    declared = {_norm(s.alias): set(s.entries) for s in ref.shared_aliases}
    undeclared = {a: sorted(o) for a, o in alias_collisions(ref).items() if declared.get(a) != o}
    assert undeclared == {}, "aliases naming two entries (declare them in [[shared_alias]] or fix them)"
    stale = sorted(a for a in declared if a not in alias_collisions(ref))
    assert stale == [], "[[shared_alias]] entries that no longer collide"


def test_alias_collision_is_caught(ref_copy):
    g = ref_copy / "gazetteer.toml"
    g.write_text(g.read_text() + '\n[[place]]\nname = "Hanwha Ocean"\nkind = "place"\n', encoding="utf-8")
    assert alias_collisions(load_reference(ref_copy))["hanwha ocean"] == {
        "organization:Hanwha Ocean", "place:Hanwha Ocean"}


def test_a_prefixed_foreign_ministry_is_not_seouls():
    """A ministry written with another country's prefix must be a longer alias of
    that country's entry than any ROK alias inside it."""
    ref = load_reference()
    owners = {}
    for _table, name, alias in _surface_forms(ref):
        owners.setdefault(_norm(alias), set()).add(name)
    assert owners["chinese foreign ministry"] == {"PRC Ministry of Foreign Affairs"}
    assert owners["china's foreign ministry"] == {"PRC Ministry of Foreign Affairs"}
    assert owners["japan's defense ministry"] == {"Japan Ministry of Defense"}
    assert owners["north korean foreign ministry"] == {"DPRK Ministry of Foreign Affairs"}
    assert owners["u.s. joint chiefs of staff"] == {"US Joint Chiefs of Staff"}
    assert owners["foreign ministry"] == {"ROK Ministry of Foreign Affairs"}
    assert owners["joint chiefs of staff"] == {"ROK Joint Chiefs of Staff"}


def test_each_domain_names_one_source():
    ref = load_reference()
    seen: dict[str, str] = {}
    for table, items in (("outlet", ref.outlets), ("aggregator", ref.aggregators), ("agency", ref.agencies)):
        for s in items:
            for d in s.domains:
                assert d not in seen, f'{table} "{s.name}": domain {d} already belongs to {seen[d]}'
                seen[d] = f'{table} "{s.name}"'
    assert "stripes.com" in seen and "news.usni.org" in seen and "dvidshub.net" in seen


def test_outlet_and_aggregator_aliases_do_not_overlap():
    ref = load_reference()
    outlets = {_norm(a) for o in ref.outlets for a in (o.name, *o.aliases)}
    aggregators = {_norm(a) for o in ref.aggregators for a in (o.name, *o.aliases)}
    assert outlets & aggregators == set()


def test_domain_knowledge_of_this_domain():
    ref = load_reference()
    orgs = {o.name for o in ref.organizations}
    assert {"HJ Shipbuilding & Construction", "HD Hyundai Mipo", "Samsung Heavy Industries",
            "Hanwha Philly Shipyard", "Vigor Marine Group", "Austal USA", "Edison Chouest Offshore",
            "Korea Offshore & Shipbuilding Association", "837th Transportation Battalion",
            "599th Transportation Brigade", "7th Transportation Brigade (Expeditionary)",
            "Military Sealift Command Office Korea", "NAVSUP Fleet Logistics Center Yokosuka",
            "19th Expeditionary Sustainment Command", "PRC Ministry of Foreign Affairs"} <= orgs
    ahn = next(p for p in ref.people if p.name == "Ahn Gyu-back")
    assert "An Kyu-baek" in ahn.aliases
    ships = {p.name: p for p in ref.platforms if p.kind == "ship"}
    assert ships["USNS Wally Schirra"].operator == "Military Sealift Command"
    assert ships["ROKS Jeongjo the Great"].country == "KR"
    assert {"ajupress.com", "koreabizwire.com"} <= {d for o in ref.outlets for d in o.domains}


# --------------------------------------------------------------------------
# New fields are validated with the file and entry named
# --------------------------------------------------------------------------

def test_platform_operator_must_be_an_organization(ref_copy):
    _replace(ref_copy / "gazetteer.toml", 'operator = "Military Sealift Command"',
             'operator = "Military Sealift Commando"')
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(ref_copy)
    msg = str(exc.value)
    assert "gazetteer.toml: platform #" in msg and '"Military Sealift Commando"' in msg


def test_shared_alias_must_name_existing_entries(ref_copy):
    g = ref_copy / "gazetteer.toml"
    g.write_text(g.read_text() + '\n[[shared_alias]]\nalias = "Busan"\n'
                 'entries = ["place:Busan", "organization:Busan Corp"]\n', encoding="utf-8")
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(ref_copy)
    msg = str(exc.value)
    assert "shared_alias #1" in msg and '"organization:Busan Corp"' in msg


def test_domain_must_be_a_bare_host(ref_copy):
    _replace(ref_copy / "sources.toml", 'domains = ["stripes.com"]', 'domains = ["https://www.stripes.com/"]')
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(ref_copy)
    msg = str(exc.value)
    assert "sources.toml: outlet #" in msg and '("Stars and Stripes")' in msg and "https://www.stripes.com/" in msg


# Words that occur in ordinary page text: an outlet or aggregator named only by
# one of them would be "found" in any headline that uses the word.
COMMON_WORDS = {"caliber", "report", "reports", "pulse", "insider", "mint", "post", "times", "herald",
                "news", "daily", "world", "particle", "home", "today", "express", "focus", "observer",
                "guardian", "star", "sun", "independent", "nation", "telegraph", "chronicle", "monitor",
                "tribune", "journal", "review", "digest", "watch", "the", "navy", "army", "defense", "defence"}


def test_no_source_is_named_by_a_common_word():
    ref = load_reference()
    bad = [(s.name, a) for s in (*ref.outlets, *ref.aggregators) for a in (s.name, *s.aliases)
           if a.casefold() in COMMON_WORDS]
    assert bad == []


def test_reference_file_not_in_utf8_names_the_file(ref_copy):
    p = ref_copy / "sources.toml"
    p.write_bytes(("# 언론사 목록\n" + p.read_text(encoding="utf-8")).encode("cp949", "replace"))
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(ref_copy)
    assert "sources.toml" in str(exc.value) and "not UTF-8" in str(exc.value)


def test_topics_differing_only_in_punctuation_are_refused(ref_copy):
    p = ref_copy / "topics.toml"
    first = p.read_text(encoding="utf-8").split('name = "', 2)[1].split('"')[0]      # e.g. "logistics-sustainment"
    twin = first.replace("-", ".") if "-" in first else first + "."
    with p.open("a", encoding="utf-8") as fh:
        fh.write(f'\n[[topic]]\nname = "{twin}"\ndescription = "a twin"\ncues = ["depot"]\n')
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(ref_copy)
    msg = str(exc.value)
    assert f'"{twin}"' in msg and f'"{first}"' in msg and "only in punctuation" in msg
