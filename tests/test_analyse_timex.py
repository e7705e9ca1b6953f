from workbench.analyse.timex import NO_ANCHOR, Anchor, anchor_from_record, compatible, event_date, find_dates

FEB11 = Anchor(2026, 2, 11, "published:page")      # a Wednesday
FEB14 = Anchor(2026, 2, 14, "published:page")


def d(sentence, anchor):
    r = event_date(sentence, anchor)
    return None if r is None else (r.date, r.precision, r.partial)


def test_weekday_resolves_to_the_dateline_day_or_before():
    assert d("held talks in Seoul on Wednesday to discuss", FEB11) == ("2026-02-11", "day", None)
    assert d("Simerly arrived in South Korea on Tuesday for a trip", FEB11) == ("2026-02-10", "day", None)
    assert d("they met last Wednesday", FEB11) == ("2026-02-04", "day", None)
    assert d("the two will meet next Friday", FEB11) == ("2026-02-13", "day", None)


def test_unknown_year_stays_unknown():
    dateline_only = anchor_from_record({"published": None, "dateline_day": "--02-11"})
    assert (dateline_only.year, dateline_only.month, dateline_only.day) == (None, 2, 11)
    assert d("held talks in Seoul on Wednesday", dateline_only) == (None, None, None)
    assert d("for talks in Seoul on June 9.", NO_ANCHOR) == (None, "day", "--06-09")
    assert d("On February 3, the ministers agreed", dateline_only) == (None, "day", "--02-03")


def test_month_precision_and_reporting_dates():
    assert d("during a visit earlier this month by a US delegation", FEB14) == ("2026-02", "month", None)
    assert d("Earlier in February, senior officials held separate talks", FEB14) == ("2026-02", "month", None)
    # "said on February 14" dates the report, not the consultations
    assert d("officials recently held consultations, officials said on February 14.", FEB14) is None
    assert d("the ministry said Monday", FEB14) is None


def test_explicit_dates_and_year_rollover():
    assert d("on Feb. 3, 2026 the deal was signed", NO_ANCHOR) == ("2026-02-03", "day", None)
    assert d("on Dec. 28 they met", Anchor(2026, 1, 5, "published:page")) == ("2025-12-28", "day", None)
    assert d("the visit on 3 February", FEB11) == ("2026-02-03", "day", None)
    assert d("in May 2024 they met", NO_ANCHOR) == ("2024-05", "month", None)
    assert find_dates("this may help") == []


def test_inferred_anchor_is_flagged():
    a = anchor_from_record({"published": "2025-06-10", "published_basis": "inferred"})
    r = event_date("talks in Seoul on June 9", a)
    assert r.date == "2025-06-09" and r.year_inferred


def test_compatibility():
    day = event_date("on February 11", FEB14)
    month = event_date("earlier this month", FEB14)
    other = event_date("on February 3", Anchor(2026, 2, 4, "p"))
    partial = event_date("on June 9", NO_ANCHOR)
    assert compatible(day, month) is True
    assert compatible(day, other) is False
    assert compatible(partial, event_date("on June 9", Anchor(2025, 6, 10, "p"))) is True
    assert compatible(partial, day) is False


NOV12 = Anchor(2024, 11, 12, "published:page")


def test_future_word_moves_only_its_own_clause():
    assert d("The oiler docked at the yard on August 28 and is expected to stay for months", NOV12)[0] \
        == "2024-08-28"
    assert d("The oiler docked on Nov. 3, which will let the crew rest", NOV12)[0] == "2024-11-03"
    # a plan in the same clause still looks ahead
    assert d("The oiler will dock at the yard in March", NOV12)[0] == "2025-03"


def test_comparison_dates_are_not_event_dates():
    assert d("The carrier docked on Friday, the first such call since October 2017", NOV12)[0] == "2024-11-08"
    assert d("the first port call by a carrier since October 2017", NOV12) is None
    assert d("more ships were repaired than in 2023", NOV12) is None
    ms = find_dates("a larger fleet compared with March 2020")
    assert ms and ms[0].comparison


def test_last_month_name_and_month_last_year():
    mar = Anchor(2025, 3, 14, "published:page")
    assert d("won the job last September", mar)[:2] == ("2024-09", "month")
    assert d("won the job last February", mar)[:2] == ("2025-02", "month")
    jul = Anchor(2025, 7, 9, "published:page")
    assert d("won the job in August last year", jul)[0] == "2024-08"


def test_korean_style_day_of_month():
    nov12 = Anchor(2025, 11, 12, "published:page")
    assert d("The ship entered the dock on the 10th, the company said", nov12)[0] == "2025-11-10"
    assert d("The ship left the yard on the 28th", nov12)[0] == "2025-10-28"
    assert d("the contract signed on the 30th of last month", nov12)[0] == "2025-10-30"
    assert d("The yard will start work on the 20th", nov12)[0] == "2025-11-20"
    assert d("the 75th anniversary of the alliance", nov12) is None
    assert d("The ship left on the 28th", NO_ANCHOR) == (None, None, None)     # unknown stays unknown
