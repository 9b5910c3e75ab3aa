"""The outline beside the editor: the file's functions, components, classes and methods, updated
in the background as the syntax tree follows the typing; a click goes to the symbol."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from plugin_studio.models.syntax.outline import Symbol, outline
from plugin_studio.ui import jobs

ICONS = {"function": "ƒ", "component": "◇", "class": "▣", "method": "·", "hook": "⚓"}
OUTLINE_DELAY_MS = 200
LINE_ROLE = Qt.ItemDataRole.UserRole


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
        self.setMinimumWidth(140)
        self._timer = QTimer(self, singleShot=True, interval=OUTLINE_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self._shown: list | None = None
        self._asked = 0   # counts refreshes: only the latest one's answer is shown
        self._computing: jobs.Job | None = None
        editor.highlighter.tree_updated.connect(self._tree_changed)
        self.itemActivated.connect(self._go)
        self.itemClicked.connect(self._go)

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
        expanded = {self._key(item) for item in self._items() if item.isExpanded()} or None
        self.clear()
        self._add(self.invisibleRootItem(), symbols)
        for item in self._items():
            item.setExpanded(expanded is None or self._key(item) in expanded)

    def _add(self, parent: QTreeWidgetItem, symbols: list[Symbol]) -> None:
        for symbol in symbols:
            item = QTreeWidgetItem(parent, [f"{ICONS.get(symbol.kind, '·')} {symbol.name}"])
            item.setData(0, LINE_ROLE, symbol.line)
            item.setToolTip(0, f"{symbol.kind} {symbol.name}, line {symbol.line}")
            self._add(item, symbol.children)

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
        self.editor.go_to_line(item.data(0, LINE_ROLE))
