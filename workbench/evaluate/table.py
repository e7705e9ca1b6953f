"""The figures of issue 10's table for one gold file (``workbench evaluate --gold FILE``):
header fields exact, invented and wrong publication dates, furniture lines inside
bodies, organisations R/P, people R, topics F1, events found / wrong date, and
syndicated pairs - from an ``evaluate_seeds`` result (any gold file in the seeds' format).
"""
from __future__ import annotations

from typing import Any

HEADER_FIELDS = ("title", "published", "outlet", "author", "agency")


def _dates(docs: list[dict]) -> tuple[int, int]:
    """(invented, wrong) publication dates: a date where gold has none (not flagged
    inferred), and a date other than gold's."""
    invented = wrong = 0
    for d in docs:
        m = d.get("meta", {}).get("published")
        if not m or m["ok"] or m["got"] is None:
            continue
        if m["gold"] is None:
            invented += 1
        else:
            wrong += 1
    return invented, wrong


def issue_figures(result: dict[str, Any]) -> dict[str, Any]:
    """The table's figures from ``evaluate_seeds(raw_dir, gold_path)``."""
    docs = [d for d in result["documents"] if d.get("found")]
    header = [m["ok"] for d in docs for f, m in d.get("meta", {}).items() if f in HEADER_FIELDS]
    invented, wrong = _dates(docs)
    a = result["analysis"]
    furniture = [len(d.get("not_body_inside", [])) for d in docs]
    return {
        "documents": len(result["documents"]), "found": len(docs),
        "header_exact": sum(header) / len(header) if header else None,
        "dates_invented": invented, "dates_wrong": wrong,
        "furniture_lines": sum(furniture), "furniture_pages": sum(1 for n in furniture if n),
        "body_f1_min": min((d["f1"] for d in docs if d.get("f1") is not None), default=None),
        "org_recall": a["organizations"]["recall"], "org_precision": a["organizations"]["precision"],
        "people_recall": a["people"]["recall"], "topics_f1": a["topics"]["f1"],
        "events_found": a["events"]["found"], "events_total": a["events"]["total"],
        "events_wrong_date": a["events"].get("wrong_date", 0),
        "pairs_found": a["duplicates"]["pairs_found"], "pairs_gold": a["duplicates"]["gold_pairs"],
        "pairs_false": a["duplicates"]["false_pairs"],
    }


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def issue_lines(fig: dict[str, Any], gold_name: str) -> list[str]:
    """The table as ``workbench evaluate --gold`` prints it."""
    return [
        f"Issue-10 figures against {gold_name} ({fig['found']}/{fig['documents']} documents read)",
        f"  {'title, date, outlet, author, agency exact':52} {_f(fig['header_exact'])}",
        f"  {'publication dates invented / wrong':52} {fig['dates_invented']} / {fig['dates_wrong']}",
        f"  {'lines of page furniture inside bodies (pages)':52} {fig['furniture_lines']} ({fig['furniture_pages']})",
        f"  {'lowest body F1':52} {_f(fig['body_f1_min'])}",
        f"  {'organisations recall / precision':52} {_f(fig['org_recall'])} / {_f(fig['org_precision'])}",
        f"  {'people recall':52} {_f(fig['people_recall'])}",
        f"  {'topics F1':52} {_f(fig['topics_f1'])}",
        f"  {'events found (same actors and date) / wrong date':52} "
        f"{fig['events_found']}/{fig['events_total']} / {fig['events_wrong_date']}",
        f"  {'syndicated pairs found / false':52} {fig['pairs_found']}/{fig['pairs_gold']} / {fig['pairs_false']}",
    ]
