"""``MeasureController``: timing runs (a scenario N times) and comparisons (with some handlers off).

Like the stepping controller it reads the chain on the debugger's database lane and runs it on the
runner's lane; a timing run goes in chunks so it reports progress and can be cancelled.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import partial

from PySide6.QtCore import QObject, Signal

from plugin_studio.models.debugger import HandlerTiming, Registration, timing_stats
from plugin_studio.runner.chain_load import ChainRows, load_chain
from plugin_studio.runner.chain import ChainTrace
from plugin_studio.ui.debugger import jobs
from plugin_studio.ui.debugger.session import RunRequest
from plugin_studio.ui.errors import describe_error
from plugin_studio.ui.lanes import Lane

CHUNK = 10  # runs per runner job: small enough to cancel and report progress promptly


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

    def __init__(self, runner: Lane, reader: Lane, parent=None):
        super().__init__(parent)
        self.runner, self.reader = runner, reader
        self._job: _Job | None = None

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
        self.reader.submit(load_chain, r.target, r.name, r.plugin_id, r.order, owner=self,
                           **self._answers(self._on_chain_read))

    def _answers(self, on_done) -> dict:
        """Callbacks that reach this run only (a new run may have started since)."""
        job = self._job
        return {"on_done": partial(self._if_current, job, on_done),
                "on_error": partial(self._if_current, job, self._on_failed)}

    def _if_current(self, job: _Job, handle, value) -> None:
        if job is self._job:
            handle(value)

    def _on_chain_read(self, result: ChainRows) -> None:
        job = self._job
        job.chain = result
        if job.kind == "timing":
            job.result = TimingResult(result.rows)
            self._next_chunk()
        else:
            self._queue_compare(job)

    def _runnable(self, rows: list[Registration]) -> list:
        return list(rows)

    def _value(self, request: RunRequest):
        return request.value  # an action gets it first too, as do(name, value, ...args) gives it

    def _next_chunk(self) -> None:
        job = self._job
        r = job.request
        count = min(CHUNK, job.iterations - len(job.result.traces))
        self.runner.submit(jobs.repeat, self._runnable(job.chain.rows), r.mode, r.name, self._value(r), r.args,
                           job.chain.modules, count, r.env, owner=self, **self._answers(self._on_ran))

    def _queue_compare(self, job: _Job) -> None:
        r = job.request
        kept = [row for row in job.chain.rows
                if row.row_id not in job.left_out_rows and row.plugin_id not in job.left_out_plugins]
        self.runner.submit(jobs.compare, self._runnable(job.chain.rows), self._runnable(kept), r.mode, r.name,
                           self._value(r), r.args, job.chain.modules, r.env, owner=self, **self._answers(self._on_ran))

    def _on_ran(self, result: object) -> None:
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

    def _on_failed(self, error: object) -> None:
        self._job = None
        self.measure_failed.emit(describe_error(error) if isinstance(error, BaseException) else str(error))
