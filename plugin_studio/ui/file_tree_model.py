"""The FileTree and plugin list as Qt item models: thin adapters over ``FileEntry`` / ``Plugin``.

They own no SQL and no colours: the view's delegate reads the badge and enabled roles and paints.
New data arrives as a whole list and is applied by row inserts, removes and moves (``row_sync``),
so views keep their expansion and selection.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QObject, Qt

from plugin_studio.db.safe_text import shown
from plugin_studio.db.records import Plugin
from plugin_studio.models.paths import FileEntry
from plugin_studio.ui.row_sync import RowList, sync_rows

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1   # the FileEntry of a file node (None on folders)
BADGE_ROLE = Qt.ItemDataRole.UserRole + 2   # its Badge, or None
ENABLED_ROLE = Qt.ItemDataRole.UserRole + 3  # False for disabled rows
PATH_ROLE = Qt.ItemDataRole.UserRole + 4    # the full display path (folders too)
PLUGIN_ROLE = Qt.ItemDataRole.UserRole + 5  # the Plugin of a plugin-list row
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 6  # a problem with the file's code (a syntax error), or None


@dataclass(eq=False)
class _Node:
    name: str
    path: str
    parent: "_Node | None" = None
    entry: FileEntry | None = None
    children: list["_Node"] = field(default_factory=list)
    row_in_parent: int = 0  # kept so parent() is O(1) in folders of thousands of files

    def row(self) -> int:
        return self.row_in_parent

    def add(self, child: "_Node") -> "_Node":
        child.row_in_parent = len(self.children)
        self.children.append(child)
        return child

    @property
    def key(self) -> tuple:
        """What stays the same across reloads: a file's row, a folder's path."""
        return ("file", self.entry.table, self.entry.row_id) if self.entry else ("folder", self.path)

    def renumber(self) -> None:
        for row, child in enumerate(self.children):
            child.row_in_parent = row


def _build(entries: list[FileEntry]) -> _Node:
    """Folders from the paths; entries arrive sorted (folders first), so children keep that order."""
    root = _Node("", "")
    folders = {"": root}
    for entry in entries:
        parts = entry.path.split("/")
        parent = root
        for depth in range(len(parts) - 1):
            folder_path = "/".join(parts[: depth + 1])
            if folder_path not in folders:
                folders[folder_path] = parent.add(_Node(parts[depth], folder_path, parent))
            parent = folders[folder_path]
        parent.add(_Node(parts[-1], entry.path, parent, entry))
    return root


class FileTreeModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._root = _Node("", "")
        self._problems: dict[tuple[str, str], str] = {}

    def set_problems(self, problems: dict[tuple[str, str], str], replace: bool = True) -> None:
        """Mark files whose code has a problem: {(table, row id): message}; ``replace`` drops older marks."""
        changed = set(problems) | (set(self._problems) if replace else set())
        if replace:
            self._problems = dict(problems)
        else:
            self._problems.update(problems)
        for key in changed:
            index = self.index_for_row(*key)
            if index.isValid():
                self.dataChanged.emit(index, index, [PROBLEM_ROLE, Qt.ItemDataRole.ToolTipRole])

    def clear_problem(self, table: str, row_id: str) -> None:
        if self._problems.pop((table, row_id), None) is not None:
            index = self.index_for_row(table, row_id)
            if index.isValid():
                self.dataChanged.emit(index, index, [PROBLEM_ROLE, Qt.ItemDataRole.ToolTipRole])

    def problem(self, entry: FileEntry | None) -> str | None:
        return self._problems.get((entry.table, entry.row_id)) if entry else None

    def set_entries(self, entries: list[FileEntry]) -> None:
        """Show ``entries`` (sorted, folders first), changing only the rows that differ."""
        self._sync(QModelIndex(), self._root, _build(entries).children)

    def _sync(self, index: QModelIndex, node: _Node, wanted: list[_Node]) -> None:
        def adopt(child: _Node) -> _Node:
            child.parent = node
            return child

        def update(row: int, old: _Node, new: _Node) -> None:
            child_index = self.createIndex(row, 0, old)
            if (old.name, old.entry) != (new.name, new.entry):
                old.name, old.path, old.entry = new.name, new.path, new.entry
                self.dataChanged.emit(child_index, child_index)
            if old.entry is None:
                self._sync(child_index, old, new.children)

        sync_rows(self, index, RowList(node.children, lambda n: n.key, adopt, update, node.renumber), wanted)

    def entries(self) -> list[FileEntry]:
        found: list[FileEntry] = []
        stack = [self._root]
        while stack:
            node = stack.pop()
            if node.entry:
                found.append(node.entry)
            stack.extend(reversed(node.children))
        return found

    def index_for_row(self, table: str, row_id: str) -> QModelIndex:
        return self._find(lambda n: n.entry is not None and (n.entry.table, n.entry.row_id) == (table, row_id))

    def index_for_path(self, path: str) -> QModelIndex:
        return self._find(lambda n: n.path == path)

    def _find(self, predicate) -> QModelIndex:
        stack = [self._root]
        while stack:
            node = stack.pop()
            if node is not self._root and predicate(node):
                return self.createIndex(node.row(), 0, node)
            stack.extend(node.children)
        return QModelIndex()

    def _node(self, index: QModelIndex) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        node = self._node(parent)
        if column != 0 or not 0 <= row < len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: A003 (Qt's name)
        if not index.isValid():
            return QModelIndex()
        parent = index.internalPointer().parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row(), 0, parent)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 1

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node: _Node = index.internalPointer()
        entry = node.entry
        if role == Qt.ItemDataRole.DisplayRole:
            return shown(node.name)   # a name stored by another client may hold a line break or a bidi override
        if role == Qt.ItemDataRole.ToolTipRole:
            problem = self.problem(entry)
            return _tooltip(node) + (f"\n⚠ {problem}" if problem else "")
        if role == PROBLEM_ROLE:
            return self.problem(entry)
        if role == ENTRY_ROLE:
            return entry
        if role == BADGE_ROLE:
            return entry.badge if entry else None
        if role == ENABLED_ROLE:
            return entry.enabled if entry else True
        if role == PATH_ROLE:
            return node.path
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _tooltip(node: _Node) -> str:
    entry = node.entry
    if entry is None:
        return shown(node.path) + "/"
    parts = [shown(entry.path), f"{entry.table} row {entry.row_id}"]
    if entry.badge:
        parts.append(entry.badge.text)
    if not entry.enabled:
        parts.append("disabled")
    return "\n".join(parts)


class PluginListModel(QAbstractTableModel):
    """"My Plugins": name, version, status, enabled."""

    HEADERS = ("Name", "Version", "Status", "Enabled")

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._plugins: list[Plugin] = []

    def set_plugins(self, plugins: list[Plugin]) -> None:
        """Show ``plugins``, changing only the rows that differ (the selection stays on its plugin)."""
        sync_rows(self, QModelIndex(), RowList(self._plugins, lambda p: p.id, update=self._update), list(plugins))

    def _update(self, row: int, old: Plugin, new: Plugin) -> None:
        if old != new:
            self._plugins[row] = new
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def plugin_at(self, row: int) -> Plugin | None:
        return self._plugins[row] if 0 <= row < len(self._plugins) else None

    def row_of(self, plugin_id: str) -> int:
        return next((i for i, p in enumerate(self._plugins) if p.id == plugin_id), -1)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._plugins)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        plugin = self._plugins[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (shown(plugin.name), shown(plugin.version), shown(plugin.status),
                    "yes" if plugin.is_enabled else "no")[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{shown(plugin.name)} ({shown(plugin.slug)})\n{plugin.description or ''}".strip()
        if role == ENABLED_ROLE:
            return plugin.is_enabled and plugin.status == "active"
        if role == PLUGIN_ROLE:
            return plugin
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None
