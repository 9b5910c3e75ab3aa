"""Compare: the chain as it is and with one handler (or one plugin's handlers) left out, side by side."""
from __future__ import annotations

import posixpath
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from plugin_studio.models.debugger import Registration, json_diff, to_json_text
from plugin_studio.runner.chain import ChainTrace
from plugin_studio.ui.debugger.stepping import diff_colour, text_box, titled


def trace_text(trace: ChainTrace) -> str:
    """Final value (filters) or each handler's result (actions, events), then the steps in short."""
    lines = []
    if trace.kind == "filter":
        lines += ["final value:", to_json_text(trace.final), ""]
    for i, step in enumerate(trace.steps, 1):
        outcome = f"✖ {step.error}" if step.error else to_json_text(step.output).replace("\n", " ")
        lines.append(f"{i}. {step.handler.plugin_name} · {step.handler.path}: {outcome}")
    if not trace.steps:
        lines.append("(no handler ran)")
    return "\n".join(lines)


class CompareView(QWidget):
    compare_requested = Signal(object, object)   # row ids left out, plugin ids left out

    def __init__(self, parent=None):
        super().__init__(parent)
        self.leave_out = QComboBox()
        self.leave_out.setMinimumContentsLength(30)
        self.run_button = QPushButton("Compare")
        self.left = text_box("run a comparison")
        self.right = text_box("run a comparison")
        self.diff = QListWidget()
        self.diff.setFont(self.left.font())
        self.diff.setMaximumHeight(90)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Leave out:"))
        bar.addWidget(self.leave_out, 1)
        bar.addWidget(self.run_button)
        sides = QSplitter(Qt.Orientation.Horizontal)
        sides.addWidget(titled("With every handler", self.left))
        right = titled("Without …", self.right)
        self.right_title = right.title
        sides.addWidget(right)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(sides, 1)
        layout.addWidget(QLabel("Final value: with every handler → without"))
        layout.addWidget(self.diff)
        self.run_button.clicked.connect(self._on_run_clicked)

    def set_chain(self, rows: list[Registration]) -> None:
        self.leave_out.clear()
        for row in rows:
            self.leave_out.addItem(f"handler: {posixpath.basename(row.path)} ({row.plugin_name}, priority {row.priority})",
                                   f"row:{row.row_id}")
        for plugin_id, name in dict.fromkeys((r.plugin_id, r.plugin_name) for r in rows):
            self.leave_out.addItem(f"every handler of {name}", f"plugin:{plugin_id}")
        self.run_button.setEnabled(bool(rows))

    def choose(self, kind: str, ident: str) -> bool:
        index = self.leave_out.findData(f"{kind}:{ident}")
        if index >= 0:
            self.leave_out.setCurrentIndex(index)
        return index >= 0

    def _on_run_clicked(self) -> None:
        choice = self.leave_out.currentData()
        if choice:
            kind, ident = choice.split(":", 1)
            self.right_title.setText(f"<b>Without</b> {self.leave_out.currentText().replace('handler: ', '')}")
            self.compare_requested.emit({ident} if kind == "row" else set(), {ident} if kind == "plugin" else set())

    def show_result(self, full: ChainTrace, reduced: ChainTrace, left_out: list[Registration]) -> None:
        self.left.setPlainText(trace_text(full))
        self.right.setPlainText(trace_text(reduced))
        self.right.setToolTip("left out: " + (", ".join(f"{r.plugin_name} · {r.path}" for r in left_out) or "nothing"))
        self.diff.clear()
        changes = json_diff(full.final, reduced.final, "final")
        for change in changes:
            item = QListWidgetItem(str(change))
            item.setForeground(QBrush(diff_colour(change.kind)))
            self.diff.addItem(item)
        if not changes:
            self.diff.addItem("(same final value)")
