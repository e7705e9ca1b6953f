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
