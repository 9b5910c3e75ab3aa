"""The command palette (Ctrl+Shift+P, F1): every command of the keymap by name, fuzzy-matched as
you type, with its shortcut; Enter runs the chosen one.

Matching is fzy's (the ``pfzy`` port): the typed letters in order, scored for runs and for word
starts, so "tgbr" finds "Debug: Toggle Breakpoint". With nothing typed, the recently run commands
come first. A command that cannot run now (Stop with no debug session) is listed greyed and says so.
"""
from __future__ import annotations

from dataclasses import dataclass

from pfzy.score import fzy_scorer
from PySide6.QtCore import QAbstractListModel, QModelIndex, QRectF, Qt
from PySide6.QtGui import QPalette, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import (
    QDialog, QLineEdit, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QVBoxLayout, QWidget,
)

from plugin_studio.ui.commands import Command, CommandRegistry

MATCHED_ROLE = Qt.ItemDataRole.UserRole + 1   # positions of the typed letters in the title
KEYS_ROLE = Qt.ItemDataRole.UserRole + 2
ENABLED_ROLE = Qt.ItemDataRole.UserRole + 3
RECENT_KEPT = 8
NOT_NOW = "  — not available now"


@dataclass(frozen=True)
class Offer:
    command: Command
    matched: tuple[int, ...]
    enabled: bool


def rank(commands: list[Command], typed: str, recent: list[str], enabled) -> list[Offer]:
    """The commands matching ``typed``, best first, those that cannot run now last; with nothing
    typed, recently run ones first, then the rest by title. ``enabled(id)`` says whether a command
    can run now."""
    typed = typed.strip()
    if not typed:
        order = {command_id: i for i, command_id in enumerate(recent)}
        chosen = sorted(commands, key=lambda c: (order.get(c.id, len(order)), c.title.lower()))
        return [Offer(c, (), enabled(c.id)) for c in chosen]
    scored = []
    for command in commands:
        score, positions = fzy_scorer(typed, command.title)
        if positions is not None:
            offer = Offer(command, tuple(positions), enabled(command.id))
            scored.append((not offer.enabled, -score, command.title.lower(), offer))
    return [offer for *_key, offer in sorted(scored, key=lambda s: s[:3])]


class _OfferModel(QAbstractListModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.offers: list[Offer] = []

    def set_offers(self, offers: list[Offer]) -> None:
        self.beginResetModel()
        self.offers = offers
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.offers)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        offer = self.offers[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return offer.command.title + ("" if offer.enabled else NOT_NOW)
        if role == Qt.ItemDataRole.ToolTipRole:
            return offer.command.tip or offer.command.title
        return {MATCHED_ROLE: offer.matched, KEYS_ROLE: offer.command.key_text(), ENABLED_ROLE: offer.enabled}.get(role)


class _OfferDelegate(QStyledItemDelegate):
    """The title with the typed letters bold, the shortcut right-aligned; greyed when it cannot run."""

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        self.initStyleOption(option, index)
        title, option.text = option.text, ""
        option.widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Normal if index.data(ENABLED_ROLE) else QPalette.ColorGroup.Disabled
        colour = option.palette.color(group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        rect = option.rect.adjusted(8, 0, -8, 0)
        painter.save()
        painter.setPen(colour)
        keys = index.data(KEYS_ROLE)
        painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, keys)
        keys_width = option.fontMetrics.horizontalAdvance(keys + "    ") if keys else 0
        layout = QTextLayout(title, option.font)
        bold = QTextCharFormat()
        bold.setFontWeight(700)
        layout.setFormats([_range(p, bold) for p in index.data(MATCHED_ROLE)])
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(rect.width() - keys_width)
        layout.endLayout()
        painter.setClipRect(rect.adjusted(0, 0, -keys_width, 0))
        layout.draw(painter, QRectF(rect).topLeft() + QRectF(0, (rect.height() - line.height()) / 2, 0, 0).topLeft())
        painter.restore()


def _range(position: int, fmt: QTextCharFormat) -> QTextLayout.FormatRange:
    selection = QTextLayout.FormatRange()
    selection.start, selection.length, selection.format = position, 1, fmt
    return selection


class CommandPalette(QDialog):
    """A popup at the top of the window: a field, the offers below it. ``exec()`` runs the chosen
    command after the palette closed (so a command that opens a dialog opens it over the window)."""

    def __init__(self, registry: CommandRegistry, recent: list[str], parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("command-palette")
        self.setStyleSheet("QDialog#command-palette { border: 1px solid palette(mid); }")
        self.registry, self.recent = registry, recent
        self.chosen: Command | None = None
        self.field = QLineEdit(placeholderText="Type the name of a command")
        self.field.setObjectName("palette-field")
        self.model = _OfferModel(self)
        self.list = QListView()
        self.list.setObjectName("palette-list")
        self.list.setModel(self.model)
        self.list.setItemDelegate(_OfferDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.field)
        layout.addWidget(self.list)
        self.field.textChanged.connect(self.refilter)
        self.field.returnPressed.connect(self.run_current)
        self.list.clicked.connect(lambda index: (self.list.setCurrentIndex(index), self.run_current()))
        self.field.installEventFilter(self)
        self._place(parent)
        self.refilter("")

    def _place(self, parent: QWidget | None) -> None:
        self._max_height = 440 if parent is None else min(440, parent.height() - 80)
        width = 600 if parent is None else min(640, max(420, parent.width() // 2))
        self.resize(width, self._max_height)
        if parent is not None:
            top_left = parent.mapToGlobal(parent.rect().topLeft())
            self.move(top_left.x() + (parent.width() - width) // 2, top_left.y() + 48)

    def refilter(self, text: str) -> None:
        self.model.set_offers(rank([c for c in self.registry.commands() if c.in_palette], text, self.recent,
                                   self.registry.is_enabled))
        first = next((i for i, o in enumerate(self.model.offers) if o.enabled), 0)
        self.list.setCurrentIndex(self.model.index(first, 0))
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as the offers need (a few matches make a short list), up to the window's room."""
        rows = max(1, self.model.rowCount())
        row_height = self.list.sizeHintForRow(0) if self.model.rowCount() else self.fontMetrics().height()
        margins = self.layout().contentsMargins()
        wanted = (self.field.sizeHint().height() + self.layout().spacing() + rows * row_height
                  + 2 * self.list.frameWidth() + margins.top() + margins.bottom())
        self.resize(self.width(), min(self._max_height, wanted))

    def offers(self) -> list[Offer]:
        return list(self.model.offers)

    def run_current(self) -> None:
        index = self.list.currentIndex()
        if not index.isValid():
            return
        offer = self.model.offers[index.row()]
        if offer.enabled:
            self.chosen = offer.command
            self.accept()

    def eventFilter(self, watched, event) -> bool:
        """Up/Down/PageUp/PageDown move in the list while typing stays in the field."""
        if watched is self.field and event.type() == event.Type.KeyPress:
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -10, Qt.Key.Key_PageDown: 10}.get(event.key())
            if step is not None:
                row = max(0, min(self.model.rowCount() - 1, self.list.currentIndex().row() + step))
                self.list.setCurrentIndex(self.model.index(row, 0))
                return True
        return super().eventFilter(watched, event)


def open_palette(registry: CommandRegistry, recent: list[str], parent: QWidget) -> str | None:
    """Show the palette; run what the user chose (and remember it as recent). Returns its id."""
    palette = CommandPalette(registry, recent, parent)
    palette.field.setFocus()
    if not palette.exec() or palette.chosen is None:
        return None
    command_id = palette.chosen.id
    if command_id in recent:
        recent.remove(command_id)
    recent.insert(0, command_id)
    del recent[RECENT_KEPT:]
    registry.trigger(command_id)
    return command_id
