from workbench.evaluate.table import issue_figures, issue_lines


def _doc(doc_id, meta, not_body=(), f1=1.0):
    return {"doc_id": doc_id, "found": True, "f1": f1, "not_body_inside": list(not_body),
            "meta": {f: {"ok": g == o, "gold": g, "got": o} for f, (g, o) in meta.items()}}


def test_issue_figures_count_each_class():
    result = {
        "documents": [
            _doc("a", {"title": ("T", "T"), "published": (None, "2025-01-02"), "outlet": ("O", "O")},
                 not_body=["Photo caption. (X)"], f1=0.8),
            _doc("b", {"title": ("T", None), "published": ("2025-01-03", "2025-01-04"), "agency": ("Y", "Y")}),
            _doc("c", {"published": ("2025-01-05", None)}),
        ],
        "analysis": {
            "organizations": {"recall": 0.5, "precision": 1.0}, "people": {"recall": 1.0},
            "topics": {"f1": 0.75}, "events": {"found": 1, "total": 3, "wrong_date": 1},
            "duplicates": {"pairs_found": 1, "gold_pairs": 2, "false_pairs": 0},
        },
    }
    fig = issue_figures(result)
    assert fig["header_exact"] == 3 / 7
    assert (fig["dates_invented"], fig["dates_wrong"]) == (1, 1)       # a missing date is neither
    assert (fig["furniture_lines"], fig["furniture_pages"], fig["body_f1_min"]) == (1, 1, 0.8)
    assert (fig["events_found"], fig["events_wrong_date"], fig["pairs_found"]) == (1, 1, 1)
    lines = issue_lines(fig, "gold.json")
    assert "1 / 1" in lines[2] and "0.43" in lines[1]
