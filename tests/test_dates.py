from workbench.dates import find_full_date


def ymd(text, **kw):
    fd = find_full_date(text, **kw)
    return fd.iso() if fd else None


def test_numeric_dates_follow_the_unambiguous_number():
    assert ymd("posted 14-03-2025") == "2025-03-14"
    assert ymd("Source14-03-2025") == "2025-03-14"
    assert ymd("03/14/2025") == "2025-03-14"
    assert ymd("13/13/2025") is None


def test_ambiguous_numeric_dates_follow_the_site_or_stay_unknown():
    assert ymd("4/5/2006") is None
    assert ymd("4/5/2006", month_first=True) == "2006-04-05"
    assert ymd("4/5/2006", month_first=False) == "2006-05-04"
    assert ymd("11.02.2026") == "2026-02-11"                    # dots: European by default
    assert ymd("Date: 02.10.2026", month_first=True) == "2026-02-10"


def test_month_name_dates_win_when_earlier():
    assert ymd("Feb. 11, 2026 (updated 02/12/2026)", month_first=True) == "2026-02-11"
