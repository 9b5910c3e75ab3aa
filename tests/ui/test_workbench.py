"""The tools docked in the main window, driven as a user would: package import through the menu,
syntax marks on save, the widget preview beside its editor, debugger breakpoints, migrations."""
from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from plugin_studio.db import files
from plugin_studio.services.packages import export_package
from ui_helpers import answer_dialog, open_file, preview_texts



def _wait_for_workbench(qtbot, window):
    qtbot.waitUntil(lambda: window.workbench is not None)
    return window.workbench


def test_import_through_the_file_menu_previews_imports_and_selects_the_plugin(qtbot, conn, cart_viewer,
                                                                               make_window, tmp_path):
    package_path = tmp_path / "cart-viewer-1.0.0.json"
    export_package(conn, cart_viewer, package_path)
    window = make_window(select_plugin=cart_viewer)
    _wait_for_workbench(qtbot, window)

    def choose_file(dialog):
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(package_path))
        dialog.accept()

    seen = {}

    def accept_preview(dialog):
        seen["summary"] = dialog.findChild(object, "import-summary").text()
        dialog.import_button.click()

    picked = answer_dialog(qtbot, choose_file)
    previewed = answer_dialog(qtbot, accept_preview, "import-preview")
    window.commands.import_package.trigger()
    picked.wait(qtbot)
    previewed.wait(qtbot)
    qtbot.waitUntil(lambda: window.current_plugin is not None and window.current_plugin.name == "Cart Viewer (2)")
    assert "Cart Viewer (2)" in seen["summary"]
    selected = window.plugin_model.plugin_at(window.plugin_view.currentIndex().row())
    assert selected.name == "Cart Viewer (2)"
    qtbot.waitUntil(lambda: "events/cart_viewed.js" in {e.path for e in window.tree_model.entries()})


def test_a_js_syntax_error_is_marked_on_save_and_the_code_is_still_saved(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    _wait_for_workbench(qtbot, window)
    tab = open_file(qtbot, window, "hooks/product_price.js")
    tab.editor.set_text("export default function (price) {\n  return price *;\n}\n")
    tab.editor.insertText(0, " ")  # one real edit so the tab is dirty
    window.commands.save.trigger()
    # The mark comes from the checks as you type, the save on its own lane: wait for both.
    qtbot.waitUntil(lambda: tab.editor.error_lines() != [] and not tab.is_dirty())
    assert tab.editor.error_lines() == [2]
    assert "✖" in tab.editor.annotation(2)
    # The marks come from the syntax check; the write is the database lane's, and may land after them.
    qtbot.waitUntil(lambda: "return price *;" in files.fetch_code(conn, "plugin_hooks", tab.document.row_id))


def test_a_handler_shape_the_storefront_cannot_load_is_warned_about(qtbot, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    _wait_for_workbench(qtbot, window)
    tab = open_file(qtbot, window, "hooks/product_price.js")
    tab.editor.set_text("module.exports = (price) => price * 0.5;\n")
    tab.editor.insertText(0, " ")
    window.commands.save.trigger()
    qtbot.waitUntil(lambda: tab.editor.error_lines() != [])
    assert "⚠" in tab.editor.annotation(tab.editor.error_lines()[0])


def test_widget_file_opens_with_a_live_preview_beside_the_editor(qtbot, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    _wait_for_workbench(qtbot, window)
    tab = open_file(qtbot, window, "widgets/cart-visit-counter.jsx")
    qtbot.waitUntil(lambda: tab.preview is not None)
    qtbot.waitUntil(lambda: any("Cart visits: 0" in t for t in preview_texts(tab.preview)))
    code = tab.text().replace("'Cart visits: '", "'Visits so far: '")
    tab.editor.replace_text_keeping_undo(code)
    qtbot.waitUntil(lambda: any("Visits so far: 0" in t for t in preview_texts(tab.preview)))


def test_f9_in_a_hook_editor_sets_a_debugger_breakpoint_on_that_handler(qtbot, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    bench = _wait_for_workbench(qtbot, window)
    assert bench.debugger is not None
    tab = open_file(qtbot, window, "hooks/product_price.js")
    qtbot.keyClick(tab.editor, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: tab.document.row_id in bench.debugger.breakpoint_rows())
    assert tab.editor.breakpoints() == [1]
    qtbot.keyClick(tab.editor, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: tab.document.row_id not in bench.debugger.breakpoint_rows())
    assert tab.editor.breakpoints() == []


def test_migrations_dock_lists_the_plugins_migration(qtbot, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    bench = _wait_for_workbench(qtbot, window)
    qtbot.waitUntil(lambda: bench.migrations.plugin_id() == cart_viewer)
    view_model = bench.migrations.table.model()
    qtbot.waitUntil(lambda: view_model.rowCount() == 1)
    texts = [view_model.index(0, c).data() for c in range(view_model.columnCount())]
    assert "1.0.0" in texts and "pending" in json.dumps(texts)


def test_files_with_syntax_errors_are_marked_in_the_tree_and_cleared_when_fixed(qtbot, conn, cart_viewer,
                                                                                 make_window):
    from plugin_studio.ui.file_tree_model import PROBLEM_ROLE

    broken = files.create_script(conn, cart_viewer, "utils/broken.js", "function (a {\n}\n")
    window = make_window(select_plugin=cart_viewer)
    _wait_for_workbench(qtbot, window)
    index = lambda: window.tree_model.index_for_path("utils/broken.js")  # noqa: E731
    qtbot.waitUntil(lambda: index().data(PROBLEM_ROLE) is not None)
    assert index().data(PROBLEM_ROLE).startswith("line 1:")
    assert window.tree_model.index_for_path("hooks/product_price.js").data(PROBLEM_ROLE) is None
    tab = open_file(qtbot, window, "utils/broken.js")
    tab.editor.set_text("function (a) {\n}\n")
    tab.editor.insertText(0, " ")
    window.commands.save.trigger()
    qtbot.waitUntil(lambda: index().data(PROBLEM_ROLE) is None and not tab.is_dirty())
    assert files.fetch_code(conn, "plugin_scripts", broken).startswith(" function (a)")


def test_an_imported_file_with_a_syntax_error_is_imported_and_marked(qtbot, conn, cart_viewer, make_window,
                                                                     tmp_path):
    from plugin_studio.ui.file_tree_model import PROBLEM_ROLE

    files.create_script(conn, cart_viewer, "utils/oops.js", "const = 1;\n")
    package_path = tmp_path / "with-error.json"
    export_package(conn, cart_viewer, package_path)
    window = make_window(select_plugin=cart_viewer)
    bench = _wait_for_workbench(qtbot, window)
    bench.import_package(str(package_path))
    qtbot.waitUntil(lambda: window.findChild(object, "import-preview") is not None)
    window.findChild(object, "import-preview").import_button.click()
    qtbot.waitUntil(lambda: window.current_plugin is not None and window.current_plugin.name == "Cart Viewer (2)")
    qtbot.waitUntil(lambda: window.tree_model.index_for_path("utils/oops.js").isValid())
    qtbot.waitUntil(lambda: window.tree_model.index_for_path("utils/oops.js").data(PROBLEM_ROLE) is not None)
