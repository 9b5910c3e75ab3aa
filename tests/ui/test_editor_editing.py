"""Editing as in Monaco, typed as a user types: Enter keeps indentation and the file's line
endings, brackets and quotes close themselves, Ctrl+/ toggles comments, Ctrl+D and Alt+click add
carets, lines move and copy."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from plugin_studio.ui.editor import CodeEditor


@pytest.fixture
def editor(qtbot):
    widget = CodeEditor()
    qtbot.addWidget(widget)
    widget.resize(800, 500)
    widget.set_language("javascript")
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _type_at(qtbot, editor, text: str, marker: str = "|") -> None:
    """Set ``text`` with the caret at ``marker``."""
    editor.set_text(text.replace(marker, ""))
    editor.gotoPos(len(text[:text.index(marker)].encode("utf-8")))


def test_enter_in_a_crlf_file_inserts_crlf_and_keeps_the_indentation(qtbot, editor):
    _type_at(qtbot, editor, "function f() {\r\n  const a = 1;|\r\n}\r\n")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "b();")
    assert editor.text() == "function f() {\r\n  const a = 1;\r\n  b();\r\n}\r\n"


def test_enter_in_an_lf_file_inserts_lf(qtbot, editor):
    _type_at(qtbot, editor, "a();|\nb();\n")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "a();\n\nb();\n"


def test_enter_between_braces_opens_an_indented_block(qtbot, editor):
    _type_at(qtbot, editor, "  if (x) {|}\n")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "go();")
    assert editor.text() == "  if (x) {\n    go();\n  }\n"


def test_an_opening_brace_closes_itself_and_the_closer_is_typed_over(qtbot, editor):
    _type_at(qtbot, editor, "function f() |\n")
    qtbot.keyClicks(editor, "{")
    assert editor.text() == "function f() {}\n"
    qtbot.keyClicks(editor, "}")
    assert editor.text() == "function f() {}\n"
    assert editor.currentPos() == len("function f() {}")


def test_quotes_and_parentheses_pair_and_backspace_removes_an_empty_pair(qtbot, editor):
    _type_at(qtbot, editor, "call|;\n")
    qtbot.keyClicks(editor, "('x")
    assert editor.text() == "call('x');\n"
    qtbot.keyClicks(editor, "'")
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.text() == "call();\n"
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.text() == "call;\n"


def test_a_quote_after_a_word_does_not_pair(qtbot, editor):
    _type_at(qtbot, editor, "const s = don|\n")
    qtbot.keyClicks(editor, "'")
    assert editor.text() == "const s = don'\n"


def test_ctrl_slash_toggles_line_comments(qtbot, editor):
    editor.set_text("function f() {\n  a();\n\n  b();\n}\n")
    editor.setSel(editor.positionFromLine(1), editor.positionFromLine(4))
    qtbot.keyClick(editor, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == "function f() {\n  // a();\n\n  // b();\n}\n"
    qtbot.keyClick(editor, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == "function f() {\n  a();\n\n  b();\n}\n"
    editor.undo()
    assert editor.text() == "function f() {\n  // a();\n\n  // b();\n}\n"


def test_shift_alt_a_toggles_a_block_comment(qtbot, editor):
    editor.set_text("x = a + b;\n")
    editor.setSel(4, 9)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier)
    assert editor.text() == "x = /* a + b */;\n"
    editor.setSel(4, 15)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier)
    assert editor.text() == "x = a + b;\n"


def test_ctrl_d_selects_next_occurrences_and_typing_changes_them_all(qtbot, editor):
    editor.set_text("let total = 1;\ntotal += 2;\nreturn total;\n")
    editor.gotoPos(6)
    for _ in range(3):
        qtbot.keyClick(editor, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert editor.selections() == 3
    qtbot.keyClicks(editor, "sum")
    assert editor.text() == "let sum = 1;\nsum += 2;\nreturn sum;\n"


def test_alt_click_adds_a_caret(qtbot, editor):
    editor.set_text("a\nb\n")
    editor.gotoPos(1)
    second = editor.positionFromLine(1) + 1
    point = QPoint(editor.pointXFromPosition(second) + 1, editor.pointYFromPosition(second) + 3)
    qtbot.mouseClick(editor.viewport() if hasattr(editor, "viewport") else editor, Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.AltModifier, point)
    assert editor.selections() == 2
    qtbot.keyClicks(editor, "!")
    assert editor.text() == "a!\nb!\n"


def test_lines_move_copy_and_delete(qtbot, editor):
    editor.set_text("one\ntwo\nthree\n")
    editor.gotoPos(editor.positionFromLine(1))
    qtbot.keyClick(editor, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert editor.text() == "two\none\nthree\n"
    qtbot.keyClick(editor, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier)
    assert editor.text() == "two\ntwo\none\nthree\n"
    qtbot.keyClick(editor, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert editor.text() == "two\none\nthree\n"


def test_blocks_fold_from_the_syntax_tree_and_the_closing_line_stays(qtbot, editor):
    editor.set_text("function f() {\n  const o = {\n    a: 1,\n  };\n  return o;\n}\nf();\n")
    qtbot.waitUntil(lambda: editor.foldLevel(0) & 0x2000 != 0, timeout=5000)
    editor.foldLine(0, 0)   # SC_FOLDACTION_CONTRACT
    assert [editor.lineVisible(line) for line in range(7)] == [True, False, False, False, False, True, True]
    editor.foldLine(0, 1)
    assert all(editor.lineVisible(line) for line in range(7))


def test_the_bracket_at_the_caret_and_its_partner_are_highlighted(qtbot, editor):
    editor.set_text("f(a[1]);\n")
    editor.gotoPos(2)   # after "("
    qtbot.waitUntil(lambda: editor.braceMatch(1, 0) == 6)
    assert editor.indentationGuides() == 3


def test_the_find_bar_is_one_row_counts_and_highlights_as_you_type(qtbot):
    from plugin_studio.models.documents import Document
    from plugin_studio.ui.editor_find import INDICATOR_FIND
    from plugin_studio.ui.editor_tab import EditorTab

    tab = EditorTab(Document("plugin_scripts", "r", "p", "utils/a.js", "javascript",
                             "const total = 1;\nlet Total = total + total;\n"))
    qtbot.addWidget(tab)
    tab.resize(1000, 600)
    tab.show()
    tab.find_bar.open_find()
    qtbot.keyClicks(tab.find_bar.needle, "total")
    qtbot.waitUntil(lambda: tab.find_bar.status.text() == "1 of 4")
    assert tab.find_bar.height() <= 40
    assert tab.editor.indicatorValueAt(INDICATOR_FIND, tab.text().rindex("total")) == 1
    tab.find_bar.match_case.setChecked(True)
    assert tab.find_bar.status.text() == "1 of 3"
    qtbot.keyClick(tab.find_bar.needle, Qt.Key.Key_Return)
    assert tab.find_bar.status.text() == "2 of 3"
    tab.find_bar.open_find(with_replace=True)
    tab.find_bar.replacement.setText("sum")
    tab.find_bar.replace_all()
    assert tab.text() == "const sum = 1;\nlet Total = sum + sum;\n"
    tab.editor.undo()
    assert tab.text() == "const total = 1;\nlet Total = total + total;\n"


def test_the_outline_lists_functions_and_components_and_follows_typing(qtbot):
    from plugin_studio.models.documents import Document
    from plugin_studio.ui.editor_tab import EditorTab

    code = ("import React from 'react';\nexport function formatPrice(value) {\n  return value.toFixed(2);\n}\n"
            "const useTotal = (items) => items.length;\nexport default function CartBanner({ items }) {\n"
            "  const onClick = () => {};\n  return <div onClick={onClick}>{formatPrice(1)}</div>;\n}\n")
    tab = EditorTab(Document("plugin_widgets", "w", "p", "widgets/banner.jsx", "jsx", code))
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: tab.outline.symbols() != [])
    assert tab.outline.symbols() == ["ƒ formatPrice", "⚓ useTotal", "◇ CartBanner", "ƒ onClick"]
    tab.editor.gotoPos(0)
    qtbot.keyClicks(tab.editor, "function Extra() {")
    qtbot.keyClick(tab.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "◇ Extra" in tab.outline.symbols())
    item = tab.outline.findItems("◇ CartBanner", Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)[0]
    tab.outline.itemClicked.emit(item, 0)
    assert tab.editor.cursor_line_column()[0] == 7


def test_a_handler_breakpoint_sits_on_its_function_and_is_hollow_when_it_cannot_bind(qtbot, editor):
    editor.set_text("// Filter for product.price\n\nexport default function discount(price) {\n  return price;\n}\n")
    qtbot.waitUntil(editor.highlighter.is_current)
    editor.show_handler_breakpoint(True)
    assert editor.breakpoints() == [3] and editor.unbound_breakpoints() == []
    editor.set_text("// nothing but a comment\n")
    qtbot.waitUntil(lambda: editor.unbound_breakpoints() == [1])
    assert editor.breakpoints() == [] and "no code" in editor.unbound_reason
    editor.show_handler_breakpoint(False)
    assert editor.unbound_breakpoints() == [] and editor.breakpoints() == []


def test_a_large_outline_fills_in_slices_and_keeps_what_the_user_folded(qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    from plugin_studio.models.documents import Document
    from plugin_studio.ui.editor_tab import EditorTab

    code = "function Outer() {\n  function inner() {}\n}\n" + "".join(f"function f{n}() {{}}\n" for n in range(3000))
    tab = EditorTab(Document("plugin_scripts", "s", "p", "utils/many.js", "javascript", code))
    qtbot.addWidget(tab)
    tab.show()
    outline = tab.outline
    qtbot.waitUntil(lambda: outline.topLevelItemCount() == 3001 and not outline.filling())
    outer = outline.topLevelItem(0)
    assert outer.text(0) == "◇ Outer" and outer.isExpanded() and outer.child(0).text(0) == "ƒ inner"
    outline.collapseItem(outer)
    tab.editor.gotoPos(0)
    qtbot.keyClick(tab.editor, Qt.Key.Key_Return)   # every entry moves a line down: a new outline
    qtbot.waitUntil(lambda: not outline.filling() and outline.topLevelItemCount() == 3001
                    and outline.topLevelItem(0).data(0, Qt.ItemDataRole.UserRole) == 2)
    assert not outline.topLevelItem(0).isExpanded()
    assert outline.topLevelItem(3000).text(0) == "ƒ f2999"
    moved = [replace_line(s) for s in outline._shown]
    outline._show(moved)                             # 3,001 entries do not fit in one slice
    assert outline.filling()
    qtbot.waitUntil(lambda: not outline.filling())
    assert outline.topLevelItemCount() == 3001
    rect = outline.visualItemRect(outline.topLevelItem(1))
    QApplication.sendEvent(outline.viewport(), QHelpEvent(QEvent.Type.ToolTip, rect.center(),
                                                          outline.viewport().mapToGlobal(rect.center())))
    assert QToolTip.text() == "function f0, line 6"
    QToolTip.hideText()


def replace_line(symbol):
    from dataclasses import replace

    return replace(symbol, line=symbol.line + 1)
