#!/usr/bin/env python3
"""Read-side robustness figures: decoding fidelity, the gzip bomb, a huge text file.

    python benchmarks/read_robustness.py                 # decoding + bomb
    python benchmarks/read_robustness.py --big-ingest    # also `workbench ingest` of an 8 MB file
    python benchmarks/read_robustness.py --korean-dir DIR   # Korean prose (UTF-8 .txt/.html) for cp949 cases

Decoding: every development text dump (data/dev/extraction/*.txt; never used to set
the decoder's thresholds, which come from first principles in workbench/decode.py) is
re-encoded in the ways real files arrive and decoded again; a variant counts as
recovered when the decoded text equals the original (with U+FFFD where a stray byte
was put). The dev set is split in two halves by file order: half A was looked at while
fixing the decoder, half B never was. Korean variants (whole-file CP949, UTF-8/CP949
alternating by line) use the Hangul lines of the files in ``--korean-dir`` (the dev set
holds almost no Korean), six lines a document. Random bytes of the same length must be
refused. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import gzip
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench import settings
from workbench.parse.decode import DecodeError, decode_bytes

HANGUL = re.compile("[\uac00-\ud7a3]")


def _dev_texts() -> list[str]:
    dev = settings.dev_dir()
    return [p.read_text(encoding="utf-8") for p in sorted(dev.glob("*.txt")) if not p.name.endswith(".gold.txt")]


def _stray(text: str, rng: random.Random) -> tuple[bytes, str]:
    """UTF-8 with one byte 0x92 put after a random space; the expected decoding:
    U+FFFD when the text has other UTF-8 to go by, else CP1252's right quote
    (all of a pure-ASCII file is consistent with CP1252)."""
    spaces = [i for i, c in enumerate(text) if c == " "]
    i = rng.choice(spaces) + 1
    mark = "\u2019" if text.isascii() else "\ufffd"
    return (text[:i].encode() + b"\x92" + text[i:].encode(), text[:i] + mark + text[i:])


def _variants(text: str, rng: random.Random) -> dict[str, tuple[bytes, str | None]]:
    out: dict[str, tuple[bytes, str | None]] = {
        "utf-8": (text.encode(), text),
        "utf-8 + stray byte": _stray(text, rng),
        "utf-16-le, no BOM": (text.encode("utf-16-le"), text),
        "utf-16-be, no BOM": (text.encode("utf-16-be"), text),
        "random bytes": (rng.randbytes(len(text.encode())).replace(b"\0", b"\1"), None),
    }
    try:
        out["cp1252"] = (text.encode("cp1252"), text)
    except UnicodeEncodeError:
        pass
    return out


def _korean_variants(lines: list[str]) -> dict[str, tuple[bytes, str | None]]:
    text = "".join(lines)
    mixed = b"".join(ln.encode("cp949" if i % 2 else "utf-8") for i, ln in enumerate(lines))
    return {"cp949 (Korean)": (text.encode("cp949"), text), "utf-8/cp949 by line": (mixed, text)}


def decoding_figures(korean_dir: str | None) -> None:
    rng = random.Random(2026)
    texts = _dev_texts()
    for label, half in (("A, looked at while fixing", texts[0::2]), ("B, held out", texts[1::2])):
        tally: Counter = Counter()
        totals: Counter = Counter()
        for text in half:
            for name, (data, want) in _variants(text, rng).items():
                totals[name] += 1
                tally[name] += _recovered(data, want)
        print(f"decoding, dev text dumps half {label} ({len(half)} files):")
        for name in totals:
            verb = "refused" if name == "random bytes" else "recovered exactly"
            print(f"  {name:22s} {tally[name]:3d}/{totals[name]:<3d} {verb}")
    if korean_dir:
        _korean_figures(Path(korean_dir))


def _korean_figures(folder: Path) -> None:
    lines = []
    for p in sorted(folder.rglob("*")):
        if p.suffix in (".txt", ".html", ".htm", ".md"):
            text = re.sub(r"<[^>]+>", " ", p.read_text(encoding="utf-8", errors="replace"))
            lines += [re.sub(r"[ \t]+", " ", ln).strip() + "\n" for ln in text.splitlines()
                      if len(HANGUL.findall(ln)) >= 5 and _cp949_ok(ln)]
    lines = list(dict.fromkeys(lines))
    tally: Counter = Counter()
    totals: Counter = Counter()
    for i in range(0, len(lines) - 5, 6):
        for name, (data, want) in _korean_variants(lines[i:i + 6]).items():
            totals[name] += 1
            tally[name] += _recovered(data, want)
    print(f"decoding, Korean prose from {folder} ({len(lines)} lines, 6 a document):")
    for name in totals:
        print(f"  {name:22s} {tally[name]:3d}/{totals[name]:<3d} recovered exactly")


def _cp949_ok(line: str) -> bool:
    try:
        line.encode("cp949")
        return True
    except UnicodeEncodeError:
        return False


def _recovered(data: bytes, want: str | None) -> bool:
    try:
        got = decode_bytes(data).text
    except DecodeError:
        return want is None
    return want is not None and got == want


def bomb_figures() -> None:
    """Time and peak memory of reading a 1 GiB gzip bomb, in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        bomb = Path(tmp) / "bomb.txt.gz"
        member = gzip.compress(b"\0" * (1 << 20), compresslevel=9)
        bomb.write_bytes(member * 1024)
        code = ("import time,resource,sys; from workbench.parse.read import read_file, InputError\n"
                "t=time.perf_counter()\n"
                "try: read_file(sys.argv[1])\n"
                "except InputError as e: r=e.reason\n"
                "print(f'{time.perf_counter()-t:.2f}', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss//1024, r)")
        out = subprocess.run([sys.executable, "-c", code, str(bomb)], capture_output=True, text=True,
                             check=True, cwd=ROOT).stdout.split(maxsplit=2)
        print(f"gzip bomb ({bomb.stat().st_size / 1e6:.1f} MB on disk, 1 GiB inflated): "
              f"refused in {out[0]} s, peak RSS of the reading process {out[1]} MB: {out[2].strip()}")


def big_ingest() -> None:
    """`workbench ingest` of one ~8 MB prose file: the dev pages' gold article bodies
    (pure prose, no page furniture) one after another; prints the stored body size."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(settings.dev_dir().glob("*.gold.txt"))]
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        parts, size, i = [], 0, 0
        while size < 8 * 1024 * 1024:
            t = texts[i % len(texts)]
            parts.append(t)
            size += len(t.encode())
            i += 1
        (raw / "big.txt").write_text("\n\n".join(parts), encoding="utf-8")
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "workbench", "ingest", str(raw), "--store",
                               str(Path(tmp) / "store"), "-q", "--jobs", "1"],
                              capture_output=True, text=True, check=False, cwd=ROOT)
        secs = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        print(f"8 MB prose file ({size / 1e6:.1f} MB): `workbench ingest` took {secs:.1f} s, "
              f"peak RSS {peak} MB, exit {proc.returncode}")
        print("  " + (proc.stdout.strip().splitlines() or [proc.stderr.strip()[-300:]])[0])
        if proc.returncode == 0:
            from workbench.store import read_store
            (rec,), _ = read_store(Path(tmp) / "store")
            print(f"  stored body: {len(rec['body'] or ''):,} characters, {rec['word_count']:,} words")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--big-ingest", action="store_true", help="also ingest an 8 MB text file (slow)")
    ap.add_argument("--korean-dir", help="folder of Korean prose (UTF-8 .txt/.html/.md)")
    a = ap.parse_args()
    decoding_figures(a.korean_dir)
    bomb_figures()
    if a.big_ingest:
        big_ingest()


if __name__ == "__main__":
    main()
