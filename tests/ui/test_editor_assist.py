"""Completion and help as a user gets them: Ctrl+Space and `.` open Scintilla's list with the
platform's hook names, React's API, the plugin's modules; `(` shows a signature; go to definition
from a require opens that module's row."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from plugin_studio.db import files
from plugin_studio.models.platform_names import KnownNames
from plugin_studio.models.syntax.completion import CompletionSources
from plugin_studio.ui.editor import CodeEditor
from plugin_studio.ui.preview.samples import SLOT_SAMPLES
from ui_helpers import open_file


@pytest.fixture
def editor(qtbot):
    widget = CodeEditor()
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.set_language("jsx")
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _listed(editor) -> list[str]:
    return [o.label for o in editor.assist.offers] if editor.autoCActive() else []


def test_ctrl_space_in_a_hook_call_offers_the_storefronts_hook_names(qtbot, editor):
    editor.set_text("export default function () {\n  \n}\n")
    editor.gotoPos(editor.positionFromLine(1) + 2)
    qtbot.keyClicks(editor, "hookSystem.apply('cart.pro")
    qtbot.keyClick(editor, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    assert "cart.processLoadedItems" in _listed(editor)
    assert "cart.processLoadedItems — filter" in editor.assist.documentation.text()
    assert editor.assist.documentation.isVisible()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert "hookSystem.apply('cart.processLoadedItems'" in editor.text()


def test_a_quote_after_an_event_call_opens_the_event_names(qtbot, editor):
    editor.set_text("")
    qtbot.keyClicks(editor, "eventSystem.on(")
    qtbot.keyClicks(editor, "'")
    assert "cart.viewed" in _listed(editor) and "cart.processLoadedItems" not in _listed(editor)


def test_react_dot_offers_react_api_and_hooks(qtbot, editor):
    editor.set_text("")
    qtbot.keyClicks(editor, "const [n, setN] = React.")
    assert "useState" in _listed(editor) and "createElement" in _listed(editor)
    qtbot.keyClicks(editor, "useSt")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.text().endswith("React.useState")


def test_an_open_parenthesis_shows_the_signature(qtbot, editor):
    editor.set_text("")
    qtbot.keyClicks(editor, "React.useEffect")
    editor.autoCCancel()
    qtbot.keyClicks(editor, "(")
    assert editor.callTipActive()
    assert editor.assist.show_signature().startswith("useEffect(setup, dependencies?)")


def test_plugin_modules_config_keys_and_platform_names_come_from_the_sources(qtbot, editor):
    editor.assist.sources = CompletionSources(
        KnownNames((("my.custom", "event", "plugin_events", "r", True),)), ("title", "maxItems"),
        {"utils/format": "export function money(value, currency = 'USD') {\n  return value;\n}\n"})
    editor.set_text("const fmt = require('./utils/format');\n")
    editor.gotoPos(editor.length())
    qtbot.keyClicks(editor, "fmt.")
    assert _listed(editor) == ["money"]
    editor.autoCCancel()
    qtbot.keyClicks(editor, " config.")
    assert _listed(editor) == ["title", "maxItems"]
    editor.autoCCancel()
    qtbot.keyClicks(editor, " eventSystem.emit('my")
    qtbot.keyClick(editor, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    assert "my.custom" in _listed(editor)
    editor.autoCCancel()
    editor.set_text("const fmt = require('./utils/format');\nfmt.money(1);\n")
    assert "money(value, currency = 'USD')" in editor.assist.describe_at(editor.text_bytes().index(b"money") + 2)


def test_keys_deeper_in_slot_data_and_config_come_from_the_samples(qtbot, editor):
    editor.assist.sources = CompletionSources(config_keys=("title", "style"), samples={
        "slotData": tuple(SLOT_SAMPLES.items()),
        "config": (("default_config", {"title": "Visits", "style": {"color": "#333", "gap": 8}}),)})
    editor.set_text("")
    qtbot.keyClicks(editor, "const n = slotData.cart.")
    assert {"items", "total", "currency"} <= set(_listed(editor))
    assert "62.4" in next(o.detail for o in editor.assist.offers if o.label == "total")
    qtbot.keyClicks(editor, "tot")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.text() == "const n = slotData.cart.total"
    qtbot.keyClicks(editor, "; config.style.")
    assert _listed(editor) == ["color", "gap"]


def test_hover_on_a_hook_name_shows_its_arguments(qtbot, editor):
    editor.set_text("hookSystem.apply('cart.processLoadedItems', items, ctx);\n")
    text = editor.assist.describe_at(editor.text_bytes().index(b"processLoaded"))
    assert text.startswith("cart.processLoadedItems — filter: hookSystem.apply('cart.processLoadedItems', items, {store")


def test_go_to_definition_from_a_require_opens_that_module(qtbot, conn, cart_viewer, make_window):
    row = files.create_script(conn, cart_viewer, "utils/format.js",
                              "export function money(value) {\n  return '$' + value;\n}\n")
    window = make_window(select_plugin=cart_viewer)
    qtbot.waitUntil(lambda: window.workbench is not None, timeout=10000)
    qtbot.waitUntil(lambda: "utils/format" in window.workbench.checker.modules, timeout=10000)
    tab = open_file(qtbot, window, "hooks/product_price.js")
    tab.editor.set_text("const fmt = require('./utils/format');\nexport default (p) => fmt.money(p);\n")
    tab.editor.gotoPos(tab.text().index("utils"))
    qtbot.keyClick(tab.editor, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.editors.current_tab().document.row_id == row, timeout=10000)
    assert window.editors.current_tab().document.path == "utils/format.js"
    window.editors.tabs.setCurrentWidget(tab)
    tab.editor.gotoPos(tab.text().index("money"))
    tab.editor.take_focus()
    qtbot.keyClick(tab.editor, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.editors.current_tab().document.row_id == row, timeout=10000)
    assert window.editors.current_tab().editor.cursor_line_column()[0] == 1


def test_format_document_uses_prettier_in_the_worker_and_keeps_crlf(qtbot, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    qtbot.waitUntil(lambda: window.workbench is not None, timeout=10000)
    tab = open_file(qtbot, window, "hooks/product_price.js")
    tab.editor.set_text("export default function (price){\r\nreturn price*0.9}\r\n")
    qtbot.keyClick(tab.editor, Qt.Key.Key_F, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: tab.text() != "export default function (price){\r\nreturn price*0.9}\r\n", timeout=30000)
    assert tab.text() == "export default function (price) {\r\n  return price * 0.9;\r\n}\r\n"
    tab.editor.undo()
    assert tab.text() == "export default function (price){\r\nreturn price*0.9}\r\n"
