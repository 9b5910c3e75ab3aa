""""Run on databases…": the same migrations on many stores' databases, with a live table per database.

The dialog gathers the databases (one DSN or libpq service name a line, typed or loaded from a
file), the parallelism and whether to stop at the first failure; the run is one job
(``ui/jobs.py``) around ``db/migrate_many.ManyDatabases``, whose per-database reports arrive as
partial results and update ``DatabaseRunModel`` row by row. Cancel lets the running migrations
finish and starts nothing more; closing the dialog also interrupts them.
"""
from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Collection

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QSpinBox, QTableView, QVBoxLayout,
)

from plugin_studio.db.migrate import Timeouts
from plugin_studio.db.migrate_many import COMPLETED, FAILED, DatabaseReport, ManyDatabases, ManyOptions, redact
from plugin_studio.models.migration_plan import FileRun, Planner
from plugin_studio.services.connections import load_connections, resolve_line
from plugin_studio.settings import Settings
from plugin_studio.ui import file_dialogs, jobs
from plugin_studio.ui import theme
from plugin_studio.ui.connections.guard import group_writes_allowed
from plugin_studio.ui.list_table_model import ListTableModel

COLUMNS = ("Database", "Status", "Now", "Ran", "Already done", "Time", "Message")


def dsn_lines(text: str, saved_names: Collection[str] = ()) -> list[str]:
    """One DSN a line; a line without ``=`` or ``://`` names a saved connection (kept as its name,
    resolved in the job: its password comes from the keyring) or a libpq service; ``#`` starts a comment."""
    lines = [line.strip() for line in text.splitlines()]
    return [line if ("=" in line or "://" in line or line in saved_names) else f"service={line}"
            for line in lines if line and not line.startswith("#")]


class DatabaseRunModel(ListTableModel[DatabaseReport]):
    """One row per database; a report replaces its row's cells (dataChanged, never a reset)."""

    COLUMNS = COLUMNS

    def start(self, labels: list[str]) -> None:
        self.beginResetModel()
        self._items = [DatabaseReport(label) for label in labels]
        self.endResetModel()

    def update(self, index: int, report: DatabaseReport) -> None:
        self._items[index] = dataclasses.replace(report, label=self._items[index].label)  # a name stays
        self.emit_row_changed(index)

    def reports(self) -> list[DatabaseReport]:
        return list(self._items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        report = self.item_at(index)
        if report is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cell(report, COLUMNS[index.column()], role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.ForegroundRole and COLUMNS[index.column()] == "Status":
            role = {COMPLETED: "success", FAILED: "error"}.get(report.status)
            return theme.colour(role) if role else None
        return None

    @staticmethod
    def _cell(report: DatabaseReport, column: str, full: bool) -> str | None:
        message = report.error or ""
        if report.failed_version:
            message = f"{report.failed_version}: {message}"
        values = {
            "Database": report.label, "Status": report.status, "Now": report.current,
            "Ran": ", ".join(report.completed), "Already done": ", ".join(report.skipped),
            "Time": f"{report.elapsed_ms} ms" if report.elapsed_ms else "",
            "Message": message if full else " ".join(message.split())[:160],
        }
        return values[column] if values[column] or not full else None


def run_on_databases(control: jobs.JobControl, dsns: list[str], files: list[FileRun], options: ManyOptions) -> dict:
    """The job: each database's report as a note ``(index, report copy)``; the summary as the result.
    A cancel stops between migrations; an interrupt (closing the dialog) cancels running statements."""
    listing = load_connections()
    dsns = [resolve_line(line, listing) for line in dsns]     # saved names: their DSN, password included
    many = ManyDatabases(dsns, Planner(), options, is_cancelled=control.is_cancelled,
                         on_update=lambda index, report: control.note((index, copy.deepcopy(report))))
    with control.interrupting(lambda: many.cancel(interrupt=True)):
        many.run(files)
    return many.summary()


class RunOnDatabasesDialog(QDialog):
    """``RunOnDatabasesDialog(files, plugin_ref, parent)``; ``start()`` runs (the Run button calls it)."""

    run_finished = Signal(dict)              # the summary (counts and every database's report)

    def __init__(self, files: list[FileRun], plugin_ref: str, parent=None, settings: Settings | None = None):
        """``settings``: the window's (its last folders are remembered there); None: read from disk."""
        super().__init__(parent)
        self.setObjectName("run-on-databases")
        self.setWindowTitle("Run on databases")
        self._files, self._job = files, None
        self._settings = settings = settings or Settings.load()
        self._timeouts = Timeouts(settings.migration_lock_timeout_s, settings.migration_statement_timeout_s)
        self._lock_wait_s = settings.migration_lock_wait_s
        self.model = DatabaseRunModel(self)
        self._build(plugin_ref, settings.migration_parallelism)
        self.resize(980, 560)

    def _build(self, plugin_ref: str, parallelism: int) -> None:
        versions = ", ".join(f.version for f in self._files)
        self.what = QLabel(f"Migrations to run, in this order: {versions}. On each database, what already"
                           " completed there is skipped.")
        self.what.setWordWrap(True)
        self.databases = QPlainTextEdit()
        self.databases.setPlaceholderText("one database a line: postgresql://user@host/store1, "
                                          "host=… dbname=…, or a pg_service.conf name")
        self.databases.setMaximumHeight(110)
        self.load_button = load = QPushButton("Load list…")
        load.clicked.connect(self._load_list)
        self.group = QComboBox(objectName="run-group")
        self.group.addItems(["Group…", *load_connections().group_names()])
        self.group.activated.connect(self._use_group)
        self.plugin = QLineEdit(plugin_ref)
        self.parallelism = QSpinBox(minimum=1, maximum=64, value=max(1, parallelism))
        self.stop_on_error = QCheckBox("Start no more databases after a failure")
        form = QFormLayout()
        form.addRow("Plugin (id, slug or name in each database)", self.plugin)
        form.addRow("Databases at once", self.parallelism)
        form.addRow("", self.stop_on_error)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.run_button, self.cancel_button, self.close_button = (QPushButton(t) for t in ("Run", "Cancel", "Close"))
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.close)
        self.cancel_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        for button in (self.run_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        top = QHBoxLayout()
        top.addWidget(self.databases, 1)
        side = QVBoxLayout()
        side.addWidget(load)
        side.addWidget(self.group)
        side.addStretch(1)
        top.addLayout(side)
        layout = QVBoxLayout(self)
        for part in (self.what, top, form, self.table, buttons):
            layout.addLayout(part) if isinstance(part, (QHBoxLayout, QFormLayout)) else layout.addWidget(part)

    def _load_list(self) -> None:
        path = file_dialogs.open_file(self, self._settings, "databases", "Databases",
                                      "Lists (*.txt *.conf);;All files (*)")
        if path:
            self.set_databases(Path(path).read_text(encoding="utf-8", errors="replace"))

    def _use_group(self, index: int) -> None:
        """The saved group's connections, one name a line (File ▸ Connections…, Groups)."""
        if index > 0:
            members = load_connections().members(self.group.itemText(index))
            self.set_databases(f"# group {self.group.itemText(index)}\n" + "".join(f"{m.name}\n" for m in members))

    def set_databases(self, text: str) -> None:
        self.databases.setPlainText(text)

    def is_running(self) -> bool:
        return self._job is not None

    def start(self) -> None:
        listing = load_connections()
        dsns = dsn_lines(self.databases.toPlainText(), listing.names())
        if not dsns or not self.plugin.text().strip():
            self.summary.setText("List at least one database and name the plugin.")
            return
        if not group_writes_allowed(self, [listing.find(d) for d in dsns if listing.find(d) is not None]):
            return
        options = ManyOptions(plugin=self.plugin.text().strip(), parallelism=self.parallelism.value(),
                              stop_on_error=self.stop_on_error.isChecked(), lock_wait_s=self._lock_wait_s,
                              timeouts=self._timeouts)
        self.model.start([dsn if listing.find(dsn) else redact(dsn) for dsn in dsns])
        self.summary.setText(f"Running on {len(dsns)} database(s), {options.parallelism} at once…")
        self._set_running(True)
        self._job = jobs.start(run_on_databases, dsns, list(self._files), options, owner=self,
                               title="Migrations on many databases", on_note=self._on_report,
                               on_done=self._on_done, on_error=self._on_error, on_cancelled=self._on_cancelled)

    def cancel(self) -> None:
        """The running migrations finish; no database or migration starts after them."""
        if self._job is not None:
            self._job.cancel(interrupt=False)
            self.summary.setText("Cancelling: the running migrations finish, nothing more starts…")

    def closeEvent(self, event) -> None:
        if self._job is not None:
            self._job.cancel(interrupt=True)
        super().closeEvent(event)

    def _set_running(self, running: bool) -> None:
        for widget in (self.run_button, self.databases, self.plugin, self.parallelism, self.stop_on_error):
            widget.setEnabled(not running)
        self.cancel_button.setEnabled(running)

    def _on_report(self, note: tuple[int, DatabaseReport]) -> None:
        self.model.update(*note)

    def _on_done(self, summary: dict) -> None:
        self._job = None
        self._set_running(False)
        total = len(summary["databases"])
        parts = [f"{summary[COMPLETED]} of {total} completed", f"{summary[FAILED]} failed"]
        parts += [f"{summary[k]} {k}" for k in ("cancelled", "not started") if summary[k]]
        self.summary.setText(", ".join(parts) + ". Running again skips what completed.")
        self.run_finished.emit(summary)

    def _on_error(self, error: BaseException) -> None:
        self._job = None
        self._set_running(False)
        self.summary.setText(f"The run stopped: {error}")

    def _on_cancelled(self) -> None:
        self._job = None
        self._set_running(False)
