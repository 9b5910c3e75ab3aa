"""The side-by-side diff as a user sees it: aligned lines, gaps, the changed words marked."""
from plugin_studio.ui.diff_view import ADDED_WORD, GAP, REMOVED_WORD, DiffView


def _marked(side, colour):
    """The texts the side paints in ``colour`` (word marks or gaps)."""
    return [s.cursor.selectedText() for s in side.extraSelections() if s.format.background().color() == colour
            and s.cursor.hasSelection()]


def _gap_lines(side):
    return [s.cursor.blockNumber() + 1 for s in side.extraSelections() if s.format.background().color() == GAP]


def test_both_sides_show_aligned_rows_with_the_changed_word_marked(qtbot):
    view = DiffView()
    qtbot.addWidget(view)
    view.set_texts("a\nprice = item.price * 2\nc\n", "a\nprice = item.cost * 2\nc\nd\n", "Server", "Yours")
    old_lines, new_lines = view.old_side.toPlainText().split("\n"), view.new_side.toPlainText().split("\n")
    assert len(old_lines) == len(new_lines) == 4
    assert old_lines[1] == "price = item.price * 2" and new_lines[1] == "price = item.cost * 2"
    assert _marked(view.old_side, REMOVED_WORD) == ["price"]   # the second one: the first is unchanged
    assert _marked(view.new_side, ADDED_WORD) == ["cost"]
    assert _gap_lines(view.old_side) == [4] and old_lines[3] == ""
    assert view.old_side.number_at(3) is None and view.new_side.number_at(3) == 4
    assert (view.old_title.text(), view.new_title.text()) == ("Server", "Yours")
    assert view.summary.text() == "2 changes: −1 +2 lines"


def test_next_change_scrolls_both_sides_together(qtbot):
    old = "".join(f"line {i}\n" for i in range(300))
    new = old.replace("line 10\n", "line ten\n").replace("line 250\n", "line two hundred fifty\n")
    view = DiffView()
    qtbot.addWidget(view)
    view.resize(800, 300)
    view.show()
    view.set_texts(old, new)
    assert view.change_count() == 2 and not view.previous_button.isEnabled()
    view.next_button.click()
    assert view.old_side.verticalScrollBar().value() == view.new_side.verticalScrollBar().value() == 247
    assert view.previous_button.isEnabled() and not view.next_button.isEnabled()


def test_texts_that_differ_only_in_line_endings_say_so(qtbot):
    view = DiffView()
    qtbot.addWidget(view)
    view.set_texts("a\r\nb\r\n", "a\nb\n")
    assert view.summary.text() == "Only the line endings differ (CRLF / LF)"
    view.set_texts("a\nb\n", "a\nb")
    assert view.summary.text() == "Only the line break at the end differs"
    view.set_texts("same", "same")
    assert view.summary.text() == "No differences"
