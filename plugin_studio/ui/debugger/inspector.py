"""The hook inspector: every hook and event name registered, each with its handlers in execution order."""
from __future__ import annotations

import posixpath

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from plugin_studio.models.debugger import EVENT, Registration
from plugin_studio.runner.chain_load import Registrations
from plugin_studio.ui import theme

ALL_PLUGINS = ""
ROW_ROLE = Qt.ItemDataRole.UserRole + 1     # (table, row id) on handler items
NAME_ROLE = Qt.ItemDataRole.UserRole + 2    # (target, name, mode) on name items
COLUMNS = ("Hook / event", "Plugin", "Prio", "Type", "On")


def mode_for(registrations: list[Registration], target: str) -> str:
    """How to run a name: events are emitted; a hook is applied as a filter unless only actions hook it."""
    if target == EVENT:
        return "event"
    return "action" if registrations and all(r.kind == "action" for r in registrations) else "filter"


class InspectorView(QWidget):
    name_chosen = Signal(str, str, str)       # target, name, mode
    handler_activated = Signal(str, str)      # table, row id (double-click: open it)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._data = Registrations()
        self._breakpoints: set[str] = set()
        self.filter_edit = QLineEdit(placeholderText="Filter by name…", clearButtonEnabled=True)
        self.plugin_combo = QComboBox()
        self.plugin_combo.addItem("All plugins", ALL_PLUGINS)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        for column, width in enumerate((170, 80, 32, 46, 28)):
            self.tree.setColumnWidth(column, width)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 3)
        filters.addWidget(self.plugin_combo, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.tree)
        self.filter_edit.textChanged.connect(self._rebuild)
        self.plugin_combo.currentIndexChanged.connect(self._rebuild)
        # Only a user's click or Enter chooses a name: Qt also moves the current item on focus and
        # on rebuilds, which must not overwrite the name typed in the scenario bar.
        self.tree.itemClicked.connect(self._on_tree_item_chosen)
        self.tree.itemActivated.connect(self._on_tree_item_chosen)
        self.tree.itemDoubleClicked.connect(self._on_tree_double_clicked)

    # ---- content -------------------------------------------------------------------------------------
    def set_registrations(self, data: Registrations) -> None:
        self._data = data
        chosen = self.plugin_combo.currentData()
        self.plugin_combo.blockSignals(True)
        self.plugin_combo.clear()
        self.plugin_combo.addItem("All plugins", ALL_PLUGINS)
        for plugin_id, name in sorted(data.plugins.items(), key=lambda p: p[1].lower()):
            self.plugin_combo.addItem(name, plugin_id)
        self.plugin_combo.setCurrentIndex(max(0, self.plugin_combo.findData(chosen)))
        self.plugin_combo.blockSignals(False)
        self._rebuild()

    def set_breakpoint_rows(self, rows: set[str]) -> None:
        self._breakpoints = set(rows)
        self._rebuild()

    def registrations(self) -> Registrations:
        return self._data

    def visible_names(self) -> list[str]:
        return [self.tree.topLevelItem(i).data(0, NAME_ROLE)[1] for i in range(self.tree.topLevelItemCount())]

    def handlers_shown(self, name: str) -> list[list[str]]:
        """The handler rows under ``name`` as text, for tests and screen readers alike."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, NAME_ROLE)[1] == name:
                return [[item.child(j).text(c) for c in range(len(COLUMNS))] for j in range(item.childCount())]
        return []

    def _rebuild(self, *_) -> None:
        needle = self.filter_edit.text().strip().lower()
        plugin = self.plugin_combo.currentData() or ALL_PLUGINS
        current = self.tree.currentItem()
        keep = (current.parent() or current).data(0, NAME_ROLE) if current is not None else None
        self.tree.clear()
        for target, name in self._data.names():
            rows = self._data.for_name(target, name)
            shown = [r for r in rows if plugin in (ALL_PLUGINS, r.plugin_id)]
            if (needle and needle not in name.lower()) or not shown:
                continue
            item = self._name_item(target, name, rows, shown)
            self.tree.addTopLevelItem(item)
            if keep is not None and keep[:2] == (target, name):
                self.tree.setCurrentItem(item)
        self.tree.expandAll()

    def _name_item(self, target: str, name: str, rows: list[Registration], shown: list[Registration]) -> QTreeWidgetItem:
        mode = mode_for(rows, target)
        item = QTreeWidgetItem([name, f"{len(rows)} handler{'s' if len(rows) != 1 else ''}", "", mode, ""])
        item.setData(0, NAME_ROLE, (target, name, mode))
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setToolTip(0, f"{'event' if target == EVENT else 'hook'} {name}: click to debug it")
        for row in shown:
            item.addChild(self._handler_item(row))
        return item

    def _handler_item(self, row: Registration) -> QTreeWidgetItem:
        marker = "● " if row.row_id in self._breakpoints else ""
        plugin = row.plugin_name if row.on_storefront else f"{row.plugin_name} (not active on the storefront)"
        child = QTreeWidgetItem([f"{marker}{posixpath.basename(row.path)}", plugin, str(row.priority), row.kind,
                                 "yes" if row.enabled else "no"])
        child.setData(0, ROW_ROLE, (row.table, row.row_id))
        child.setToolTip(0, f"{plugin} · {row.path} · row {row.row_id}")
        if not row.enabled:
            for column in range(len(COLUMNS)):
                child.setForeground(column, QBrush(theme.colour("disabled_text")))
        return child

    # ---- choosing -------------------------------------------------------------------------------------
    def choose(self, name: str) -> bool:
        """Select ``name``'s item (and so announce it); False when it is not listed."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, NAME_ROLE)[1] == name:
                self.tree.setCurrentItem(item)
                self._on_tree_item_chosen(item)
                return True
        return False

    def _on_tree_item_chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        name_item = item.parent() or item
        target, name, mode = name_item.data(0, NAME_ROLE)
        self.name_chosen.emit(target, name, mode)

    def _on_tree_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        row = item.data(0, ROW_ROLE)
        if row:
            self.handler_activated.emit(*row)
