"""Answers from worker threads arrive as ``(request id, result | error)`` signals; these keep the
callbacks waiting for each id, so callers write ``submit(..., on_done=, on_error=)``."""
from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import QObject

log = logging.getLogger(__name__)


class PendingCallbacks:
    def __init__(self):
        self._waiting: dict[int, tuple[Callable | None, Callable | None]] = {}

    def add(self, request_id: int, on_done: Callable | None, on_error: Callable | None) -> int:
        self._waiting[request_id] = (on_done, on_error)
        return request_id

    def finished(self, request_id: int, result: object) -> None:
        on_done, _ = self._waiting.pop(request_id, (None, None))
        if on_done:
            on_done(result)

    def failed(self, request_id: int, error: object) -> bool:
        """Hand the error to its callback; False when nobody was waiting to handle it."""
        _, on_error = self._waiting.pop(request_id, (None, None))
        if on_error:
            on_error(error)
            return True
        return False


class RunnerCalls(QObject):
    """Per-request callbacks over a ``RunnerBridge``: ``run(fn, *args)`` or ``call(op, payload)``."""

    def __init__(self, bridge, parent: QObject | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self._pending = PendingCallbacks()
        # Slots of this QObject, so Qt queues the answers onto the GUI thread (see DbWorker).
        bridge.call_finished.connect(self._on_finished)
        bridge.call_failed.connect(self._on_failed)

    def run(self, function: Callable, *args: Any, on_done: Callable | None = None,
            on_error: Callable | None = None) -> int:
        return self._pending.add(self.bridge.run(function, *args), on_done, on_error)

    def call(self, op: str, payload: dict, on_done: Callable | None = None, on_error: Callable | None = None) -> int:
        return self._pending.add(self.bridge.call(op, **payload), on_done, on_error)

    def _on_finished(self, request_id: int, result: object) -> None:
        self._pending.finished(request_id, result)

    def _on_failed(self, request_id: int, error: object) -> None:
        if not self._pending.failed(request_id, error):
            log.warning("runner request %s failed: %s", request_id, error)
