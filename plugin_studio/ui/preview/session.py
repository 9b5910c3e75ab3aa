"""One live preview's conversation with the worker: renders, events, window events, the clock.

Calls go out one at a time, in order; a render waiting in the queue is replaced by a newer one
(typing fast renders only the latest text). Before the first call the session makes sure React's
packages are in the cache (downloaded and verified once, off the GUI thread); when that fails the
preview says why and the rest of the IDE is untouched. When the worker lost the preview (its
plugin's interpreter was reset after a time limit, or the worker restarted) the session renders
the current code again, fresh. Timers inside the widget run on the worker's virtual clock, which
the session advances in step with real time whenever the widget has a timer pending. A session
that is closed, or destroyed with its pane, unmounts its widget in the worker.
"""
from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from plugin_studio.runner import widget_packages
from plugin_studio.ui.lanes import Lane, host_call
from plugin_studio.ui.preview.memory import release_soon

_roots = itertools.count(1)
PREPARE_TIMEOUT_MS = 20_000  # loading React (and the JSX transform) on a busy machine


class PreviewSession(QObject):
    rendered = Signal(object)   # the worker's answer: tree, errors, log, ... plus "op", "elapsed_ms", "superseded"
    failed = Signal(object)     # a runner error (time limit, crash); the preview restarts fresh
    busy_changed = Signal(bool)

    def __init__(self, runner: Lane, parent: QObject | None = None):
        """``runner``: the IDE's JS lane (``lanes.runner_lane``), shared with its other tools."""
        super().__init__(parent)
        self._runner = runner
        self.root = f"preview-{next(_roots)}"
        self.plugin = ""              # the plugin whose interpreter runs the widget
        self.packages_ready = False
        self.prepared = False         # React is loaded in the plugin's interpreter
        self.closed = False
        self.code: str | None = None
        self.config: Any = {}
        self.slot_data: Any = {}
        self.viewport = 1280
        self.clock_running = True
        self._queue: list[tuple[str, dict]] = []
        self._in_flight = False
        self._sent = QElapsedTimer()
        self._clock = QTimer(self, singleShot=True)
        self._clock.timeout.connect(self._on_clock_timeout)
        self._since_advance = QElapsedTimer()
        root = self.root
        self.destroyed.connect(lambda *_a: _unmount_after_destruction(runner, root))

    # ----------------------------------------------------------- intents

    def set_code(self, code: str) -> None:
        self.code = code
        self._render()

    def set_props(self, config: Any, slot_data: Any) -> None:
        self.config, self.slot_data = config, slot_data
        self._render()

    def set_viewport(self, width: int) -> None:
        self.viewport = width
        self._enqueue("widget.viewport", {"root": self.root, "width": width})

    def send_event(self, node: int, type_: str, data: dict | None = None) -> None:
        self._enqueue("widget.event", {"root": self.root, "node": node, "type": type_, "data": data or {}})

    def dispatch_window(self, name: str, detail: Any = None) -> None:
        self._enqueue("widget.dispatch", {"root": self.root, "name": name, "detail": detail})

    def advance(self, ms: float) -> None:
        self._enqueue("widget.advance", {"root": self.root, "ms": ms})

    def reset_state(self) -> None:
        """Unmount (cleanups run) and render again from scratch."""
        self._enqueue("widget.unmount", {"root": self.root})
        self._render()

    def set_clock_running(self, running: bool) -> None:
        self.clock_running = running
        if not running:
            self._clock.stop()

    def close(self) -> None:
        """Unmount the widget in the worker (its effect cleanups run)."""
        self._clock.stop()
        self._queue.clear()
        if not self.closed:
            self.closed = True
            _unmount(self._runner, self.root)

    # ----------------------------------------------------------- the queue

    def _render(self) -> None:
        if self.code is None:
            return
        self._queue = [item for item in self._queue if item[0] != "widget.render"]
        self._enqueue("widget.render", {
            "root": self.root, "plugin": self.plugin, "code": self.code, "config": self.config,
            "slot_data": self.slot_data, "viewport": self.viewport,
        })

    def _enqueue(self, op: str, payload: dict) -> None:
        self._queue.append((op, payload))
        self._next()

    def _next(self) -> None:
        if self._in_flight or not self._queue or self.closed:
            return
        self._in_flight = True
        self.busy_changed.emit(True)
        if not self.packages_ready:
            self._runner.submit(_ensure_packages, owner=self, title="React packages",
                                on_done=self._on_packages_ready, on_error=self._on_packages_missing)
            return
        if not self.prepared:
            # React loads into the plugin's interpreter under a budget of its own: no widget code runs.
            self._runner.submit(host_call, "widget.prepare", {"plugin": self.plugin, "timeout_ms": PREPARE_TIMEOUT_MS},
                                owner=self, title="widget.prepare", on_done=self._on_prepared, on_error=self._on_error)
            return
        op, payload = self._queue.pop(0)
        self._sent.start()
        self._runner.submit(host_call, op, payload, owner=self, title=op,
                            on_done=lambda result: self._on_done(op, result), on_error=self._on_error)

    def _on_prepared(self, _answer) -> None:
        self.prepared = True
        self._in_flight = False
        self._next()

    def _on_packages_ready(self, _paths) -> None:
        self.packages_ready = True
        self._in_flight = False
        self._next()

    def _on_packages_missing(self, error: Exception) -> None:
        """Offline on first use: the queue is kept, and the next edit tries again."""
        self._in_flight = False
        self.failed.emit(error)
        self.busy_changed.emit(False)

    def _on_done(self, op: str, result: dict) -> None:
        self._in_flight = False
        # Superseded when more calls wait: showing it would undo keys typed since (controlled inputs).
        result = dict(result, op=op, elapsed_ms=self._sent.elapsed(), superseded=bool(self._queue))
        if result.get("missing_root") and self.code is not None:
            self.prepared = False
            self._render()  # the worker restarted: show the widget again, state fresh
        else:
            self.rendered.emit(result)
            self._schedule_clock(result.get("next_timer_in"))
        self._finish()

    def _on_error(self, error: Exception) -> None:
        self._in_flight = False
        self.prepared = False  # a call cut short drops the plugin's interpreter
        self._clock.stop()
        self.failed.emit(error)
        self._finish()

    def _finish(self) -> None:
        if not self._queue:
            self.busy_changed.emit(False)
        self._next()

    # ----------------------------------------------------------- virtual time follows real time

    def _schedule_clock(self, next_in: float | None) -> None:
        self._clock.stop()
        if next_in is None or not self.clock_running:
            return
        self._since_advance.start()
        self._clock.start(max(16, min(int(next_in), 60_000)))

    def _on_clock_timeout(self) -> None:
        if any(op == "widget.advance" for op, _ in self._queue):
            return
        self.advance(self._since_advance.elapsed())


def _ensure_packages(_host) -> list[str]:
    return widget_packages.ensure_available()


def _unmount(runner: Lane, root: str) -> None:
    # Nobody's job: the cleanups run even when the pane is gone by the time the lane gets to it.
    runner.submit(host_call, "widget.unmount", {"root": root}, owner=None)


def _unmount_after_destruction(runner: Lane, root: str) -> None:
    """The pane went away without closing its session (its tab was deleted): unmount in the worker."""
    if not runner.closed:
        _unmount(runner, root)
    release_soon()
