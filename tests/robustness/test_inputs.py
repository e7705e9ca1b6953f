"""Robustness of the read side: every bad input is rejected or warned with a
message naming it and the reason, the rest of the run is still stored, raw
files stay untouched, and no traceback reaches the terminal.

One ingest (the real CLI, in a subprocess) runs over a folder holding every
case next to good articles; each test then checks its own case in that run's
output and store. Fixtures are generated here, in our own words.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

import pytest

from workbench import settings
from workbench.parse.read import InputError, discover, read_file
from workbench.store import read_store

ARTICLE = (
    "Army logisticians from both allies met at Camp Humphreys on Tuesday to rehearse moving fuel, "
    "spare parts and ammunition across the peninsula during a crisis.\n\n"
    "The drill tested how quickly a shared supply depot could reroute convoys when a main road was "
    "closed, officials said, adding that results would shape next year's combined exercise.\n\n"
    "A spokesperson said the two sides also discussed repairing each other's vehicles in forward "
    "workshops, a step both militaries have called essential for sustaining operations.\n"
)
KO = "양국 군수 당국은 화요일 평택에서 연료와 정비 부품 수송 절차를 점검했다고 밝혔다."
CURLY = "Korea’s defence ministry said the “combined logistics” talks went well — officials agreed."


def _gzip_bomb(path: Path, gib: float = 1.0) -> None:
    """~1 MB on disk that expands to ``gib`` GiB: one compressed MiB of zeros, repeated
    as gzip members (a valid multi-member gzip file)."""
    member = gzip.compress(b"\0" * (1 << 20), compresslevel=9)
    with path.open("wb") as fh:
        for _ in range(int(gib * 1024)):
            fh.write(member)


def _corrupt_gzip() -> bytes:
    data = bytearray(gzip.compress((ARTICLE * 20).encode()))
    for i in range(20, 60):               # inside the deflate stream, past the header
        data[i] ^= 0xA5
    return bytes(data)


def _random_bytes(n: int) -> bytes:
    return random.Random(13).randbytes(n).replace(b"\0", b"\x01")


CASES: dict[str, bytes | None] = {
    # name -> bytes written (None: made specially in the fixture)
    "good.txt": ARTICLE.encode(),
    "good2.json": json.dumps({"title": "Depot drill", "text": ARTICLE, "date": "2026-03-04"}).encode(),
    "corrupt.txt.gz": _corrupt_gzip(),
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "bigint.json": b'{"text": "a short article", "n": ' + b"7" * 5000 + b"}",
    "bomb.txt.gz": None,
    "empty.txt": b"",
    "blank.txt": b" \n\t\r\n   \n",
    "binary.txt": b"\x89PNG\r\n\x1a\n" + b"".join(i.to_bytes(4, "big") + b"IDAT" for i in range(300)),
    "grainy.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,   # few NULs, no text
    "onenul.txt": ARTICLE.encode().replace(b"Tuesday", b"Tues\x00day"),
    "random.txt": _random_bytes(20_000),
    "stray.txt": (CURLY + "\n\n" + ARTICLE).encode().replace(b"went well", b"went\x92 well"),
    "utf16le.txt": (CURLY + "\n\n" + ARTICLE + KO).encode("utf-16-le"),
    "utf16be.txt": (CURLY + "\n\n" + ARTICLE + KO).encode("utf-16-be"),
    "mixed.txt": (ARTICLE + CURLY + "\n").encode() + (KO + "\n").encode("cp949") + (KO + "\n").encode(),
    "types.json": json.dumps({"text": ARTICLE, "title": ["Depot", "drill"], "outlet": {"name": "X"},
                              "date": 1767225600}).encode(),
    "numeric.json": json.dumps([{"text": 12345, "title": "Numbers only"}, {"text": ARTICLE}]).encode(),
    "extra.csv": ("title,text,outlet\n"
                  f'Drill one,"{ARTICLE}",Daily Bugle\n'
                  f'Drill two,"{ARTICLE}",Daily Bugle,stray cell,another\n').encode(),
    "unclosed.csv": (b"title,text\n"
                     b'Row one,"this text opens a quote and never closes it\n'
                     b"Row two,second text\nRow three,third text\nRow four,fourth text\n"),
}
REJECTED = {  # file -> words its reason must hold
    "corrupt.txt.gz": "gzip", "deep.json": "nested too deep", "bigint.json": "ValueError",
    "bomb.txt.gz": "decompresses to more than", "empty.txt": "empty", "blank.txt": "whitespace",
    "binary.txt": "binary file", "grainy.txt": "does not look like text", "random.txt": "does not look like text",
}


def _snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.is_symlink() and os.access(p, os.R_OK):
            out[str(p)] = (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
    return out


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The whole bad-input folder ingested once by the CLI (``--strict -v``)."""
    base = tmp_path_factory.mktemp("robust")
    raw = base / "raw"
    raw.mkdir()
    for name, data in CASES.items():
        if data is not None:
            (raw / name).write_bytes(data)
    _gzip_bomb(raw / "bomb.txt.gz")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Not an article: a private note outside the input folder.\n" * 5)
    (raw / "alias.txt").symlink_to(raw / "good.txt")
    (raw / "dangling.txt").symlink_to(raw / "gone.txt")
    (raw / "escape.txt").symlink_to(outside / "secret.txt")
    os.mkfifo(raw / "pipe.txt")
    with open(os.fsencode(raw) + b"/latin\xe9.txt", "wb") as fh:     # a file name that is not UTF-8
        fh.write(ARTICLE.encode())
    before = _snapshot(raw) | _snapshot(outside)
    proc = subprocess.run([sys.executable, "-m", "workbench", "ingest", str(raw), "--store", str(base / "store"),
                           "--strict", "-v", "-q", "--jobs", "1"],
                          check=False, capture_output=True, text=True, timeout=120)
    records, ledger = read_store(base / "store")
    return {"proc": proc, "raw": raw, "before": before, "after": _snapshot(raw) | _snapshot(outside),
            "records": {r["doc_id"]: r for r in records}, "ledger": ledger}


def _rejection(run, name: str) -> str:
    lines = [ln for ln in run["proc"].stdout.splitlines() if ln.strip().startswith("rejected:") and name in ln]
    assert lines, f"no rejection line for {name}:\n{run['proc'].stdout}"
    return "\n".join(lines)


def _warnings(run, doc_id: str) -> list[str]:
    return list(run["records"][doc_id]["warnings"])


def test_run_completes_without_traceback_and_strict_fails(run):
    proc = run["proc"]
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    assert proc.returncode == 1 and "--strict" in proc.stderr


def test_good_inputs_still_stored(run):
    recs = run["records"]
    assert "Camp Humphreys" in recs["good"]["body"]
    assert "Camp Humphreys" in recs["good2"]["body"]


def test_raw_files_untouched(run):
    assert run["after"] == run["before"]


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_bad_file_rejected_with_reason(run, name):
    line = _rejection(run, name)
    assert REJECTED[name] in line
    assert not any(d.startswith(name.split(".")[0]) for d in run["records"]), "a rejected file left records"


def test_stray_byte_keeps_utf8_and_warns(run):
    body = run["records"]["stray"]["body"] or ""
    text = (run["records"]["stray"]["title"] or "") + body
    assert "â€" not in text and "‚Äô" not in text
    assert "Camp Humphreys" in body
    assert any("1 invalid UTF-8 byte" in w for w in _warnings(run, "stray"))


@pytest.mark.parametrize("name", ["utf16le", "utf16be"])
def test_utf16_without_bom(run, name):
    rec = run["records"][name]
    assert "Camp Humphreys" in rec["body"] and "\x00" not in rec["body"]
    assert any("NUL-byte pattern" in w for w in rec["warnings"])


def test_stray_nul_dropped_and_warned(run):
    rec = run["records"]["onenul"]
    assert "Tuesday" in rec["body"] and any("NUL" in w for w in rec["warnings"])


def test_mixed_utf8_and_cp949(run):
    rec = run["records"]["mixed"]
    assert "Camp Humphreys" in rec["body"]
    assert any("decoded as cp949" in w for w in rec["warnings"])


def test_json_fields_of_wrong_type_warned_by_name(run):
    warns = " ".join(_warnings(run, "types"))
    for field in ("'title' is a list", "'outlet' is an object", "'date' is a number"):
        assert field in warns
    assert "Camp Humphreys" in run["records"]["types"]["body"]


def test_numeric_text_rejected_with_true_reason(run):
    line = _rejection(run, "numeric.json:1")
    assert "'text' is a number" in line and "it has: text" not in line
    assert "numeric__2" in run["records"]


def test_csv_extra_cells_warned(run):
    by_title = {r["title"]: r for d, r in run["records"].items() if d.startswith("extra__")}
    assert any("extra cells ignored: 'stray cell'" in w for w in by_title["Drill two"]["warnings"])
    assert not any("extra cells" in w for w in by_title["Drill one"]["warnings"])


def test_csv_unclosed_quote_is_not_silent(run):
    line = _rejection(run, "unclosed.csv:2")
    assert "line 2" in line and "not read" in line


@pytest.mark.parametrize("name,reason", [
    ("alias.txt", "same file as"), ("dangling.txt", "broken symlink"),
    ("escape.txt", "outside the input folders"), ("pipe.txt", "not a regular file"),
    ("latin\\xe9.txt", "name is not valid UTF-8"),
])
def test_discovery_refusals(run, name, reason):
    assert reason in _rejection(run, name)


def test_outside_file_never_read(run):
    parsed = [k for k, v in run["ledger"].items() if isinstance(v, dict) and v.get("status") == "parsed"]
    assert parsed and not any("secret" in k or "escape" in k for k in parsed)
    assert all("private note" not in (r["body"] or "") for r in run["records"].values())


# ---------------------------------------------------------------- direct checks on the read side

def test_gzip_bomb_rejected_in_bounded_memory(tmp_path):
    bomb = tmp_path / "bomb.txt.gz"
    _gzip_bomb(bomb)
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="decompresses to more than"):
            read_file(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 300 * 1024 * 1024 and peak < 3 * settings.MAX_DECOMPRESSED_BYTES


def test_same_file_named_twice_read_once(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    found, refused = discover([tmp_path, tmp_path / "a.txt", str(tmp_path / "a.txt")])
    assert found == [tmp_path / "a.txt"] and refused == []


def test_folder_and_file_inside_it_stored_once(tmp_path):
    from workbench.pipeline import ingest
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(ARTICLE)
    s = ingest([raw, raw / "a.txt"], store=tmp_path / "store", jobs=1, progress=False)
    assert s.parsed == 1 and s.documents == 1 and not s.rejected


def test_symlinked_folder_inside_inputs_read_under_real_path(tmp_path):
    (tmp_path / "2026").mkdir()
    (tmp_path / "2026" / "x.txt").write_text(ARTICLE)
    (tmp_path / "0-latest").symlink_to(tmp_path / "2026")
    found, refused = discover([tmp_path])
    assert found == [tmp_path / "2026" / "x.txt"] and refused == []


def test_follow_symlinks_reads_outside_link(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "out.txt").write_text(ARTICLE)
    (tmp_path / "in" / "link.txt").symlink_to(tmp_path / "out.txt")
    assert discover([tmp_path / "in"])[0] == []
    assert discover([tmp_path / "in"], follow_symlinks=True)[0] == [tmp_path / "in" / "link.txt"]


def test_symlink_loop_ends(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text(ARTICLE)
    (tmp_path / "a" / "up").symlink_to(tmp_path / "a")
    found, _ = discover([tmp_path / "a"], follow_symlinks=True)
    assert found == [tmp_path / "a" / "x.txt"]


_DISCOVER = ("import json, sys; from workbench.parse.read import discover; f, r = discover([sys.argv[1]]); "
             "print(json.dumps([[str(p) for p in f], [[e.path, e.reason] for e in r]]))")


def _discover_unprivileged(folder: Path) -> tuple[list[str], list[list[str]]]:
    """discover() as this user, or -- when running as root, who can list any
    folder -- in a child process as user nobody (needs setpriv and a Python
    that nobody can run)."""
    if os.geteuid() != 0:
        found, refused = discover([folder])
        return [str(p) for p in found], [[e.path, e.reason] for e in refused]
    python = shutil.which("python3", path="/usr/bin:/usr/local/bin")
    if not shutil.which("setpriv") or not python:
        pytest.skip("running as root without setpriv or a system python3")
    proc = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", python, "-c",
                           _DISCOVER, str(folder)], capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(Path(__file__).resolve().parents[2]), "PATH": "/usr/bin"},
                          cwd="/", timeout=60)
    if proc.returncode != 0:
        pytest.skip(f"cannot run discover() as nobody: {proc.stderr.strip()[-200:]}")
    found, refused = json.loads(proc.stdout)
    return found, refused


def _discover_beside(mode: int) -> tuple[Path, list[str], list[list[str]]]:
    """discover() as an unprivileged user on a folder holding ok.txt and a folder
    ``locked`` (with x.txt and a subfolder) whose permissions are ``mode``."""
    base = Path(tempfile.mkdtemp())
    try:
        base.chmod(0o755)
        (base / "ok.txt").write_text(ARTICLE)
        (base / "ok.txt").chmod(0o644)
        locked = base / "locked"
        (locked / "sub").mkdir(parents=True)
        (locked / "x.txt").write_text(ARTICLE)
        locked.chmod(mode)
        found, refused = _discover_unprivileged(base)
    finally:
        (base / "locked").chmod(0o755)
        shutil.rmtree(base)
    return base, found, refused


def test_unreadable_folder_is_a_rejection():
    base, found, refused = _discover_beside(0)
    assert found == [str(base / "ok.txt")]
    assert [str(base / "locked"), "cannot list folder: Permission denied"] in refused


def test_folder_readable_but_not_searchable_is_a_rejection():
    """Its names can be listed but not looked at: the folder is refused as one, not each
    entry as a file of unknown type."""
    base, found, refused = _discover_beside(0o444)
    assert found == [str(base / "ok.txt")]
    assert refused == [[str(base / "locked"), "cannot list folder: Permission denied"]]


def test_eight_megabyte_prose_is_read(tmp_path):
    rng = random.Random(5)
    paras = ARTICLE.split("\n\n")
    parts, size = [], 0
    while size < 8 * 1024 * 1024:
        p = rng.choice(paras).strip() + f" (Item {rng.randrange(10**6)}.)\n\n"
        parts.append(p)
        size += len(p)
    big = tmp_path / "big.txt"
    big.write_text("".join(parts))
    (doc,) = read_file(big).docs
    assert doc.format == "text" and len(doc.text) >= 8 * 1024 * 1024 and not doc.warnings
