"""How much text the distinct bodies of ``make_corpus.py`` share (a check on the generator).

    python benchmarks/corpus_overlap.py [--bodies 2000] [--seed 7]

Generates bodies (no furniture, no near-copies) and counts, over all pairs, the
word 5-gram containment of the smaller body in the larger: distinct documents
should rarely pass 0.5 and never 0.8 (the linker's threshold). Prints figures.
"""
from __future__ import annotations

import argparse
import itertools
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import Generator, load_templates

_WORD = re.compile(r"[0-9a-z]+")
COMMON = 200          # a 5-gram in more bodies than this is skipped (pairs would explode)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bodies", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    g = Generator(load_templates(), a.seed)
    sets = []
    for _ in range(a.bodies):
        w = _WORD.findall(" ".join(g.body()).lower())
        sets.append({hash(tuple(w[i:i + 5])) for i in range(len(w) - 4)})
    where = defaultdict(list)
    for i, s in enumerate(sets):
        for x in s:
            where[x].append(i)
    shared: Counter = Counter()
    for ds in where.values():
        if len(ds) <= COMMON:
            shared.update(itertools.combinations(ds, 2))
    cont = [c / min(len(sets[i]), len(sets[j])) for (i, j), c in shared.items()]
    pairs = a.bodies * (a.bodies - 1) // 2
    print(f"{a.bodies} bodies, {pairs:,} pairs: {len(shared) / pairs:.1%} share a 5-gram; containment "
          + ", ".join(f">= {t}: {sum(c >= t for c in cont):,}" for t in (0.1, 0.3, 0.5, 0.8)))


if __name__ == "__main__":
    main()
