"""cli: help, version, exit codes and messages (no traceback), logging options, outputs
that follow the umask, CSV cells that cannot run as formulas."""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workbench import __version__
from workbench.cli import build_parser, main
from workbench.explore.export import export_frame
from workbench.store import export_records

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "data" / "raw").glob("*.txt"))


def _run(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})}, check=False, **kw)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A real store of the seed articles (ingested once for this module)."""
    d = tmp_path_factory.mktemp("cli")
    assert main(["ingest", *map(str, SEEDS), "--store", str(d / "store"), "-q"]) == 0
    return d / "store"


def _subparsers(p: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    act = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
    return dict(act.choices)


def test_version_and_top_level_help(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0 and capsys.readouterr().out.strip() == f"workbench {__version__}"
    text = build_parser().format_help()
    assert "news pages" in text and "exit status" in text and "Typical day" in text


def test_every_command_has_description_examples_and_help_on_every_option():
    subs = _subparsers(build_parser())
    assert set(subs) == {"collect", "ingest", "summary", "export", "evaluate", "report"}
    for name, sp in subs.items():
        assert sp.description and len(sp.description) > 40, name
        assert sp.epilog and sp.epilog.startswith("examples:") and f"workbench {name}" in sp.epilog, name
        for act in sp._actions:
            assert act.help, f"{name}: {act.option_strings or act.dest} has no help"
        opts = {o for a in sp._actions for o in a.option_strings}
        assert {"-v", "-q", "--log-level"} <= opts, name


@pytest.mark.parametrize("bad", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_whole_number(bad, capsys):
    with pytest.raises(SystemExit) as e:
        main(["ingest", "--jobs", bad])
    assert e.value.code == 2 and "--jobs" in capsys.readouterr().err


def test_topic_takes_several_names_and_report_an_output_folder():
    a = build_parser().parse_args(["report", "--topic", "a", "b", "--topic", "c", "-o", "out"])
    assert a.topic == ["a", "b", "c"] and a.out_dir == "out"


def test_missing_url_list_is_an_error_naming_it(tmp_path, capsys):
    assert main(["collect", str(tmp_path / "urls-typo.txt"), "--state", str(tmp_path / "s.json")]) == 2
    assert "urls-typo.txt: no such URL list" in capsys.readouterr().err


def test_missing_input_path_is_an_error_naming_it(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "typo"), "--store", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert "typo: no such file or folder" in err and not (tmp_path / "s").exists()


@pytest.mark.parametrize("cmd", [["summary"], ["export"], ["export", "--format", "csv", "-o", "x.csv"]])
def test_missing_store_is_an_error(cmd, tmp_path, capsys):
    assert main([*cmd, "--store", str(tmp_path / "none")]) == 2
    assert "no corpus store" in capsys.readouterr().err


def test_export_to_a_missing_folder_is_a_message_not_a_traceback(store, tmp_path):
    p = _run("export", "--store", str(store), "-o", str(tmp_path / "missing" / "x.jsonl"))
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "missing" in p.stderr and "does not exist" in p.stderr
    assert not (tmp_path / "missing").exists()


def test_closed_pipe_stops_quietly(store):
    """`workbench export | head -n 1`: the reader goes away after one line."""
    p = subprocess.run(f"{sys.executable} -m workbench export --store {store} | head -n 1; "
                       "exit ${PIPESTATUS[0]}", shell=True, executable="/bin/bash",
                       capture_output=True, text=True, timeout=120, check=False)
    assert json.loads(p.stdout)["doc_id"]
    assert "Traceback" not in p.stderr and "BrokenPipe" not in p.stderr
    assert p.returncode in (0, 141)       # 0 when everything fitted in the pipe before head closed it
    gone = subprocess.run(f"{sys.executable} -m workbench export --store {store} | true; exit ${{PIPESTATUS[0]}}",
                          shell=True, executable="/bin/bash", capture_output=True, text=True, timeout=120,
                          check=False)        # the reader is gone before the first write
    assert gone.returncode == 141 and gone.stderr == "", gone.stderr


def test_evaluate_without_gold_says_so(tmp_path):
    p = _run("evaluate", env={"WORKBENCH_HOME": str(tmp_path)})
    assert p.returncode == 2 and "Traceback" not in p.stderr and "no gold answers" in p.stderr


def test_reference_file_in_cp949_names_the_file(tmp_path):
    ref = tmp_path / "data" / "reference"
    shutil.copytree(REPO / "data" / "reference", ref)
    topics = ref / "topics.toml"
    topics.write_bytes(("# 군수 주제\n" + topics.read_text(encoding="utf-8")).encode("cp949", "replace"))
    (tmp_path / "in.txt").write_text("Allies met at Camp Humphreys to plan fuel stocks.\n" * 20)
    p = _run("ingest", str(tmp_path / "in.txt"), "-q", env={"WORKBENCH_HOME": str(tmp_path)})
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "topics.toml" in p.stderr and "UTF-8" in p.stderr


def test_outputs_follow_the_umask(store, tmp_path):
    out = tmp_path / "x.csv"
    p = subprocess.run(f"umask 022 && {sys.executable} -m workbench export --format csv -o {out} --store {store}"
                       f" && {sys.executable} -m workbench ingest {SEEDS[0]} --store {tmp_path / 's'} -q",
                       shell=True, capture_output=True, text=True, timeout=120, check=False)
    assert p.returncode == 0, p.stderr
    written = [out, tmp_path / "s" / "manifest.json", *(tmp_path / "s" / "parts").glob("*.parquet")]
    assert len(written) > 3                 # the export, the manifest, partition and sidecar files
    for f in written:
        assert f.stat().st_mode & 0o777 == 0o644, f


def test_logging_options(store, tmp_path):
    quiet = _run("export", "--store", str(store), "-o", str(tmp_path / "a.jsonl"), "-q")
    assert quiet.returncode == 0 and quiet.stderr == ""      # no closing note
    normal = _run("export", "--store", str(store), "-o", str(tmp_path / "b.jsonl"))
    written = len((tmp_path / "b.jsonl").read_text(encoding="utf-8").splitlines())
    assert written > 0 and f"wrote {written} record(s)" in normal.stderr
    debug = _run("summary", "--store", str(store), "--log-level", "debug")
    assert debug.returncode == 0 and debug.stdout.strip()


HOSTILE = ["=HYPERLINK(\"http://x.example\",\"click\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1"]


def test_csv_export_neutralises_formula_cells():
    recs = [{"doc_id": f"d{i}", "title": t, "outlet": t, "body": "plain", "word_count": -1 if i else 3}
            for i, t in enumerate(HOSTILE)]
    buf = io.StringIO()
    export_records(recs, "csv", buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue(), newline="")))
    assert [r["title"] for r in rows] == ["'" + t for t in HOSTILE]
    assert all(r["body"] == "plain" for r in rows)
    assert rows[1]["word_count"] == "-1"                           # numbers stay numbers


def test_explorer_csv_neutralises_formula_cells():
    import pandas as pd
    df = pd.DataFrame({"doc_id": ["a", "b"], "title": [HOSTILE[0], "Fine title"],
                       "published": pd.to_datetime(["2026-02-11", None])})
    out = export_frame(df)
    assert list(out["title"]) == ["'" + HOSTILE[0], "Fine title"]


def test_corrections_option_and_strict(tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(SEEDS[0], d)
    doc = SEEDS[0].name.split(".")[0]
    fixes = tmp_path / "fixes.toml"
    fixes.write_text(f'[[correction]]\nid = "t1"\ndoc_id = "{doc}"\nset = {{ title = "Analyst title" }}\n\n'
                     '[[correction]]\nid = "gone"\ndoc_id = "no-such-article"\nset = { title = "X" }\n',
                     encoding="utf-8")
    store = str(tmp_path / "store")
    assert main(["ingest", str(d), "--store", store, "-q", "--corrections", str(fixes)]) == 0
    assert "no-such-article is not in the corpus" in capsys.readouterr().out   # said, not dropped
    from workbench.store import read_store
    assert [r["title"] for r in read_store(store)[0] if r["doc_id"] == doc] == ["Analyst title"]
    assert main(["ingest", str(d), "--store", store, "-q", "--corrections", str(fixes), "--strict"]) == 1
    assert "1 correction(s) not applied" in capsys.readouterr().err
    assert main(["ingest", str(d), "--store", store, "-q", "--corrections", "none"]) == 0
    assert [r["title"] for r in read_store(store)[0] if r["doc_id"] == doc] != ["Analyst title"]
    assert main(["ingest", str(d), "--store", store, "--corrections", str(tmp_path / "missing.toml")]) == 2


def test_strict_fails_on_a_document_with_no_body(tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(SEEDS[0], d)
    (d / "menu.txt").write_text("Home\nNews\nSports\nShare\nSubscribe\nLog in\n", encoding="utf-8")
    store = str(tmp_path / "store")
    assert main(["ingest", str(d), "--store", store, "-q"]) == 0
    assert "no body text: " in capsys.readouterr().out
    assert main(["ingest", str(d), "--store", store, "-q", "--strict"]) == 1
    cap = capsys.readouterr()
    assert "menu.txt (menu)" in cap.out and "1 document(s) with no body text" in cap.err


def test_ingest_refreshes_the_explorers_cache_of_the_partitions_it_wrote(tmp_path):
    from workbench.explore.cache import CACHE_DIR, _parts, part_id
    d = tmp_path / "in"
    d.mkdir()
    for i, p in enumerate(SEEDS[:4]):
        shutil.copy(p, d / f"{i}{p.suffix}")
    store = tmp_path / "s"
    assert main(["ingest", str(d), "--store", str(store), "-q", "--no-explorer-cache"]) == 0
    assert not (store / CACHE_DIR).exists()
    assert main(["ingest", str(d), "--store", str(store), "-q"]) == 0          # nothing changed: nothing made
    assert not (store / CACHE_DIR).exists()
    shutil.copy(SEEDS[4], d / f"4{SEEDS[4].suffix}")
    assert main(["ingest", str(d), "--store", str(store), "-q"]) == 0
    want = sorted(f"{kind}-{part_id(p)}.arrow" for _, p in _parts(store) for kind in ("index", "rows"))
    assert sorted(p.name for p in (store / CACHE_DIR).glob("*.arrow")) == want
