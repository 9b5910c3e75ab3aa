"""The Debug menu: F5, F10, F11, Shift+F11, Shift+F5, Ctrl+Shift+F5 and F9, window-wide.

Each pause opens the handler in the editor, which takes the focus: the debugger's keys are
therefore the window's (``commands.WINDOW``), not the pane's, and work from the editor, the tree or
the pane alike. They trigger the debugger pane's own toolbar actions, so the menu and the toolbar
are one set of commands. Run, Step Over and Step Into start a session when there is none (as in
VS Code); Step Out, Stop and Restart are enabled while one exists. A chain has one level, so Step
Out of a handler runs the chain to its end (stopping at breakpoints), which is what Continue does.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget

from plugin_studio.ui.commands import Command, CommandRegistry

# Command id, text, the pane's action it triggers, keys.
DEBUG_COMMANDS = (
    ("debug.run", "Run / Continue", "run", ("F5",)),
    ("debug.stepOver", "Step Over", "step", ("F10",)),
    ("debug.stepInto", "Step Into", "step_into", ("F11",)),
    ("debug.stepOut", "Step Out", "run", ("Shift+F11",)),
    ("debug.stop", "Stop", "stop", ("Shift+F5",)),
    ("debug.restart", "Restart", "restart", ("Ctrl+Shift+F5",)),
)
BREAKPOINT = ("debug.toggleBreakpoint", "Toggle Breakpoint", "breakpoint", ("F9",))
WHILE_A_SESSION_EXISTS = ("debug.stepOut", "debug.stop", "debug.restart")
SESSION_STATES = ("loading", "running", "paused")   # ui/debugger/session.py: LOADING, RUNNING, PAUSED


class DebugCommands(QObject):
    """Declares the Debug commands in ``registry``; ``attach`` gives them the debugger pane.
    ``toggle_editor_breakpoint`` is F9 where the focus is not in the pane (the editor's handler)."""

    def __init__(self, registry: CommandRegistry, toggle_editor_breakpoint: Callable[[], None], parent=None):
        super().__init__(parent)
        self.registry = registry
        self.pane = None
        self.dock: QDockWidget | None = None
        self._toggle_editor_breakpoint = toggle_editor_breakpoint
        for command_id, text, action_name, keys in DEBUG_COMMANDS:
            registry.declare(Command(command_id, text, "Debug", lambda n=action_name: self._trigger(n), keys))
            registry.set_enabled(command_id, False)
        command_id, text, _action, keys = BREAKPOINT
        registry.declare(Command(command_id, text, "Debug", self._toggle_breakpoint, keys,
                                 tip="Break before this handler runs in the debugger"))

    def ids(self) -> list[str]:
        """The Debug menu's commands, in menu order."""
        return [c[0] for c in DEBUG_COMMANDS] + [BREAKPOINT[0]]

    def attach(self, pane, dock: QDockWidget | None) -> None:
        """The debugger is here: its commands work from now on, following its session's state."""
        self.pane, self.dock = pane, dock
        for command_id, _text, action_name, _keys in (*DEBUG_COMMANDS, BREAKPOINT):
            pane.actions_by_name[action_name].setToolTip(self.registry.action(command_id).toolTip())
        pane.controller.state_changed.connect(self._on_state_changed)
        self._on_state_changed(pane.controller.state)

    def _on_state_changed(self, state: str) -> None:
        session = state in SESSION_STATES
        for command_id, *_rest in DEBUG_COMMANDS:
            self.registry.set_enabled(command_id, session or command_id not in WHILE_A_SESSION_EXISTS)
        self.registry.set_text("debug.run", "Continue" if state == "paused" else "Run")

    def _trigger(self, action_name: str) -> None:
        if self.dock is not None and not self.dock.isVisible():
            self.dock.show()
        if self.dock is not None:
            self.dock.raise_()   # where the session's state is shown; it does not take the focus
        self.pane.actions_by_name[action_name].trigger()

    def _toggle_breakpoint(self) -> None:
        """In the pane: the selected handler of the chain; elsewhere: the handler open in the editor."""
        focus = QApplication.focusWidget()
        if self.pane is not None and isinstance(focus, QWidget) and self.pane.isAncestorOf(focus):
            self.pane.actions_by_name["breakpoint"].trigger()
        else:
            self._toggle_editor_breakpoint()

