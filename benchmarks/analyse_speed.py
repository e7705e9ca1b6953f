#!/usr/bin/env python3
"""Time ``analyse_record`` on the seed articles (bodies from the gold answers).

Prints milliseconds per article (median of several rounds). Not a test: a busy
machine changes the figure, so it is measured here and read, not asserted.

    .venv/bin/python benchmarks/analyse_speed.py [--rounds 20]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))   # seed_data: test-only sample records

from seed_data import records_from_gold  # noqa: E402

from workbench.analyse import analyse_record  # noqa: E402
from workbench.reference import load_reference  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=20)
    a = ap.parse_args()
    ref = load_reference()
    recs = records_from_gold()
    for r in recs:                       # build the matchers once, outside the timing
        analyse_record(r, ref)
    per = []
    for _ in range(a.rounds):
        t0 = time.perf_counter()
        for r in recs:
            analyse_record(r, ref)
        per.append((time.perf_counter() - t0) * 1000 / len(recs))
    print(f"analyse_record: {statistics.median(per):.2f} ms per article (median of {a.rounds} rounds "
          f"over {len(recs)} seed articles; min {min(per):.2f}, max {max(per):.2f})")


if __name__ == "__main__":
    main()
