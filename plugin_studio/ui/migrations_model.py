"""The migrations table as a Qt model: a thin adapter over ``ChecksumCheck`` dataclasses.

It owns no SQL and knows no colours: the status travels in ``STATUS_ROLE`` and the panel's
delegate paints the badge. New lists are applied by row inserts, removes and moves (``row_sync``).
"""
from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from plugin_studio.models.migration_format import ChecksumCheck
from plugin_studio.ui.list_table_model import ListTableModel
from plugin_studio.ui.row_sync import RowList, sync_rows

STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = ("Plugin", "Version", "Name", "Description", "Status", "Executed", "Completed", "Duration", "Checksum")
STATUS_COLUMN = COLUMNS.index("Status")
CHECKSUM_TEXT = {"ok": "ok", "drift": "changed after run", "unrecorded": "not recorded",
                 "platform": "platform's file MD5", "": ""}


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _duration(ms: int | None) -> str:
    if ms is None:
        return ""
    return f"{ms} ms" if ms < 10_000 else f"{ms / 1000:.1f} s"


class MigrationsTableModel(ListTableModel[ChecksumCheck]):
    COLUMNS = COLUMNS

    # -- content --

    def set_checks(self, checks: list[ChecksumCheck]) -> None:
        """Show ``checks``, changing only the rows that differ (the selection stays on its migration)."""
        sync_rows(self, QModelIndex(), RowList(self._items, lambda c: c.row.id, update=self._update), list(checks))

    def _update(self, row: int, old: ChecksumCheck, new: ChecksumCheck) -> None:
        if old != new:
            self._items[row] = new
            self.emit_row_changed(row)

    def check_at(self, row: int) -> ChecksumCheck:
        return self._items[row]

    def checks(self) -> list[ChecksumCheck]:
        return list(self._items)

    def row_of(self, row_id: str) -> int | None:
        return next((i for i, c in enumerate(self._items) if c.row.id == row_id), None)

    # -- Qt --

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        check = self.item_at(index)
        if check is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(check, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(check, index.column())
        if role == STATUS_ROLE:
            return check.row.status
        if role == ROW_ID_ROLE:
            return check.row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[index.column()] == "Duration":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, check: ChecksumCheck, column: int) -> str:
        row = check.row
        values = (row.plugin_name, row.migration_version, row.migration_name,
                  (row.migration_description or "").split("\n")[0], row.status.replace("_", " "),
                  _when(row.executed_at), _when(row.completed_at), _duration(row.execution_time_ms),
                  CHECKSUM_TEXT.get(check.state, check.state))
        return values[column]

    def _tooltip(self, check: ChecksumCheck, column: int) -> str | None:
        row = check.row
        if COLUMNS[column] == "Checksum" and check.state == "drift":
            return f"recorded {row.checksum}\nnow {check.current}\nThe text changed after it ran; Repair re-records it."
        if COLUMNS[column] == "Status" and row.error_message:
            return row.error_message
        return None
