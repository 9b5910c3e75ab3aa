from plugin_studio.models.text_diff import ADDED, CHANGED, EQUAL, REMOVED, change_count, side_by_side, word_spans


def _kinds(rows):
    return [row.kind for row in rows]


def test_a_changed_word_is_a_span_not_the_whole_line():
    old_spans, new_spans = word_spans("return item.price * 2;", "return item.cost * 2;")
    assert [("return item.price * 2;"[a:b]) for a, b in old_spans] == ["price"]
    assert [("return item.cost * 2;"[a:b]) for a, b in new_spans] == ["cost"]


def test_adjacent_changed_words_merge_and_separate_ones_do_not():
    old, new = "a b c d", "x y c z"
    old_spans, new_spans = word_spans(old, new)
    assert [old[a:b] for a, b in old_spans] == ["a b", "d"]
    assert [new[a:b] for a, b in new_spans] == ["x y", "z"]


def test_rows_align_both_sides_with_gaps_for_added_and_removed_lines():
    rows = side_by_side("a\nb\nc\n", "a\nB\nc\nd\n")
    assert _kinds(rows) == [EQUAL, CHANGED, EQUAL, ADDED]
    assert (rows[3].old_number, rows[3].new_number, rows[3].new_text) == (None, 4, "d")
    rows = side_by_side("a\nb\nc\n", "a\nc\n")
    assert _kinds(rows) == [EQUAL, REMOVED, EQUAL]
    assert (rows[1].old_number, rows[1].old_text, rows[1].new_number) == (2, "b", None)


def test_a_replaced_block_pairs_lines_then_adds_the_rest():
    rows = side_by_side("x\n1\n2\ny\n", "x\none\ntwo\nthree\ny\n")
    assert _kinds(rows) == [EQUAL, CHANGED, CHANGED, ADDED, EQUAL]
    assert [(r.old_number, r.new_number) for r in rows] == [(1, 1), (2, 2), (3, 3), (None, 4), (4, 5)]
    assert change_count(rows) == 1


def test_line_endings_count_as_line_breaks_of_any_kind():
    rows = side_by_side("a\r\nb\r\n", "a\nb\n")
    assert _kinds(rows) == [EQUAL, EQUAL]


def test_spans_are_in_characters_for_non_ascii_text():
    old, new = "prix = «€ 5»", "prix = «€ 6»"
    old_spans, new_spans = word_spans(old, new)
    assert [old[a:b] for a, b in old_spans] == ["5"] and [new[a:b] for a, b in new_spans] == ["6"]


def test_an_edited_line_faces_its_old_self_when_a_line_is_inserted_above_it():
    old = "f(price);\nreturn product.memberOnly ? member : price;\n}\n"
    new = "f(price * 0.9);\nlog('member');\nreturn product.isMember ? member : price;\n}\n"
    rows = side_by_side(old, new)
    assert [(r.kind, r.old_number, r.new_number) for r in rows] == [
        (CHANGED, 1, 1), (ADDED, None, 2), (CHANGED, 2, 3), (EQUAL, 3, 4)]
    assert [rows[2].new_text[a:b] for a, b in rows[2].new_spans] == ["isMember"]


def test_a_removed_line_leaves_a_gap_where_it_was_and_alike_lines_keep_facing():
    old = "alpha = 1;\nobsolete();\nbeta = 2;\n"
    new = "alpha = 10;\nbeta = 20;\n"
    rows = side_by_side(old, new)
    assert [(r.kind, r.old_number, r.new_number) for r in rows] == [(CHANGED, 1, 1), (REMOVED, 2, None),
                                                                       (CHANGED, 3, 2)]
