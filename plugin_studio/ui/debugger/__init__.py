"""The Debugger pane (hook inspector, stepping through chains, breakpoints, watches, timing, compare)."""
from plugin_studio.ui.debugger.pane import DebuggerPane

__all__ = ["DebuggerPane"]
