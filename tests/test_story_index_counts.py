"""LineCounts: counts loaded as a sorted array read as the dict they replace, changes included."""
import numpy as np

from workbench.analyse.story_index import LineCounts


def test_line_counts_read_as_the_dict_they_replace():
    lines = [np.array([5, 2**64 - 1, 9], dtype=np.uint64), np.array([9, 5], dtype=np.uint64)]
    counts = LineCounts(*np.unique(np.concatenate(lines), return_counts=True))
    ref = {5: 2, 9: 2, 2**64 - 1: 1}
    assert counts == ref and counts.as_dict() == ref and bool(counts)
    assert [counts.get(h, 0) for h in (5, 9, 2**64 - 1, 7, 0)] == [2, 2, 1, 0, 0]
    counts[9] = 3
    counts.pop(5, None)
    counts[7] = 1
    assert counts.as_dict() == {9: 3, 7: 1, 2**64 - 1: 1} and counts.get(5, 0) == 0
    empty = LineCounts()
    assert not empty and empty.get(1, 0) == 0 and empty == {}
    empty[1] = 1
    assert empty and empty == {1: 1}
