"""Views that follow the change stream: every write to a plugin table, ours or another client's.

Changes arrive from the change listener (``db/notify.py``: NOTIFY within milliseconds, or a poll
once a second where triggers are not allowed) and from the IDE's own writes, published as they
finish so that views follow at once whichever way the listener works. A view names the tables
it shows; ``follow`` calls it once a burst of changes to those tables has settled (a few ms:
a thousand rows imported reload it once, not a thousand times). No view needs a Refresh.

    window.changes.follow(debugger, {"plugin_hooks", "plugin_events", "plugin_registry"}, debugger.refresh)

A ``RESYNC`` (the listener reconnected, or File ▸ Refresh) reaches every follower.
"""
from __future__ import annotations

from typing import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from plugin_studio.db.notify import Change

RESYNC = "RESYNC"
SETTLE_MS = 30      # changes closer together than this reload a view once


class ChangeStream(QObject):
    """The window's one stream of ``Change``s (GUI thread)."""

    changed = Signal(object)    # every Change, as it arrives

    def publish(self, change: Change) -> None:
        self.changed.emit(change)

    def publish_own(self, table: str, row_id: str | None = None, plugin_id: str | None = None,
                    op: str = "UPDATE") -> None:
        """One of our own writes finished (the listener may report it again later: harmless)."""
        self.publish(Change(table, op, row_id, plugin_id))

    def resync(self) -> None:
        """Anything may have changed: every view reloads."""
        self.publish(Change("*", RESYNC, None, None))

    def follow(self, owner: QObject, tables: Iterable[str], reload: Callable[[], object],
               settle_ms: int = SETTLE_MS) -> None:
        """Call ``reload()`` after changes to ``tables`` settle, for as long as ``owner`` exists."""
        follower = _Follower(owner, frozenset(tables), reload, settle_ms)
        self.changed.connect(follower.on_change)


class _Follower(QObject):
    """A child of the view it reloads: when the view goes, so does its subscription."""

    def __init__(self, owner: QObject, tables: frozenset[str], reload: Callable[[], object], settle_ms: int):
        super().__init__(owner)
        self.tables = tables
        self.timer = QTimer(self, singleShot=True, interval=settle_ms)
        self.timer.timeout.connect(reload)

    @Slot(object)
    def on_change(self, change: Change) -> None:
        if change.op == RESYNC or change.table in self.tables:
            self.timer.start()
