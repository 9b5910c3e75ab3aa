"""The FileTree view: names with coloured badges (event, hook, widget, migration status, scope)."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from plugin_studio.ui import theme
from plugin_studio.ui.file_tree_model import BADGE_ROLE, ENABLED_ROLE, ENTRY_ROLE, PROBLEM_ROLE

BADGE_COLOURS = {
    "event": "#7c3aed",      # purple, as the platform shows events
    "hook": "#0e7490",
    "widget": "#15803d",
    "scope": "#6b7280",
    "controller": "#1d4ed8",
    "cron": "#9333ea",
    "doc": "#6b7280",
    "admin": "#be185d",
    "clash": "#b45309",
}
ENTITY_COLOURS = {"pending": "#6b7280", "migrated": "#15803d", "failed": "#b91c1c"}
MIGRATION_COLOURS = {
    "pending": "#6b7280", "running": "#b45309", "completed": "#15803d", "failed": "#b91c1c",
    "rolled_back": "#475569",
}
KIND_GLYPHS = {"event": "⚡", "hook": "🪝", "widget": "▣", "migration": "⛁", "manifest": "{}", "script": "·",
               "controller": "⇄", "entity": "▦", "cron": "⏱", "doc": "¶", "admin_page": "⚙", "admin_script": "⚙"}


# Emoji a badge may carry and a glyph most text fonts have, for a system without an emoji font.
GLYPH_FALLBACKS = {"🔒": "⚷"}


def drawable(text: str, metrics: QFontMetrics) -> str:
    """``text`` with each emoji the font can't draw replaced by its fallback (never an empty box)."""
    for glyph, fallback in GLYPH_FALLBACKS.items():
        if glyph in text and not metrics.inFontUcs4(ord(glyph)):
            text = text.replace(glyph, fallback)
    return text


def badge_colour(badge) -> QColor:
    if badge.kind == "migration":
        return QColor(MIGRATION_COLOURS.get(badge.text, "#6b7280"))
    if badge.kind == "entity":
        return QColor(ENTITY_COLOURS.get(badge.text.rsplit(" · ", 1)[-1], "#6b7280"))
    return QColor(BADGE_COLOURS.get(badge.kind, "#6b7280"))


class BadgeDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        badge = index.data(BADGE_ROLE)
        enabled = index.data(ENABLED_ROLE) is not False
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        if not enabled:
            opt.font.setItalic(True)
            opt.palette.setColor(QPalette.ColorRole.Text, theme.colour("disabled_text"))
            opt.text += "  (disabled)"
        if index.data(PROBLEM_ROLE):
            opt.text = "⚠ " + opt.text
            opt.palette.setColor(QPalette.ColorRole.Text, theme.colour("warning"))
        if badge is None:
            super().paint(painter, opt, index)
            return
        name_width = QFontMetrics(opt.font).horizontalAdvance(opt.text) + 28
        super().paint(painter, opt, index)
        self._paint_badge(painter, opt, badge, name_width, enabled)

    def _paint_badge(self, painter: QPainter, opt: QStyleOptionViewItem, badge, offset: int, enabled: bool) -> None:
        font = QFont(opt.font)
        font.setItalic(False)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        metrics = QFontMetrics(font)
        text = drawable(badge.text, metrics)
        rect = opt.rect
        width = metrics.horizontalAdvance(text) + 10
        badge_rect = QRect(rect.left() + offset, rect.top() + 2, width, rect.height() - 4)
        if badge_rect.left() >= rect.right() - 8:
            return
        colour = badge_colour(badge)
        if not enabled:
            colour.setAlpha(110)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(badge_rect.intersected(rect), 6, 6)
        painter.setPen(QColor("white"))
        painter.setFont(font)
        painter.drawText(badge_rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        badge = index.data(BADGE_ROLE)
        if badge is not None:
            size.setWidth(size.width() + QFontMetrics(option.font).horizontalAdvance(badge.text) + 40)
        return QSize(size.width(), max(size.height(), 22))


class FileTreeView(QTreeView):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setItemDelegate(BadgeDelegate(self))
        self.setUniformRowHeights(True)
        self.setAnimated(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)

    def current_entry(self):
        index = self.currentIndex()
        return index.data(ENTRY_ROLE) if index.isValid() else None
