"""The Groups tab of Connections…: named lists of saved connections (every tenant's store, say),
used by Run on Databases… and by Compare Across Group."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)

from plugin_studio.models.connections import ConnectionGroup, ConnectionList, ConnectionListError
from plugin_studio.ui.connections.editor import color_icon

NEW_GROUP = "New group"


class GroupsEditor(QWidget):
    def __init__(self, connections: ConnectionList, save_file: Callable[[], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("groups-editor")
        self.connections = connections
        self._save_file = save_file
        self.editing: str | None = None
        self.list = QListWidget(objectName="group-list")
        self.list.currentRowChanged.connect(self._show_row)
        self.name = QLineEdit(objectName="group-name")
        self.members = QListWidget(objectName="group-members")
        self.message = QLabel(objectName="group-message", wordWrap=True)
        self._lay_out()
        self.refresh()

    def _lay_out(self) -> None:
        new, remove, save = (QPushButton(t, objectName=n) for n, t in (("new-group", "New"),
                                                                         ("remove-group", "Remove"),
                                                                         ("save-group", "Save")))
        new.clicked.connect(self.new_group)
        remove.clicked.connect(self.remove_group)
        save.clicked.connect(self.save_group)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(new)
        buttons.addWidget(remove)
        left.addLayout(buttons)
        right = QVBoxLayout()
        right.addWidget(QLabel("Name:"))
        right.addWidget(self.name)
        right.addWidget(QLabel("Connections in the group (in this order):"))
        right.addWidget(self.members, 1)
        right.addWidget(self.message)
        right.addWidget(save, 0, Qt.AlignmentFlag.AlignRight)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)

    def refresh(self, select: str | None = None) -> None:
        """Fill the list again (connections may have been added or renamed on the other tab)."""
        select = select or self.editing
        self.list.blockSignals(True)
        self.list.clear()
        for group in self.connections.groups:
            self.list.addItem(f"{group.name}  ({len(group.members)})")
        self.list.blockSignals(False)
        names = self.connections.group_names()
        if select in names:
            self.list.setCurrentRow(names.index(select))
            self._show_row(names.index(select))
        elif names:
            self.list.setCurrentRow(0)
            self._show_row(0)
        else:
            self._show(ConnectionGroup(NEW_GROUP), None)

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.connections.groups):
            group = self.connections.groups[row]
            self._show(group, group.name)

    def _show(self, group: ConnectionGroup, editing: str | None) -> None:
        self.editing = editing
        self.name.setText(group.name)
        self.members.clear()
        ordered = list(group.members) + [n for n in self.connections.names() if n not in group.members]
        for name in ordered:
            entry = self.connections.find(name)
            item = QListWidgetItem(color_icon(entry.color), name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in group.members else Qt.CheckState.Unchecked)
            self.members.addItem(item)
        self.message.clear()

    def chosen(self) -> ConnectionGroup:
        members = tuple(self.members.item(i).text() for i in range(self.members.count())
                        if self.members.item(i).checkState() == Qt.CheckState.Checked)
        return ConnectionGroup(self.name.text().strip(), members)

    def new_group(self) -> None:
        name, n = NEW_GROUP, 1
        while self.connections.group(name) is not None:
            n += 1
            name = f"{NEW_GROUP} {n}"
        self.list.clearSelection()
        self._show(ConnectionGroup(name), None)
        self.name.setFocus()
        self.name.selectAll()

    def save_group(self) -> bool:
        group = self.chosen()
        try:
            self.connections.put_group(group, replacing=self.editing)
            self._save_file()
        except (ConnectionListError, OSError) as exc:
            self.message.setText(str(exc))
            return False
        self.editing = group.name
        self.refresh(select=group.name)
        self.message.setText(f"Saved {group.name}: {len(group.members)} connection(s).")
        return True

    def remove_group(self) -> None:
        if self.editing is None:
            return
        name = self.editing
        self.connections.remove_group(name)
        self._save_file()
        self.editing = None
        self.refresh()
        self.message.setText(f"Removed {name}.")
