"""Compare and Promote…: this plugin here (the source) against its counterpart on a saved connection
(the target), row by row, and promote the checked differences in one transaction.

The tree lists every row of the plugin by table: added, changed (the columns named), removed,
blocked (a completed migration's SQL, which promote never rewrites) and, on request, unchanged.
Selecting a row shows the target's text beside the source's (``ui/diff_view.py``). Promote asks the
target's guard first (a production target asks, a read-only one refuses), then writes on a job;
after it the comparison is made again and the migrations the target has still to run are listed,
with a button that runs them there.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from plugin_studio.models import promote as rules
from plugin_studio.services import connections as saved
from plugin_studio.ui import jobs
from plugin_studio.ui.connections.guard import WriteGuard
from plugin_studio.ui.diff_view import DiffView
from plugin_studio.ui.errors import describe_error
from plugin_studio.ui.promote import jobs_work

STATUS_COLOURS = {rules.ADDED: QColor(46, 160, 67), rules.CHANGED: QColor(210, 153, 34),
                  rules.REMOVED: QColor(248, 81, 73), rules.BLOCKED: QColor(128, 128, 128)}
DIFF_ROLE = Qt.ItemDataRole.UserRole


class PromoteDialog(QDialog):
    def __init__(self, parent: QWidget | None, plugin_id: str, plugin_name: str, source_dsn: str,
                 source_name: str | None):
        super().__init__(parent)
        self.setObjectName("promote-dialog")
        self.setWindowTitle(f"Compare and Promote — {plugin_name}")
        self.plugin_id, self.plugin_name, self.source_dsn = plugin_id, plugin_name, source_dsn
        self.source_name = source_name or "this database"
        self.plan = None
        self.result = None
        self._guards: dict[str, WriteGuard] = {}
        self.target = QComboBox(objectName="promote-target")
        self.target.addItems([n for n in saved.load_connections().names() if n != source_name])
        self.show_same = QCheckBox("Show unchanged rows", objectName="show-unchanged")
        self.show_same.toggled.connect(lambda _on: self._fill())
        self.tree = QTreeWidget(objectName="promote-rows")
        self.tree.setHeaderLabels(["Row", "Status", "Columns that differ"])
        self.tree.currentItemChanged.connect(lambda item, _old: self._show_diff(item))
        self.tree.itemChanged.connect(lambda *_: self._update_buttons())
        self.diff = DiffView()
        self.status = QLabel(objectName="promote-status", wordWrap=True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = {n: QPushButton(t, objectName=n) for n, t in (
            ("compare", "Compare"), ("promote", "Promote"), ("run-pending", "Run Pending Migrations"),
            ("cancel", "Cancel"), ("close", "Close"))}
        self.job = None
        self._lay_out()
        self._update_buttons()
        self.resize(1200, 720)

    def _lay_out(self) -> None:
        b = self.buttons
        b["compare"].clicked.connect(self.compare)
        b["promote"].clicked.connect(self.promote)
        b["run-pending"].clicked.connect(self.run_pending)
        b["cancel"].clicked.connect(self.cancel)
        self.target.currentTextChanged.connect(lambda _t: setattr(self, "result", None))
        b["close"].clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel(f"<b>{self.plugin_name}</b> on <b>{self.source_name}</b> → target:"))
        top.addWidget(self.target, 1)
        top.addWidget(b["compare"])
        top.addWidget(self.show_same)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(self.diff)
        split.setSizes([320, 380])
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for name in ("run-pending", "promote", "cancel", "close"):
            bottom.addWidget(b[name])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)

    # -- comparing ------------------------------------------------------------------------------
    def compare(self) -> None:
        name = self.target.currentText()
        if not name:
            self._say("Save another connection first (File ▸ Connections…): there is no target to compare with.")
            return
        self._busy(f"Comparing {self.plugin_name} on {self.source_name} and {name}…")
        self.job = jobs.start(jobs_work.compare, self.source_dsn, name, self.plugin_id, (self.source_name, name),
                              owner=self, title=f"Comparing with {name}", on_done=self._compared,
                              on_error=self._failed, on_cancelled=self._cancelled)

    def _compared(self, plan) -> None:
        self.job = None
        self.plan = plan
        self._fill()
        counts = plan.comparison.counts()
        if plan.target is None:
            text = f"{self.plugin_name} is not on {plan.target_label}: promote creates it with every row."
        else:
            text = (f"{counts['added']} added, {counts['changed']} changed, {counts['removed']} removed, "
                    f"{counts['same']} unchanged" + (f", {counts['blocked']} blocked" if counts["blocked"] else ""))
        self._say(self._with_result(text))

    def _fill(self) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        if self.plan is not None:
            groups: dict[str, QTreeWidgetItem] = {}
            for diff in self.plan.comparison.rows:
                if diff.status == rules.SAME and not self.show_same.isChecked():
                    continue
                parent = groups.get(diff.table) or self._group(groups, diff.table)
                parent.addChild(_row_item(diff))
            self.tree.expandAll()
            self.tree.resizeColumnToContents(0)
        self.tree.blockSignals(False)
        self._update_buttons()

    def _group(self, groups: dict, table: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [table])
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
        groups[table] = item
        return item

    def _show_diff(self, item: QTreeWidgetItem | None) -> None:
        diff = item.data(0, DIFF_ROLE) if item is not None else None
        if diff is None or self.plan is None:
            self.diff.set_texts("", "", self.plan.target_label if self.plan else "Target", self.source_name)
            return
        self.diff.set_texts(rules.shown_text(diff, diff.target), rules.shown_text(diff, diff.source),
                            f"{self.plan.target_label} (now)", f"{self.source_name} (promoted)")

    def chosen(self) -> set[tuple]:
        keys = set()
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                item = group.child(j)
                diff = item.data(0, DIFF_ROLE)
                if diff.status in rules.DIFFERENT and item.checkState(0) == Qt.CheckState.Checked:
                    keys.add((diff.table, diff.key, diff.occurrence))
        return keys

    # -- promoting ------------------------------------------------------------------------------
    def promote(self) -> None:
        if self.plan is None:
            return
        name = self.plan.target_label
        chosen = self.chosen()
        if self.plan.target is not None and not chosen:
            self._say("Check the rows to promote first.")
            return
        if not self._guard(name).allow(f"promote {self.plugin_name} to it ({len(chosen)} row(s))"):
            return
        self._busy(f"Promoting {len(chosen)} row(s) to {name}…")
        self.job = jobs.start(jobs_work.promote, name, self.plan, chosen, owner=self, title=f"Promoting to {name}",
                              on_done=self._promoted, on_error=self._failed, on_cancelled=self._cancelled)

    def _promoted(self, result) -> None:
        self.result = result
        self.compare()

    def _with_result(self, text: str) -> str:
        if self.result is None:
            return text
        w = self.result.written
        done = f"Promoted: {w['insert']} added, {w['update']} changed, {w['delete']} removed. "
        pending = self.result.pending_migrations
        if pending:
            done += (f"Migrations pending on {self.plan.target_label}: "
                     + ", ".join(f"{v} {n}" for _i, v, n, _s in pending) + ". ")
        return done + "Now: " + text

    def run_pending(self) -> None:
        if self.result is None or not self.result.pending_migrations:
            return
        name = self.plan.target_label
        if not self._guard(name).allow(f"run {len(self.result.pending_migrations)} pending migration(s) there"):
            return
        self._busy(f"Running the pending migrations on {name}…")
        self.job = jobs.start(jobs_work.run_pending, name, self.result.plugin_id, owner=self,
                              title=f"Migrating {name}", on_done=self._migrated, on_error=self._failed,
                              on_cancelled=self._cancelled)

    def _migrated(self, summary: dict) -> None:
        self.job = None
        self.result.pending_migrations = []
        self._update_buttons()
        self._say(f"Pending migrations run on {self.plan.target_label}: "
                  + ", ".join(f"{k}: {v}" for k, v in summary.items()))

    def _guard(self, name: str) -> WriteGuard:
        """One guard per target for as long as the dialog is open: a production target asks once."""
        if name not in self._guards:
            self._guards[name] = WriteGuard(self, saved.saved_connection(name))
        return self._guards[name]

    # -- state ----------------------------------------------------------------------------------
    def _busy(self, text: str) -> None:
        self._say(text)
        for button in ("compare", "promote", "run-pending"):
            self.buttons[button].setEnabled(False)
        self.buttons["cancel"].setEnabled(True)

    def cancel(self) -> None:
        """Stop the running job; a promote stopped half-way is rolled back (nothing written)."""
        if self.job is not None:
            self.job.cancel()

    def _cancelled(self) -> None:
        self.job = None
        self._update_buttons()
        self._say("Cancelled: nothing was written.")

    def _failed(self, error: Exception) -> None:
        self.job = None
        self._update_buttons()
        self._say(describe_error(error), error=True)

    def _update_buttons(self) -> None:
        self.buttons["compare"].setEnabled(True)
        self.buttons["cancel"].setEnabled(False)
        has_plan = self.plan is not None and (self.plan.target is None or bool(self.chosen()))
        self.buttons["promote"].setEnabled(has_plan)
        self.buttons["promote"].setText(f"Promote {len(self.chosen())} Row(s)" if self.plan and self.plan.target
                                        else "Promote")
        self.buttons["run-pending"].setEnabled(bool(self.result and self.result.pending_migrations))

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #c62828;" if error else "")


def _row_item(diff: rules.RowDiff) -> QTreeWidgetItem:
    item = QTreeWidgetItem([diff.name, diff.status, ", ".join(diff.columns) or diff.reason])
    item.setData(0, DIFF_ROLE, diff)
    if diff.status in rules.DIFFERENT:
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked)
    colour = STATUS_COLOURS.get(diff.status)
    if colour is not None:
        item.setForeground(1, QBrush(colour))
    return item
