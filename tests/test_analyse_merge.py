from workbench.analyse import merge_events


def ev(kind, mode, date, orgs=(), ships=(), people=()):
    return {"kind": kind, "mode": mode, "date": date, "date_precision": "day" if date else None,
            "date_basis": "explicit" if date else None, "date_text": date, "date_partial": None,
            "year_inferred": False, "place": None, "participants": list(people), "organizations": list(orgs),
            "platforms": list(ships), "sentence": f"{kind} {date}", "evidence": [], "planned": False}


def rec(doc_id, *events, story=None):
    return {"doc_id": doc_id, "story_id": story or doc_id, "outlet": doc_id, "events": list(events)}


def test_one_shared_ship_and_same_kind_merge_independent_reports():
    df = merge_events([rec("a", ev("COOPERATE", "contract", "2025-08-06", ["Yard Co"], ["USNS Example"])),
                       rec("b", ev("COOPERATE", "contract", None, ["Yard Co"], ["USNS Example"]))])
    assert len(df) == 1 and df.iloc[0]["n_outlets"] == 2
    assert list(df.iloc[0]["platforms"]) == ["USNS Example"]


def test_different_kinds_or_modes_never_merge():
    df = merge_events([rec("a", ev("COOPERATE", "contract", "2025-08-06", ["Yard Co"], ["USNS Example"])),
                       rec("b", ev("COOPERATE", "delivery", "2025-08-06", ["Yard Co"], ["USNS Example"]))])
    assert len(df) == 2
    df = merge_events([rec("a", ev("MOVE", "arrival", "2025-08-06", ["Yard Co"], ["USNS Example"])),
                       rec("b", ev("CONSULT", "visit", "2025-08-06", ["Yard Co"], ["USNS Example"]))])
    assert len(df) == 2


def test_no_shared_actor_or_incompatible_date_do_not_merge():
    df = merge_events([rec("a", ev("COOPERATE", "contract", "2025-08-06", ["Yard Co"])),
                       rec("b", ev("COOPERATE", "contract", "2025-08-06", ["Other Yard"]))])
    assert len(df) == 2
    df = merge_events([rec("a", ev("COOPERATE", "contract", "2025-08-06", ["Yard Co"])),
                       rec("b", ev("COOPERATE", "contract", "2025-10-01", ["Yard Co"]))])
    assert len(df) == 2


def test_copies_count_once():
    df = merge_events([rec("a", ev("COOPERATE", "contract", "2025-08-06", ["Yard Co"]), story="s"),
                       rec("b", ev("COOPERATE", "contract", "2025-08-06", ["Yard Co"]), story="s")])
    assert len(df) == 1 and df.iloc[0]["n_outlets"] == 1 and df.iloc[0]["n_sources"] == 2


def test_the_actor_index_picks_the_cluster_a_scan_of_all_clusters_picks():
    """merge_events compares a report only with clusters sharing an actor; a scan of every
    cluster (``_best_cluster`` without candidates) must give the same events, on reports
    that often share actors, kinds and compatible dates (month, year, unknown, partial)."""
    import random

    from workbench.analyse import merge as M
    from workbench.record import EventDate
    rnd = random.Random(5)
    names = [f"N{i}" for i in range(12)]
    dates = [None, "2025-08", "2025", "2025-08-06", "2025-08-07", "2025-09-01"]
    records = []
    for d in range(300):
        evs = []
        for _ in range(rnd.randint(0, 3)):
            e = ev(rnd.choice(["CONSULT", "COOPERATE"]), rnd.choice(["contract", "delivery", "visit"]),
                   rnd.choice(dates), rnd.sample(names, rnd.randint(0, 2)), rnd.sample(names[:4], rnd.randint(0, 1)),
                   rnd.sample(names, rnd.randint(0, 2)))
            e["date_precision"] = {None: None, 4: "year", 7: "month", 10: "day"}[len(e["date"]) if e["date"] else None]
            if e["date"] is None and rnd.random() < 0.3:
                e["date_partial"] = "--08-06"
            e["place"] = rnd.choice([None, "Busan"])
            evs.append(e)
        records.append(rec(f"d{d:03d}", *evs, story=f"s{d // 3 if rnd.random() < 0.3 else d}"))

    clusters: list[dict] = []
    for r, _i, e in M._reports(records):
        rd = EventDate.of_event(e)
        best = M._best_cluster(r, e, rd, clusters)
        if best is None:
            best = M._new_cluster(e, rd)
            clusters.append(best)
        M._add_report(best, r, e, rd)
    scanned, indexed = M._frame(clusters), merge_events(records)
    assert 100 < len(indexed) < sum(len(r["events"]) for r in records)     # many reports merged
    assert indexed.to_dict("records") == scanned.to_dict("records")
