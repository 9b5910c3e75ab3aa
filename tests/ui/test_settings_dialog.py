"""Settings: theme, editor font and size, tab width; every change shown at once, Cancel goes back."""
from __future__ import annotations

from PySide6.QtCore import Qt

from plugin_studio.settings import Settings
from plugin_studio.ui.settings_dialog import SYSTEM_FONT, SettingsDialog


def test_each_change_is_reported_at_once_and_ok_keeps_it(qtbot):
    dialog = SettingsDialog(Settings(theme="light", editor_font_size=10, tab_width=2))
    qtbot.addWidget(dialog)
    seen = []
    dialog.changed.connect(seen.append)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.font_size.setValue(14)
    dialog.tab_width.setValue(4)
    assert [(s.theme, s.editor_font_size, s.tab_width) for s in seen] == \
        [("dark", 10, 2), ("dark", 14, 2), ("dark", 14, 4)]
    dialog.accept()
    chosen = dialog.chosen()
    assert (chosen.theme, chosen.editor_font_size, chosen.tab_width, chosen.editor_font_family) == \
        ("dark", 14, 4, "")


def test_cancel_goes_back_to_what_was_there(qtbot):
    original = Settings(theme="system", editor_font_size=12, tab_width=8)
    dialog = SettingsDialog(original)
    qtbot.addWidget(dialog)
    seen = []
    dialog.changed.connect(seen.append)
    dialog.font_size.setValue(20)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert seen[-1] is original and dialog.result() == 0


def test_a_font_this_machine_lacks_is_shown_not_silently_replaced(qtbot):
    dialog = SettingsDialog(Settings(editor_font_family="No Such Mono 123"))
    qtbot.addWidget(dialog)
    assert dialog.font_family.currentText() == "No Such Mono 123"
    assert dialog.chosen().editor_font_family == "No Such Mono 123"
    dialog.font_family.setCurrentIndex(0)
    assert dialog.font_family.currentText() == SYSTEM_FONT and dialog.chosen().editor_font_family == ""


def test_the_settings_command_applies_live_to_the_window_and_its_editors(qtbot, cart_viewer, make_window):
    from PySide6.QtWidgets import QApplication

    from plugin_studio.ui import theme
    from ui_helpers import answer_dialog, open_file

    window = make_window(select_plugin=cart_viewer, theme="light")
    tab = open_file(qtbot, window, "hooks/product_price.js")
    seen = {}

    def go_dark_then_cancel(dialog):
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
        dialog.font_size.setValue(15)
        seen.update(window=QApplication.palette().window().color().lightness(),
                    editor=tab.editor.styleSize(0))
        dialog.reject()

    state = answer_dialog(qtbot, go_dark_then_cancel, "settings-dialog")
    window.commands.settings.trigger()
    state.wait(qtbot)
    assert seen["window"] < 60 and seen["editor"] == 15          # shown while the dialog was open
    assert QApplication.palette().window().color().lightness() > 200 and tab.editor.styleSize(0) == 10
    assert window.settings.theme == "light"

    def tabs_of_four(dialog):
        dialog.tab_width.setValue(4)
        dialog.accept()

    state = answer_dialog(qtbot, tabs_of_four, "settings-dialog")
    window.commands.settings.trigger()
    state.wait(qtbot)
    assert window.settings.tab_width == 4 and tab.editor.tabWidth() == 4
    theme.apply(window.settings.__class__(theme="light"))
