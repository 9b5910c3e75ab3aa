"""The status bar's view of background work: the longest-running job of the window, once it has
taken longer than a moment, with its progress and a Cancel button.

Quick jobs (most of them) never show: a job appears only after ``DELAY_MS``.
"""
from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from plugin_studio.ui.jobs import Job

DELAY_MS = 500


class JobStatus(QWidget):
    def __init__(self, parent: QWidget | None = None, delay_ms: int = DELAY_MS):
        super().__init__(parent)
        self.setObjectName("job-status")
        self.delay_ms = delay_ms
        self._watched: list[tuple[float, Job]] = []   # (started at, job), oldest first
        self._progress: dict[int, tuple[int, int, str]] = {}
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(140)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.clicked.connect(self.cancel_shown)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel_button):
            layout.addWidget(widget)
        self._timer = QTimer(self, interval=100)
        self._timer.timeout.connect(self._refresh)
        self.hide()

    def watch(self, job: Job) -> None:
        """Show ``job`` here should it still run after the delay."""
        self._watched.append((time.monotonic(), job))
        job.progressed.connect(lambda done, total, what, i=job.id: self._progress.__setitem__(i, (done, total, what)))
        self._timer.start()

    def shown_job(self) -> Job | None:
        due = time.monotonic() - self.delay_ms / 1000
        return next((job for started, job in self._watched if started <= due), None)

    def cancel_shown(self) -> None:
        job = self.shown_job()
        if job is not None:
            job.cancel()

    def _refresh(self) -> None:
        self._watched = [(t, job) for t, job in self._watched if shiboken6.isValid(job) and job.running]
        if not self._watched:
            self._timer.stop()
            self._progress.clear()
        job = self.shown_job()
        self.setVisible(job is not None)
        if job is not None:
            self._show(job)

    def _show(self, job: Job) -> None:
        done, total, what = self._progress.get(job.id, (0, 0, ""))
        self.label.setText((what or job.title.replace("_", " ")) + "…")
        self.bar.setRange(0, total)
        self.bar.setValue(min(done, total))
