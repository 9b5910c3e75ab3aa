"""The editor's highlighting as a user sees it: what they type is reparsed incrementally and the
screen restyled; large files open without holding the window and say why they are plain."""
from __future__ import annotations

import pytest
import tree_sitter
from PySide6.QtCore import Qt

from plugin_studio.models.syntax.grammars import Highlight, grammar_for
from plugin_studio.ui.editor import LOAD_CHUNK_CHARS, CodeEditor
from plugin_studio.ui.editor_syntax import MAX_PARSED_BYTES


@pytest.fixture
def editor(qtbot):
    widget = CodeEditor()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.set_language("jsx")
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _style_of(editor: CodeEditor, needle: str) -> Highlight:
    return Highlight(editor.styleAt(editor.text_bytes().index(needle.encode())))


def test_typing_keeps_the_tree_as_a_fresh_parse_of_the_text(qtbot, editor):
    editor.set_text("function total(items) {\r\n\treturn items.length; // 😀 ok\r\n}\r\n")
    editor.gotoPos(editor.text_bytes().index(b"items.length"))
    qtbot.keyClicks(editor, "(x) => ")   # QTest types ASCII only; the rest goes in as a paste would
    editor.replaceSel("é + ")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    editor.replaceSel("const s = `${'😀'}`;")
    for _ in range(3):
        qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    editor.undo()
    qtbot.waitUntil(editor.highlighter.is_current)
    fresh = tree_sitter.Parser(grammar_for("jsx").language).parse(editor.text_bytes())
    assert str(editor.highlighter.document.tree.root_node) == str(fresh.root_node)


def test_commenting_out_recolours_code_away_from_the_keystroke(qtbot, editor):
    editor.set_text("const price = 10;\nconst tax = price * 0.2;\n")
    qtbot.waitUntil(lambda: _style_of(editor, "const tax") == Highlight.KEYWORD)
    editor.gotoPos(editor.length())
    qtbot.keyClicks(editor, "*/")
    editor.gotoPos(0)
    qtbot.keyClicks(editor, "/*")
    qtbot.waitUntil(lambda: _style_of(editor, "const tax") == Highlight.COMMENT)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: _style_of(editor, "const tax") == Highlight.KEYWORD)


def test_a_large_file_arrives_in_chunks_and_says_it_is_plain(qtbot, editor):
    text = "let a = 1;\n" * ((MAX_PARSED_BYTES + LOAD_CHUNK_CHARS) // 11 + 1)
    with qtbot.waitSignal(editor.loaded, timeout=10000):
        editor.set_text(text)
        assert editor.is_loading() and editor.text() == text and not editor.is_dirty()
    assert editor.text() == text and not editor.is_dirty()
    assert "Large file" in editor.syntax_notice()
    qtbot.keyClicks(editor, "x")
    assert editor.is_dirty()


def test_a_small_file_is_coloured_on_its_first_paint(qtbot, editor):
    painted = []
    editor.painted.connect(lambda: painted.append(_style_of(editor, "return")))
    editor.set_text("function f() {\n  return 1;\n}\n")
    qtbot.waitUntil(lambda: bool(painted))
    assert painted[0] == Highlight.KEYWORD and editor.syntax_notice() == ""
