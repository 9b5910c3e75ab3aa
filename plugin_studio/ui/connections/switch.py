"""Switching the running window to another saved connection.

A window belongs to one connection (its database session, listener, runner, migrations and editor
tabs all hold rows of that database), so switching opens a window on the new connection in the
same place. With tabs open the user chooses: keep them (this window stays, on the old connection,
beside the new one) or close them (this window closes, asking about unsaved edits as on quit).
"""
from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QMainWindow, QMessageBox

KEEP, CLOSE = "keep", "close"
_open_windows: list[QMainWindow] = []     # windows opened by a switch, kept alive until they close


def ask_about_tabs(window, name: str) -> str | None:
    """KEEP, CLOSE, or None (cancelled); CLOSE without asking when no tab is open."""
    tabs = window.editors.all_tabs()
    if not tabs:
        return CLOSE
    old = window.connection.name if window.connection else "this database"
    box = QMessageBox(QMessageBox.Icon.Question, "Switch Connection",
                      f"Switch to “{name}”?\n\n{len(tabs)} tab(s) of “{old}” are open. Keep them in this window "
                      f"(it stays on “{old}”, beside a new window on “{name}”), or close them?",
                      QMessageBox.StandardButton.Cancel, window)
    box.setObjectName("switch-connection")
    keep = box.addButton("Keep Them", QMessageBox.ButtonRole.AcceptRole)
    close = box.addButton("Close Them", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(keep)
    box.exec()
    return {keep: KEEP, close: CLOSE}.get(box.clickedButton())


def switch_connection(window, name: str):
    """Open a window on the saved connection ``name``; returns it (None when the user cancelled)."""
    choice = ask_about_tabs(window, name)
    if choice is None:
        return None
    settings = dataclasses.replace(window.settings, open_tabs=[], current_tab=-1, last_plugin_id=None)
    new = type(window)(name, settings=settings, recovery=window.recovery)
    new.setGeometry(window.geometry())
    _open_windows.append(new)
    new.destroyed.connect(lambda *_: _open_windows.remove(new) if new in _open_windows else None)
    new.show()
    if choice == CLOSE:
        window.close()
    return new


def open_connections(window):
    """Connections…: edit the saved connections and groups; Connect switches the window to one."""
    from plugin_studio.ui.connections.dialog import ConnectionsDialog

    dialog = ConnectionsDialog(window, current=window.connection.name if window.connection else None)
    dialog.connect_requested.connect(lambda name: switch_connection(window, name))
    dialog.exec()
    return dialog
