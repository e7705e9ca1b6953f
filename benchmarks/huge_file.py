"""How long one huge prose text file takes to ingest (issue 13: < 30 s for 8 MB).

Builds a text dump of ``--mb`` megabytes of varied news-like prose (our own words:
names, ranks, organisations, places and dates recombined, so the analysers have real
work on every line), ingests it with the real pipeline into a temporary store and
prints seconds, peak memory and the warning the analysis cap leaves.

    .venv/bin/python benchmarks/huge_file.py --mb 8
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PEOPLE = ["Gen. Paul LaCamera", "Col. Kim Min-jun", "Defense Minister Lee Sang-woo", "Adm. Sarah Holt",
          "Maj. Park Ji-hoon", "Secretary Daniel Ortiz", "Lt. Gen. Choi Hyun-soo", "Capt. Emily Warren"]
ORGS = ["US Forces Korea", "the Defense Acquisition Program Administration", "Hanwha Ocean", "HD Hyundai",
        "the Eighth Army", "Naval Sea Systems Command", "the Ministry of National Defense", "Korea Aerospace"]
PLACES = ["Camp Humphreys", "Busan", "Pyeongtaek", "Ulsan", "Geoje", "Seoul", "Washington", "Jinhae"]
VERBS = ["met", "visited", "signed a contract with", "held talks with", "inspected a depot alongside",
         "discussed ship repair with", "briefed"]
THINGS = ["spare parts", "fuel stocks", "munitions", "repair slots", "dry docks", "convoy routes"]
DAYS = ["on Monday", "on Tuesday", "last week", "on March 4", "on 12 June", "earlier this month"]


def prose(mb: float, seed: int = 7) -> str:
    """About ``mb`` MB of paragraphs of invented, varied logistics-news sentences."""
    rnd = random.Random(seed)
    out, size = [], 0
    while size < mb * 1_000_000:
        para = " ".join(
            f"{rnd.choice(PEOPLE)} {rnd.choice(VERBS)} {rnd.choice(ORGS)} in {rnd.choice(PLACES)} "
            f"{rnd.choice(DAYS)} to review {rnd.choice(THINGS)} and {rnd.randint(2, 900)} "
            f"{rnd.choice(THINGS)}, officials said." for _ in range(rnd.randint(3, 6)))
        out.append(para)
        size += len(para) + 2
    return "Allies review wartime sustainment plans\n\nBy a staff reporter\n\n" + "\n\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=8.0, help="size of the text file in MB (default 8)")
    args = ap.parse_args()
    from workbench.pipeline import ingest
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "raw" / "huge.txt"
        src.parent.mkdir()
        src.write_text(prose(args.mb), encoding="utf-8")
        size = src.stat().st_size
        t0 = time.perf_counter()
        s = ingest([src.parent], store=Path(tmp) / "store", progress=False)
        dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{size:,} bytes: ingested in {dt:.1f} s, "
          f"peak RSS {peak:.0f} MB; parsed {s.parsed}, rejected {len(s.rejected)}")
    for phase, sec in s.timings.items():
        print(f"  {phase}: {sec:.1f} s")
    for _, w in s.warnings:
        if "analysed" in w:
            print(f"  warning: {w}")


if __name__ == "__main__":
    main()
