from workbench.analyse.text import comparison_text, split_sentences


def texts(body):
    return [s.text for s in split_sentences(body)]


def test_glued_sentences_split_after_a_word_or_a_number():
    assert texts("The tanker docked on Oct. 2.Its crew went ashore.") == [
        "The tanker docked on Oct. 2.", "Its crew went ashore."]
    assert texts("Repairs ended in May 2024.Workers then painted the hull.") == [
        "Repairs ended in May 2024.", "Workers then painted the hull."]
    assert texts('the yard said.\u201dThe Navy agreed.') == ["the yard said.\u201d", "The Navy agreed."]


def test_no_split_inside_domains_abbreviations_or_decimals():
    assert len(split_sentences("See navy.mil.kr for the notice and the U.S.Navy page.")) == 1
    assert len(split_sentences("Lt.Gen.Park visited the 2.5 km pier.")) == 1


def test_offsets_point_at_the_source_text():
    body = "First one.Second one."
    for s in split_sentences(body):
        assert body[s.start:s.end] == s.text


def test_comparison_text_ignores_us_spelling_quotes_hyphens_and_case():
    a = comparison_text("The U.S. Navy's \u201cship-repair\u201d deal \u2014 signed.")
    b = comparison_text("The US Navy\u2019s \"ship repair\" deal - Signed")
    assert a == b
    assert comparison_text("A U.S.-built tanker") == comparison_text("A US built tanker")
    assert comparison_text("the bus fleet") != comparison_text("the us fleet")


def test_glued_stop_regex_matches_what_the_look_behind_form_matched():
    import re
    from pathlib import Path

    from workbench.analyse.text import _GLUED
    old = re.compile(r'(?<=[a-z0-9)])[.!?]["\'\)\]]*(?=[A-Z][a-z])')
    texts = ["said Tuesday.The company", "U.S.Navy", "yna.co.kr", "(END).Next", "one!\"Two", "a.)Bc", ".Ab", "9?Xy"]
    for f in sorted((Path(__file__).resolve().parents[1] / "data" / "raw").glob("*.txt")):
        texts.append(f.read_text(encoding="utf-8", errors="replace"))
    for t in texts:
        for lo in range(0, len(t), 37):            # segments, as the paragraph splitter asks for them
            hi = min(len(t), lo + 300)
            assert [m.span() for m in _GLUED.finditer(t, lo, hi)] == [m.span() for m in old.finditer(t, lo, hi)]


def test_comparison_text_us_regex_matches_what_the_word_boundary_form_matched():
    import re
    from pathlib import Path

    from workbench.analyse.text import _COMPARE_US

    old = re.compile(r"\bU\.\s?S\.(?:\s?A\.)?(?=\W|$)")
    texts = ["U.S. ships", "the U.S.", "AU.S. x", "(U.S.)", "U. S. A. and U.S.A.", "_U.S.", "1U.S.", "\u00e9U.S.",
             "U.S.Navy", "U.S.-built", "US U.S U.S.", "U.S.A"]
    root = Path(__file__).resolve().parents[1] / "data"
    for f in sorted((root / "raw").glob("*.txt")) + sorted((root / "dev" / "extraction").glob("*.txt"))[:60]:
        texts.append(f.read_text(encoding="utf-8", errors="replace"))
    for t in texts:
        assert [m.span() for m in _COMPARE_US.finditer(t)] == [m.span() for m in old.finditer(t)], t[:80]
    assert any(old.search(t) for t in texts[12:]), "no page here says U.S."
