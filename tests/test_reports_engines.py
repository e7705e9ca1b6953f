"""``workbench report --engine dask`` writes what the local engine writes, on the same store.

Both engines run every report of the seed corpus (real notebooks, real kernels;
the Dask one on a LocalCluster of two workers; the local engine's run is the one
test_reports_run.py checks) into two folders of one project home; the files must
be the same, and so must every report's content: the data
each section shows, and the HTML pages once the time they were generated is
taken out.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from report_support import built_reports, workbench_home

pytestmark = pytest.mark.slow

GENERATED = re.compile(r"generated [^<·]*|cell-id=[0-9a-f-]+")   # the time; papermill's random cell id


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.is_file() and p.relative_to(folder).parts[0] not in (".logs", ".locks")}


def _section_data(nb_path: Path) -> dict[str, object]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    out = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            meta = (o.get("metadata") or {}).get("workbench") or {}
            if "section" in meta:
                data = o.get("data", {})
                out[meta["section"]] = data["application/json"]["data"] if "application/json" in data \
                    else data.get("image/png")
    return out


def _state(folder: Path, name: str) -> dict:
    st = json.loads((folder / ".state" / f"{name}.json").read_text(encoding="utf-8"))
    content = dict(st.get("content") or {}, generated_at=None)
    return {"status": st["status"], "fingerprint": st["fingerprint"], "content": content}


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The local engine's reports of the seed store (shared with test_reports_run) and the
    Dask engine's of the same store, twice (the second run finds everything up to date)."""
    pytest.importorskip("distributed")
    from workbench.reports.run import run_reports
    built = built_reports(tmp_path_factory)
    home = built["home"]
    with workbench_home(home):
        dask = run_reports(store=built["store"], reports_dir=home / "dask", jobs=2, progress=False, engine="dask")
        again = run_reports(store=built["store"], reports_dir=home / "dask", jobs=2, progress=False,
                            engine="dask")
    return built, dask, again


def test_dask_engine_writes_the_files_of_the_local_engine(both):
    built, dask, again = both
    assert built["rc"] == 0 and not dask.failed, [j.error for j in dask.failed]
    assert {j.status for j in dask.jobs} == {"ok"} and len(dask.jobs) == 9
    assert _files(built["home"] / "dask") == _files(built["reports"])
    assert {j.status for j in again.jobs} == {"unchanged"}     # skip-if-unchanged works the same


def test_dask_engine_reports_say_what_the_local_ones_say(both):
    built, dask, _ = both
    local, remote = built["reports"], built["home"] / "dask"
    for job in dask.jobs:
        a, b = local / f"{job.name}.ipynb", remote / f"{job.name}.ipynb"
        assert _section_data(b) == _section_data(a), job.name
        assert "headline" in _section_data(a), job.name
        pa, pb = ((d / f"{job.name}.html").read_text(encoding="utf-8") for d in (local, remote))
        assert GENERATED.sub("", pb) == GENERATED.sub("", pa), job.name
        assert _state(remote, job.name) == _state(local, job.name)
    assert GENERATED.sub("", (remote / "index.html").read_text(encoding="utf-8")).count("<a ") == \
        GENERATED.sub("", (local / "index.html").read_text(encoding="utf-8")).count("<a ")


def test_unknown_engine_is_refused(tmp_path):
    from workbench.errors import UsageError
    from workbench.reports.run import run_reports
    with pytest.raises(UsageError, match="'spark'"):
        run_reports(store=tmp_path, reports_dir=tmp_path / "r", engine="spark")


def test_reports_of_a_store_at_an_fsspec_url_on_dask_say_what_the_local_ones_say(both, tmp_path):
    """The kernels on the Dask workers read the store through fsspec (a ``file://`` URL here:
    no object store without a network): one topic's report and the overview as from the folder."""
    import shutil

    from workbench.reports.run import run_reports
    built, dask, _ = both
    copy = tmp_path / "store"
    shutil.copytree(built["store"], copy)
    topic = next(j.topic for j in dask.jobs if j.kind == "topic")
    with workbench_home(built["home"]):
        out = run_reports(topics=[topic], store=f"file://{copy}", reports_dir=tmp_path / "url", jobs=1,
                          progress=False, engine="dask")
    assert not out.failed, [j.error for j in out.failed]
    assert {j.kind for j in out.jobs} == {"topic", "overview"}
    for job in out.jobs:
        assert job.params["store"] == f"file://{copy}"
        a, b = built["reports"] / f"{job.name}.ipynb", tmp_path / "url" / f"{job.name}.ipynb"
        assert _section_data(b) == _section_data(a) and "headline" in _section_data(b), job.name
