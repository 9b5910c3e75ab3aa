"""Debugger breakpoints on handlers (``chain.ChainSession`` pauses before a handler that has one)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from plugin_studio.models.chain import Handler
from plugin_studio.runner.errors import RunnerError

if TYPE_CHECKING:
    from plugin_studio.runner.host import JsHost


@dataclass
class Breakpoint:
    row_id: str
    condition: str | None = None   # JS expression over `value` and `args`
    hit_count: int | None = None   # pause from the n-th time it is reached (condition true) on
    enabled: bool = True
    hits: int = 0


class Breakpoints:
    """Breakpoints by handler row id; they (and their hit counts) outlive one session."""

    def __init__(self):
        self._by_row: dict[str, Breakpoint] = {}

    def add(self, row_id: str, condition: str | None = None, hit_count: int | None = None) -> Breakpoint:
        bp = self._by_row[row_id] = Breakpoint(row_id, condition or None, hit_count)
        return bp

    def remove(self, row_id: str) -> None:
        self._by_row.pop(row_id, None)

    def get(self, row_id: str) -> Breakpoint | None:
        return self._by_row.get(row_id)

    def __iter__(self):
        return iter(list(self._by_row.values()))

    def __len__(self) -> int:
        return len(self._by_row)

    def armed(self, row_id: str) -> bool:
        bp = self._by_row.get(row_id)
        return bp is not None and bp.enabled

    def reached(self, host: "JsHost", handler: Handler, value_json: str, args_json: str) -> tuple[bool, RunnerError | None]:
        """Whether to pause before ``handler``; a condition that fails pauses, with its error."""
        bp = self._by_row.get(handler.row_id)
        if bp is None or not bp.enabled:
            return False, None
        if bp.condition:
            try:
                if not host.call("condition.eval", expression=bp.condition, value=value_json, args=args_json)["value"]:
                    return False, None
            except RunnerError as exc:
                return True, exc
        bp.hits += 1
        return (bp.hit_count is None or bp.hits >= bp.hit_count), None
