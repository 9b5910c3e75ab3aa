"""Quick Open (Ctrl+P): type part of a path, an event or a hook name; Enter opens the file."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

MAX_SHOWN = 200


def matches(query: str, entry) -> bool:
    """Every character of the query, in order, in the path or the badge (event/hook name)."""
    haystacks = [entry.path.lower()] + ([entry.badge.text.lower()] if entry.badge else [])
    return any(_subsequence(query.lower(), h) for h in haystacks)


def _subsequence(needle: str, haystack: str) -> bool:
    position = 0
    for char in needle:
        position = haystack.find(char, position) + 1
        if position == 0:
            return False
    return True


def rank(query: str, entry) -> tuple:
    """Whole-substring hits first, then shorter paths."""
    q = query.lower()
    text = entry.path.lower() + " " + (entry.badge.text.lower() if entry.badge else "")
    return (q not in text, len(entry.path), entry.path)


class QuickOpenDialog(QDialog):
    def __init__(self, entries, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("quick-open")
        self.setWindowTitle("Open File")
        self.entries = list(entries)
        self.query = QLineEdit(placeholderText="File, event or hook name…")
        self.results = QListWidget()
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.results)
        self.query.textChanged.connect(self._refilter)
        self.query.returnPressed.connect(self.accept)
        self.results.itemActivated.connect(lambda _item: self.accept())
        self.query.installEventFilter(self)
        self.resize(560, 380)
        self._refilter("")

    def _refilter(self, text: str) -> None:
        chosen = sorted((e for e in self.entries if matches(text, e)), key=lambda e: rank(text, e))[:MAX_SHOWN]
        self.results.clear()
        for entry in chosen:
            label = entry.path + (f"   — {entry.badge.text}" if entry.badge and entry.kind in ("event", "hook") else "")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self.results.addItem(item)
        self.results.setCurrentRow(0)

    def eventFilter(self, watched, event) -> bool:
        """Up/Down move through the results while typing continues in the query box."""
        if watched is self.query and event.type() == event.Type.KeyPress and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
            self.results.setCurrentRow(row)
            return True
        return super().eventFilter(watched, event)

    def chosen_entry(self):
        item = self.results.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None
