#!/usr/bin/env python3
"""Instructions a page spent cleaning the CV pages, cold and warm, under callgrind.

    python benchmarks/clean_instructions.py                  # the line model of this tree
    python benchmarks/clean_instructions.py --baseline       # the old rule cleaner (cv_extraction's baseline)
    python benchmarks/clean_instructions.py --tree DIR       # the line model of another checkout (same data)

CPU time on the shared 2-core machine moves by 20-40 % with the other jobs' load;
instruction counts do not.  The same loops as ``cv_extraction.py --speed`` (one
cold pass with the line caches emptied, then one warm pass) run under
``valgrind --tool=callgrind``, which writes its counters at each call of
``os.getppid`` -- the marks between the passes.  Needs valgrind; ~5-10 minutes.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def passes(tree: Path, baseline: bool) -> None:
    """The measured loops (run inside valgrind)."""
    sys.path[:0] = [str(tree), str(tree / "benchmarks"), str(ROOT / "benchmarks")]
    import train_line_model as train
    texts = [p["text"] for p in train.load_pages() if p["set"] != "seed" and not train.frozen(p)]
    if baseline:
        import cv_extraction
        mod = cv_extraction.baseline_cleaner()
        clear = mod._LINE_CACHE.clear
    else:
        from workbench.parse import clean as mod
        clear = mod.clear_caches
    mod.clean_page("warm up")
    clear()
    for _ in range(2):                    # cold, then warm
        os.getppid()
        for t in texts:
            mod.clean_page(t)
    os.getppid()
    print(len(texts))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tree", type=Path, default=ROOT, help="checkout whose workbench is measured")
    ap.add_argument("--baseline", action="store_true", help="measure the old rule cleaner instead")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.inner:
        passes(a.tree.resolve(), a.baseline)
        return
    out = Path(tempfile.mkdtemp()) / "cg.out"
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", "--dump-before=*getppid*",
           sys.executable, __file__, "--inner", "--tree", str(a.tree)] + ["--baseline"] * a.baseline
    run = subprocess.run(cmd, capture_output=True, text=True, check=True)
    pages = int(run.stdout.split()[-1])
    dumps = sorted(out.parent.glob("cg.out.*"), key=lambda f: int(f.suffix[1:]))
    counts = [int(re.search(r"^summary: (\d+)", f.read_text(), re.M).group(1)) for f in dumps]
    # each mark matches two nested functions (os.getppid and libc's getppid): drop the tiny gaps between them
    _start_up, cold, warm = [c for c in counts if c > 1_000_000][:3]
    print(f"{'old rule cleaner' if a.baseline else a.tree}: {cold / pages / 1e6:.1f} / {warm / pages / 1e6:.2f} "
          f"million instructions a page cold / warm ({pages} pages)")


if __name__ == "__main__":
    main()
