"""Hook and event chains as the storefront runs them (DESIGN §5, PLATFORM.md §2.1–2.3): pure domain.

- ``Handler``: one hook or event row as the runner, the CLI and the debugger all see it.
- ``storefront_order`` / ``priority_order``: the two orders a chain can run in, and
  ``order_warning`` when they differ for a chain.
- ``chain_warnings``: where the storefront's behaviour may surprise (an ``action`` row in a chain
  applied as a filter; rows that run with another order).

The storefront's App.jsx registers every database hook and listener *without a priority*, plugin
by plugin in the order ``GET /api/plugins/active`` returns plugins (``created_at DESC``, newest
first), each plugin's rows in ``priority ASC`` order; HookSystem's sort is stable, so that
registration order is the run order. "Documented order" sorts every row of the chain by priority
(stable), as the docs and HookSystem's own ``register(name, fn, priority)`` promise.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

HOOK, EVENT = "hook", "event"
FILTER, ACTION = "filter", "action"
TABLES = {HOOK: "plugin_hooks", EVENT: "plugin_events"}
STOREFRONT, PRIORITY = "storefront", "priority"
ORDERS = (STOREFRONT, PRIORITY)
_EPOCH = datetime.min


@dataclass(frozen=True)
class Handler:
    """One handler row. ``kind`` is the row's hook_type (filter | action) or ``event``: it is what the
    row says, not how it runs; the call site (apply, do, emit) decides that, as on the storefront."""
    table: str                # plugin_hooks | plugin_events
    row_id: str
    plugin_id: str
    plugin_name: str
    name: str                 # hook or event name
    kind: str                 # filter | action | event
    priority: int
    enabled: bool
    path: str                 # as the file tree shows it, e.g. hooks/product_price (2).js
    code: str
    created_at: datetime | None = None
    plugin_created_at: datetime | None = None
    on_storefront: bool = True  # False: the plugin is not active there (the one being edited)

    @property
    def target(self) -> str:
        return EVENT if self.table == TABLES[EVENT] else HOOK

    def spec(self) -> dict:
        """What the worker needs to load it: ``{"key", "code", "path"}``."""
        return {"key": self.row_id, "code": self.code, "path": self.path}

    def row_order_key(self) -> tuple:
        """Priority, then registration time, then id: the order of one plugin's rows."""
        return (self.priority, self.created_at or _EPOCH, self.row_id)


def hook_handler(plugin_id: str, row_id: str, path: str, code: str, *, priority: int = 10, kind: str = FILTER,
                 name: str = "", plugin_name: str = "") -> Handler:
    """A hook handler not read from the database (watch expressions, tests, benchmarks)."""
    return Handler(TABLES[HOOK], row_id, plugin_id, plugin_name, name, kind, priority, True, path, code)


def storefront_order(handlers: Iterable[Handler]) -> list[Handler]:
    """Plugin by plugin, newest plugin first; each plugin's rows by priority (PLATFORM.md §2.3)."""
    ordered = sorted(handlers, key=Handler.row_order_key)
    # Stable sorts: rows keep their priority order inside a plugin; plugins ordered newest first.
    ordered.sort(key=lambda h: h.plugin_id)
    ordered.sort(key=lambda h: h.plugin_created_at or _EPOCH, reverse=True)
    return ordered


def priority_order(handlers: Iterable[Handler]) -> list[Handler]:
    """Every row of the chain by priority, ties in storefront order (a stable sort of that order)."""
    return sorted(storefront_order(handlers), key=lambda h: h.priority)


def ordered(handlers: Iterable[Handler], order: str) -> list[Handler]:
    """``handlers`` in ``order`` (``storefront`` or ``priority``); ValueError for another name."""
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}: use one of {', '.join(ORDERS)}")
    return storefront_order(handlers) if order == STOREFRONT else priority_order(handlers)


def order_warning(handlers: Iterable[Handler], order: str = STOREFRONT) -> str | None:
    """A sentence when the storefront order and the documented (priority) order differ for this chain."""
    handlers = list(handlers)
    store = [h.row_id for h in storefront_order(handlers)]
    documented = [h.row_id for h in priority_order(handlers)]
    if store == documented:
        return None
    first = next(i for i, (a, b) in enumerate(zip(store, documented)) if a != b)
    by_id = {h.row_id: h for h in handlers}
    early = by_id[store[first]] if order == STOREFRONT else by_id[documented[first]]
    late = by_id[documented[first]] if order == STOREFRONT else by_id[store[first]]
    running = "the storefront's order" if order == STOREFRONT else "priority order"
    other = "priority order (as documented)" if order == STOREFRONT else "the storefront"
    return (f"order differs: in {running} {describe(early)} runs before {describe(late)}; {other} "
            "would run them the other way round (the storefront registers hooks without their priority, "
            "plugin by plugin, newest plugin first)")


def describe(handler: Handler) -> str:
    return f"{handler.path} of {handler.plugin_name or handler.plugin_id} (priority {handler.priority})"


def chain_warnings(handlers: Iterable[Handler], mode: str, order: str = STOREFRONT) -> list[str]:
    """Warnings to show with a chain run in ``mode`` (filter | action | event)."""
    handlers = list(handlers)
    warnings = []
    differs = order_warning(handlers, order) if len({h.plugin_id for h in handlers}) > 1 else None
    if differs:
        warnings.append(differs)
    if mode == FILTER:
        for h in handlers:
            if h.kind == ACTION:
                warnings.append(f"{describe(h)} is an `action` row in a chain applied as a filter: the storefront "
                                "never reads hook_type, so its return value is used like any filter's")
    for h in handlers:
        if not h.on_storefront:
            warnings.append(f"{h.plugin_name or h.plugin_id} is not active on the storefront: {h.path} runs here only")
    return warnings
