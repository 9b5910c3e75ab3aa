"""The outline beside the editor: the file's functions, components, classes and methods, updated
in the background as the syntax tree follows the typing; a click goes to the symbol.

A 1 MB file has thousands of entries, and making a tree item costs the GUI thread ~10 µs: the old
rows go and the new ones come in slices of at most ``FILL_SLICE_MS`` per event-loop pass, so the
typing and painting in between never wait for the whole outline. (A Python item model makes no
items, but QTreeView's layout then calls it for every row at each reset: slower still.)
"""
from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QToolTip, QTreeWidget, QTreeWidgetItem

from plugin_studio.models.syntax.outline import Symbol, outline
from plugin_studio.ui import jobs

ICONS = {"function": "ƒ", "component": "◇", "class": "▣", "method": "·", "hook": "⚓"}
OUTLINE_DELAY_MS = 200
FILL_SLICE_MS = 4          # GUI time per event-loop pass spent removing or adding outline rows
REMOVE_ROWS = 200          # rows removed per call within a slice
LINE_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
START_ROLE = Qt.ItemDataRole.UserRole + 2   # the symbol's byte offset: where to go in a long line


def compute_outline(control, tree, source: bytes) -> list[Symbol]:
    """A job: the outline of a tree copy and the text it follows; cancelled, it stops."""
    return outline(tree, source, control.check)


class OutlineView(QTreeWidget):
    def __init__(self, editor, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.setObjectName("editor-outline")
        self.setHeaderLabel("Outline")
        self.setIndentation(12)
        self.setUniformRowHeights(True)   # one line each: the view need not measure thousands of rows
        self.setMinimumWidth(140)
        self._timer = QTimer(self, singleShot=True, interval=OUTLINE_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self._shown: list | None = None
        self._asked = 0   # counts refreshes: only the latest one's answer is shown
        self._computing: jobs.Job | None = None
        self._collapsed: set[str] = set()       # entries the user folded, kept folded across refills
        self._to_remove = 0                     # old top-level rows still to go, then ...
        self._to_add: list[Symbol] = []         # ... the new top-level symbols still to come, reversed
        self._filler = QTimer(self, singleShot=True, interval=0)
        self._filler.timeout.connect(self._fill_slice)
        editor.highlighter.tree_updated.connect(self._tree_changed)
        self.itemActivated.connect(self._go)
        self.itemClicked.connect(self._go)
        self.itemCollapsed.connect(lambda item: self._collapsed.add(self._key(item)))
        self.itemExpanded.connect(lambda item: self._collapsed.discard(self._key(item)))

    def _tree_changed(self) -> None:
        # An outline under way describes text that is gone: it stops, leaving the GIL to the
        # checks of the new text (a 1 MB file's outline takes ~0.5 s).
        if self._computing is not None:
            self._computing.cancel()
            self._computing = None
        self._timer.start()

    def refresh(self) -> None:
        document = self.editor.highlighter.document
        if document is None or document.tree is None or document.grammar.name != "javascript":
            self._asked += 1
            self._show([])
            return
        if not document.up_to_date:
            return   # a parse is under way: its tree_updated brings a tree that follows the text
        self._asked += 1
        self._computing = jobs.start(compute_outline, document.tree.copy(), self.editor.text_bytes(), owner=self,
                                     title="Outlining the file",
                                     on_done=lambda symbols, asked=self._asked: asked == self._asked
                                     and self._show(symbols))

    def _show(self, symbols: list[Symbol]) -> None:
        if symbols == self._shown:
            return   # typing within a line changes nothing here
        self._shown = symbols
        self._to_remove = self.topLevelItemCount()
        self._to_add = list(reversed(symbols))
        self._fill_slice()

    def filling(self) -> bool:
        """True while the rows shown are still being replaced by the latest outline's."""
        return bool(self._to_remove or self._to_add)

    def _fill_slice(self) -> None:
        """Remove old rows, then add new ones, until the slice's time is up; the rest in the next pass."""
        end = time.perf_counter() + FILL_SLICE_MS / 1000
        while self._to_remove and time.perf_counter() < end:
            count = min(REMOVE_ROWS, self._to_remove)
            self.model().removeRows(0, count)
            self._to_remove -= count
        batch: list[QTreeWidgetItem] = []
        while not self._to_remove and self._to_add and time.perf_counter() < end:
            batch.append(self._item(self._to_add.pop()))
        self.addTopLevelItems(batch)
        for item in batch:
            self._expand(item)
        if self.filling():
            self._filler.start()

    def _item(self, symbol: Symbol) -> QTreeWidgetItem:
        item = QTreeWidgetItem([f"{ICONS.get(symbol.kind, '·')} {symbol.name}"])
        item.setData(0, LINE_ROLE, symbol.line)
        item.setData(0, KIND_ROLE, symbol.kind)
        item.setData(0, START_ROLE, symbol.start)
        if symbol.children:
            item.addChildren([self._item(child) for child in symbol.children])
        return item

    def _expand(self, item: QTreeWidgetItem) -> None:
        """Entries open as they come, except those the user folded."""
        if item.childCount() and self._key(item) not in self._collapsed:
            self.blockSignals(True)   # not a fold of the user's
            item.setExpanded(True)
            self.blockSignals(False)
            for index in range(item.childCount()):
                self._expand(item.child(index))

    def viewportEvent(self, event) -> bool:
        """An entry's tooltip is made when asked for, not for every entry when it is added."""
        if event.type() == QEvent.Type.ToolTip:
            item = self.itemAt(event.pos())
            if item is not None:
                QToolTip.showText(event.globalPos(), f"{item.data(0, KIND_ROLE)} {item.text(0)[2:]}, "
                                                     f"line {item.data(0, LINE_ROLE)}", self.viewport())
                return True
        return super().viewportEvent(event)

    def _items(self) -> list[QTreeWidgetItem]:
        items, stack = [], [self.invisibleRootItem()]
        while stack:
            item = stack.pop()
            for index in range(item.childCount()):
                items.append(item.child(index))
                stack.append(item.child(index))
        return items

    @staticmethod
    def _key(item: QTreeWidgetItem) -> str:
        return item.text(0)

    def symbols(self) -> list[str]:
        """The outline's entries as shown, depth-first (for tests and screenshots)."""
        return [item.text(0) for item in self._items()]

    def _go(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        if self.editor.rows is not None:   # a line shown in rows: its start is not where the symbol is
            self.editor.go_to_offset(item.data(0, START_ROLE))
        else:
            self.editor.go_to_line(item.data(0, LINE_ROLE))
