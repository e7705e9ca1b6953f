"""Figures against gold answers and the development pages.

* ``seeds``: the real pipeline on ``data/raw`` against ``data/gold/seeds.json``;
* ``extraction``: bodies of the development pages (text dumps, HTML);
* ``analysis``: organisations, people, places, topics, events, copies vs gold;
* ``scorer``: the one loader of the benchmark's own metric.

``run_evaluation`` returns every figure; ``evaluation_lines`` words them for the
command line (which prints them).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Evaluation:
    """Every figure of one ``workbench evaluate`` run."""

    seeds: dict[str, Any]
    dev: list[dict[str, Any]] = field(default_factory=list)   # one per half: text, html
    dev_dir: str = ""
    gold_name: str = ""


def run_evaluation(html: bool = True, dev_dir: str | Path | None = None, gold: str | Path | None = None,
                   raw_dir: str | Path | None = None) -> Evaluation:
    """Seeds (or the pages of ``raw_dir`` against the gold file ``gold``) through the real
    pipeline, then the dev pages' text dumps (and HTML)."""
    from workbench import settings
    from workbench.evaluate.extraction import evaluate_dev
    from workbench.evaluate.seeds import evaluate_seeds
    result = Evaluation(seeds=evaluate_seeds(raw_dir, gold), dev_dir=str(dev_dir or settings.dev_dir()),
                        gold_name=str(gold or settings.gold_path()))
    for kind in ("text", "html") if html else ("text",):
        result.dev.append(evaluate_dev(kind, dev_dir))
    return result


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def _seed_lines(seeds: dict[str, Any]) -> list[str]:
    out = ["Seeds: body (benchmark metric) and metadata against data/gold/seeds.json",
           f"  {'doc_id':24} {'P':>6} {'R':>6} {'F1':>6}  not_body  metadata (✗ = differs from gold)"]
    meta_ok = meta_n = 0
    for d in seeds["documents"]:
        if not d["found"]:
            out.append(f"  {d['doc_id']:24} MISSING from the store")
            continue
        bad = [f"{f}: got {m['got']!r}, gold {m['gold']!r}" for f, m in d["meta"].items() if not m["ok"]]
        meta_ok += sum(m["ok"] for m in d["meta"].values())
        meta_n += len(d["meta"])
        out.append(f"  {d['doc_id']:24} {_fmt(d['p'])} {_fmt(d['r'])} {_fmt(d['f1'])}  "
                   f"{len(d['not_body_inside']):>8}  {'all exact' if not bad else '✗ ' + '; '.join(bad)}")
    found = [d for d in seeds["documents"] if d["found"]]
    if found:
        mean = {k: sum(d[k] for d in found) / len(found) for k in ("p", "r", "f1")}
        out.append(f"  {'overall (mean)':24} {_fmt(mean['p'])} {_fmt(mean['r'])} {_fmt(mean['f1'])}  "
                   f"{sum(len(d['not_body_inside']) for d in found):>8}")
    out.append(f"  metadata fields exact: {meta_ok}/{meta_n}")
    if seeds["rejected"]:
        out.append(f"  rejected inputs: {seeds['rejected']}")
    return out


def _analysis_lines(a: dict[str, Any]) -> list[str]:
    out = ["Seeds: analysis against gold"]
    for name in ("organizations", "places", "topics"):
        r = a[name]
        out.append(f"  {name:14} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f}"
                   f"  missed={[m[1] for m in r.get('missed', [])]} extra={[m[1] for m in r.get('extra', [])]}")
    p = a["people"]
    out.append(f"  {'people':14} recall={p['recall']:.3f} ({p['found']}/{p['total']})"
               f"  missed={[m[1] for m in p.get('missed', [])]}")
    e = a["events"]
    out.append(f"  {'events':14} gold found {e['found']}/{e['total']} ({e['merged_events']} merged events): "
               + "; ".join(f"{d['id']} {'ok' if d['found'] else 'MISSING'} {d['date'] or d['date_partial'] or '-'}"
                           f" ({d['n_outlets']} outlet(s))" for d in e["events"]))
    d = a["duplicates"]
    out.append(f"  {'duplicates':14} pairs found {d['pairs_found']}/{d['gold_pairs']}, "
               f"false pairs {d['false_pairs']}{' ' + str(d['false']) if d['false'] else ''}")
    return out


def _dev_lines(r: dict[str, Any], dev_dir: str, verbose: bool) -> list[str]:
    kind = r["kind"]
    if not r["pages"] or r["missing"] == r["pages"]:
        return [f"Dev pages ({kind}): none found in {dev_dir}"]
    missing = f"; {r['missing']} page file(s) missing, scored as empty" if r["missing"] else ""
    out = [f"Dev pages ({r['pages']}, {'text dumps' if kind == 'text' else 'HTML'}): "
           f"F1={r['F1']:.3f} P={r['P']:.3f} R={r['R']:.3f} exact={r['acc']:.3f} "
           f"({r['pages'] / r['seconds']:.0f} pages/s incl. start-up{missing})"]
    if verbose:
        for d in sorted(r["documents"], key=lambda d: (d["p"] or 0) + (d["r"] or 0)):
            out.append(f"    {d['id'][:16]} P={_fmt(d['p'])} R={_fmt(d['r'])}")
    return out


def evaluation_lines(result: Evaluation, verbose: bool = False) -> list[str]:
    """The figures of ``result`` as the lines ``workbench evaluate`` prints."""
    from workbench.evaluate.table import issue_figures, issue_lines
    out = _seed_lines(result.seeds) + _analysis_lines(result.seeds["analysis"])
    out += issue_lines(issue_figures(result.seeds), result.gold_name)
    for r in result.dev:
        out += _dev_lines(r, result.dev_dir, verbose)
    return out
