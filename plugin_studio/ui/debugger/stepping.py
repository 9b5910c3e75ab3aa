"""The chain as a call-stack-like list, the current handler highlighted, and each finished step's details.

The list shows what ran (value in → out, duration, status) and what is still to run; the details
below it show the selected step's input and output with their JSON diff, its console lines and
its error with the stack. The first column toggles a breakpoint; the breakpoint bar edits its
condition and hit count.
"""
from __future__ import annotations

import posixpath

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
    QSpinBox, QSplitter, QTabWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from plugin_studio.models.debugger import BreakpointSpec, Registration, json_diff, short_json, to_json_text
from plugin_studio.runner.chain import Step
from plugin_studio.ui import theme

COLUMNS = ("", "#", "Plugin", "File", "Prio", "Type", "Value in → out", "ms", "Status")
BP, INDEX, PLUGIN, FILE, PRIORITY, TYPE, VALUES, MS, STATUS = range(len(COLUMNS))
BREAKPOINT_RED = QColor("#dc2626")    # a breakpoint is red in either theme
DIFF_ROLES = {"added": "success", "removed": "error", "changed": "accent"}   # theme colours of a value's changes


def diff_colour(kind: str) -> QColor:
    return theme.colour(DIFF_ROLES[kind])


def mono() -> QFont:
    """The editor's font (ui/theme.py), for values and code."""
    return theme.editor_font()


def text_box(placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit(readOnly=True, placeholderText=placeholder)
    theme.follow(box, lambda b, appearance: b.setFont(theme.editor_font(appearance)))
    box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    return box


def set_text(box: QPlainTextEdit, text: str) -> None:
    """Replace the text unless it is the same: setPlainText always re-lays out and repaints the box."""
    if box.toPlainText() != text:
        box.setPlainText(text)


def titled(title: str, widget: QWidget) -> QWidget:
    """``widget`` under a bold title; the title label is the box's ``title`` attribute."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    box.title = QLabel(f"<b>{title}</b>")
    layout.addWidget(box.title)
    layout.addWidget(widget)
    return box


class StepDetails(QTabWidget):
    """Value in/out with the diff, console lines, error and stack of one step."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.value_in = text_box("value in")
        self.value_out = text_box("value out")
        self.diff = QListWidget()
        self.diff.setFont(mono())
        values = QSplitter(Qt.Orientation.Horizontal)
        values.addWidget(titled("In", self.value_in))
        values.addWidget(titled("Out", self.value_out))
        values.addWidget(titled("Changes", self.diff))
        self.console = text_box("no console output")
        self.error = text_box("no error")
        self.notes = text_box("the storefront does the same")
        self.addTab(values, "Value")
        self.addTab(self.console, "Console")
        self.addTab(self.error, "Error")
        self.addTab(self.notes, "Storefront")

    def show_step(self, step: Step | None) -> None:
        set_text(self.value_in, to_json_text(step.input) if step else "")
        set_text(self.value_out, to_json_text(step.output) if step else "")
        self.diff.clear()
        for change in json_diff(step.input, step.output) if step and step.status == "ok" else []:
            item = QListWidgetItem(str(change))
            item.setForeground(QBrush(diff_colour(change.kind)))
            self.diff.addItem(item)
        if step and not self.diff.count():
            self.diff.addItem("(unchanged)" if step.status != "error" else "(kept: the handler failed)")
        lines = [f"[{c.get('level', 'log')}] {c.get('text', '')}" for c in (step.console if step else [])]
        set_text(self.console, "\n".join(lines))
        self._set_tab_text(1, f"Console ({len(lines)})" if lines else "Console")
        set_text(self.error, self._error_text(step))
        self._set_tab_text(2, "Error ●" if step and step.error else "Error")
        notes = step.notes if step else []
        set_text(self.notes, "\n".join(f"• {n}" for n in notes))
        self._set_tab_text(3, f"Storefront ({len(notes)})" if notes else "Storefront")

    def _set_tab_text(self, index: int, text: str) -> None:
        if self.tabText(index) != text:  # an unchanged title must not re-lay out the tab bar
            self.setTabText(index, text)

    @staticmethod
    def _error_text(step: Step | None) -> str:
        if step is None or step.error is None:
            return ""
        error = step.error
        stack = getattr(error, "stack", "") or ""
        where = f"\nat {step.handler.path}, line {error.line}" if getattr(error, "line", None) else ""
        return f"{error}{where}\n\n{stack}".strip()


class BreakpointBar(QWidget):
    """Condition and hit count of the selected handler's breakpoint."""

    edited = Signal(str, str, int)   # row id, condition ('' for none), hit count (0 for none)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.row_id: str | None = None
        self.label = QLabel("Breakpoint:")
        # The file name changes with every step. Fixed in both directions, a new text only repaints the
        # label: with a free height, QLabel.setText re-lays out the whole pane (~2 ms a step).
        self.label.setFixedSize(190, self.label.sizeHint().height())
        self.condition = QLineEdit(placeholderText="condition over value and args, e.g. value > 50")
        self.hit_count = QSpinBox(minimum=0, maximum=1_000_000, specialValueText="every hit", prefix="from hit ")
        self.apply = QPushButton("Update")
        self.apply.setFixedWidth(self.apply.sizeHint().width())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.condition, self.hit_count, self.apply):
            layout.addWidget(widget)
        layout.setStretch(1, 1)
        self.apply.clicked.connect(self._on_apply_clicked)
        self.condition.returnPressed.connect(self._on_apply_clicked)
        self.show_for(None, None)

    def show_for(self, row: Registration | None, spec: BreakpointSpec | None) -> None:
        self.row_id = row.row_id if row else None
        self.setEnabled(row is not None)
        self.label.setText(f"Breakpoint on {posixpath.basename(row.path)}:" if row else "Breakpoint:")
        self.condition.setText((spec.condition or "") if spec else "")
        self.hit_count.setValue((spec.hit_count or 0) if spec else 0)
        self.apply.setText("Update" if spec else "Set")
        self.label.setToolTip(row.path if row else "")

    def _on_apply_clicked(self) -> None:
        if self.row_id:
            self.edited.emit(self.row_id, self.condition.text().strip(), self.hit_count.value())


class ChainView(QWidget):
    breakpoint_toggle_requested = Signal(str)   # row id
    breakpoint_edited = Signal(str, str, int)   # row id, condition, hit count
    handler_activated = Signal(str, str)        # table, row id

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Registration] = []
        self.steps: dict[str, Step] = {}
        self.position: int | None = None
        self._breakpoints: dict[str, BreakpointSpec] = {}
        self.list = QTreeWidget()
        self.list.setHeaderLabels(COLUMNS)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for column, width in ((BP, 20), (INDEX, 34), (PLUGIN, 80), (FILE, 128), (PRIORITY, 34), (TYPE, 40),
                              (VALUES, 104), (MS, 40)):
            self.list.setColumnWidth(column, width)
        self.breakpoint_bar = BreakpointBar()
        self.details = StepDetails()
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.list)
        top_layout.addWidget(self.breakpoint_bar)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.details)
        splitter.setSizes([200, 170])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.list.itemClicked.connect(self._on_list_clicked)
        self.list.itemDoubleClicked.connect(self._on_list_double_clicked)
        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self.breakpoint_bar.edited.connect(self.breakpoint_edited)

    # ---- content ---------------------------------------------------------------------------------
    def set_chain(self, rows: list[Registration]) -> None:
        self.rows, self.steps, self.position = list(rows), {}, None
        self.list.clear()
        for i, row in enumerate(self.rows):
            item = QTreeWidgetItem(["", str(i + 1), row.plugin_name, posixpath.basename(row.path), str(row.priority),
                                    row.kind, "", "", ""])
            item.setToolTip(FILE, f"{row.path} · row {row.row_id}")
            item.setToolTip(BP, "click to toggle a breakpoint")
            self.list.addTopLevelItem(item)
            self._paint(i)
        if not self.rows:
            self.list.addTopLevelItem(QTreeWidgetItem(["", "", "nothing registers for this name: the value "
                                                       "passes through unchanged"]))

    def set_breakpoints(self, specs: dict[str, BreakpointSpec]) -> None:
        self._breakpoints = dict(specs)
        for i in range(len(self.rows)):
            self._paint(i)
        self._on_list_current_changed(self.list.currentItem())

    def add_step(self, step: Step) -> None:
        self.steps[step.handler.row_id] = step
        index = self._index(step.handler.row_id)
        if index is not None:
            self._paint(index)
            self.select_step(step.handler.row_id)

    def set_position(self, position: int | None) -> None:
        """Highlight the handler about to run (None: nothing is about to run)."""
        old, self.position = self.position, position
        for index in {old, position} - {None}:
            if index < len(self.rows):
                self._paint(index)
        if position is not None and position < len(self.rows) and not self.steps:
            self.list.setCurrentItem(self.list.topLevelItem(position))

    def current_row(self) -> Registration | None:
        return self.rows[self.position] if self.position is not None and self.position < len(self.rows) else None

    def row_text(self, index: int) -> list[str]:
        item = self.list.topLevelItem(index)
        return [item.text(c) for c in range(len(COLUMNS))]

    def highlighted_rows(self) -> list[int]:
        return [i for i in range(len(self.rows))
                if self.list.topLevelItem(i).background(FILE).color() == theme.colour("current_bg")]

    def select_step(self, row_id: str) -> None:
        index = self._index(row_id)
        if index is None:
            return
        item = self.list.topLevelItem(index)
        if self.list.currentItem() is item:
            self._on_list_current_changed(item)  # its step just finished: show it again
        else:
            self.list.setCurrentItem(item)

    def _index(self, row_id: str) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.row_id == row_id), None)

    def _paint(self, index: int) -> None:
        row, item = self.rows[index], self.list.topLevelItem(index)
        spec = self._breakpoints.get(row.row_id)
        item.setText(BP, ("●" if spec.enabled else "○") if spec else "")
        item.setForeground(BP, QBrush(BREAKPOINT_RED))
        if spec:
            item.setToolTip(BP, "breakpoint" + (f" if {spec.condition}" if spec.condition else "")
                            + (f", from hit {spec.hit_count}" if spec.hit_count else ""))
        step = self.steps.get(row.row_id)
        current = index == self.position
        item.setText(INDEX, ("▶ " if current else "") + str(index + 1))
        if step is not None:
            item.setText(VALUES, f"{short_json(step.input, 40)} → {short_json(step.output, 40)}")
            item.setText(MS, f"{step.duration_ms:.2f}")
            item.setText(STATUS, self._status(step))
        role = "error" if step is not None and step.error else ("muted" if step is None and not current else None)
        colour = theme.colour(role) if role else None
        for column in range(1, len(COLUMNS)):
            item.setBackground(column, QBrush(theme.colour("current_bg")) if current else QBrush())
            item.setForeground(column, QBrush(colour) if colour else QBrush())
            font = item.font(column)
            font.setBold(current)
            item.setFont(column, font)

    @staticmethod
    def _status(step: Step) -> str:
        if step.error is not None:
            line = getattr(step.error, "line", None)
            name = getattr(step.error, "name", None) or type(step.error).__name__
            return f"✖ {name}" + (f" at line {line}" if line else "") + f": {step.error.message}"
        return "kept value (returned undefined)" if step.status == "kept" and step.handler.kind != "action" else "ok"

    # ---- interaction -----------------------------------------------------------------------------
    def _on_list_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        index = self.list.indexOfTopLevelItem(item)
        if column == BP and 0 <= index < len(self.rows):
            self.breakpoint_toggle_requested.emit(self.rows[index].row_id)

    def _on_list_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        index = self.list.indexOfTopLevelItem(item)
        if 0 <= index < len(self.rows):
            self.handler_activated.emit(self.rows[index].table, self.rows[index].row_id)

    def _on_list_current_changed(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        index = self.list.indexOfTopLevelItem(item) if item is not None else -1
        row = self.rows[index] if 0 <= index < len(self.rows) else None
        self.breakpoint_bar.show_for(row, self._breakpoints.get(row.row_id) if row else None)
        self.details.show_step(self.steps.get(row.row_id) if row else None)
