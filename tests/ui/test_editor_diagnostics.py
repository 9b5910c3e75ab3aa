"""Problems as you type, in the real window: the message, where the squiggle starts (tabs
included), the storefront's shape warning, unknown names with their quick fix, and the tree's mark."""
from __future__ import annotations

from plugin_studio.ui.file_tree_model import PROBLEM_ROLE
from plugin_studio.ui.editor_problems import INDICATOR_ERROR
from ui_helpers import open_file


def _workbench(qtbot, window):
    qtbot.waitUntil(lambda: window.workbench is not None, timeout=10000)
    return window.workbench


def _problems(editor, source=None):
    return [p for p in editor.problems() if source is None or p.source == source]


def test_a_syntax_error_shows_its_message_while_typing_without_saving(qtbot, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    _workbench(qtbot, window)
    tab = open_file(qtbot, window, "hooks/product_price.js")
    tab.editor.set_text("export default function (price) {\n\t\tconst rate = ;\n  return price * rate;\n}\n")
    qtbot.keyClicks(tab.editor, " ")   # typing, not saving
    qtbot.waitUntil(lambda: bool(_problems(tab.editor, "syntax")), timeout=10000)
    problem = _problems(tab.editor, "syntax")[0]
    assert (problem.line, problem.column, problem.message) == (2, 16, "expected a value after `=`")
    assert "✖ expected a value after `=`" in tab.editor.annotation(2)
    semicolon = tab.editor.text_bytes().index(b";")
    assert tab.editor.indicatorValueAt(INDICATOR_ERROR, semicolon) == 1
    assert tab.editor.indicatorValueAt(INDICATOR_ERROR, semicolon - 1) == 0   # not shifted by the tabs
    assert tab.is_dirty()


def test_fixing_the_error_clears_the_mark(qtbot, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    _workbench(qtbot, window)
    tab = open_file(qtbot, window, "hooks/product_price.js")
    tab.editor.set_text("export default function (price) {\n  return price *;\n}\n")
    qtbot.keyClicks(tab.editor, " ")
    qtbot.waitUntil(lambda: tab.editor.error_lines() == [2], timeout=10000)
    tab.editor.gotoPos(tab.editor.text_bytes().index(b";"))
    qtbot.keyClicks(tab.editor, " 2")
    qtbot.waitUntil(lambda: tab.editor.error_lines() == [], timeout=10000)


def test_an_unknown_hook_name_is_fixed_to_the_nearest_known_one(qtbot, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    _workbench(qtbot, window)
    tab = open_file(qtbot, window, "utils/format_price.js")
    code = "export function load(items) {\n  return hookSystem.apply('cart.procesLoadedItems', items);\n}\n"
    tab.editor.set_text(code)
    qtbot.keyClicks(tab.editor, " ")
    qtbot.waitUntil(lambda: bool(_problems(tab.editor, "names")), timeout=10000)
    assert "did you mean `cart.processLoadedItems`?" in _problems(tab.editor, "names")[0].message
    fixes = tab.editor.quick_fixes(2)
    assert [f.replacement for f in fixes] == ["cart.processLoadedItems"]
    tab.editor.apply_fix(fixes[0])
    assert "hookSystem.apply('cart.processLoadedItems', items)" in tab.text()
    qtbot.waitUntil(lambda: not _problems(tab.editor, "names"), timeout=10000)


def test_a_shape_the_storefront_cannot_load_is_warned_about_while_typing(qtbot, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    _workbench(qtbot, window)
    tab = open_file(qtbot, window, "hooks/product_price.js")
    tab.editor.set_text("module.exports = (price) => price * 0.5;\n")
    qtbot.keyClicks(tab.editor, " ")
    qtbot.waitUntil(lambda: bool(_problems(tab.editor, "storefront")), timeout=10000)
    warning = _problems(tab.editor, "storefront")[0]
    assert warning.severity == "warning" and "storefront's loader" in warning.message and warning.line == 1


def test_the_tree_marks_a_file_with_an_error_typed_into_it(qtbot, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    _workbench(qtbot, window)
    tab = open_file(qtbot, window, "hooks/product_price.js")
    tab.editor.set_text("export default function (price) {\n  return [price;\n}\n")
    qtbot.keyClicks(tab.editor, " ")
    index = window.tree_model.index_for_row("plugin_hooks", tab.document.row_id)
    qtbot.waitUntil(lambda: "missing `]`" in (index.data(PROBLEM_ROLE) or ""), timeout=10000)
