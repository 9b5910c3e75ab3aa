"""Debugger fixtures: a price chain in the database, and the pane on it with a real JS worker."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from plugin_studio.db import files, plugins
from plugin_studio.runner.limits import Limits

FAST_LIMITS = Limits(timeout_ms=1000, grace_ms=1500, memory_mb=256, stack_kb=1024, console_bytes=100_000)
# The time limit is wall time, and on a loaded machine loading Babel alone (each test's worker compiles
# the chain's ES modules) takes over a second: only tests marked time_limit get the short one.
ROOMY_LIMITS = Limits(timeout_ms=60_000, grace_ms=1500, memory_mb=256, stack_kb=1024, console_bytes=100_000)

# product.price at priorities 5, 10, 10: each takes 10% off, so 100 → 90 → 81 → 72.9
TEN_PERCENT_OFF = "// {label}\nexport default function (price) {{\n  return price * 0.9;\n}}\n"


@pytest.fixture
def discounts(conn) -> str:
    """An active plugin "Discounts" with no rows yet."""
    return plugins.create_plugin(conn, name="Discounts").id


@pytest.fixture
def price_chain(conn, discounts) -> list[str]:
    """Row ids of three product.price filters, in execution order (priority 5, then 10, 10 by registration)."""
    first_of_ten = files.create_hook(conn, discounts, "product.price", "filter",
                                     TEN_PERCENT_OFF.format(label="second: priority 10, registered first"), priority=10)
    second_of_ten = files.create_hook(conn, discounts, "product.price", "filter",
                                      TEN_PERCENT_OFF.format(label="third: priority 10, registered second"),
                                      priority=10)
    five = files.create_hook(conn, discounts, "product.price", "filter",
                             TEN_PERCENT_OFF.format(label="first: priority 5"), priority=5)
    return [five, first_of_ten, second_of_ten]


@pytest.fixture
def bridge(qtbot, request, dsn):
    from plugin_studio.runner.scripts import plugin_data_services_for
    from plugin_studio.ui.lanes import runner_lane

    limits = FAST_LIMITS if request.node.get_closest_marker("time_limit") else ROOMY_LIMITS
    b = runner_lane(limits, services=plugin_data_services_for(dsn))   # pluginData, as the workbench makes it
    yield b
    b.cancel_all()
    b.close()


@pytest.fixture
def make_pane(qtbot, dsn, bridge):
    """``make_pane(plugin_id)``: the Debugger pane shown, focused, with its inspector loaded."""
    from plugin_studio.ui.debugger import DebuggerPane

    panes = []

    def make(plugin_id: str | None):
        pane = DebuggerPane(dsn, runner=bridge)
        qtbot.addWidget(pane)
        panes.append(pane)
        pane.resize(1100, 650)
        with qtbot.waitSignal(pane.registrations_loaded):
            pane.set_plugin(plugin_id)
        with qtbot.waitActive(pane):
            pane.show()
            pane.activateWindow()
        pane.chain.list.setFocus()
        return pane

    yield make
    for pane in panes:
        pane.shutdown()


def press(qtbot, pane, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """The key's Debug command on the pane alone: the pane's action that the window's command for
    that key triggers (ui/debug_commands.py; the keys themselves are tested on the whole window)."""
    from PySide6.QtCore import QKeyCombination
    from PySide6.QtGui import QKeySequence

    from plugin_studio.ui.debug_commands import BREAKPOINT, DEBUG_COMMANDS

    pressed = QKeySequence(QKeyCombination(modifiers, key))
    action = next(action for _id, _text, action, keys in (*DEBUG_COMMANDS, BREAKPOINT)
                  if QKeySequence(keys[0]) == pressed)
    pane.actions_by_name[action].trigger()
