"""The cron view beside a job's editor: its schedule in words, the next five runs in the job's
timezone, the run statistics the platform keeps, and Run now.

Schedule, timezone, ``handler_params`` and ``timeout_seconds`` are edited here and written with Apply
(checked first: croniter for the schedule, zoneinfo for the timezone, JSON for the params); the
handler's code is the editor's file. Run now runs the editor's text (saved or not) with the job's
params under its timeout, as ``plugin-studio cron run`` does, and changes nothing in the row.
"""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from plugin_studio.db import cron as cron_rows
from plugin_studio.db.cron import CronContext, cron_context
from plugin_studio.db.records import CronRow
from plugin_studio.models import cron_schedule
from plugin_studio.runner.controllers import CronRun, run_cron_in_context
from plugin_studio.ui.part_layout import attach_beside

MONO = QFont("monospace")
MONO.setStyleHint(QFont.StyleHint.Monospace)


def _run(host, context: CronContext) -> CronRun:
    """Runner lane job."""
    return run_cron_in_context(host, context)


def schedule_summary(expression: str, zone_name: str, now: datetime, count: int = 5) -> tuple[str, list[str]]:
    """(the schedule in words, the next ``count`` runs as text); ScheduleError when it can't run."""
    schedule = cron_schedule.Schedule(expression, zone_name or "UTC")
    words = cron_schedule.describe(expression)
    runs = cron_schedule.next_runs(schedule, now, count)
    return words, [f"{r:%a %Y-%m-%d %H:%M %Z}" for r in runs]


def statistics(job: CronRow) -> str:
    last = f"{job.last_run_at:%Y-%m-%d %H:%M:%S}" if job.last_run_at else "never"
    text = (f"Runs {job.run_count or 0} · succeeded {job.success_count or 0} · failed {job.failure_count or 0}"
            f" · failures in a row {job.consecutive_failures or 0}\nLast run {last}"
            + (f" ({job.last_status})" if job.last_status else ""))
    if job.last_error:
        text += f"\nLast error: {job.last_error}"
    if job.max_runs or job.max_failures:
        text += f"\nStops after {job.max_runs or '∞'} runs or {job.max_failures or '∞'} failures"
    return text


class CronPane(QWidget):
    """``CronPane(db, runner, job)``; ``set_code(text)`` follows the editor. ``ran`` carries each
    ``CronRun``; ``settings_saved`` is emitted after Apply wrote the row."""

    ran = Signal(object)
    settings_saved = Signal()

    def __init__(self, db, runner, job: CronRow, now: Callable[[], datetime] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("cron-pane")
        self.db, self.runner, self.job = db, runner, job
        self.now = now or (lambda: datetime.now(timezone.utc))
        self.code = job.handler_code or ""
        self.last_run: CronRun | None = None
        self._build()
        self.show_job(job)

    def stop(self) -> None:
        """The window is closing: nothing runs on after it (answers still on their way are dropped)."""
        self.setEnabled(False)

    def _build(self) -> None:
        self.schedule = QLineEdit()
        self.schedule.setFont(MONO)
        self.zone = QLineEdit()
        self.zone.setPlaceholderText("UTC")
        self.timeout = QSpinBox(minimum=1, maximum=86_400, suffix=" s")
        self.params = QPlainTextEdit()
        self.params.setFont(MONO)
        self.params.setMaximumHeight(90)
        for edit in (self.schedule, self.zone):
            edit.textChanged.connect(self._preview_schedule)
        form = QFormLayout()
        form.addRow("Schedule", self.schedule)
        form.addRow("Timezone", self.zone)
        form.addRow("handler_params", self.params)
        form.addRow("timeout_seconds", self.timeout)
        self.words = QLabel(wordWrap=True)
        self.words.setObjectName("cron-words")
        self.runs = QLabel()
        self.runs.setObjectName("cron-next-runs")
        self.runs.setFont(MONO)
        self.note = QLabel(wordWrap=True)
        self.note.setStyleSheet("color: #b45309;")
        self.stats = QLabel(wordWrap=True)
        self.stats.setObjectName("cron-stats")
        self.apply_button = QPushButton("Apply")
        self.apply_button.clicked.connect(self.apply)
        self.run_button = QPushButton("Run now")
        self.run_button.clicked.connect(self.run_now)
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        self.result_line = QLabel("Not run here yet")
        self.result_line.setObjectName("cron-result-line")
        self.result = QPlainTextEdit(readOnly=True)
        self.result.setFont(MONO)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(form)
        for widget in (self.words, QLabel("Next runs:"), self.runs, self.note, self.stats):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addWidget(self.result_line)
        layout.addWidget(self.result, 1)

    def show_job(self, job: CronRow) -> None:
        self.job = job
        self.schedule.setText(job.cron_schedule)
        self.zone.setText(job.timezone or "UTC")
        self.params.setPlainText(json.dumps(job.handler_params if job.handler_params is not None else {}, indent=2))
        self.timeout.setValue(job.timeout_seconds if job.timeout_seconds and job.timeout_seconds > 0 else 300)
        self.stats.setText(statistics(job))
        self._preview_schedule()

    def set_code(self, code: str) -> None:
        self.code = code

    def _preview_schedule(self) -> None:
        try:
            words, runs = schedule_summary(self.schedule.text(), self.zone.text().strip(), self.now())
        except cron_schedule.ScheduleError as exc:
            self.words.setText(f"<b style='color:#b91c1c'>⚠ {exc}</b>")
            self.runs.setText("")
            self.note.setText("")
            return
        self.words.setText(f"<b>{words}</b> ({self.zone.text().strip() or 'UTC'})")
        self.runs.setText("\n".join(runs))
        self.note.setText(cron_schedule.platform_note(self.schedule.text()) or "")

    # -- settings --------------------------------------------------------------------------------
    def changes(self) -> dict[str, Any]:
        """The edited settings, checked; ``ScheduleError`` or ``ValueError`` saying what is wrong."""
        expression = cron_schedule.check_expression(self.schedule.text())
        zone_name = self.zone.text().strip() or "UTC"
        cron_schedule.zone(zone_name)
        try:
            params = json.loads(self.params.toPlainText() or "{}")
        except ValueError as exc:
            raise ValueError(f"handler_params is not valid JSON: {exc}") from None
        return {"cron_schedule": expression, "timezone": zone_name, "handler_params": params,
                "timeout_seconds": self.timeout.value()}

    def apply(self) -> None:
        try:
            changes = self.changes()
        except ValueError as exc:
            self.result_line.setText(f"<b style='color:#b91c1c'>Not applied</b> · {exc}")
            return
        self.db.submit_write(cron_rows.update_cron, self.job.id, self.job.plugin_id, changes,
                             action=f"change the cron job {self.job.cron_name}",
                             on_done=lambda _r: self._applied(changes),
                             on_error=lambda e: self.result_line.setText(f"<b style='color:#b91c1c'>Not applied</b> · {e}"))

    def _applied(self, changes: dict[str, Any]) -> None:
        self.job = dataclasses.replace(self.job, **changes)
        self.result_line.setText("Settings saved")
        self.settings_saved.emit()

    # -- running ---------------------------------------------------------------------------------
    def run_now(self) -> None:
        """Run the editor's code with the settings as shown (applied or not)."""
        try:
            changes = self.changes()
        except ValueError as exc:
            self.result_line.setText(f"<b style='color:#b91c1c'>Not run</b> · {exc}")
            return
        self.run_button.setEnabled(False)
        self.result_line.setText(f"Running… (stopped after {changes['timeout_seconds']} s)")
        self.db.submit(cron_context, self.job.id, on_done=lambda ctx: self._start(ctx, changes),
                       on_error=self._failed)

    def _start(self, context: CronContext, changes: dict[str, Any]) -> None:
        job = dataclasses.replace(context.job, handler_code=self.code, **changes)
        self.stats.setText(statistics(context.job))
        self.runner.submit(_run, dataclasses.replace(context, job=job), owner=self, title="Run cron job",
                           on_done=self.show_run, on_error=self._failed)

    def show_run(self, run: CronRun) -> None:
        self.last_run = run
        self.run_button.setEnabled(True)
        colour = "#15803d" if run.status == "ok" else "#b91c1c"
        self.result_line.setText(f"<b style='color:{colour}'>{run.status}</b> · {run.duration_ms:.0f} ms"
                                 f" · timeout {run.timeout_seconds} s")
        lines = []
        if run.result_text:
            lines.append(json.dumps(json.loads(run.result_text), indent=2))
        if run.error:
            where = f" (line {run.error.get('line')})" if run.error.get("line") else ""
            lines.append(f"Error{where}: {run.error.get('message')}")
        lines += [f"[{c.get('level', 'log')}] {c.get('text', '')}" for c in run.console]
        lines += [f"• {n}" for n in run.notes]
        self.result.setPlainText("\n".join(lines))
        self.ran.emit(run)

    def _failed(self, error: Exception) -> None:
        self.run_button.setEnabled(True)
        self.result_line.setText(f"<b style='color:#b91c1c'>Failed</b> · {error}")


def attach(tab, db, runner, job: CronRow) -> CronPane:
    pane = CronPane(db, runner, job)
    tab.preview = pane
    attach_beside(tab, pane)
    pane.set_code(tab.text())
    tab.editor.modified.connect(lambda *_a: pane.set_code(tab.text()))
    return pane
