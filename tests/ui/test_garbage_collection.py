"""Python's garbage collector runs on the GUI thread only (ui/collector.py), so a worker thread never
frees a Qt object: that deadlocked the suite (issue 10)."""
from __future__ import annotations

import gc
import threading

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu

from plugin_studio.ui import jobs
from plugin_studio.ui.collector import GuiGarbageCollector

OBJECTS = 10_000
WORKERS = 4


class _Cycle:
    """Cyclic garbage holding a Qt object: only the collector frees it. Records the freeing thread."""

    freed_on: list[int] = []

    def __init__(self, qt_object):
        self.qt_object = qt_object
        self.me = self

    def __del__(self):
        _Cycle.freed_on.append(threading.get_ident())


@pytest.fixture
def collections():
    """The thread of every collection that starts while the test runs."""
    seen: list[int] = []

    def record(phase, _info):
        if phase == "start":
            seen.append(threading.get_ident())
    gc.callbacks.append(record)
    yield seen
    gc.callbacks.remove(record)


def _churn(control, count: int, midway: threading.Event) -> int:
    for done in range(count):
        _Cycle(QObject())
        _ = [{"garbage": [i]} for i in range(5)]  # allocations that would start an automatic collection
        if done == count // 2:
            midway.wait(30)   # half made: the GUI thread collects while the workers are still alive
    return count


def test_qt_objects_dropped_on_worker_threads_are_collected_on_the_gui_thread(qtbot, collections):
    _Cycle.freed_on = []
    midway = threading.Event()
    gc.callbacks.append(lambda phase, info: phase == "stop" and info["collected"] and midway.set())
    fast = GuiGarbageCollector(interval_ms=5)
    fast.start()
    owner = QObject()
    try:
        work = [jobs.start(_churn, OBJECTS // WORKERS, midway, owner=owner, title="churn") for _ in range(WORKERS)]
        menus = 0
        while any(job.running for job in work):   # the GUI thread drops widgets in cycles meanwhile
            _Cycle(QMenu())
            menus += 1
            qtbot.wait(1)
    finally:
        fast.stop()
        gc.callbacks.pop()
    gc.collect()   # what is left, on the GUI thread (the timer collects only when counts pass thresholds)
    gui = threading.get_ident()
    assert midway.is_set() and [job.result for job in work] == [OBJECTS // WORKERS] * WORKERS
    assert len(_Cycle.freed_on) == OBJECTS + menus
    assert set(_Cycle.freed_on) == {gui} and set(collections) == {gui}


def test_the_check_sees_a_collection_on_a_worker_thread(collections):
    """Without the GUI-thread policy, allocating on a worker thread starts collections there."""
    gc.enable()
    try:
        worker = threading.Thread(target=lambda: [_PlainCycle() for _ in range(20_000)])
        worker.start()
        worker.join()
    finally:
        gc.disable()
    assert worker.ident in collections


class _PlainCycle:
    def __init__(self):
        self.me = self
