"""History from the window: a rename from the tree and a save with a message are versions the File
History shows; Plugin History lists the plugin's versions."""
from __future__ import annotations

from qt_dialogs import answer_dialog

from plugin_studio.services import history
from plugin_studio.ui.timeline import Timeline


def open_file(qtbot, window, path):
    _select(window, path)
    window.open_entry(window.tree.current_entry())
    qtbot.waitUntil(lambda: window.editors.current_tab() is not None
                    and window.editors.current_tab().document.path == path)
    return window.editors.current_tab()


def _select(window, path):
    index = window.tree_model.index_for_path(path)
    assert index.isValid(), path
    window.tree.setCurrentIndex(index)
    return window.tree.current_entry()


def test_a_rename_and_a_save_with_a_message_show_in_the_file_history(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    _select(window, "utils/format_price.js")
    renamed = answer_dialog(qtbot, lambda d: (d.name.setText("utils/price_format.js"), d.accept()), "rename-dialog")
    window.commands.rename.trigger()
    renamed.wait(qtbot)
    qtbot.waitUntil(lambda: window.tree_model.index_for_path("utils/price_format.js").isValid())
    tab = open_file(qtbot, window, "utils/price_format.js")
    tab.editor.insertText(len(tab.text().encode("utf-8")), "\n// cheaper\n")  # a real edit: the tab is dirty
    typed = answer_dialog(qtbot, lambda d: (d.setTextValue("Prices a little lower"), d.accept()))
    window.commands.save_with_message.trigger()
    typed.wait(qtbot)
    qtbot.waitUntil(lambda: len(history.versions(conn, cart_viewer)) == 2)
    assert [v.commit_message for v in history.versions(conn, cart_viewer)] == [
        "Prices a little lower", "Renamed utils/format_price.js to utils/price_format.js"]
    window.commands.file_history.trigger()
    timeline = next(w for w in window.findChildren(Timeline))
    qtbot.waitUntil(lambda: timeline.comparison is not None)
    assert [timeline.list.topLevelItem(r).text(3) for r in range(timeline.list.topLevelItemCount())] == [
        "Prices a little lower", "Renamed utils/format_price.js to utils/price_format.js"]
    assert timeline.diff.new_side.toPlainText().rstrip("\n").endswith("// cheaper")
    timeline.close()


def test_plugin_history_lists_every_version(qtbot, conn, cart_viewer, make_window):
    history.record_version(conn, cart_viewer, message="Started", author=history.default_author())
    window = make_window(select_plugin=cart_viewer)
    window.commands.plugin_history.trigger()
    timeline = next(w for w in window.findChildren(Timeline))
    qtbot.waitUntil(lambda: timeline.comparison is not None)
    assert timeline.list.topLevelItem(0).text(3) == "Started"
    assert timeline.windowTitle() == "History of Cart Viewer — all files"
    timeline.close()


def save_with_message(qtbot, window, tab, line, message):
    tab.editor.insertText(len(tab.text().encode("utf-8")), f"\n{line}\n")
    typed = answer_dialog(qtbot, lambda d: (d.setTextValue(message), d.accept()))
    window.commands.save_with_message.trigger()
    typed.wait(qtbot)
    qtbot.waitUntil(lambda: not tab.is_dirty())


def test_the_file_history_keeps_the_versions_from_before_a_rename(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    tab = open_file(qtbot, window, "utils/format_price.js")
    save_with_message(qtbot, window, tab, "// first", "First change")
    _select(window, "utils/format_price.js")
    renamed = answer_dialog(qtbot, lambda d: (d.name.setText("utils/price_format.js"), d.accept()), "rename-dialog")
    window.commands.rename.trigger()
    renamed.wait(qtbot)
    qtbot.waitUntil(lambda: tab.document.path == "utils/price_format.js")
    save_with_message(qtbot, window, tab, "// second", "Second change")
    qtbot.waitUntil(lambda: len(history.versions(conn, cart_viewer)) == 3)
    window.commands.file_history.trigger()
    timeline = next(w for w in window.findChildren(Timeline))
    qtbot.waitUntil(lambda: timeline.comparison is not None)
    assert [timeline.list.topLevelItem(r).text(3) for r in range(timeline.list.topLevelItemCount())] == [
        "Second change", "First change"]
    timeline.close()
