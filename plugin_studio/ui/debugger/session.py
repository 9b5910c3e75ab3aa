"""``DebugController``: one debugging session of a hook or event chain, driven by commands.

Commands (``run_or_continue``, ``step_over``, ``step_into``, ``stop``, ``restart``) never wait: the
chain's handlers are read on the debugger's database lane, the handlers run on the runner's lane
(``ui/lanes.py``), and the results come back as job answers on the GUI thread. A command given while
the previous one is still running is queued (pressing F10 three times steps three times); Stop drops
the queue and any answer still on its way.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Signal

from plugin_studio.models.chain import STOREFRONT
from plugin_studio.models.debugger import Registration
from plugin_studio.runner.chain import Breakpoints, ChainSession
from plugin_studio.runner.chain_load import ChainRows, load_chain
from plugin_studio.runner.errors import JsError
from plugin_studio.ui.debugger import jobs
from plugin_studio.ui.errors import describe_error
from plugin_studio.ui.lanes import Lane

IDLE, LOADING, RUNNING, PAUSED, FINISHED = "idle", "loading", "running", "paused", "finished"
MAX_QUEUED = 50


@dataclass(frozen=True)
class RunRequest:
    """What to run: the scenario as the pane's fields hold it."""
    target: str          # hook | event
    mode: str            # filter | action | event
    name: str
    value: Any
    args: list
    plugin_id: str | None = None
    order: str = STOREFRONT                        # storefront | priority (the documented order)
    env: dict = field(default_factory=dict)        # the browser scenario: canned fetch responses


class DebugController(QObject):
    state_changed = Signal(str)
    chain_loaded = Signal(object)           # list[Registration], in execution order
    chain_step_finished = Signal(object)    # runner Step
    session_paused = Signal(str, int)       # reason (entry, step, breakpoint, exception, condition_error), position
    session_finished = Signal(object)       # ChainTrace
    session_failed = Signal(str)            # why the run could not go on
    watches_evaluated = Signal(object)      # list[WatchValue]
    handler_focused = Signal(str, str, int)  # table, row id, line
    handler_failed = Signal(str, str, int, int, str)  # table, row id, line, column, message

    def __init__(self, runner: Lane, reader: Lane, breakpoints: Breakpoints, parent=None):
        """``runner``: the lane of the JS host; ``reader``: a database lane for the chain's rows."""
        super().__init__(parent)
        self.runner, self.reader, self.breakpoints = runner, reader, breakpoints
        self.state = IDLE
        self.request: RunRequest | None = None
        self.rows: list[Registration] = []
        self.session: ChainSession | None = None
        self.pause_on_exception = False
        self.watches: list[str] = []
        self.value: Any = None
        self._generation = 0   # answers of an older generation (before a Stop or a new run) are dropped
        self._queue: deque[str] = deque()

    # ---- commands --------------------------------------------------------------------------------
    def begin(self, request: RunRequest, first_command: str) -> None:
        """Start a new session of ``request``; ``first_command`` is continue (Run) or entry (Step)."""
        self._generation += 1
        self._queue.clear()
        self.request, self.session, self.rows = request, None, []
        self._set_state(LOADING)
        self.reader.submit(load_chain, request.target, request.name, request.plugin_id, request.order, owner=self,
                           **self._answers(first_command, self._on_chain_read))

    def run_or_continue(self, request: RunRequest) -> None:
        if self.state in (IDLE, FINISHED):
            self.begin(request, "continue")
        else:
            self._command("continue")

    def step_over(self, request: RunRequest) -> None:
        if self.state in (IDLE, FINISHED):
            self.begin(request, "entry")
        else:
            self._command("step")

    def step_into(self, request: RunRequest) -> None:
        if self.state in (IDLE, FINISHED):
            self.begin(request, "entry")
        else:
            self._command("step_into")

    def stop(self) -> None:
        """End the session now; what it ran stays shown, an answer still on its way is dropped."""
        if self.state == IDLE:
            return
        self._generation += 1
        self._queue.clear()
        trace = self.session.stop() if self.session is not None and self.state == PAUSED else None
        self.session = None
        self._set_state(IDLE)
        if trace is not None:
            self.session_finished.emit(trace)

    def restart(self, request: RunRequest) -> None:
        self.stop()
        self.begin(request, "continue")

    def evaluate_watches(self) -> None:
        """Evaluate the watches again where a paused or finished session stands (after they changed)."""
        if self.state not in (PAUSED, FINISHED) or self.request is None or not self.watches:
            return
        self.runner.submit(jobs.evaluate_watches, list(self.watches), self.value, self.request.args, owner=self,
                           **self._answers("watches", self._on_advanced))

    @property
    def busy(self) -> bool:
        return self.state in (LOADING, RUNNING)

    # ---- plumbing ----------------------------------------------------------------------------------
    def _command(self, command: str) -> None:
        if self.busy:
            if len(self._queue) < MAX_QUEUED:
                self._queue.append(command)
            return
        if self.state != PAUSED or self.session is None:
            return
        job = {"continue": jobs.continue_, "step": jobs.step, "step_into": jobs.step}[command]
        self._set_state(RUNNING)
        self.runner.submit(job, self.session, list(self.watches), owner=self,
                           **self._answers(command, self._on_advanced))

    def _answers(self, what: str, on_done) -> dict:
        """Callbacks for a job of this generation: ``on_done(what, result)``, dropped after a Stop."""
        generation = self._generation
        return {"on_done": partial(self._if_current, generation, partial(on_done, what)),
                "on_error": partial(self._if_current, generation, partial(self._on_failed, what))}

    def _if_current(self, generation: int, handle, value) -> None:
        if generation == self._generation:
            handle(value)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    def _on_chain_read(self, what: str, result: ChainRows) -> None:
        self.rows = result.rows
        request = self.request
        self.session = ChainSession(
            self.runner.resource.host, list(result.rows), request.mode, request.name, request.value, request.args,
            breakpoints=self.breakpoints, pause_on_exception=self.pause_on_exception, modules=result.modules,
            env=request.env, order=request.order)
        self.chain_loaded.emit(list(result.rows))
        self._set_state(RUNNING)
        job = jobs.continue_ if what == "continue" else jobs.start
        self.runner.submit(job, self.session, list(self.watches), owner=self, **self._answers(what, self._on_advanced))

    def _on_advanced(self, what: str, result: object) -> None:
        if what == "watches":
            self.watches_evaluated.emit(result)
            return
        self.value = result.value
        for step in result.steps:
            self.chain_step_finished.emit(step)
        self.watches_evaluated.emit(result.watches)
        self._focus_after(result, into=(what == "step_into"))
        if result.finished:
            self._set_state(FINISHED)
            self._queue.clear()
            self.session_finished.emit(result.trace)
            return
        self._set_state(PAUSED)
        self.session_paused.emit(result.pause.reason if result.pause else "step", result.position)
        if self._queue:
            self._command(self._queue.popleft())

    def _on_failed(self, what: str, error: object) -> None:
        if what == "watches":  # a watch's own errors come back as values
            return
        self._queue.clear()
        self.session = None
        self._set_state(IDLE)
        self.session_failed.emit(describe_error(error) if isinstance(error, BaseException) else str(error))

    # ---- where the editor should look ---------------------------------------------------------------
    def row(self, row_id: str) -> Registration | None:
        return next((r for r in self.rows if r.row_id == row_id), None)

    def _focus_after(self, advance: jobs.Advance, into: bool) -> None:
        failed = next((s for s in reversed(advance.steps) if s.error is not None), None)
        if failed is not None:
            self._focus_failure(failed)
        elif into and advance.steps:
            self._focus(advance.steps[-1].handler.row_id, 1)
        elif advance.pause is not None and advance.pause.handler is not None:
            self._focus(advance.pause.handler.row_id, 1)

    def _focus(self, row_id: str, line: int) -> None:
        row = self.row(row_id)
        if row is not None:
            self.handler_focused.emit(row.table, row.row_id, max(1, line))

    def _focus_failure(self, step) -> None:
        error = step.error
        line = error.line if isinstance(error, JsError) and error.line else 1
        column = error.column if isinstance(error, JsError) and error.column else 1
        self._focus(step.handler.row_id, line)
        row = self.row(step.handler.row_id)
        if row is not None:
            self.handler_failed.emit(row.table, row.row_id, line, column, str(error))
