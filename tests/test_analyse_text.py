from workbench.analyse.text import comparison_text, comparison_words_text, split_sentences


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


def test_comparison_words_text_gives_the_words_comparison_text_gives():
    import random
    import re
    from pathlib import Path

    word = re.compile(r"[0-9a-z]+(?:'[a-z]+)?")         # the copy linker's word (``stories._WORD``)
    texts = ["The U.S. Navy's \u201cship-repair\u201d deal \u2014 signed.", "don't", "'.x", "x.'", "a.'b", "a!'?b",
             "said.\" Next", "x'-y", "'\"'", "rock 'n' roll", "\u2018quoted\u2019", "Stra\u00dfe \u0130stanbul \u017f",
             "a\u00b4b", "no quotes. at all!", "a\x00'b", "", "''", "x' y '"]
    rng = random.Random(5)
    alphabet = "ab '\"!?.-,\u2019\u201cU.S.\n\t\u00e9\u00df\u0130_1()"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    root = Path(__file__).resolve().parents[1] / "data"
    texts += [f.read_text(encoding="utf-8", errors="replace") for f in sorted((root / "raw").glob("*.txt"))]
    for t in texts:
        fast = comparison_words_text(t)
        assert word.findall(comparison_text(t)) == word.findall(fast if fast is not None else comparison_text(t)), t
    assert comparison_words_text("a\x00b") is None
    assert comparison_words_text("a.'b c. d") == "ab c. d" != comparison_text("a.'b c. d")   # punctuation left in
    assert word.findall(comparison_words_text("a.'b c!d") or "") == ["ab", "c", "d"]
