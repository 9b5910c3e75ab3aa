"""Reading element trees: layout items and their keys, and which moved items can stay put."""
from __future__ import annotations

from plugin_studio.ui.preview.elements import longest_ordered, segments


def test_segments_key_blocks_by_id_and_runs_by_the_block_before_them():
    children = ["Hi ", {"id": 2, "type": "b", "props": {}, "children": ["you"]},
                {"id": 3, "type": "p", "props": {}, "children": ["para"]},
                {"id": 4, "type": "div", "props": {"style": {"display": "none"}}, "children": []},
                "tail"]
    keys = [key for key, _ in segments(children)]
    assert keys == [("run", None), (3, "p", False), (4, "div", True), ("run", 4)]
    assert segments(children)[0][1] == children[:2], "a run holds its inline children in order"


def test_longest_ordered_keeps_the_most_items_in_place():
    assert longest_ordered([0, 1, 2, 3]) == {0, 1, 2, 3}
    assert longest_ordered([3, 0, 1, 2]) == {0, 1, 2}, "one item moved to the front: only it moves"
    assert longest_ordered([1, 2, 3, 0]) == {1, 2, 3}
    assert len(longest_ordered([4, 3, 2, 1, 0])) == 1, "reversed: all but one move"
    assert longest_ordered([]) == set()
