"""The one way Plugin Studio works in the background: jobs.

A job is a function run on another thread with data, never widgets. It answers on the GUI thread,
by signal and by the callbacks given when it was started, with exactly one of ``finished(result)``,
``failed(error)`` (a typed error: ``db.errors``, ``runner.errors``, or the unexpected exception)
and ``cancelled()``; then ``ended()``. While it runs it may report ``progressed(done, total,
what)`` (total 0: unknown) and hand over partial results (``noted(value)``).

``job.cancel()`` asks it to stop: the work sees ``control.is_cancelled()`` or gets ``JobCancelled``
from ``control.check()``, and the interrupts it registered run (a database job's
``conn.cancel_safe()``). Work that still finished answers ``finished``: it did its job.

Every job has an owner QObject (its window, dialog or pane). When the owner is destroyed its jobs
are cancelled and their answers dropped, so no callback ever reaches a deleted object.

    job = jobs.start(prepare_import, dsn, path, owner=self, title="Reading the package…",
                     on_done=self._on_prepared, on_error=self._on_failed)

Work that must not overlap, or that shares a resource (a database connection, the JS runtime),
goes to a ``Lane`` (``ui/lanes.py``), which runs its jobs one at a time, in order.

Only the GUI thread starts jobs and receives their answers. The worker side holds plain Python
objects only (the work, its arguments, a ``JobControl``), so a worker thread never holds, and so
never frees, a Qt object; ``start`` refuses work that would carry one. ``running()`` lists the
jobs not yet ended: the test suite fails a test that leaves one behind.
"""
from __future__ import annotations

import contextlib
import itertools
import logging
import threading
import time
import weakref
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable, Iterator

import psycopg
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from plugin_studio.db.translate import translate

log = logging.getLogger(__name__)
PROGRESS_INTERVAL_S = 0.05   # the GUI shows ~20 progress updates a second, not one per row


class JobCancelled(Exception):
    """Raised by ``JobControl.check()`` in work whose job was cancelled."""


class JobControl:
    """What a job's work may do: report progress, hand over partial results, notice a cancel,
    register interrupts. Used from the worker thread; ``cancel`` comes from the GUI thread."""

    def __init__(self, post: Callable[[str, Any], None] = lambda kind, payload: None):
        self._post = post
        self._cancelled = threading.Event()
        self._interrupted = False
        self._lock = threading.Lock()
        self._interrupts: list[Callable[[], object]] = []
        self._last_progress = (0.0, None)

    def report(self, done: int, total: int = 0, what: str = "") -> None:
        """Progress: ``done`` of ``total`` (0: unknown) and what is being done. Throttled."""
        now, (last_time, last_what) = time.monotonic(), self._last_progress
        if what == last_what and done < total and now - last_time < PROGRESS_INTERVAL_S:
            return
        self._last_progress = (now, what)
        self._post("progress", (done, total, what))

    def note(self, value: Any) -> None:
        """A partial result (a migration that ran, a row found), delivered as ``noted(value)``."""
        self._post("note", value)

    def is_cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        if self._cancelled.is_set():
            raise JobCancelled()

    @contextlib.contextmanager
    def interrupting(self, interrupt: Callable[[], object]) -> Iterator[None]:
        """Within the block, a cancel also calls ``interrupt`` (on a helper thread, so the GUI never
        waits for it): ``with control.interrupting(conn.cancel_safe): conn.execute(...)``."""
        with self._lock:
            self._interrupts.append(interrupt)
            interrupted = self._interrupted
        if interrupted:
            _interrupt_quietly(interrupt)
        try:
            yield
        finally:
            with self._lock:
                self._interrupts.remove(interrupt)

    def cancel(self, interrupt: bool = True) -> None:
        """Ask the work to stop; with ``interrupt`` also break off what it waits for now."""
        with self._lock:
            self._cancelled.set()
            if not interrupt or self._interrupted:
                return
            self._interrupted = True
            interrupts = list(self._interrupts)
        for interrupt in interrupts:
            threading.Thread(target=_interrupt_quietly, args=(interrupt,), name="job-interrupt", daemon=True).start()


def _interrupt_quietly(interrupt: Callable[[], object]) -> None:
    try:
        interrupt()
    except Exception as exc:  # the work ends on its own; a failed interrupt only makes it slower
        log.info("interrupting a cancelled job failed: %s", exc)


class Job(QObject):
    """The GUI thread's handle on one job (see the module docstring)."""

    progressed = Signal(int, int, str)   # done, total (0: unknown), what
    noted = Signal(object)               # a partial result
    finished = Signal(object)            # the result
    failed = Signal(object)              # a typed error
    cancelled = Signal()
    ended = Signal()                     # after finished, failed or cancelled

    def __init__(self, job_id: int, title: str, owner: QObject | None, callbacks: "_Callbacks",
                 receiver: QObject | None = None):
        super().__init__()
        self.id = job_id
        self.title = title
        self.state = "running"           # then "finished", "failed" or "cancelled"
        self.result: Any = None
        self.error: BaseException | None = None
        self.control = JobControl(partial(_post, job_id))
        # Weak: a job does not keep its owner (or a receiver of its answers) alive.
        self._listeners = [weakref.ref(o) for o in (owner, receiver) if o is not None]
        self._callbacks = callbacks
        self.worker_done = threading.Event()   # set by the worker when the work returned
        self._dequeue: Callable[[], bool] = lambda: False

    @property
    def running(self) -> bool:
        return self.state == "running"

    def cancel(self, interrupt: bool = True) -> None:
        """Ask the work to stop; a job still waiting in its lane is answered ``cancelled`` at once.
        Without ``interrupt`` the work only sees ``is_cancelled()`` (a migration batch stops between
        migrations); with it, what the work registered with ``interrupting`` is broken off too."""
        if not self.running:
            return
        self.control.cancel(interrupt)
        if self._dequeue():
            self.answer_unstarted()

    def answer_unstarted(self) -> None:
        """Answer ``cancelled`` for work that never started (taken out of its lane, or the lane closed)."""
        self.control.cancel()
        self.worker_done.set()
        _post(self.id, "cancelled", None)

    def queued(self, dequeue: Callable[[], bool]) -> None:
        """The job waits in a queue (a lane's); ``dequeue()`` takes it out unstarted, True if it was there."""
        self._dequeue = dequeue

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the work returned (its answer may still be on its way); False on timeout.
        Only for shutting down and tests: the GUI thread otherwise never waits for a job."""
        return self.worker_done.wait(timeout_s)

    def answerable(self) -> bool:
        """Whether its owner and receiver still exist: answers to a destroyed object are dropped."""
        return all(o is not None and shiboken6.isValid(o) for o in (ref() for ref in self._listeners))

    def deliver(self, kind: str, payload: Any) -> None:
        """On the GUI thread (the dispatcher's): one answer from the worker."""
        if kind in ("progress", "note"):
            if self.running and self.answerable():
                self._callbacks.on_progress(*payload) if kind == "progress" else self._callbacks.on_note(payload)
                (self.progressed.emit(*payload) if kind == "progress" else self.noted.emit(payload))
            return
        self.state = kind
        if kind == "finished":
            self.result = payload
        elif kind == "failed":
            self.error = payload
        if self.answerable():
            self._callbacks.answer(self, kind, payload)
            self.ended.emit()


@dataclass
class _Callbacks:
    on_done: Callable[[Any], object] | None = None
    on_error: Callable[[BaseException], object] | None = None
    on_progress: Callable[[int, int, str], object] = lambda done, total, what: None
    on_note: Callable[[Any], object] = lambda value: None
    on_cancelled: Callable[[], object] | None = None

    def answer(self, job: Job, kind: str, payload: Any) -> None:
        if kind == "finished":
            job.finished.emit(payload)
            if self.on_done is not None:
                self.on_done(payload)
        elif kind == "failed":
            job.failed.emit(payload)
            if self.on_error is not None:
                self.on_error(payload)
            else:
                _log_unhandled(job, payload)
        else:
            job.cancelled.emit()
            if self.on_cancelled is not None:
                self.on_cancelled()


def _log_unhandled(job: Job, error: BaseException) -> None:
    if type(error).__module__.split(".")[0] == "plugin_studio":
        log.warning("%s failed: %s", job.title or "a background job", error)
    else:
        log.error("%s failed", job.title or "a background job", exc_info=error)


# ---- the registry and the way back to the GUI thread ------------------------------------------

class _Dispatcher(QObject):
    """Lives on the GUI thread; a queued connection carries the workers' answers onto it."""

    posted = Signal(object)

    def __init__(self):
        super().__init__()
        self.posted.connect(self._on_posted, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _on_posted(self, message: tuple[int, str, Any]) -> None:
        job_id, kind, payload = message
        job = _jobs.get(job_id)
        if job is None:
            return
        if kind not in ("progress", "note"):
            del _jobs[job_id]
        job.deliver(kind, payload)


_ids = itertools.count(1)
_jobs: dict[int, Job] = {}
_owners: dict[int, set[int]] = {}   # owner's C++ address -> its jobs' ids
_dispatcher: _Dispatcher | None = None


def _post(job_id: int, kind: str, payload: Any) -> None:
    """From any thread: hand an answer to the GUI thread."""
    _dispatcher.posted.emit((job_id, kind, payload))


def require_gui_thread() -> None:
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        raise RuntimeError("jobs are started, cancelled and answered on the GUI thread only")


def register(title: str, owner: QObject | None, on_done=None, on_error=None, on_progress=None, on_note=None,
             on_cancelled=None, receiver: QObject | None = None) -> Job:
    """A new job handle, not yet running: for ``start`` and the lanes. ``receiver``: an object the
    callbacks talk to whose death drops the answers without cancelling the work (a dialog's write)."""
    global _dispatcher
    require_gui_thread()
    if _dispatcher is None:
        _dispatcher = _Dispatcher()
    callbacks = _Callbacks(on_done, on_error, on_cancelled=on_cancelled)
    if on_progress is not None:
        callbacks.on_progress = on_progress
    if on_note is not None:
        callbacks.on_note = on_note
    job = Job(next(_ids), title, owner, callbacks, receiver)
    _jobs[job.id] = job
    if owner is not None:
        _watch_owner(owner, job.id)
    return job


def _watch_owner(owner: QObject, job_id: int) -> None:
    key = shiboken6.getCppPointer(owner)[0]
    if key not in _owners:
        _owners[key] = set()
        owner.destroyed.connect(partial(_on_owner_destroyed, key))
    ids = _owners[key]
    ids.difference_update([i for i in ids if i not in _jobs])
    ids.add(job_id)


def _on_owner_destroyed(key: int, *_args) -> None:
    for job_id in _owners.pop(key, ()):
        job = _jobs.get(job_id)
        if job is not None:
            job.cancel()


@dataclass
class Work:
    """The worker side of a job: plain Python only (see the module docstring)."""
    job_id: int
    title: str
    run: Callable[[JobControl], Any]
    control: JobControl
    done: threading.Event = field(default_factory=threading.Event)


def work_for(job: Job, run: Callable[[JobControl], Any]) -> Work:
    return Work(job.id, job.title, run, job.control, job.worker_done)


def execute(work: Work) -> None:
    """Run on a worker thread: the work, then its one answer."""
    try:
        result = work.run(work.control)
    except JobCancelled:
        kind, payload = "cancelled", None
    except Exception as exc:  # every failure reaches the GUI as a value
        kind, payload = ("cancelled", None) if work.control.is_cancelled() else ("failed", _typed(exc))
    else:
        kind, payload = "finished", result
    work.done.set()
    _post(work.job_id, kind, payload)


def _typed(exc: Exception) -> BaseException:
    return translate(exc) if isinstance(exc, psycopg.Error) else exc


def start(work: Callable[..., Any], *args: Any, owner: QObject | None, title: str = "", on_done=None, on_error=None,
          on_progress=None, on_note=None, on_cancelled=None, receiver: QObject | None = None) -> Job:
    """Run ``work(control, *args)`` on a thread of its own; answers as the module docstring says.

    ``owner``: the QObject whose death cancels the job (None: the job belongs to nobody, rare)."""
    refuse_qt_objects(work, args)
    job = register(title, owner, on_done, on_error, on_progress, on_note, on_cancelled, receiver)
    unit = work_for(job, lambda control: work(control, *args))
    threading.Thread(target=execute, args=(unit,), name=f"job-{job.id} {title}"[:60], daemon=True).start()
    return job


def refuse_qt_objects(work: Callable, args: tuple) -> None:
    """Work gets data, never Qt objects: a worker thread dropping the last reference to one would
    destroy it there. Checks the arguments, a bound method's object and a closure's cells."""
    carried = list(args) + [getattr(work, "__self__", None)]
    carried += [cell.cell_contents for cell in (getattr(work, "__closure__", None) or ()) if _filled(cell)]
    offenders = [type(value).__name__ for value in carried if isinstance(value, QObject)]
    if offenders:
        raise TypeError(f"a job's work may not carry Qt objects ({', '.join(offenders)}); pass data")


def _filled(cell) -> bool:
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


def find(job_id: int) -> Job | None:
    return _jobs.get(job_id)


def running() -> list[Job]:
    """The jobs not yet ended (waiting in a lane, running, or with an answer not yet delivered)."""
    return list(_jobs.values())


def wait_until_idle(timeout_s: float) -> list[Job]:
    """Deliver answers until no job is left or ``timeout_s`` passed; the jobs still not ended.
    For shutting down and tests."""
    require_gui_thread()
    deadline = time.monotonic() + timeout_s
    while _jobs and time.monotonic() < deadline:
        for job in list(_jobs.values()):
            job.wait(0.01)
        QCoreApplication.processEvents()
    return running()
