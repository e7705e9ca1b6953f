from workbench.parse.furniture import closing_credit, is_caption, strip_furniture

AGENCIES = {"Yonhap": "Yonhap", "Reuters": "Reuters"}


def test_caption_forms():
    assert is_caption("A tug pushes the tanker into the dock on Friday. (Harbor Authority)")
    assert is_caption("Cranes stand over the hull in Ulsan. [SHIPYARD CO.]")
    assert is_caption("The pier at dawn. (Picture source: Port Office)")
    assert is_caption("Photo By Cpl. Sam Reed | Trucks roll off a ship. see less")
    assert is_caption("2 / 4 Show Caption + Hide Caption - A crane lifts a box. VIEW ORIGINAL")
    assert is_caption("This photo shows the tanker at sea. (PHOTO NOT FOR SALE) (Yonhap)", AGENCIES)


def test_story_sentences_with_parentheses_are_not_captions():
    assert not is_caption("The deal was approved by lawmakers, officials said. (Yonhap)", AGENCIES)
    assert not is_caption("The two firms signed a memorandum of understanding (MOU).")
    assert not is_caption("The navy will pay for the work (about $20 million)")
    assert not is_caption("Repairs took seven months.")


def test_strip_moves_captions_and_drops_promos_and_tails():
    body = "\n\n".join([
        "Follow Harbor Weekly on Google News",
        "A crane lifts a hull block at the yard. (Yard Co.)",
        "The yard finished the job in May, the company said.",
        "The view from the pier (Courtesy of Yard Co.) The tanker left on Friday.",
        "reporter@example.co.kr",
        "(END)",
        "Other headline after the end",
    ])
    fur = strip_furniture(body)
    assert fur.body == "The yard finished the job in May, the company said.\n\nThe tanker left on Friday."
    assert fur.captions == ["A crane lifts a hull block at the yard. (Yard Co.)",
                            "The view from the pier (Courtesy of Yard Co.)"]
    assert fur.dropped == 3


def test_translation_note_ends_the_story():
    fur = strip_furniture("First.\n\nSecond.\n\n* This article was translated by AI and edited.\n\nSecond.")
    assert fur.body == "First.\n\nSecond."


def test_closing_agency_credit():
    assert closing_credit("It was the third contract.Yonhap", AGENCIES.get) == ("It was the third contract.", "Yonhap")
    assert closing_credit("Officials said so. (Reuters)", AGENCIES.get) == ("Officials said so.", "Reuters")
    assert closing_credit("The yard is in Busan Port", AGENCIES.get) == ("The yard is in Busan Port", None)
    assert closing_credit("He thanked the Navy.", AGENCIES.get)[1] is None


def test_hard_wrapped_lines_join_but_menus_do_not():
    from workbench.parse.furniture import join_wrapped_lines
    lines = ["The navy tanker left the yard in", "the early morning after repairs.", "Next line starts Here."]
    assert join_wrapped_lines(lines) == ["The navy tanker left the yard in\nthe early morning after repairs.",
                                         "Next line starts Here."]
    menu = ["home", "news", "world", "sports and more", "log in"]
    assert join_wrapped_lines(menu) == menu
    # a run of three wrapped lines, a run that never ends its sentence (left as it is), then a second run
    page = ["Menu", "The navy said the tanker would", "  stay in the yard for", "two more weeks of work.", "",
            "a list of small words", "and more of them,", "and so on", "Officials in Busan said the yard had",
            "finished the repairs early."]
    assert join_wrapped_lines(page) == [
        "Menu", "The navy said the tanker would\n  stay in the yard for\ntwo more weeks of work.", "",
        "a list of small words", "and more of them,", "and so on",
        "Officials in Busan said the yard had\nfinished the repairs early."]


def test_blank_promos_remembers_verdicts():
    from workbench.parse.furniture import blank_promos
    lines = ["Follow The Daily Example on Google News", "The ship docked at noon.", ""]
    memo: dict[str, bool] = {}
    assert blank_promos(lines, memo) == ["", "The ship docked at noon.", ""]
    assert memo["The ship docked at noon."] is False
    assert blank_promos(lines, memo) == blank_promos(lines) == ["", "The ship docked at noon.", ""]
    plain = ["The ship docked at noon.", "It left at dawn."]           # no promo: an equal list, a copy
    out = blank_promos(plain, memo)
    assert out == plain and out is not plain and memo["It left at dawn."] is False


def _samples() -> list[str]:
    """Paragraphs and lines of the seed pages plus hand-made edge cases for the regex shortcuts."""
    from pathlib import Path
    root = Path(__file__).resolve().parents[1] / "data" / "raw"
    out = []
    for f in sorted(root.glob("*.txt")):
        text = f.read_text(encoding="utf-8", errors="replace")
        out += text.split("\n") + text.split("\n\n")
    out += ["", " ", "(Yonhap)", "x (Yonhap)\n", "x (Yonhap) \u00a0", "A pier. [HANWHA]\t", "said.(AP)",
            "PHOTO: a ship", "pHoTo by Kim", "1/3 Show caption", "![img](x)", "| View image page", "See less ",
            "view original\n", "(photo not for sale)", "Ship seen (\u0130stanbul Port)", "Ship sails. (Port ſtaff)",
            "Photos by staff", "the caption reads", "Ends with a word Yonhap", "ends.Yonhap", "ends. (Yonhap) \n",
            "said.\u201dReuters", "x" * 300 + " Yonhap", "word-word AP", "a. " + "B" * 250, "He said. (AFP)  ",
            "unless we see less", "regardless of it", "See   Less\n\n", "Courtesy photo", "3 / 4 show caption",
            "x Show caption + Hide caption y", "x (Photo not for sale) y", "nevertheless, View original \t",
            "caption-less", "|", "!", "9", "photo", "p", "\uc0ac\uc9c4 photo: \uc5f0\ud569",
            "\u0663/\u0664 show caption",
            "(Photo not for sale) \uc0ac\uc9c4", "\ub354\ubcf4\uae30 see less", "\u017fee le\u017f\u017f",
            "Courte\u017fy photo", "x \u017fhow capt\u0130on + hide caption", "view orig\u0131nal", "\u212a", "\u0130",
            "\u0663", "\uff10/1 show caption"]
    return out


def test_regex_shortcuts_agree_with_the_plain_regexes():
    from workbench.parse import furniture as F
    for s in _samples():
        assert F._photo_block(s) == bool(F._PHOTO_BLOCK.search(s)), s
        a, b = F._end_credit(s), F._END_CREDIT.search(s)
        assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), s
        a, b = F._closing_match(s), F._CLOSING_CREDIT.search(s)
        assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), s
        assert (F._GLUED_CAPTION.match(s) is None) or "(" in s


def test_promo_split_is_the_one_pattern():
    import random
    import re

    from workbench.parse import furniture
    one = re.compile(furniture._PROMO.pattern[:-1] + "|" + furniture._DONATION.pattern[1:] + ")", re.I)
    gate = re.compile("[onat]", re.I)       # the gate's letters match only themselves and their capitals
    assert [chr(c) for c in range(0x110000) if gate.fullmatch(chr(c))] == list("ANOTanot")
    rng = random.Random(5)
    pieces = ["make", "MAKE", "a", "charitable", "Donation", "DONATIONS", "donation", "x" * 30, "follow", "us", "on",
              "twitter", "home", ">", "skip to content", "\n", "é", "_"]
    lines = [" ".join(rng.choice(pieces) for _ in range(rng.randrange(1, 9))) for _ in range(4000)]
    lines += ["Please make a charitable donation today", "x" * 41 + " make a charitable donation",
              "x" * 35 + " make a charitable donation", "remake a charitable donation"]
    assert [furniture.is_promo(s) for s in lines] == [one.search(s.strip()) is not None for s in lines]
    assert 100 < sum(map(furniture.is_promo, lines)) < 3900
