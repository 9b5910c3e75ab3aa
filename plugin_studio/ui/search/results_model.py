"""The Search view's tree: plugins, their files, the matching lines (a thin adapter over
``models.code_search.SearchResults``), and the delegate that paints each match highlighted.

Rows of a new search replace the old ones at once (a reset: it is another result set, not an
update of the same one).
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from plugin_studio.services.code_search import FileMatches, LineMatch, PluginMatches, SearchResults

SPANS_ROLE = Qt.ItemDataRole.UserRole + 1     # ((start, end), ...) in the DisplayRole text
TARGET_ROLE = Qt.ItemDataRole.UserRole + 2    # (plugin id, table, row id, line, column) to open
MATCH_HIGHLIGHT = QColor(234, 179, 8, 110)    # translucent amber: reads on light and dark rows
_FILE_SHIFT = 32


class SearchResultsModel(QAbstractItemModel):
    """Three levels: plugin → file → line. ``internalId`` encodes the parent: 0 for a plugin,
    plugin + 1 for a file, ((plugin + 1) << 32) | (file + 1) for a line."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.results: SearchResults | None = None
        self._plugins: list[PluginMatches] = []

    def set_results(self, results: SearchResults | None) -> None:
        self.beginResetModel()
        self.results = results
        self._plugins = list(results.plugins) if results else []
        self.endResetModel()

    # -- structure ---------------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0 or row >= self.rowCount(parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0)
        parent_id = parent.internalId()
        if parent_id == 0:
            return self.createIndex(row, 0, parent.row() + 1)
        if parent_id < (1 << _FILE_SHIFT):
            return self.createIndex(row, 0, (parent_id << _FILE_SHIFT) | (parent.row() + 1))
        return QModelIndex()

    def parent(self, index: QModelIndex) -> QModelIndex:
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        node = index.internalId()
        if node < (1 << _FILE_SHIFT):
            return self.createIndex(node - 1, 0, 0)
        plugin, file = (node >> _FILE_SHIFT) - 1, (node & ((1 << _FILE_SHIFT) - 1)) - 1
        return self.createIndex(file, 0, plugin + 1)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        item = self._item(parent)
        if item is None:
            return len(self._plugins)
        if isinstance(item, PluginMatches):
            return len(item.files)
        if isinstance(item, FileMatches):
            return len(item.lines)
        return 0

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 1

    def _item(self, index: QModelIndex):
        """The PluginMatches, FileMatches or LineMatch at ``index`` (None: the root)."""
        if not index.isValid():
            return None
        node = index.internalId()
        if node == 0:
            return self._plugins[index.row()]
        if node < (1 << _FILE_SHIFT):
            return self._plugins[node - 1].files[index.row()]
        plugin, file = (node >> _FILE_SHIFT) - 1, (node & ((1 << _FILE_SHIFT) - 1)) - 1
        return self._plugins[plugin].files[file].lines[index.row()]

    def file_of(self, index: QModelIndex) -> FileMatches | None:
        item = self._item(index)
        if isinstance(item, LineMatch):
            return self._item(index.parent())
        return item if isinstance(item, FileMatches) else None

    # -- data ----------------------------------------------------------------------------------------
    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        item = self._item(index)
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _label(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(item)
        if role == SPANS_ROLE and isinstance(item, LineMatch):
            return item.spans
        if role == TARGET_ROLE:
            return self._target(index, item)
        return None

    def _target(self, index: QModelIndex, item) -> tuple | None:
        if isinstance(item, LineMatch):
            file = self._item(index.parent())
            return file.plugin_id, file.table, file.row_id, item.line, item.column
        if isinstance(item, FileMatches):
            first = item.lines[0] if item.lines else None
            return item.plugin_id, item.table, item.row_id, first.line if first else 1, first.column if first else 1
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable if index.isValid() else Qt.ItemFlag.NoItemFlags


def _label(item) -> str:
    if isinstance(item, PluginMatches):
        return f"{item.plugin_name}  ({_count(item.match_count)})"
    if isinstance(item, FileMatches):
        return f"{item.path}  ({_count(item.match_count)})"
    return item.text


def _count(n: int) -> str:
    return f"{n} match{'es' if n != 1 else ''}"


def _tooltip(item) -> str:
    if isinstance(item, LineMatch):
        return f"Line {item.line}, column {item.column}: open the file here"
    if isinstance(item, FileMatches):
        return f"{item.path} ({item.table})"
    return item.plugin_name


class MatchDelegate(QStyledItemDelegate):
    """A matching line: its number in a muted colour, then the line with each match highlighted."""

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        spans = index.data(SPANS_ROLE)
        if spans is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        text, option.text = option.text, ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        number = str(index.data(TARGET_ROLE)[3])
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        rect = option.rect.adjusted(4, 0, -4, 0)
        painter.setPen(option.palette.color(QPalette.ColorGroup.Normal, QPalette.ColorRole.PlaceholderText))
        width = option.fontMetrics.horizontalAdvance(" 9999 ")
        painter.drawText(rect.adjusted(0, 0, -rect.width() + width - 6, 0),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, number)
        painter.setPen(option.palette.color(QPalette.ColorGroup.Normal, role))
        _draw_highlighted(painter, option, rect.adjusted(width, 0, 0, 0), text, spans)
        painter.restore()


def _draw_highlighted(painter, option, rect, text: str, spans) -> None:
    layout = QTextLayout(text, option.font)
    ranges = []
    for start, end in spans:
        fmt = QTextCharFormat()
        fmt.setBackground(MATCH_HIGHLIGHT)
        fmt.setFontWeight(700)
        selection = QTextLayout.FormatRange()
        selection.start, selection.length, selection.format = start, end - start, fmt
        ranges.append(selection)
    layout.setFormats(ranges)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(1_000_000)
    layout.endLayout()
    top = rect.top() + (rect.height() - line.height()) / 2
    painter.setClipRect(rect)
    layout.draw(painter, QRectF(rect.left(), top, rect.width(), line.height()).topLeft())
