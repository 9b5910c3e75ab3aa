"""``MeasureController``: timing runs (a scenario N times) and comparisons (with some handlers off).

Like the stepping controller it reads the chain on the ``DbReader`` thread and runs it on the
runner bridge; a timing run goes in chunks so it reports progress and can be cancelled.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from plugin_studio.models.debugger import ChainRows, HandlerTiming, Registration, load_chain, timing_stats
from plugin_studio.runner.chain import ChainTrace
from plugin_studio.ui.debugger import jobs
from plugin_studio.ui.debugger.session import RunRequest
from plugin_studio.ui.debugger.worker import DbReader
from plugin_studio.ui.errors import describe_error
from plugin_studio.ui.runner_bridge import RunnerBridge

CHUNK = 10  # runs per bridge request: small enough to cancel and report progress promptly


@dataclass
class TimingResult:
    rows: list[Registration]
    traces: list[ChainTrace] = field(default_factory=list)
    cancelled: bool = False

    @property
    def timings(self) -> list[HandlerTiming]:
        labels = [(r.row_id, f"{posixpath.basename(r.path)} ({r.plugin_name}, {r.priority})") for r in self.rows]
        runs = ([(s.handler.row_id, s.duration_ms) for s in trace.steps] for trace in self.traces)
        return timing_stats(labels, runs)


@dataclass
class CompareResult:
    rows: list[Registration]
    left_out: list[Registration]
    full: ChainTrace
    reduced: ChainTrace


@dataclass
class _Job:
    kind: str                  # timing | compare
    request: RunRequest
    iterations: int = 0
    left_out_rows: frozenset = frozenset()
    left_out_plugins: frozenset = frozenset()
    result: TimingResult | None = None
    chain: ChainRows | None = None


class MeasureController(QObject):
    timing_progressed = Signal(int, int)     # runs done, runs asked
    timing_finished = Signal(object)         # TimingResult
    compare_finished = Signal(object)        # CompareResult
    measure_failed = Signal(str)

    def __init__(self, bridge: RunnerBridge, reader: DbReader, parent=None):
        super().__init__(parent)
        self.bridge, self.reader = bridge, reader
        self._job: _Job | None = None
        self._pending: set[int] = set()
        bridge.call_finished.connect(self._on_bridge_finished)
        bridge.call_failed.connect(self._on_failed)
        reader.finished.connect(self._on_reader_finished)
        reader.failed.connect(self._on_failed)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def time(self, request: RunRequest, iterations: int) -> None:
        self._start(_Job("timing", request, iterations=max(1, iterations)))

    def compare(self, request: RunRequest, left_out_rows=(), left_out_plugins=()) -> None:
        self._start(_Job("compare", request, left_out_rows=frozenset(left_out_rows),
                         left_out_plugins=frozenset(left_out_plugins)))

    def cancel(self) -> None:
        """A timing run stops after the chunk running now and reports what it measured."""
        if self._job is not None and self._job.kind == "timing" and self._job.result is not None:
            self._job.result.cancelled = True

    def _start(self, job: _Job) -> None:
        if self._job is not None:
            self.measure_failed.emit("a timing or comparison run is still going; wait for it or cancel it")
            return
        self._job = job
        r = job.request
        self._pending.add(self.reader.submit(load_chain, r.target, r.name, r.plugin_id))

    def _on_reader_finished(self, request_id: int, result: object) -> None:
        if request_id not in self._pending:
            return
        self._pending.discard(request_id)
        job = self._job
        job.chain = result
        if job.kind == "timing":
            job.result = TimingResult(result.rows)
            self._next_chunk()
        else:
            self._queue_compare(job)

    def _runnable(self, rows: list[Registration]) -> list:
        return [jobs.handler_for(r) for r in rows]

    def _value(self, request: RunRequest):
        return None if request.mode == "action" else request.value

    def _next_chunk(self) -> None:
        job = self._job
        r = job.request
        count = min(CHUNK, job.iterations - len(job.result.traces))
        self._pending.add(self.bridge.run(jobs.repeat, self._runnable(job.chain.rows), r.mode, r.name,
                                          self._value(r), r.args, job.chain.modules, count))

    def _queue_compare(self, job: _Job) -> None:
        r = job.request
        kept = [row for row in job.chain.rows
                if row.row_id not in job.left_out_rows and row.plugin_id not in job.left_out_plugins]
        self._pending.add(self.bridge.run(jobs.compare, self._runnable(job.chain.rows), self._runnable(kept), r.mode,
                                          r.name, self._value(r), r.args, job.chain.modules))

    def _on_bridge_finished(self, request_id: int, result: object) -> None:
        if request_id not in self._pending:
            return
        self._pending.discard(request_id)
        job = self._job
        if job.kind == "compare":
            self._job = None
            left_out = [row for row in job.chain.rows if row.row_id in job.left_out_rows
                        or row.plugin_id in job.left_out_plugins]
            self.compare_finished.emit(CompareResult(job.chain.rows, left_out, *result))
            return
        job.result.traces.extend(result)
        self.timing_progressed.emit(len(job.result.traces), job.iterations)
        if len(job.result.traces) < job.iterations and not job.result.cancelled:
            self._next_chunk()
        else:
            self._job = None
            self.timing_finished.emit(job.result)

    def _on_failed(self, request_id: int, error: object) -> None:
        if request_id not in self._pending:
            return
        self._pending.discard(request_id)
        self._job = None
        self.measure_failed.emit(describe_error(error) if isinstance(error, BaseException) else str(error))
