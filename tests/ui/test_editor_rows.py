"""A file with a line longer than 10,000 characters is shown in rows (ui/editor_rows.py): typed
as a user types, everything the editor reports and saves is the file's, and no key, undo or
line command turns a display break into a line end."""
from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from plugin_studio.models.syntax.grammars import Highlight
from plugin_studio.models.syntax.problems import Problem
from plugin_studio.ui.editor import MARGIN_LINE_NUMBERS, CodeEditor
from plugin_studio.ui.editor_find import FindBar

UNIT = "const price = total(items, 'USD 10'); /* note */ if (a < b) { go(`t ${a}`); } "


def long_line(chars: int = 30_000) -> str:
    units = UNIT * (chars // len(UNIT))
    return units + " " * (chars - len(units))


@pytest.fixture
def editor(qtbot):
    widget = CodeEditor()
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.set_language("javascript")
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _open(qtbot, editor: CodeEditor, text: str) -> None:
    editor.set_text(text)
    qtbot.waitUntil(lambda: not editor.is_loading() and editor.highlighter.is_current(), timeout=20000)


def _type(editor: CodeEditor, text: str) -> None:
    """Key presses carrying ``text`` one character each (QTest cannot send a non-BMP one)."""
    for char in text:
        QApplication.sendEvent(editor, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, char))


def _margin(editor: CodeEditor) -> list[str]:
    """The labels in the line-number margin of the rows on screen."""
    first = editor.firstVisibleLine()
    return [bytes(editor.marginText(row)).decode().rstrip("\0")
            for row in range(first, min(editor.lineCount(), first + editor.linesOnScreen() + 1))]


def _caret_at_row_start(editor: CodeEditor, row: int) -> int:
    """Caret at the start of display row ``row`` (after a break); returns its file offset."""
    editor.gotoPos(editor.positionFromLine(row))
    return editor.file_position(editor.currentPos())


def test_only_a_file_with_a_long_line_is_shown_in_rows(qtbot, editor):
    _open(qtbot, editor, "a();\n" * 3000)
    assert editor.rows is None and editor.syntax_notice() == ""
    text = "first();\n" + long_line() + "\nlast();\n"
    _open(qtbot, editor, text)
    assert editor.rows is not None
    assert editor.lineCount() > 100 and max(editor.lineLength(i) for i in range(editor.lineCount())) < 1000
    assert editor.text() == text and editor.text_bytes() == text.encode()
    assert editor.line_count() == 4 and editor.line_text(3) == "last();"
    assert editor.syntax_notice().startswith("Line 2 has 30,000 characters: shown in rows; the file keeps its lines.")
    assert _margin(editor)[:3] == ["1", "2", "↪"] and set(_margin(editor)[2:]) == {"↪"}
    editor.go_to_line(4)   # the rows come into view: labelled as they do
    QApplication.processEvents()
    assert _margin(editor)[-4:] == ["↪", "↪", "3", "4"]
    assert editor.marginTypeN(MARGIN_LINE_NUMBERS) == 5   # SC_MARGIN_RTEXT
    assert not editor.is_dirty()


def test_positions_lines_and_columns_are_the_files(qtbot, editor):
    text = "first();\n" + long_line() + "\nlast();\n"
    _open(qtbot, editor, text)
    editor.go_to_line(2, 20_001)
    assert editor.cursor_line_column() == (2, 20_001)
    offset = editor.file_position(editor.currentPos())
    assert offset == len("first();\n") + 20_000
    editor.go_to_line(3, 3)
    assert editor.cursor_line_column() == (3, 3)
    assert editor.text_range(len(text) - 8, len(text) - 1) == "last();"


def test_typing_backspace_and_delete_beside_a_break_edit_the_files_neighbours(qtbot, editor):
    text = long_line()
    _open(qtbot, editor, text)
    rows = editor.lineCount()
    offset = _caret_at_row_start(editor, 5)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    expected = text[:offset - 1] + text[offset:]
    assert editor.text() == expected and editor.lineCount() == rows
    offset = editor.file_position(editor.currentPos())
    editor.gotoPos(editor.lineEndPosition(editor.lineFromPosition(editor.currentPos())))   # before the break
    offset = editor.file_position(editor.currentPos())
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    expected = expected[:offset] + expected[offset + 1:]
    assert editor.text() == expected and editor.lineCount() == rows
    _type(editor, "Zé😀")
    expected = expected[:offset] + "Zé😀" + expected[offset:]
    assert editor.text() == expected
    assert editor.is_dirty()


def test_composed_text_is_typed_into_the_file(qtbot, editor):
    from PySide6.QtGui import QInputMethodEvent
    text = long_line()
    _open(qtbot, editor, text)
    offset = _caret_at_row_start(editor, 3)
    event = QInputMethodEvent("", [])
    event.setCommitString("é字")
    QApplication.sendEvent(editor, event)
    assert editor.text() == text[:offset] + "é字" + text[offset:]


def test_copy_and_cut_across_rows_give_the_files_text(qtbot, editor):
    text = long_line()
    _open(qtbot, editor, text)
    start, end = editor.positionFromLine(3) - 5, editor.positionFromLine(6) + 5   # three breaks inside
    editor.setSel(start, end)
    file_start, file_end = editor.file_position(start), editor.file_position(end)
    qtbot.keyClick(editor, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == text[file_start:file_end]
    assert "\n" not in QApplication.clipboard().text() and editor.selected_text() == text[file_start:file_end]
    qtbot.keyClick(editor, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == text[:file_start] + text[file_end:]
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == text


def test_enter_inserts_the_files_line_end_crlf_in_a_crlf_file(qtbot, editor):
    text = "a();\r\n" + long_line() + "\r\nb();\r\n"
    _open(qtbot, editor, text)
    offset = _caret_at_row_start(editor, 10)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == text[:offset] + "\r\n" + text[offset:]
    assert editor.cursor_line_column() == (3, 1)


def test_line_commands_are_off_and_leave_the_file_alone(qtbot, editor):
    text = long_line()
    _open(qtbot, editor, text)
    _caret_at_row_start(editor, 4)
    for key, mods in ((Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier),
                      (Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier),
                      (Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier),
                      (Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
                      (Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier),          # Scintilla's line cut
                      (Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier),          # Scintilla's transpose
                      (Qt.Key.Key_Backspace, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)):
        qtbot.keyClick(editor, key, mods)
    assert editor.text() == text and not editor.is_dirty()
    assert editor.folding.levels() == [0x400] * editor.lineCount()   # no fold levels from the rows


KEYS = ["type", "type", "backspace", "delete", "enter", "paste", "cut_across", "tab"]


def _random_key(qtbot, editor: CodeEditor, rng: random.Random) -> None:
    rows = editor.lineCount()
    row = rng.randrange(rows)
    editor.gotoPos(rng.choice([editor.positionFromLine(row), editor.lineEndPosition(row),
                               editor.positionFromLine(row) + rng.randrange(max(1, editor.lineLength(row) - 1))]))
    action = rng.choice(KEYS)
    if action == "type":
        _type(editor, rng.choice(["x", "é", "😀", "ab c"]))
    elif action == "backspace":
        qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    elif action == "delete":
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
    elif action == "enter":
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    elif action == "tab":
        qtbot.keyClick(editor, Qt.Key.Key_Tab)
    elif action == "paste":
        QApplication.clipboard().setText(rng.choice(["p", "line\nbreak", "q" * 2500]))
        qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    else:
        end = min(editor.length(), editor.currentPos() + rng.choice([3, 250, 900]))
        editor.setSel(editor.currentPos(), end)
        qtbot.keyClick(editor, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)


@pytest.mark.parametrize("seed", range(3))
def test_undo_all_gives_the_original_and_redo_all_the_edited_file(qtbot, editor, seed):
    """Random keys (typing, Backspace/Delete beside breaks, Enter, pastes, cuts across rows):
    undo all → the file as opened, every break still a break; redo all → the edited file."""
    rng = random.Random(seed)
    text = "top();\r\n" + long_line(25_000) + "\r\nend();\r\n"
    _open(qtbot, editor, text)
    for _ in range(40):
        _random_key(qtbot, editor, rng)
        displayed = editor.rows.text.display_bytes()
        assert bytes(editor.textRange(0, editor.length())) == displayed   # Scintilla shows the display text
    edited = editor.text()
    assert edited != text
    qtbot.waitUntil(editor.highlighter.is_current)   # the tree followed the file's edits: its points are the file's
    tree, rows = editor.highlighter.document.tree, editor.rows.text
    cursor, wrong = tree.walk(), []
    while True:
        node = cursor.node
        if node.start_point != rows.point(node.start_byte) or node.end_point != rows.point(node.end_byte):
            wrong.append(node)
        if not (cursor.goto_first_child() or cursor.goto_next_sibling()):
            while cursor.goto_parent() and not cursor.goto_next_sibling():
                pass
            if cursor.node == tree.root_node:
                break
    assert wrong == []
    while editor.rows.undo_steps:
        qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == text and not editor.is_dirty()
    assert editor.line_count() == 4   # the last one empty
    assert bytes(editor.textRange(0, editor.length())) == editor.rows.text.display_bytes()
    while editor.rows.redo_steps:
        qtbot.keyClick(editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == edited and editor.is_dirty()


def test_highlighting_comes_from_the_files_parse_across_rows(qtbot, editor):
    text = long_line()
    _open(qtbot, editor, text)
    editor.gotoPos(editor.positionFromLine(40))
    qtbot.waitUntil(lambda: editor.highlighter.is_current())
    QApplication.processEvents()
    styles = {}
    for row in range(40, 44):
        start = editor.positionFromLine(row)
        for position in range(start, editor.lineEndPosition(row)):
            styles.setdefault(editor.charAt(position), set()).add(editor.styleAt(position))
    row_text = editor.rows.text.file
    offset = row_text.index(b"const", editor.file_position(editor.positionFromLine(41)))
    assert editor.styleAt(editor.display_position(offset)) == Highlight.KEYWORD
    quote = row_text.index(b"'USD", offset)
    assert editor.styleAt(editor.display_position(quote + 2)) == Highlight.STRING


def test_problems_breakpoints_and_find_are_in_the_files_terms(qtbot, editor):
    text = "first();\n" + long_line() + "\nlast();\n"
    _open(qtbot, editor, text)
    offset = text.index("go(", 20_000)
    editor.show_problems([Problem(offset, offset + 2, 2, offset - 8, "bad go")], group="check")
    display_line = editor.lineFromPosition(editor.display_position(offset))
    assert editor.annotation(display_line + 1) == "✖ bad go"
    assert editor.error_lines() == [2] and editor.problems()[0].start == offset
    editor.set_breakpoint(3)
    assert editor.breakpoints() == [3]
    assert editor.markerGet(editor.lineCount() - 2) & (1 << 1)
    qtbot.keyClicks(editor, "")   # nothing typed: the find bar finds in the file
    bar = FindBar(editor)
    qtbot.addWidget(bar)
    bar.open_find(with_replace=True)
    bar.needle.setText("total(items")
    bar.search()
    expected = []
    start = text.find("total(items")
    while start >= 0:
        expected.append((len(text[:start].encode()), len(text[:start].encode()) + len("total(items")))
        start = text.find("total(items", start + 1)
    assert bar.matches == expected
    assert editor.selection_range() == expected[0] and editor.selected_text() == "total(items"
    bar.replacement.setText("sum(list")
    bar.replace_all()
    assert editor.text() == text.replace("total(items", "sum(list")
    editor.undo()
    assert editor.text() == text


def test_line_commands_say_they_are_off(qtbot, editor):
    from PySide6.QtWidgets import QToolTip
    _open(qtbot, editor, long_line())
    qtbot.keyClick(editor, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    assert QToolTip.text().startswith("Toggle Line Comment is off in a file shown in rows")
    QToolTip.hideText()


def test_the_handler_breakpoint_is_on_the_files_function_line(qtbot, editor):
    text = "// " + long_line() + "\n\nexport default function handler(cart) {\n  return cart;\n}\n"
    _open(qtbot, editor, text)
    editor.show_handler_breakpoint(True)
    assert editor.breakpoints() == [3] and editor.unbound_breakpoints() == []
    assert editor.markerGet(editor.lineFromPosition(editor.display_position(text.index("export")))) & (1 << 1)


def test_rows_break_at_token_boundaries_and_a_long_paste_is_broken_again(qtbot, editor):
    import tree_sitter
    from plugin_studio.models.display_rows import ROW_MAX_BYTES
    from plugin_studio.models.syntax.grammars import grammar_for
    text = long_line()
    _open(qtbot, editor, text)
    tree = tree_sitter.Parser(grammar_for("javascript").language).parse(text.encode())
    strings = []

    def visit(node):
        if node.type in ("string", "template_string", "comment"):
            strings.append((node.start_byte, node.end_byte))
        for child in node.children:
            visit(child)
    visit(tree.root_node)
    assert not [p for p in editor.rows.text.breaks for a, b in strings if a < p < b]
    _caret_at_row_start(editor, 7)
    QApplication.clipboard().setText("call(1, 'two'); " * 400)
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.highlighter.is_current() and not editor.rows._long_rows)
    assert max(editor.lineLength(row) for row in range(editor.lineCount())) <= ROW_MAX_BYTES
    assert editor.text().count("call(1, 'two'); ") == 400
    assert bytes(editor.textRange(0, editor.length())) == editor.rows.text.display_bytes()


def test_a_tab_says_so_and_saving_clears_the_dirty_state(qtbot):
    from plugin_studio.models.documents import Document
    from plugin_studio.ui.editor_tab import EditorTab
    text = long_line(20_000)
    tab = EditorTab(Document("plugin_scripts", "r1", "p", "utils/min.js", "javascript", text))
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.show()
    qtbot.waitUntil(lambda: tab.editor.highlighter.is_current())
    assert tab.notice.isVisible() and tab.notice.text().startswith("Line 1 has 20,000 characters: shown in rows")
    with qtbot.waitSignal(tab.dirty_changed) as changed:
        qtbot.keyClicks(tab.editor, "a")
    assert changed.args == [True] and tab.is_dirty()
    with qtbot.waitSignal(tab.dirty_changed) as changed:
        tab.saved(tab.text())
    assert changed.args == [False] and not tab.is_dirty()
    tab.editor.set_text("small();\n")
    assert tab.editor.rows is None and not tab.notice.isVisible()
    qtbot.keyClicks(tab.editor, "x")
    assert tab.editor.text() == "xsmall();\n" and tab.is_dirty()


def test_ctrl_backspace_and_ctrl_delete_delete_the_files_words_across_a_break(qtbot, editor):
    from plugin_studio.models.display_rows import word_end, word_start
    text = long_line()
    _open(qtbot, editor, text)
    for row, key in ((6, Qt.Key.Key_Backspace), (9, Qt.Key.Key_Delete)):
        offset = _caret_at_row_start(editor, row)
        source = editor.text_bytes()
        start, end = (word_start(source, offset), offset) if key == Qt.Key.Key_Backspace else \
            (offset, word_end(source, offset))
        assert end > start
        qtbot.keyClick(editor, key, Qt.KeyboardModifier.ControlModifier)
        assert editor.text_bytes() == source[:start] + source[end:]
    assert bytes(editor.textRange(0, editor.length())) == editor.rows.text.display_bytes()


def test_tab_indents_at_the_caret_but_not_a_selection(qtbot, editor):
    from PySide6.QtWidgets import QToolTip
    text = long_line()
    _open(qtbot, editor, text)
    offset = _caret_at_row_start(editor, 2)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.text() == text[:offset] + "  " + text[offset:]
    editor.setSel(editor.positionFromLine(3), editor.positionFromLine(5))
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.text() == text[:offset] + "  " + text[offset:]
    assert QToolTip.text().startswith("Indenting a selection is off")
    QToolTip.hideText()


def test_text_dropped_from_elsewhere_goes_into_the_file(qtbot, editor):
    from PySide6.QtCore import QMimeData, QPointF
    from PySide6.QtGui import QDropEvent
    text = "a();\r\n" + long_line()
    _open(qtbot, editor, text)
    position = editor.positionFromLine(4) + 3
    point = QPointF(editor.pointXFromPosition(position) + 1, editor.pointYFromPosition(position) + 2)
    offset = editor.file_position(editor.positionFromPoint(int(point.x()), int(point.y())))
    data = QMimeData()
    data.setText("x\ny")
    event = QDropEvent(point, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    editor.dropEvent(event)
    assert editor.text() == text[:offset] + "x\r\ny" + text[offset:]


def test_a_squiggle_across_a_break_underlines_the_files_range(qtbot, editor):
    from plugin_studio.ui.editor_problems import INDICATOR_ERROR
    text = long_line()
    _open(qtbot, editor, text)
    start, end = editor.file_position(editor.positionFromLine(3) - 4), editor.file_position(editor.positionFromLine(3) + 4)
    editor.show_problems([Problem(start, end, 1, start + 1, "across")], group="check")
    underlined = [p for p in range(editor.length()) if editor.indicatorValueAt(INDICATOR_ERROR, p)]
    shown = editor.text_range(start, end)
    assert bytes(editor.textRange(underlined[0], underlined[-1] + 1)).decode().replace("\n", "") == shown
    assert len(underlined) == len(shown) + 1   # the break between the rows is under it too


def test_a_click_in_the_margin_of_a_continuation_row_is_the_files_line(qtbot, editor):
    text = "a();\n" + long_line() + "\nb();\n"
    _open(qtbot, editor, text)
    with qtbot.waitSignal(editor.breakpoint_requested) as requested:
        editor.marginClicked.emit(editor.positionFromLine(7), 0, 1)
    assert requested.args == [2]


def test_a_quick_fix_and_a_whole_text_replacement_are_file_edits_undone_in_one_step(qtbot, editor):
    from plugin_studio.models.syntax.problems import QuickFix
    text = long_line()
    _open(qtbot, editor, text)
    start = text.index("total(items", 15_000)
    fix = QuickFix("Rename", start, start + len("total"), "sum")
    editor.show_problems([Problem(start, start + 5, 1, start + 1, "unknown", fixes=(fix,))], group="check")
    editor.go_to_line(1, start + 2)
    assert editor.quick_fixes() == [fix]
    editor.apply_fix(fix)
    fixed = text[:start] + "sum" + text[start + len("total"):]
    assert editor.text() == fixed
    formatted = fixed.replace("; ", ";\n")   # as a formatter would: ordinary lines
    editor.replace_text_keeping_undo(formatted)
    assert editor.text() == formatted and editor.line_count() == formatted.count("\n") + 1
    assert bytes(editor.textRange(0, editor.length())) == editor.rows.text.display_bytes()
    editor.undo()
    assert editor.text() == fixed
    editor.undo()
    assert editor.text() == text and not editor.is_dirty()


def test_left_and_right_move_one_file_character_across_a_break(qtbot, editor):
    text = long_line()
    _open(qtbot, editor, text)
    offset = _caret_at_row_start(editor, 5)
    qtbot.keyClick(editor, Qt.Key.Key_Left)
    assert editor.file_position(editor.currentPos()) == offset - 1
    qtbot.keyClick(editor, Qt.Key.Key_Right)
    assert editor.file_position(editor.currentPos()) == offset
    qtbot.keyClick(editor, Qt.Key.Key_Right)
    assert editor.file_position(editor.currentPos()) == offset + 1
    editor.gotoPos(editor.lineEndPosition(5) - 1)   # one character before a break
    start = editor.file_position(editor.currentPos())
    for _ in range(2):
        qtbot.keyClick(editor, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert editor.selected_text() == text[start:start + 2]


def test_enter_keeps_the_lines_indentation_and_opens_a_block_as_the_plain_editor(qtbot, editor):
    text = "  " + long_line().replace("{ go(", "{}go(", 1)
    _open(qtbot, editor, text)
    at = text.index("{}go(") + 1
    editor.go_to_line(1, at + 1)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == text[:at] + "\n    \n  " + text[at:]
    assert editor.cursor_line_column() == (2, 5)
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    editor.go_to_line(1, 20_001)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == text[:20_000] + "\n  " + text[20_000:]


def test_undo_groups_typing_and_runs_of_backspace_or_delete_as_scintilla_does(qtbot, editor):
    text = long_line()
    _open(qtbot, editor, text)
    offset = _caret_at_row_start(editor, 4)
    qtbot.keyClicks(editor, "abc")
    for _ in range(5):   # back over "abc" and across the break before the row
        qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    for _ in range(3):
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
    after = text[:offset - 2] + text[offset + 3:]
    assert editor.text() == after and len(editor.rows.undo_steps) == 2   # Delete at the same place joins too
    editor.undo()
    assert editor.text() == text[:offset] + "abc" + text[offset:]
    editor.undo()
    assert editor.text() == text
