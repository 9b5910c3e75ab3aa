"""Python's garbage collector, run on the GUI thread only.

Automatic collection starts on whichever thread happens to allocate. A collection on a worker
thread that frees a Qt object deadlocks: the worker waits for Qt's mutex while the GUI thread,
holding it, waits for the GIL (the test suite hung that way, issue 10). So automatic collection
is off and a timer on the GUI thread collects, generation by generation, when the allocation
counts pass the thresholds automatic collection would have used. This is the pattern of
pyqtgraph's ``GarbageCollector``, written here because ours must also stop (restoring automatic
collection) and collect on demand between tests, and the app should not import pyqtgraph to start.
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

CHECK_INTERVAL_MS = 500


class GuiGarbageCollector(QObject):
    """``start()`` turns automatic collection off and collects on a GUI-thread timer; ``stop()`` undoes it."""

    def __init__(self, interval_ms: int = CHECK_INTERVAL_MS, parent: QObject | None = None):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)

    def start(self) -> None:
        _require_gui_thread()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def collect_due(self) -> int:
        """Collect the oldest generation whose count (and every younger one's) passed its threshold.

        Returns the number of unreachable objects found (0 when nothing was due)."""
        _require_gui_thread()
        due = -1
        for generation, (count, threshold) in enumerate(zip(gc.get_count(), self.thresholds)):
            if count <= threshold:
                break
            due = generation
        return gc.collect(due) if due >= 0 else 0


def _require_gui_thread() -> None:
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        raise RuntimeError("garbage is collected on the GUI thread only")
