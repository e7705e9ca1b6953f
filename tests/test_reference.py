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
