"""The Migrations panel: status, timings and checksums of a plugin's migrations, and the actions on them.

Every database call is a job on the panel's own lane (``ui/migration_jobs.py``), whose connection
comes from a connection factory; jobs get data, never a widget. The widget shows what the jobs
report and asks the user before anything destructive (rollback, repair, force, risky SQL).
"""
from __future__ import annotations

import logging
import re
from functools import partial
from typing import Callable

import psycopg
from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPlainTextEdit, QProgressBar, QPushButton,
    QSplitter, QStyledItemDelegate, QTableView, QTabWidget, QToolBar, QVBoxLayout, QWidget,
)

from plugin_studio.db import migrate
from plugin_studio.db.errors import StudioDbError
from plugin_studio.db.names import version_key
from plugin_studio.models import migration_ops
from plugin_studio.models.migration_plan import FileRun
from plugin_studio.models.migration_format import ChecksumCheck, render_migration_file
from plugin_studio.ui.migrations_model import STATUS_COLUMN, STATUS_ROLE, MigrationsTableModel
from plugin_studio.settings import Settings
from plugin_studio.ui.run_on_databases import RunOnDatabasesDialog
from plugin_studio.ui import theme
from plugin_studio.ui.errors import describe_error, show_error
from plugin_studio.ui.migration_chart import STATUS_COLOURS, MigrationTimingChart
from plugin_studio.ui import migration_jobs
from plugin_studio.ui.jobs import Job
from plugin_studio.ui.lanes import DbSession, Lane
from plugin_studio.ui.migration_jobs import BatchOutcome

log = logging.getLogger(__name__)


def error_position(message: str | None) -> tuple[int, int] | None:
    """The file line and column our runner puts in an error message ("… (line 12, column 5)")."""
    match = re.search(r"\(line (\d+), column (\d+)\)", message or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


class _StatusBadgeDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option, index) -> None:
        status = index.data(STATUS_ROLE) or ""
        text = index.data() or ""
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = option.fontMetrics.horizontalAdvance(text) + 14
        rect = QRectF(option.rect.x() + 4, option.rect.center().y() - 9, width, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(STATUS_COLOURS.get(status, STATUS_COLOURS["pending"])))
        painter.drawRoundedRect(rect, 9, 9)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


class MigrationsPanel(QWidget):
    """``MigrationsPanel(dsn)`` or ``MigrationsPanel(connector=factory)``; ``set_plugin(id | None)`` chooses
    one plugin or all. Signals say what happened, for the main window's status bar and FileTree."""

    migrations_loaded = Signal(int)          # rows now shown
    migrations_changed = Signal()            # a run, rollback or repair wrote to plugin_migrations
    migration_started = Signal(str)          # "2.0.0 create_x (1 of 3)" as a batch moves on
    operation_finished = Signal(str)         # a one-line summary of what just finished
    operation_failed = Signal(str)           # a one-line message of what went wrong
    position_requested = Signal(str, int, int, str)  # migration row id, file line, column, message: show it

    def __init__(self, dsn: str | None = None, parent: QWidget | None = None, *,
                 connector: Callable[[], psycopg.Connection] | None = None, lock_wait_s: float | None = None,
                 settings: Settings | None = None):
        super().__init__(parent)
        self._settings = settings   # the window's, for "Run on databases…" (None: read from disk)
        if connector is None:
            if dsn is None:
                raise ValueError("MigrationsPanel needs a DSN or a connection factory")
            connector = migrate.connector_for(dsn)
        self._plugin_id: str | None = None
        self._plugin_name: str | None = None
        self._busy = False
        self._pending_selection: str | None = None
        self.model = MigrationsTableModel(self)
        self._build()
        self._start_lane(connector, Settings.load().migration_lock_wait_s if lock_wait_s is None else lock_wait_s)
        self._update_buttons()

    # -- building --

    def _build(self) -> None:
        self.title = QLabel("All plugins")
        self.buttons: dict[str, QPushButton] = {}
        # A tool bar: buttons that do not fit a narrow dock go behind its » menu, never off the edge.
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("migrations-actions")
        for key, label, slot in (
            ("run", "Run", self.run_selected), ("run_all", "Run all pending", self.run_all_pending),
            ("dry_run", "Dry run", self.dry_run_selected), ("force", "Force re-run", self.force_rerun_selected),
            ("rollback", "Rollback", self.rollback_selected), ("validate", "Validate", self.validate),
            ("repair", "Repair", self.repair), ("refresh", "Refresh", self.refresh),
            ("goto", "Go to error", self.go_to_error), ("many", "Run on databases…", self.run_on_databases),
        ):
            button = QPushButton(label)
            button.setObjectName(f"migrations-{key}")
            button.clicked.connect(slot)
            self.toolbar.addWidget(button)
            self.buttons[key] = button
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.status_line = QLabel("")
        self.status_line.setWordWrap(True)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setItemDelegateForColumn(STATUS_COLUMN, _StatusBadgeDelegate(self.table))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.sql_view = self._text_view()
        self.error_view = self._text_view()
        self.error_view.viewport().installEventFilter(self)     # a double click goes to the error
        self.error_view.setToolTip("Double-click to show the error's line in the editor")
        self.log_view = self._text_view()
        self.chart = MigrationTimingChart()
        self.tabs = QTabWidget()
        for widget, name in ((self.sql_view, "SQL"), (self.error_view, "Error"), (self.log_view, "Log"),
                             (self.chart, "Timings")):
            self.tabs.addTab(widget, name)

        # Side by side: a bottom dock is wide and short, and both halves want its height.
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("migrations-split")
        splitter.addWidget(self.table)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addWidget(self.toolbar, 1)
        layout.addLayout(bar)
        layout.addLayout(progress_row)
        layout.addWidget(self.status_line)
        layout.addWidget(splitter, 1)

    @staticmethod
    def _text_view() -> QPlainTextEdit:
        """SQL, errors and the log: in the editor's font, so columns and carets line up."""
        view = QPlainTextEdit()
        view.setReadOnly(True)
        view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        theme.follow(view, lambda v, appearance: v.setFont(theme.editor_font(appearance)))
        return view

    def _start_lane(self, connector, lock_wait_s: float) -> None:
        # Asked before a run, a rollback or a repair writes (the window's write guard; see ui/connections).
        self.may_write: Callable[[str], bool] = lambda _action: True
        self._connector, self._lock_wait_s = connector, lock_wait_s
        self.lane = Lane("migrations", DbSession(connector=connector))
        self._batch: Job | None = None

    def _submit(self, kind: str, fn, *args) -> Job:
        """Queue a migration job; its answer goes to ``_finished_<kind>`` or ``_on_job_failed``."""
        return self.lane.submit(fn, *args, owner=self, title=f"Migrations: {kind}", controlled=True,
                                on_done=partial(self._on_job_finished, kind),
                                on_error=partial(self._on_job_failed, kind),
                                on_progress=self._on_step_started, on_note=self._on_job_noted)

    def _run(self, row_ids: list[str], force: bool = False) -> None:
        self._batch = self._submit("run", migration_jobs.run_batch, self._connector, self._lock_wait_s,
                                   list(row_ids), force)

    # -- public API --

    def set_plugin(self, plugin_id: str | None, title: str | None = None) -> None:
        """Show one plugin's migrations (``None``: every plugin's) and load them."""
        self._plugin_id, self._plugin_name = plugin_id, title or plugin_id
        self.title.setText(title or ("All plugins" if plugin_id is None else f"Plugin {plugin_id}"))
        self.refresh()

    def plugin_id(self) -> str | None:
        return self._plugin_id

    def refresh(self) -> None:
        self._submit("list", migration_jobs.list_checks, self._plugin_id)

    def selected_check(self) -> ChecksumCheck | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.check_at(rows[0].row()) if rows else None

    def select_migration(self, row_id: str) -> None:
        row = self.model.row_of(row_id)
        if row is None:
            self._pending_selection = row_id      # selected once the next list arrives
        else:
            self.table.selectRow(row)

    def is_busy(self) -> bool:
        return self._busy

    def run_selected(self) -> None:
        check = self.selected_check()
        if check and self._confirm_risky(check) and self.may_write(f"run migration {check.row.migration_version}"):
            self._start(f"Running {check.row.migration_version}…")
            self._run([check.row.id])

    def force_rerun_selected(self) -> None:
        check = self.selected_check()
        if check and self.confirm("Force re-run",
                                  f"Run {check.row.migration_version} {check.row.migration_name} again?\n"
                                  "It already completed; its UP SQL runs once more.") \
                and self.may_write(f"run migration {check.row.migration_version} again"):
            self._start(f"Running {check.row.migration_version} again…")
            self._run([check.row.id], force=True)

    def run_all_pending(self) -> None:
        pending = [c for c in self.model.checks() if c.row.status == "pending"]
        if not pending or not self._confirm_risky(*pending) or not self.may_write("run the pending migrations"):
            return
        self._start(f"Running {len(pending)} pending migration(s)…", progress=len(pending))
        self._run([c.row.id for c in pending])

    def dry_run_selected(self) -> None:
        check = self.selected_check()
        if check:
            self._start("Dry run…")
            self._submit("preview", migration_jobs.preview, [check.row.id])

    def rollback_selected(self) -> None:
        check = self.selected_check()
        if check is None:
            return
        pv = migration_ops.preview(check.row)
        if pv.down is None:
            self._report_failure(pv.down_error)
            return
        plan = pv.down
        note = f"\n({plan.source}.)" if plan.source else ""
        if self.confirm("Roll back migration",
                        f"Roll back {check.row.migration_version} {check.row.migration_name}?{note}",
                        details=plan.sql) and self.may_write(f"roll back {check.row.migration_version}"):
            self._start(f"Rolling back {check.row.migration_version}…")
            self._submit("rollback", migration_jobs.rollback, self._connector, self._lock_wait_s, check.row.id)

    def validate(self) -> None:
        self._start("Validating checksums…")
        self._submit("validate", migration_jobs.validate, self._plugin_id)

    def repair(self) -> None:
        changes = migration_ops.plan_repair(self.model.checks())
        if not changes:
            self._report_success("nothing to repair: every completed migration matches its checksum")
            return
        if self.confirm("Repair migrations", f"Make these {len(changes)} change(s)?",
                        details="\n".join(change.describe() for change in changes)) \
                and self.may_write("repair the migrations' records"):
            self._start("Repairing…")
            self._submit("repair", migration_jobs.repair, changes)

    def go_to_error(self) -> None:
        """Ask for the selected migration's error position to be shown in the editor (file line, column)."""
        check = self.selected_check()
        position = error_position(check.row.error_message) if check else None
        if position is not None:
            self.position_requested.emit(check.row.id, *position, check.row.error_message.splitlines()[0])

    def run_on_databases(self) -> RunOnDatabasesDialog | None:
        """This plugin's migrations, in version order, on the databases the user lists (a dialog)."""
        rows = sorted((c.row for c in self.model.checks()), key=lambda r: version_key(r.migration_version))
        if self._plugin_id is None or not rows:
            return None
        dialog = RunOnDatabasesDialog([FileRun.of_row(row) for row in rows], self._plugin_name, self, self._settings)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def eventFilter(self, watched, event) -> bool:
        if watched is self.error_view.viewport() and event.type() == QEvent.Type.MouseButtonDblClick:
            self.go_to_error()
            return True
        return super().eventFilter(watched, event)

    def cancel(self) -> None:
        """Stop a batch between migrations; the one running finishes and is recorded."""
        if self._batch is not None:
            self._batch.cancel(interrupt=False)
        self.status_line.setText("Cancelling after the current migration…")

    def confirm(self, title: str, text: str, details: str | None = None) -> bool:
        """Ask with a real modal QMessageBox; Yes is not the default."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("migrations-confirm")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        if details:
            box.setDetailedText(details)
        return box.exec() == QMessageBox.StandardButton.Yes

    def shutdown(self) -> None:
        """No further migration starts and a running statement is cancelled (recorded failed)."""
        if not self.lane.closed:
            self.lane.cancel_all()
            self.lane.close()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    # -- helpers --

    def _confirm_risky(self, *checks: ChecksumCheck) -> bool:
        warnings = [f"{c.row.migration_version}: {w}" for c in checks for w in migration_ops.preview(c.row).warnings
                    if "risky" in w or "outside a transaction" in w]
        return not warnings or self.confirm("Risky statements", "These migrations contain statements that can lose"
                                            " data or run outside a transaction. Run them?",
                                            details="\n".join(warnings))

    def _start(self, message: str, progress: int = 0) -> None:
        self._busy = True
        self.status_line.setText(message)
        self.progress.setVisible(progress > 0)
        self.cancel_button.setVisible(progress > 0)
        self.progress.setRange(0, max(progress, 1))
        self.progress.setValue(0)
        self._update_buttons()

    def _finish(self) -> None:
        self._busy = False
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self._update_buttons()

    def _log(self, text: str) -> None:
        self.log_view.appendPlainText(text)

    def _report_success(self, message: str) -> None:
        self.status_line.setText(message)
        self._log(message)
        self.operation_finished.emit(message)

    def _report_failure(self, message: str) -> None:
        self.status_line.setText(message)
        self._log("error: " + message)
        self.operation_failed.emit(message.splitlines()[0] if message else message)

    def _update_buttons(self) -> None:
        check = self.selected_check()
        status = check.row.status if check else None
        idle = not self._busy
        has_pending = any(c.row.status == "pending" for c in self.model.checks())
        enabled = {
            "run": status in migrate.RUNNABLE, "force": status == "completed", "dry_run": check is not None,
            "rollback": status == "completed", "run_all": has_pending, "validate": True,
            "repair": bool(migration_ops.plan_repair(self.model.checks())), "refresh": True,
            "goto": check is not None and error_position(check.row.error_message) is not None,
            "many": self._plugin_id is not None and bool(self.model.checks()),
        }
        for key, button in self.buttons.items():
            button.setEnabled(idle and enabled[key])

    def _show_details(self, check: ChecksumCheck | None) -> None:
        self.sql_view.setPlainText(render_migration_file(check.row) if check else "")
        self.error_view.setPlainText((check.row.error_message or "") if check else "")
        if check and check.row.error_message:
            self.tabs.setCurrentWidget(self.error_view)

    def _update_chart(self) -> None:
        self.chart.show_timings([c.row for c in self.model.checks()])

    def chart_heights(self) -> list[float]:
        """The bar heights shown (ms), in table order."""
        return self.chart.heights()

    # -- slots --

    def _on_selection_changed(self, *_):
        self._show_details(self.selected_check())
        self._update_buttons()

    def _on_checks_shown(self) -> None:
        self._update_chart()
        self._update_buttons()

    def _finished_list(self, checks: list[ChecksumCheck]) -> None:
        self.model.set_checks(checks)   # row by row: the selection stays on its migration
        self._on_checks_shown()
        wanted, self._pending_selection = self._pending_selection, None
        if wanted is not None and (row := self.model.row_of(wanted)) is not None:
            self.table.selectRow(row)
        self._show_details(self.selected_check())   # its status or error may have changed
        self.migrations_loaded.emit(len(checks))

    def _on_step_started(self, index: int, total: int, label: str) -> None:
        self.status_line.setText(f"Running {label} ({index + 1} of {total})…")
        self.migration_started.emit(f"{label} ({index + 1} of {total})")

    def _on_job_noted(self, note: tuple[str, object]) -> None:
        what, value = note
        if what == "waiting":
            self.status_line.setText(f"Waiting for the migration lock held by {value}…")
        else:
            self._on_step_finished(value)

    def _on_step_finished(self, result: migrate.RunResult) -> None:
        self.progress.setValue(self.progress.value() + 1)
        for warning in result.warnings:
            self._log(f"warning: {result.version}: {warning}")
        if result.ok:
            self._log(f"{result.status} {result.version} {result.name} in {result.execution_time_ms} ms")
        else:
            self._log(f"failed {result.version} {result.name}: {result.error}")

    def _on_job_finished(self, kind: str, payload) -> None:
        if kind != "list":
            self._finish()
        getattr(self, f"_finished_{kind}")(payload)

    def _finished_run(self, outcome: BatchOutcome) -> None:
        self.migrations_changed.emit()
        self.refresh()
        failed = next((r for r in outcome.results if not r.ok), None)
        done = sum(1 for r in outcome.results if r.ok)
        if failed:
            self._report_failure(f"{failed.version} {failed.name} failed: {failed.error}")
            show_error(self, "Migration failed", StudioDbError(f"{failed.version} {failed.name}: {failed.error}"))
        elif outcome.cancelled:
            self._report_success(f"cancelled after {done} of {outcome.total} migration(s)")
        else:
            self._report_success(f"{done} migration(s) completed")

    def _finished_rollback(self, result: migrate.RunResult) -> None:
        self.migrations_changed.emit()
        self.refresh()
        if result.ok:
            self._report_success(f"rolled back {result.version} {result.name} in {result.execution_time_ms} ms")
        else:
            self._report_failure(f"{result.version} {result.name}: {result.error}")
            show_error(self, "Rollback failed", StudioDbError(f"{result.version} {result.name}: {result.error}"))

    def _finished_preview(self, previews: list[migration_ops.Preview]) -> None:
        for pv in previews:
            self.log_view.appendPlainText(migration_ops.preview_text(pv))
        self.tabs.setCurrentWidget(self.log_view)
        self._report_success("dry run shown in the Log tab; nothing was written")

    def _finished_validate(self, checks: list[ChecksumCheck]) -> None:
        self.refresh()
        drifted = [c for c in checks if c.state == "drift"]
        for c in drifted:
            self._log(f"changed after it ran: {c.row.plugin_name} {c.row.migration_version} {c.row.migration_name}")
        if drifted:
            self._report_failure(f"{len(drifted)} migration(s) changed after they ran; Repair re-records them")
        else:
            self._report_success(f"{len(checks)} completed migration(s) checked: no drift")

    def _finished_repair(self, count: int) -> None:
        self.migrations_changed.emit()
        self.refresh()
        self._report_success(f"repaired {count} migration(s)")

    def _on_job_failed(self, kind: str, error: BaseException) -> None:
        if kind != "list":
            self._finish()
        self._report_failure(describe_error(error))
        show_error(self, "Migrations", error)

