"""Cross-article events: the same real-world event reported by several articles as one row.

Two reports are one event when their kinds agree (a contract is not a delivery),
their dates are compatible and they share at least one actor (person,
organisation or ship); syndicated copies of one story always merge. Dates are
compared as ``EventDate`` intervals (see ``workbench.analyse.timex``).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from workbench.analyse import timex as D
from workbench.record import Event, EventDate

if TYPE_CHECKING:  # imported where events are merged: ingest with nothing to merge never loads pandas
    import pandas as pd


def _kind(ev: Mapping[str, Any]) -> tuple[str, str | None]:
    """What must agree between two reports of one event: the kind, and for contracts,
    deliveries and arrivals the mode as well (meeting modes - visit, talks - may differ)."""
    kind = ev.get("kind") or ""
    return kind, (ev.get("mode") if kind in ("COOPERATE", "MOVE") else None)


def _sets(ev: Mapping[str, Any]) -> tuple[set, set, set]:
    return set(ev["participants"]), set(ev["organizations"]), set(ev.get("platforms") or [])


def _similar(a: tuple[set, set, set], place: Any, c: Mapping[str, Any]) -> float:
    """How alike an event report (its actor sets ``a``, from ``_sets``, and ``place``) and
    cluster ``c`` are (0 = unrelated): shared people and ships weigh 2, shared organisations
    1, the same place 0.5; none shared, or people on both sides and none in common, is 0.
    The report's sets are made once per report, the cluster's kept by ``_add_report``."""
    pa, oa, sa = a
    kept = c["_in"]
    pb, ob, sb = kept["participants"], kept["organizations"], kept["platforms"]
    shared_p, shared_o, shared_s = len(pa & pb), len(oa & ob), len(sa & sb)
    if shared_p + shared_o + shared_s == 0:
        return 0.0
    if pa and pb and shared_p == 0:
        return 0.0          # both name their people, and none in common
    return shared_p * 2 + shared_s * 2 + shared_o + (0.5 if place and place == c.get("place") else 0)


_RANK = {"day": 4, "week": 3, "month": 2, "year": 1, None: 0}
COLUMNS = ["event_id", "kind", "mode", "date", "date_precision", "date_basis", "date_partial", "year_inferred",
           "place", "participants", "organizations", "platforms", "sentences", "sources", "story_ids", "n_sources",
           "n_outlets", "outlets"]
_LISTED = ("participants", "organizations", "platforms", "sentences", "sources")   # lists of distinct values
_DATE_KEYS = ("date", "date_precision", "date_basis", "date_partial", "year_inferred")


def _reports(records: list[dict]) -> list[tuple[dict, int, Event]]:
    """Every (record, index, event), dated and precise ones first, then by document."""
    reports = [(r, i, ev) for r in records for i, ev in enumerate(r.get("events") or [])]
    reports.sort(key=lambda x: (-(x[2].get("date") is not None), -_RANK.get(x[2].get("date_precision"), 0),
                                x[0]["doc_id"], x[1]))
    return reports


def _actors(ev: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The actors a report names, as keys of the cluster index: ``_similar`` is 0 without one in common."""
    return ([("p", p) for p in ev["participants"]] + [("o", o) for o in ev["organizations"]]
            + [("s", s) for s in ev.get("platforms") or []])


def _best_cluster(r: dict, ev: Event, rd: EventDate | None, clusters: list[dict],
                  candidates: Iterable[int] | None = None) -> dict | None:
    """The cluster this report belongs to (None: a new event). ``candidates``: the
    indexes of the clusters that can score above 0 (default: every cluster)."""
    best, best_score = None, 0.0
    kind, sets = _kind(ev), _sets(ev)       # once per report, not once per cluster
    story = r.get("story_id") or r["doc_id"]
    for c in (clusters if candidates is None else [clusters[i] for i in sorted(candidates)]):
        comp = D.compatible(rd, c["_date"])
        same_story = story in c["_stories"]
        if comp is False or kind != c["_kind"]:
            continue
        s = _similar(sets, ev.get("place"), c)
        if comp is None and not (same_story and s > 0) and not (s >= 3):
            # an unknown date merges only with strong evidence
            if not (rd is None and c["_date"] is None and s >= 2):
                continue
        if s > best_score:
            best, best_score = c, s
    return best


def _new_cluster(ev: Event, rd: EventDate | None) -> dict:
    return {"kind": ev["kind"], "mode": ev.get("mode"), "date": ev.get("date"),
            "date_precision": ev.get("date_precision"), "date_basis": ev.get("date_basis"),
            "date_partial": ev.get("date_partial"), "year_inferred": ev.get("year_inferred", False),
            "place": ev.get("place"), "participants": [], "organizations": [], "platforms": [],
            "sentences": [], "sources": [], "story_ids": [], "outlets": [], "_date": rd, "_kind": _kind(ev),
            "_in": {k: set() for k in _LISTED}, "_stories": set()}   # the lists' members, as sets


def _add_report(c: dict, r: dict, ev: Event, rd: EventDate | None) -> None:
    """Fold one article's report of the event into its cluster."""
    for key, values in (("participants", ev["participants"]), ("organizations", ev["organizations"]),
                        ("platforms", ev.get("platforms") or []), ("sentences", [ev["sentence"]]),
                        ("sources", [r["doc_id"]])):
        kept = c["_in"][key]
        for v in values:
            if v not in kept:
                kept.add(v)
                c[key].append(v)
    if not c["place"] and ev.get("place"):
        c["place"] = ev["place"]
    sid = r.get("story_id") or r["doc_id"]
    if sid not in c["_stories"]:
        c["_stories"].add(sid)
        c["story_ids"].append(sid)
        c["outlets"].append(r.get("outlet") or r.get("agency"))
    if c["_date"] is None and rd is not None:
        c["_date"] = rd
        for k in _DATE_KEYS:
            c[k] = ev.get(k)


def _frame(clusters: list[dict]) -> pd.DataFrame:
    rows = []
    for n, c in enumerate(clusters, 1):
        c = {k: v for k, v in c.items() if not k.startswith("_")}
        c["event_id"] = f"EV{n:04d}"
        c["n_sources"] = len(c["sources"])
        c["n_outlets"] = len(c["story_ids"])
        rows.append(c)
    import pandas as pd
    df = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("date", "date_precision", "date_basis", "date_partial", "place", "mode"):
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    if len(df):
        df = df.sort_values(["date", "event_id"], na_position="last", kind="stable").reset_index(drop=True)
    return df


def merge_events(records_or_df: pd.DataFrame | Iterable[dict]) -> pd.DataFrame:
    """Merge the events of all records into one row per real-world event.

    Two reports are one event when their dates are compatible (a month contains
    its days; an unknown year matches on month and day) and they share people,
    or at least two organisations; copies of one story always merge. Columns:
    event_id, kind, mode, date, date_precision, date_basis, place, participants,
    organizations, sentences, sources (doc_ids), story_ids, n_sources, n_outlets
    (independent stories: syndicated copies count once), outlets.
    """
    import pandas as pd
    if isinstance(records_or_df, pd.DataFrame):
        records = records_or_df.to_dict("records")
    else:
        records = list(records_or_df)
    clusters: list[dict] = []
    # (kind, actor) -> the clusters naming that actor: only they can score above 0, so a
    # report is compared with those, in cluster order (the same choice as a scan of all)
    index: dict[tuple, set[int]] = {}
    for r, _i, ev in _reports(records):
        rd = EventDate.of_event(ev)
        kind, actors = _kind(ev), _actors(ev)
        near = set().union(*(index.get((kind, a), ()) for a in actors))
        best = _best_cluster(r, ev, rd, clusters, near)
        if best is None:
            best = _new_cluster(ev, rd)
            best["_n"] = len(clusters)
            clusters.append(best)
        _add_report(best, r, ev, rd)
        for a in actors:
            index.setdefault((kind, a), set()).add(best["_n"])
    return _frame(clusters)
