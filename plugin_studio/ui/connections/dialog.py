"""Connections… : the saved connections and groups, an editor for each, Test Connection, Connect.

Like pgAdmin's or DBeaver's server list: the list on the left (each entry in its colour, with its
flags), the selected entry's form on the right. Save keeps the entry (its password goes to the OS
keyring); Test Connection connects in the background with what the form says; Connect switches the
window to the selected connection (``connect_requested``). Groups are edited on their own tab.
"""
from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QTabWidget,
    QVBoxLayout, QWidget,
)

from plugin_studio.models.connections import ConnectionListError, SavedConnection
from plugin_studio.services import connections as saved
from plugin_studio.ui import jobs
from plugin_studio.ui.connections.editor import ConnectionEditor, color_icon
from plugin_studio.ui.connections.frame import frame_color
from plugin_studio.ui.connections.groups import GroupsEditor
from plugin_studio.ui.errors import describe_error

NEW_NAME = "New connection"


class ConnectionsDialog(QDialog):
    connect_requested = Signal(str)   # the name of the saved connection to switch to

    def __init__(self, parent: QWidget | None = None, current: str | None = None):
        super().__init__(parent)
        self.setObjectName("connections-dialog")
        self.setWindowTitle("Connections")
        self.connections = saved.load_connections()
        self.editing: str | None = None           # the name of the entry in the form (None: a new one)
        self.list = QListWidget(objectName="connection-list")
        self.list.currentRowChanged.connect(self._show_row)
        self.editor = ConnectionEditor()
        self.message = QLabel(objectName="connection-message", wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.groups = GroupsEditor(self.connections, self._save_file)
        self._lay_out()
        self._fill(select=current)
        self.resize(920, 640)

    def _lay_out(self) -> None:
        buttons = {name: QPushButton(text, objectName=name) for name, text in (
            ("new", "New"), ("remove", "Remove"), ("save", "Save"), ("test", "Test Connection"),
            ("connect", "Connect"))}
        buttons["new"].clicked.connect(self.new_entry)
        buttons["remove"].clicked.connect(self.remove_entry)
        buttons["save"].clicked.connect(self.save_entry)
        buttons["test"].clicked.connect(self.test_entry)
        buttons["connect"].clicked.connect(self.connect_entry)
        self.buttons = buttons
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addLayout(_row(buttons["new"], buttons["remove"]))
        right = QVBoxLayout()
        right.addWidget(self.editor)
        right.addWidget(self.message)
        right.addStretch(1)
        right.addLayout(_row(buttons["test"], buttons["save"], buttons["connect"]))
        page = QWidget()
        split = QHBoxLayout(page)
        split.addLayout(left, 2)
        split.addLayout(right, 3)
        tabs = QTabWidget(objectName="connection-tabs")
        tabs.addTab(page, "Connections")
        tabs.addTab(self.groups, "Groups")
        tabs.currentChanged.connect(lambda _i: self.groups.refresh())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(close)

    # -- the list ----------------------------------------------------------------------------------
    def _fill(self, select: str | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for entry in self.connections.connections:
            item = QListWidgetItem(color_icon(frame_color(entry) or entry.color), _label(entry))
            item.setData(Qt.ItemDataRole.UserRole, entry.name)
            item.setToolTip(entry.describe())
            self.list.addItem(item)
        self.list.blockSignals(False)
        names = self.connections.names()
        self.list.setCurrentRow(names.index(select) if select in names else 0)
        self._show_row(self.list.currentRow())

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        entry = self.connections.connections[row]
        self.editing = entry.name
        self.editor.show_entry(entry, not entry.embedded and saved.stored_password(entry.name) is not None)
        self.buttons["remove"].setEnabled(not entry.embedded)
        self.message.clear()

    def selected_name(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def new_entry(self) -> None:
        name, n = NEW_NAME, 1
        while self.connections.find(name) is not None:
            n += 1
            name = f"{NEW_NAME} {n}"
        self.editing = None
        self.list.clearSelection()
        self.editor.show_entry(SavedConnection(name), False)
        self.buttons["remove"].setEnabled(False)
        self.editor.name.setFocus()
        self.editor.name.selectAll()

    # -- saving, removing --------------------------------------------------------------------------
    def save_entry(self) -> bool:
        """Keep the form's entry (and its password in the keyring); a bad value is said under the form."""
        entry = self.editor.entry()
        dsn, in_dsn = saved.split_password(entry.dsn)     # a password typed into the string: to the keyring
        entry = dataclasses.replace(entry, dsn=dsn)
        password = self.editor.typed_password() or in_dsn
        try:
            self.connections.put(entry, replacing=self.editing)
            if self.editing and self.editing != entry.name:
                saved.rename_password(self.editing, entry.name)
            if self.editor.forget.isChecked():
                saved.forget_password(entry.name)
            elif password:
                saved.store_password(entry.name, password)
            self._save_file()
        except (ConnectionListError, saved.KeyringUnavailable, OSError) as exc:
            self._say(str(exc), error=True)
            return False
        self._fill(select=entry.name)
        self._say(f"Saved {entry.name}.")
        return True

    def _save_file(self) -> None:
        saved.save_connections(self.connections)

    def remove_entry(self) -> None:
        name = self.selected_name()
        if name is None or name == self.connections.connections[0].name:
            return
        try:
            self.connections.remove(name)
            self._save_file()
        except (ConnectionListError, OSError) as exc:
            self._say(str(exc), error=True)
            return
        saved.forget_password(name)
        self._fill()
        self._say(f"Removed {name}.")

    # -- testing, connecting -----------------------------------------------------------------------
    def test_entry(self) -> None:
        entry = self.editor.entry()
        password = self.editor.typed_password() or (None if self.editor.forget.isChecked()
                                                    else saved.stored_password(self.editing or entry.name))
        try:
            dsn = saved.dsn_of(entry, password)
        except ConnectionListError as exc:
            self._say(str(exc), error=True)
            return
        self._say(f"Connecting to {entry.describe()}…")
        self.buttons["test"].setEnabled(False)
        jobs.start(lambda _control, d: saved.probe(d), dsn, owner=self, title=f"Testing {entry.name}",
                   on_done=lambda line: self._tested(line, False), on_error=lambda e: self._tested(describe_error(e), True))

    def _tested(self, text: str, error: bool) -> None:
        self.buttons["test"].setEnabled(True)
        self._say(text, error=error)

    def connect_entry(self) -> None:
        """Save the form if it changed, then ask the window to switch to it."""
        if self.editing is None or self.editor.entry() != self.connections.find(self.editing) \
                or self.editor.typed_password() or self.editor.forget.isChecked():
            if not self.save_entry():
                return
        name = self.selected_name()
        if name is not None:
            self.connect_requested.emit(name)
            self.accept()

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.setStyleSheet("color: #c62828;" if error else "")


def _label(entry: SavedConnection) -> str:
    flags = [word for word, on in (("production", entry.production), ("read-only", entry.read_only)) if on]
    return f"{entry.name}" + (f"  [{', '.join(flags)}]" if flags else "") + f"\n    {entry.describe()}"


def _row(*widgets: QWidget) -> QHBoxLayout:
    layout = QHBoxLayout()
    for widget in widgets:
        layout.addWidget(widget)
    return layout
