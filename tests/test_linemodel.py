"""Tests for the line classifier's parts: cells, the model file, inference, decoding."""
from __future__ import annotations

import json

import numpy as np
import pytest

from workbench.parse import linefeatures, linemodel
from workbench.parse.clean import unit_features
from workbench.parse.linefeatures import cells, feature_names
from workbench.parse.linemodel import ModelError, check_model, decode, load_model, predict


def _tiny_model(feature: int = 0, threshold: float = 0.5) -> dict:
    """One stump: left leaf -2, right leaf +2 (as the training script writes it)."""
    stump = {"bias": 0.0, "depth": 1, "roots": [0],
             "nodes": {"feature": [feature, -1, -1], "threshold": [threshold, 0, 0],
                       "left": [1, 1, 2], "right": [2, 1, 2], "value": [0, -2.0, 2.0]}}
    return {"format": linemodel.MODEL_FORMAT, "features": feature_names(), "plain": stump, "table": stump}


def test_cells_split_table_layout_lines_only():
    story = "The harbour crews unloaded the convoy's spare parts before dawn on Tuesday."
    assert cells(f"{story}\t\tWeather | Sports") == [story, "Weather | Sports"]
    assert cells(f"Home    {story}") == ["Home", story]
    # data-table rows and menus stay whole: no cell is long enough to be prose
    assert cells("1     Kyle Busch      5040     5") == ["1     Kyle Busch      5040     5"]
    assert cells("  an indented line of plain prose text  ") == ["  an indented line of plain prose text  "]
    # two spaces after a full stop are old typing, not a cell gap
    two = "The depot opened in May.  It now serves four brigades across the peninsula."
    assert cells(two) == [two]


def test_shipped_model_loads_and_matches_features():
    model = load_model()
    units, X = unit_features("A headline\n\nA first paragraph that reads like a sentence of a news story.\n")
    assert X.shape == (len(units), len(feature_names()))
    p = predict(model["plain"], X)
    assert p.shape == (len(units),) and np.all((p >= 0) & (p <= 1))


def test_predict_walks_the_trees():
    model = check_model(_tiny_model(feature=0, threshold=1.0), "tiny")
    X = np.zeros((2, len(feature_names())))
    X[1, 0] = 3.0
    p = predict(model["plain"], X)
    assert p[0] == pytest.approx(1 / (1 + np.exp(2))) and p[1] == pytest.approx(1 / (1 + np.exp(-2)))


@pytest.mark.parametrize("edit, reason", [
    (lambda m: m.update(format="pickle"), "not a workbench-line-model"),
    (lambda m: m.update(features=m["features"][:-1]), "feature list differs"),
    (lambda m: m.update(table=dict(m["table"], nodes=dict(m["table"]["nodes"], left=[99, 1, 2]))), "out of range"),
    (lambda m: m.update(plain={"bias": 0.0}), "malformed"),
    (lambda m: m.update(plain=dict(m["plain"], depth=4)), "at most 3 levels"),
])
def test_bad_model_files_name_file_and_reason(tmp_path, edit, reason):
    raw = _tiny_model()
    edit(raw)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(raw), encoding="utf8")
    with pytest.raises(ModelError) as e:
        load_model(path)
    assert str(path) in str(e.value) and reason in str(e.value)


def test_unreadable_model_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf8")
    with pytest.raises(ModelError, match="broken.json"):
        load_model(path)


def test_decode_takes_the_heavier_block_and_its_accepted_units():
    # a short confident story (3 units) against a longer, doubtful block (6 units)
    p = np.array([0.1, 0.95, 0.9, 0.3, 0.95, 0.05, 0.6, 0.55, 0.6, 0.55, 0.6, 0.55])
    words = np.array([3, 40, 35, 4, 30, 40, 20, 20, 20, 20, 20, 20], dtype=float)
    keep, conf = decode(p, words)
    assert keep == [1, 2, 4]              # the 4-word unit inside the run is left out (p < 0.5)
    assert 0.5 < conf < 0.95              # a rival block lowers the confidence


def test_decode_nothing_story_like():
    keep, conf = decode(np.array([0.1, 0.2]), np.array([5.0, 9.0]))
    assert keep == [] and conf == 0.0


def test_blank_gap_and_shift_helpers():
    gaps = linefeatures._blank_gaps([0, 1, 4, 9])                    # rows: blank lines before, after
    assert gaps[0].tolist() == [3, 0, 2, 3] and gaps[1].tolist() == [0, 2, 3, 3]
    a = np.arange(4.0)[None, :]
    near = linefeatures._neighbours(a, 2)           # rows: 2 before, 1 before, 1 after, 2 after
    assert near[0].tolist() == [0, 0, 0, 1] and near[1].tolist() == [0, 0, 1, 2]
    assert near[2].tolist() == [1, 2, 3, 0] and near[3].tolist() == [2, 3, 0, 0]
    assert linefeatures._neighbours(np.ones((2, 1)), 3).tolist() == [[0.0]] * 12
    means = linefeatures._window_mean(np.array([[1.0, 3.0, 5.0], [0.0, 2.0, 4.0]]), (1,))
    assert means.tolist() == [[2.0, 3.0, 4.0], [1.0, 2.0, 3.0]]
    both = linefeatures._window_mean(np.array([[1.0, 3.0, 5.0]]), (0, 1))   # one block of rows per width
    assert both.tolist() == [[1.0, 3.0, 5.0], [2.0, 3.0, 4.0]]


def test_matrix_of_no_units_is_empty():
    assert linefeatures.matrix([], [], [], []).shape == (0, len(linefeatures.feature_names()))


def test_predict_matches_a_node_by_node_walk_of_the_shipped_model():
    import json

    from workbench.parse.linemodel import MODEL_PATH
    raw = json.loads(MODEL_PATH.read_text(encoding="utf8"))["table"]
    nodes = raw["nodes"]
    rng = np.random.default_rng(0)
    _, X = unit_features("Short menu\n\nA first paragraph that reads like a sentence of a news story, with a name.\n"
                         "Home | News | Sport\n\nBy Jane Roe\n\nA second sentence of the story follows here, calmly.\n")
    X = np.vstack([X] + [X + rng.normal(0, 1, X.shape) for _ in range(60)])   # more units than one block
    assert len(X) > 256

    def walk(row):
        total = raw["bias"]
        for node in raw["roots"]:
            while nodes["feature"][node] >= 0:
                go_right = row[nodes["feature"][node]] > nodes["threshold"][node]
                node = nodes["right"][node] if go_right else nodes["left"][node]
            total += nodes["value"][node]
        return 1 / (1 + np.exp(-total))

    assert predict(load_model()["table"], X) == pytest.approx([walk(r) for r in X])
    assert predict(load_model()["table"], np.asfortranarray(X)).tolist() == predict(load_model()["table"], X).tolist()


def test_link_shapes():
    from workbench.parse.linekinds import classify, measure
    names = linefeatures.BASE_NAMES
    for text, link in (("Home / World / Asia", 1.0), ("Write to desk@example.org today.", 0.0),
                       ("News » Politics", 1.0), ("A plain sentence, with commas.", 0.0)):
        f = measure(text)
        classify(f)
        v = linefeatures.base_vec(f)
        assert v[names.index("linkish")] == link, text


def test_row_table_gives_the_units_own_features_as_it_grows():
    from workbench.parse import clean
    clean.clear_caches()
    # more distinct lines than the table's first capacity, over two pages: the block is gathered, not converted
    pages = ["\n".join(f"Line {p}-{i} of a page, with {i % 7} commas, here." for i in range(700)) for p in range(2)]
    for text in pages:
        units, _ = unit_features(text)
        assert all(u.row >= 0 for u in units)
        block = linefeatures.base_rows(units)
        assert block.tolist() == [list(linefeatures.base_vec(u)) for u in units]
    loose = [u.copy() for u in units[:3]]
    for u in loose:
        u.row = -1                                     # not in the table: converted from its tuple
    assert linefeatures.base_rows(loose).tolist() == [list(u.vec) for u in loose]
    clean.clear_caches()


def test_capitals_are_counted_at_word_starts_only():
    import random
    import re
    definition = re.compile(r"(?<!\w)[A-ZÀ-Ý]")          # the feature's definition (look-behind first)
    for text in ("A Big Day", "McDonald's OK", "x×Y ×Z ×", "Émile à Paris-Nord", "(The) 'Quote' «Ça»",
                 "ÀÉ É1 1É _É", "line\nNext", "snake_Case and CamelCase", ""):
        assert linefeatures._CAP_RE.findall(text) == definition.findall(text), text
        assert linefeatures.capitals(text) == len(definition.findall(text)), text
    assert len(linefeatures._CAP_RE.findall("A Big Day, McDonald's (Ok) ×Z")) == 7   # A B D M O × Z
    assert linefeatures.capitals("A Big Day, McDonald's (Ok) XZ") == 6
    rng = random.Random(4)
    alphabet = [chr(c) for c in range(128)] + list("AZaz09_ ") * 8
    for text in ("".join(rng.choices(alphabet, k=rng.randrange(30))) for _ in range(3000)):   # ASCII: no regex
        assert linefeatures.capitals(text) == len(definition.findall(text)), text


def test_caption_like_is_the_caption_pattern():
    from workbench.parse.linekinds import CAPTION_RE, caption_like
    hits = ["a ship (photo: navy)", "a ship (photos : x) ", "photo: jane doe", "credits :", "x [afp] ",
            "the port. reuters", "the port.\tgetty  images", "image caption here", "video: the launch",
            "also read: more", "a (ap photo/x", "photo by jane", "getty images", "jane / getty", "reuters/jane",
            "© shutterstock", "see more:"]
    misses = ["a ship [pic navy)", "photographer: x", "(apple) cars", "the port reuters", "x image caption",
              "photo byline", "gettyimages", "apx/ y", "reuters - jane", "the (ap) said more", "more than ever:"]
    for low in hits + misses:
        assert caption_like(low) == bool(CAPTION_RE.search(low)), low
    assert all(map(caption_like, hits)) and not any(map(caption_like, misses))
    pieces = ["credit", "credits", "photograph", "photo", "photos", "image", "foto", "bild", "bilds", ":", " :", "(",
              ")", "[", "]", "ap", "afp", "reuters", "getty", "images", "by", "see", "more", "/", "x", "_", "é", "."]
    fuzzed = _fuzzed_lines(pieces, 6000, 9)
    assert [caption_like(low) for low in fuzzed] == [CAPTION_RE.search(low) is not None for low in fuzzed]
    assert 300 < sum(map(caption_like, fuzzed)) < 5700


def test_ascii_tokens_are_the_unicode_tokens():
    import random

    from workbench.parse.linekinds import WORD_RE, measure
    lines = ["snake_case x2 -- 3.5% (a|b)\x1c\x1fend", "it's a test, isn't it?", "a\x0bb\x0cc\x7fd\te  f",
             "__init__ 1_000 x-y"]
    rng = random.Random(6)
    alphabet = [chr(c) for c in range(1, 128)]
    lines += ["x" + "".join(rng.choices(alphabet, k=rng.randrange(40))) for _ in range(3000)]
    for raw in lines:
        f = measure(raw)
        assert f.low.isascii() and f.toks == WORD_RE.findall(f.low), raw
    assert measure("Café au lait, s'il vous plaît").toks == ["café", "au", "lait", "s", "il", "vous", "plaît"]


def test_tokens_of_non_ascii_lines_are_the_regex_tokens():
    import random

    from workbench.parse.linekinds import WORD_RE, tokens
    # every code point on its own and between ASCII words (word characters -- letters, digits,
    # marks counted alphanumeric, "_" -- take the regex; the rest are separators like ASCII's)
    for c in range(0x80, 0x110000, 7):
        for text in (chr(c), f"ab{chr(c)}cd", f"{chr(c)}x_1 {chr(c)}"):
            assert tokens(text) == WORD_RE.findall(text), hex(c)
    lines = ["“quoted” — it’s a test • item", "café au lait", "Ⅻ roman ⅻ", "x²y ½ ٣", "مرحبا 12", "\udcff lone"]
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(1, 128)] + list("’“”—–•«»éÉ×÷ßЖж中١²\u0301\u200b\udcff")
    lines += ["".join(rng.choices(alphabet, k=rng.randrange(40))) for _ in range(3000)]
    for text in lines:
        assert tokens(text) == WORD_RE.findall(text), repr(text)


def _fuzzed_lines(pieces: list[str], n: int, seed: int) -> list[str]:
    """Random joins of pattern fragments, word characters and separators (the edge cases of \\b)."""
    import random
    rng = random.Random(seed)
    seps = ["", " ", "  ", "\t", "\n", ".", "-", "/", ":", "_", "x", "9", "é", "(", "—"]
    return ["".join(rng.choice(pieces) + rng.choice(seps) for _ in range(rng.randrange(1, 7))) for _ in range(n)]


def test_legal_and_phrase_patterns_match_their_boundary_first_forms():
    import re

    from workbench.parse.linekinds import _BOILER_PHRASES, BOILER_PHRASE_RE, LEGAL_RE
    legal = re.compile(                                 # the definitions, boundaries and groups first
        r"©|\ball\s+rights\s+reserved|\bcopyright\b|\bcookies\b|\bprivacy\s+policy|"
        r"alle\s+rechte\s+vorbehalten|tous\s+droits\s+réservés|derechos\s+reservados|"
        r"direitos\s+reservados|все\s+права\s+защищены|\bdatenschutz")
    grouped = _BOILER_PHRASES.replace(r"photo\s*:|image\s*:|picture\s*:|credit\s*:|source\s*:|foto\s*:|bild\s*:",
                                      r"(?:photo|image|picture|credit|source|foto|bild)\s*:")
    phrase = re.compile(re.sub(r"\s+", "", grouped.replace(r"requires\s+javascript|enable\s+javascript",
                                                           r"(?:requires|enable)\s+javascript")))
    assert phrase.pattern != BOILER_PHRASE_RE.pattern
    pieces = ["©", "all", "rights", "reserved", "copyright", "cookies", "cookie", "privacy", "policy", "datenschutz",
              "alle rechte vorbehalten", "все права защищены", "share", "on", "photo", "credit", "bild", "source",
              "requires", "enable", "javascript", "log", "login", "in", "sign", "[/", "b]", "terms", "of", "read more",
              "xall", "_copyright", "9cookies", "écopyright", "getty images", "skip", "to"]
    lines = _fuzzed_lines(pieces, 6000, 7) + ["all rights reserved", "xall rights reserved", "copyright", "copyrights",
                                               "photo : x", "enable  javascript", "[/url]", "© 2024"]
    for low in lines:
        assert (LEGAL_RE.search(low) is None) == (legal.search(low) is None), low
        assert (BOILER_PHRASE_RE.search(low) is None) == (phrase.search(low) is None), low
    assert sum(LEGAL_RE.search(low) is not None for low in lines) > 300     # the fuzz reaches both outcomes
    assert sum(BOILER_PHRASE_RE.search(low) is None for low in lines) > 300


def test_date_like_is_the_date_pattern():
    from workbench.parse.linekinds import DATE_RE, WORD_RE, date_like
    pieces = ["12", "3", "2024", "2024-01-05", "1/2/24", "12.3.2024", "10:30", "5", "days", "ago", "hours", "jan",
              "jan.", "january", "mar", "march", "märz", "мая", "updated", "published", "posted", "xupdated",
              "postedx", "1x", "x1", "٣", "on", "the"]
    lines = _fuzzed_lines(pieces, 6000, 8) + ["jan 5", "5 jan", "xjan 5", "jan 5x", "updated", "updatedx",
                                              "3 days ago", "13 days ago", "a1:30", "2024-01-05", "x2024-01-05"]
    for low in lines:
        assert date_like(low, WORD_RE.findall(low)) == (DATE_RE.search(low) is not None), low
    assert 300 < sum(date_like(low, WORD_RE.findall(low)) for low in lines) < 5700


def test_byline_first_holds_every_character_a_byline_opens_with():
    import re

    from workbench.parse.linekinds import BYLINE_FIRST, BYLINE_RE
    words = re.search(r"\^\(\?:(.*?)\)", BYLINE_RE.pattern).group(1).split("|")
    first = re.compile("[" + "".join(w[0] for w in words) + "]", re.IGNORECASE)   # what the engine matches them to
    assert sorted(BYLINE_FIRST) == [chr(c) for c in range(0x110000) if first.fullmatch(chr(c))]
    assert BYLINE_RE.match("ᲂт Иван") and BYLINE_RE.match("By Jane") and not BYLINE_RE.match("Xby Jane")
