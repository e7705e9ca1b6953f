"""explore.search: the cache's Arrow search texts match as the list of strings does."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from workbench.explore import search


def test_arrow_texts_match_as_python_in_for_any_rows():
    texts = ["le général à paris\nzürich", "naïve café", "", "straße ß ss", "koo sang-mo met\n한국 해군",
             "x" * 50 + "é", "é", "submarine submarines"] * 3
    arrow = pa.chunked_array([pa.array(texts[:10], type=pa.large_string()),
                              pa.array(texts[10:], type=pa.large_string())])      # two chunks, as a file may have
    rows = np.arange(len(texts))
    for term in ("é", "café", "ß", "ss", "한국", "\nz", "submarine", "a", "zz-none", "x" * 51):
        for pos in (rows, rows[::5], rows[[2, 4]], rows[:0]):          # all rows, a few (taken), none
            want = np.array([term in texts[i] for i in pos], dtype=bool)
            assert np.array_equal(search._contains(arrow, pos, term), want), (term, len(pos))


def test_search_terms_words_and_phrases():
    assert search.search_terms('Koo "Combined  sustainment" ') == ["koo", "combined  sustainment"]
    assert search.search_terms('an "unbalanced quote') == ["an", "unbalanced", "quote"]
