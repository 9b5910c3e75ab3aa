"""``RunnerBridge``: plugin JavaScript for the GUI, without ever blocking the GUI thread.

The bridge owns a ``JsHost`` used only from its own QThread. Work is queued with ``call`` (one
worker op) or ``run`` (any function of the host, e.g. ``chain.apply_filters``); each request
gets an id, answered later by ``call_finished(id, result)`` or ``call_failed(id, error)``
(a ``RunnerError``, or the unexpected exception). Requests run one at a time, in order.

    bridge = RunnerBridge()
    bridge.call_finished.connect(on_result)
    request = bridge.run(apply_filters, handlers, "product.price", 100)
    ...
    bridge.close()   # in closeEvent
"""
from __future__ import annotations

import itertools
import logging
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from plugin_studio.runner.host import JsHost
from plugin_studio.runner.limits import Limits

log = logging.getLogger(__name__)


class _HostWorker(QObject):
    """Lives on the bridge's thread; the only user of the host."""

    finished = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self, host: JsHost):
        super().__init__()
        self.host = host

    @Slot(int, object)
    def perform(self, request_id: int, job: Callable[[JsHost], Any]) -> None:
        try:
            result = job(self.host)
        except Exception as exc:  # every failure reaches the GUI as a signal value
            if not hasattr(exc, "kind"):
                log.exception("unexpected error in a runner request")
            self.failed.emit(request_id, exc)
        else:
            self.finished.emit(request_id, result)

    @Slot()
    def shut_down(self) -> None:
        self.host.close()


class RunnerBridge(QObject):
    call_finished = Signal(int, object)  # request id, result
    call_failed = Signal(int, object)    # request id, RunnerError (or another exception)
    _requested = Signal(int, object)
    _closing = Signal()

    def __init__(self, limits: Limits | None = None, services: dict | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.host = JsHost(limits, services)
        self._ids = itertools.count(1)
        self._thread = QThread(self)
        self._thread.setObjectName("js-runner")
        self._worker = _HostWorker(self.host)
        self._worker.moveToThread(self._thread)
        self._requested.connect(self._worker.perform)
        self._closing.connect(self._worker.shut_down)
        self._worker.finished.connect(self.call_finished)
        self._worker.failed.connect(self.call_failed)
        self._thread.start()

    def call(self, op: str, **payload: Any) -> int:
        """Queue ``host.call(op, **payload)``; returns the request id."""
        return self.run(lambda host: host.call(op, **payload))

    def run(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> int:
        """Queue ``function(host, *args, **kwargs)``; returns the request id."""
        request_id = next(self._ids)
        self._requested.emit(request_id, lambda host: function(host, *args, **kwargs))
        return request_id

    def close(self) -> None:
        """Stop the worker process and the thread (waits for the request running now)."""
        if self._thread.isRunning():
            self._closing.emit()
            self._thread.quit()
            self._thread.wait()
