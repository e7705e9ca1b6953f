#!/usr/bin/env python3
"""Are two folders of reports the same? Every output of every executed notebook (HTML, JSON
data, PNG) and every HTML page, byte for byte, but for the generation time in the title and
papermill's random id of the injected-parameters cell (both differ between any two runs).

    python benchmarks/same_reports.py REPORTS_A REPORTS_B      # exit 1 when a report differs
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat

RUN_SPECIFIC = re.compile(r"generated \d{1,2} \w+ \d{4}, \d\d:\d\d UTC"
                          r'|(?<=celltag_injected-parameters" id="cell-id=)[0-9a-f-]+')


def outputs(path: Path) -> list[tuple[str | None, dict[str, str]]]:
    nb = nbformat.read(path, as_version=4)
    return [((o.get("metadata") or {}).get("workbench", {}).get("section"),
             {k: v if isinstance(v, str) else json.dumps(v, sort_keys=True) for k, v in o.get("data", {}).items()})
            for c in nb.cells for o in c.get("outputs", [])]


def compare(a: Path, b: Path) -> list[str]:
    """One line per report: equal, or what differs."""
    lines = []
    for nb_a in sorted(a.glob("*.ipynb")):
        nb_b = b / nb_a.name
        if not nb_b.exists():
            lines.append(f"DIFFERS {nb_a.stem}: missing in {b}")
            continue
        oa, ob = outputs(nb_a), outputs(nb_b)
        bad = [f"{sa}:{k}" for (sa, da), (_, db) in zip(oa, ob) for k in sorted(set(da) | set(db))
               if RUN_SPECIFIC.sub("", da.get(k) or "") != RUN_SPECIFIC.sub("", db.get(k) or "")]
        if len(oa) != len(ob):
            bad.append(f"{len(oa)} vs {len(ob)} outputs")
        pages = [RUN_SPECIFIC.sub("", p.with_suffix(".html").read_text(encoding="utf-8")) for p in (nb_a, nb_b)]
        if pages[0] != pages[1]:
            bad.append("HTML page")
        lines.append(f"{'DIFFERS' if bad else 'same   '} {nb_a.stem}: {len(oa)} outputs" + (f"; {bad}" if bad else ""))
    return lines


def main(argv=None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 2:
        print(__doc__)
        return 2
    lines = compare(Path(args[0]), Path(args[1]))
    print("\n".join(lines))
    differ = sum(ln.startswith("DIFFERS") for ln in lines)
    print(f"{len(lines)} report(s): {differ} differ")
    return 1 if differ or not lines else 0


if __name__ == "__main__":
    sys.exit(main())
