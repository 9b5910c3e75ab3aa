"""The Debugger pane: inspect hook and event registrations, run scenarios step by step, time and compare.

Its toolbar's actions (``actions_by_name``: run, step, step_into, stop, restart, breakpoint) carry no
keys of their own: the window's Debug commands (``ui/debug_commands.py``: F5, F10, F11, Shift+F11,
Shift+F5, Ctrl+Shift+F5, F9) trigger them from anywhere in the window. The pane never waits:
database reads go to its database lane, plugin code to the runner's lane.

For the main window: ``handler_focused(table, row id, line)`` asks the editor to show a handler
(line 1, or the line it failed at), ``handler_failed(table, row id, line, column, message)`` to mark
its error; ``toggle_breakpoint_for_row`` is for F9 in a handler's editor, ``breakpoint_rows`` and
``breakpoints_changed`` for its margin markers.
"""
from __future__ import annotations

import itertools
import logging
from functools import partial

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox, QLabel, QSizePolicy, QSplitter, QTabWidget, QToolBar, QVBoxLayout, QWidget,
)

from plugin_studio.models.debugger import (
    BreakpointSpec, BreakpointStore, InputError, ScenarioStore, short_json,
    upsert_scenario,
)
from plugin_studio.runner.chain import Breakpoints
from plugin_studio.runner.chain_load import Registrations, load_registrations
from plugin_studio.runner.scripts import plugin_data_services_for
from plugin_studio.ui import theme
from plugin_studio.ui.debugger.compare import CompareView
from plugin_studio.ui.debugger.inspector import InspectorView
from plugin_studio.ui.debugger.measure import MeasureController
from plugin_studio.ui.debugger.scenario import ScenarioBar
from plugin_studio.ui.debugger.session import FINISHED, IDLE, LOADING, PAUSED, RUNNING, DebugController, RunRequest
from plugin_studio.ui.debugger.stepping import ChainView
from plugin_studio.ui.debugger.timing import TimingView
from plugin_studio.ui.debugger.watch import WatchView
from plugin_studio.ui.errors import describe_error
from plugin_studio.ui.lanes import DbSession, Lane, runner_lane

log = logging.getLogger(__name__)

PAUSE_TEXT = {
    "entry": "Paused before the first handler", "step": "Paused before", "breakpoint": "Paused at a breakpoint before",
    "exception": "Paused on an exception; next:", "condition_error": "A breakpoint condition failed; paused before",
}


class DebuggerPane(QWidget):
    handler_focused = Signal(str, str, int)            # table, row id, line
    handler_failed = Signal(str, str, int, int, str)   # table, row id, line, column, message
    breakpoints_changed = Signal()
    registrations_loaded = Signal()

    def __init__(self, dsn: str, parent=None, runner: Lane | None = None):
        """``runner``: the IDE's JS lane (``lanes.runner_lane``); without one the pane starts its own."""
        super().__init__(parent)
        self.plugin_id: str | None = None
        self._own_runner = runner is None
        self.runner = runner or runner_lane(services=plugin_data_services_for(dsn))
        self.reader = Lane("debugger-db", DbSession(dsn, application_name="plugin-studio-debugger"))
        self.scenario_store, self.breakpoint_store = ScenarioStore(), BreakpointStore()
        self._specs: dict[str, BreakpointSpec] = {}
        self.breakpoints = Breakpoints()
        self.controller = DebugController(self.runner, self.reader, self.breakpoints, self)
        self.measure = MeasureController(self.runner, self.reader, self)
        self._inspector_loads = itertools.count(1)
        self._inspector_load = 0   # only the latest load's answer is shown
        self.last_timing = None  # the last TimingResult, traces included
        self._build()
        self._connect()
        self._load_plugin_files()
        self.refresh()

    # ---- building ------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.inspector = InspectorView()
        self.scenario = ScenarioBar()
        self.chain = ChainView()
        self.watch = WatchView()
        self.timing = TimingView()
        self.compare = CompareView()
        self.status = QLabel("Choose a hook or event, or type a name, then press F5 (run) or F10 (step).")
        self.status.setWordWrap(True)
        # A fixed two-line box: a new status never re-lays out (and repaints) the whole pane.
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.status.setFixedHeight(self.status.fontMetrics().lineSpacing() * 2 + 4)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setObjectName("chain-warnings")
        theme.style(self.warnings, "color: {warning};")
        self.warnings.hide()
        self.pause_on_exception = QCheckBox("Pause on exceptions")
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions_by_name = {}
        for name, text, slot in (
            ("run", "▶ Run", self.run_or_continue),
            ("step", "⤼ Step", self.step_over),
            ("step_into", "⤓ Step into", self.step_into),
            ("stop", "■ Stop", self.stop),
            ("restart", "↻ Restart", self.restart),
            ("breakpoint", "● Breakpoint", self._toggle_selected_breakpoint),
        ):
            action = QAction(text, self)
            action.triggered.connect(slot)
            self.toolbar.addAction(action)
            self.actions_by_name[name] = action
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.pause_on_exception)

        stepping = QSplitter(Qt.Orientation.Horizontal)
        stepping.addWidget(self.chain)
        stepping.addWidget(self.watch)
        stepping.setSizes([560, 170])
        self.tabs = QTabWidget()
        self.tabs.addTab(stepping, "Chain")
        self.tabs.addTab(self.timing, "Timing")
        self.tabs.addTab(self.compare, "Compare")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 0, 0, 0)
        right_layout.addWidget(self.scenario)
        right_layout.addWidget(self.toolbar)
        right_layout.addWidget(self.status)
        right_layout.addWidget(self.warnings)
        right_layout.addWidget(self.tabs, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.inspector)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([372, 728])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        c = self.controller
        c.state_changed.connect(self._on_controller_state_changed)
        c.chain_loaded.connect(self._on_controller_chain_loaded)
        c.chain_step_finished.connect(self.chain.add_step)
        c.session_paused.connect(self._on_controller_paused)
        c.session_finished.connect(self._on_controller_finished)
        c.session_failed.connect(self._show_problem)
        c.watches_evaluated.connect(self.watch.set_values)
        c.handler_focused.connect(self.handler_focused)
        c.handler_failed.connect(self.handler_failed)
        self.inspector.name_chosen.connect(self._on_inspector_name_chosen)
        self.inspector.handler_activated.connect(lambda table, row: self.handler_focused.emit(table, row, 1))
        self.chain.handler_activated.connect(lambda table, row: self.handler_focused.emit(table, row, 1))
        self.chain.breakpoint_toggle_requested.connect(self.toggle_breakpoint_for_row)
        self.chain.breakpoint_edited.connect(self._on_chain_breakpoint_edited)
        self.scenario.scenario_saved.connect(self._on_scenario_saved)
        self.scenario.scenario_deleted.connect(self._on_scenario_deleted)
        self.scenario.input_rejected.connect(self._show_problem)
        self.watch.watches_changed.connect(self._on_watch_changed)
        self.pause_on_exception.toggled.connect(self._on_pause_on_exception_toggled)
        self.timing.timing_requested.connect(self.time_scenario)
        self.timing.cancel_requested.connect(self.measure.cancel)
        self.measure.timing_progressed.connect(self.timing.set_progress)
        self.measure.timing_finished.connect(self._on_measure_timing_finished)
        self.measure.compare_finished.connect(self._on_measure_compare_finished)
        self.measure.measure_failed.connect(self._on_measure_failed)
        self.compare.compare_requested.connect(self.compare_scenario)

    # ---- API for the main window ----------------------------------------------------------------------
    def set_plugin(self, plugin_id: str | None) -> None:
        """Debug in the context of ``plugin_id`` (its handlers run even if it is inactive), or of none."""
        if plugin_id == self.plugin_id:
            return
        self.controller.stop()
        self.plugin_id = plugin_id
        self._load_plugin_files()
        self.refresh()

    def refresh(self) -> None:
        """Reload the inspector (after saves, imports, another client's change)."""
        self._inspector_load = load = next(self._inspector_loads)
        self.reader.submit(load_registrations, self.plugin_id, owner=self, title="Loading the hook inspector",
                           on_done=partial(self._on_registrations_loaded, load),
                           on_error=partial(self._on_registrations_failed, load))

    def shutdown(self) -> None:
        self.controller.stop()
        self.reader.cancel_all()
        self.reader.close()
        if self._own_runner:
            self.runner.close()

    def breakpoint_rows(self) -> set[str]:
        return set(self._specs)

    @Slot(str)
    def toggle_breakpoint_for_row(self, row_id: str) -> None:
        if row_id in self._specs:
            del self._specs[row_id]
        else:
            self._specs[row_id] = BreakpointSpec(row_id)
        self._breakpoints_edited()

    def set_breakpoint(self, row_id: str, condition: str | None = None, hit_count: int | None = None) -> None:
        self._specs[row_id] = BreakpointSpec(row_id, condition or None, hit_count or None)
        self._breakpoints_edited()

    def set_scenario(self, name: str, value=None, args: list | None = None, mode: str | None = None,
                     order: str | None = None, fetch: list | None = None) -> None:
        """Fill the scenario fields (what a user types), e.g. from the main window's "Debug this hook"."""
        self.scenario.set_target(name, mode or self.scenario.mode_combo.currentText())
        self.scenario.set_value(value, args)
        if order is not None:
            self.scenario.set_order(order)
        if fetch is not None:
            self.scenario.set_fetch(fetch)

    # ---- commands -------------------------------------------------------------------------------------
    def run_or_continue(self) -> None:
        self._command(self.controller.run_or_continue)

    def step_over(self) -> None:
        self._command(self.controller.step_over)

    def step_into(self) -> None:
        self._command(self.controller.step_into)
        self.chain.details.setCurrentIndex(1)

    def stop(self) -> None:
        self.controller.stop()

    def restart(self) -> None:
        self._command(self.controller.restart)

    def time_scenario(self, iterations: int) -> None:
        request = self._request()
        if request is not None:
            self.timing.set_running(True)
            self.measure.time(request, iterations)

    def compare_scenario(self, left_out_rows: set, left_out_plugins: set) -> None:
        request = self._request()
        if request is not None:
            self.compare.run_button.setEnabled(False)
            self.measure.compare(request, left_out_rows, left_out_plugins)

    def _command(self, command) -> None:
        """A new session reads the scenario fields; a command within a session keeps its request."""
        fresh = self.controller.state in (IDLE, FINISHED) or command == self.controller.restart
        request = self._request() if fresh else self.controller.request
        if request is not None:
            self.tabs.setCurrentIndex(0)
            command(request)

    def _request(self) -> RunRequest | None:
        try:
            return self.scenario.request(self.plugin_id)
        except InputError as exc:
            self._show_problem(str(exc))
            return None

    # ---- controller answers ---------------------------------------------------------------------------
    def _on_controller_state_changed(self, state: str) -> None:
        running = state not in (IDLE, FINISHED)
        if self.actions_by_name["stop"].isEnabled() != running:
            self.actions_by_name["stop"].setEnabled(running)
        # A step in progress (RUNNING) keeps the label it had: flipping it to Run and back on every
        # step re-lays out the toolbar twice per step.
        run_text = {PAUSED: "▶ Continue", RUNNING: self.actions_by_name["run"].text()}.get(state, "▶ Run")
        if self.actions_by_name["run"].text() != run_text:
            self.actions_by_name["run"].setText(run_text)
        if state == IDLE:
            self.chain.set_position(None)
            if self.chain.steps:
                self._show_status("Stopped. Press F5 to run again.")
        elif state == LOADING:
            self._show_status("Loading the chain…")

    def _on_controller_chain_loaded(self, rows: list) -> None:
        session = self.controller.session
        self._show_warnings(session.trace.warnings if session is not None else [])
        self.chain.set_chain(rows)
        self.chain.set_breakpoints(self._specs)
        self.compare.set_chain(rows)

    def _on_controller_paused(self, reason: str, position: int) -> None:
        self.chain.set_position(position)
        row = self.chain.current_row()
        where = f" #{position + 1} {row.plugin_name} · {row.path} (priority {row.priority})" if row else ""
        value = "" if self.controller.request.mode == "action" else f" — value now {short_json(self.controller.value)}"
        self._show_status(f"{PAUSE_TEXT.get(reason, 'Paused before')}{where}{value}. F10 step, F5 continue, "
                          "Shift+F5 stop.")

    def _on_controller_finished(self, trace) -> None:
        self._show_warnings(trace.warnings)
        self.chain.set_position(None)
        errors = len(trace.errors)
        outcome = f"final value {short_json(trace.final)}" if trace.kind == "filter" else f"{len(trace.steps)} ran"
        if trace.stopped:
            self._show_status(f"Stopped after {len(trace.steps)} of {len(self.chain.rows)} handlers.")
        else:
            self._show_status(f"Finished: {outcome}" + (f"; {errors} handler(s) failed" if errors else "") + ".",
                              error=bool(errors))

    def _on_registrations_loaded(self, load: int, result: Registrations) -> None:
        if load != self._inspector_load:
            return
        self.inspector.set_registrations(result)
        self.scenario.set_names(sorted({name for _target, name in result.names()}))
        self.inspector.set_breakpoint_rows(set(self._specs))
        self.registrations_loaded.emit()

    def _on_registrations_failed(self, load: int, error: object) -> None:
        if load == self._inspector_load:
            self._show_problem(f"Could not load the hook inspector: {describe_error(error)}")

    # ---- inspector, breakpoints, scenarios, watches -------------------------------------------------------
    def _on_inspector_name_chosen(self, target: str, name: str, mode: str) -> None:
        self.scenario.set_target(name, mode)
        if self.controller.state in (IDLE, FINISHED):
            rows = [r for r in self.inspector.registrations().for_name(target, name) if r.enabled]
            self.chain.set_chain(rows)
            self.chain.set_breakpoints(self._specs)
            self.compare.set_chain(rows)

    def _toggle_selected_breakpoint(self) -> None:
        index = self.chain.list.indexOfTopLevelItem(self.chain.list.currentItem()) \
            if self.chain.list.currentItem() else -1
        if 0 <= index < len(self.chain.rows):
            self.toggle_breakpoint_for_row(self.chain.rows[index].row_id)

    def _on_chain_breakpoint_edited(self, row_id: str, condition: str, hit_count: int) -> None:
        self.set_breakpoint(row_id, condition, hit_count)

    def _breakpoints_edited(self) -> None:
        self._sync_runner_breakpoints()
        try:
            self.breakpoint_store.save(self.plugin_id, list(self._specs.values()))
        except OSError as exc:
            self._show_problem(f"Breakpoints are set but could not be saved: {exc}")
        self.chain.set_breakpoints(self._specs)
        self.inspector.set_breakpoint_rows(set(self._specs))
        self.breakpoints_changed.emit()

    def _sync_runner_breakpoints(self) -> None:
        for bp in self.breakpoints:
            spec = self._specs.get(bp.row_id)
            if spec is None or (spec.condition, spec.hit_count) != (bp.condition, bp.hit_count):
                self.breakpoints.remove(bp.row_id)
        for spec in self._specs.values():
            if self.breakpoints.get(spec.row_id) is None:
                self.breakpoints.add(spec.row_id, spec.condition, spec.hit_count)
            self.breakpoints.get(spec.row_id).enabled = spec.enabled

    def _load_plugin_files(self) -> None:
        self._specs = {s.row_id: s for s in self.breakpoint_store.load(self.plugin_id)}
        self._sync_runner_breakpoints()
        self.chain.set_breakpoints(self._specs)
        self.scenario.set_scenarios(self.scenario_store.load(self.plugin_id))
        self.breakpoints_changed.emit()

    def _on_scenario_saved(self, scenario) -> None:
        if self._store_scenarios(upsert_scenario(self.scenario.scenarios(), scenario)):
            self._show_status(f"Scenario “{scenario.name}” saved.")

    def _on_scenario_deleted(self, name: str) -> None:
        if self._store_scenarios([s for s in self.scenario.scenarios() if s.name != name]):
            self._show_status(f"Scenario “{name}” deleted.")

    def _store_scenarios(self, scenarios: list) -> bool:
        try:
            self.scenario_store.save(self.plugin_id, scenarios)
        except OSError as exc:
            self._show_problem(f"Could not save the scenarios: {exc}")
            return False
        self.scenario.set_scenarios(scenarios)
        return True

    def _on_watch_changed(self) -> None:
        self.controller.watches = self.watch.watches()
        self.controller.evaluate_watches()

    def _on_pause_on_exception_toggled(self, on: bool) -> None:
        self.controller.pause_on_exception = on
        if self.controller.session is not None:
            self.controller.session.pause_on_exception = on

    # ---- timing and compare -----------------------------------------------------------------------------
    def _on_measure_timing_finished(self, result) -> None:
        self.timing.set_running(False)
        self.timing.show_timings(result.timings, len(result.traces), result.cancelled)
        self.last_timing = result

    def _on_measure_compare_finished(self, result) -> None:
        self.compare.run_button.setEnabled(True)
        self.compare.show_result(result.full, result.reduced, result.left_out)

    def _on_measure_failed(self, message: str) -> None:
        self.timing.set_running(False)
        self.compare.run_button.setEnabled(True)
        self._show_problem(message)

    # ---- status --------------------------------------------------------------------------------------------
    def _show_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setToolTip(text)
        style = f"color: {theme.current().palette.error};" if error else ""
        if self.status.styleSheet() != style:
            self.status.setStyleSheet(style)

    def _show_warnings(self, warnings: list[str]) -> None:
        """Where the storefront would run this chain differently (shown until the next chain)."""
        text = "\n".join(f"⚠ {w}" for w in warnings)
        if self.warnings.text() != text:
            self.warnings.setText(text)
            self.warnings.setToolTip(text)
        self.warnings.setVisible(bool(warnings))

    def _show_problem(self, text: str) -> None:
        self._show_status(text, error=True)

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)
