"""Find usages: where a name is used in the plugin's files, or where a hook or event name is
used by any plugin (handler rows and calls in code); double-click opens one of this plugin's."""
from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from plugin_studio.models.platform_names import KNOWN, KnownNames

ROW_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Usage:
    text: str
    table: str = ""
    row_id: str = ""
    line: int = 0


def usages(kind: str, name: str, known: KnownNames, modules: dict, entries: list, plugin_id: str) -> list[Usage]:
    """The places ``name`` is used: for kind ``name``, every whole-word use in the plugin's modules;
    for hook/event, every handler row and call in the database, and whether the platform calls it."""
    paths = {(e.table, e.row_id): e.path for e in entries}
    if kind == "name":
        word = re.compile(rf"(?<![\w$]){re.escape(name)}(?![\w$])")
        found = []
        for module, (row_id, code) in sorted(modules.items()):
            for number, line in enumerate(code.splitlines(), start=1):
                if word.search(line):
                    path = paths.get(("plugin_scripts", row_id), module)
                    found.append(Usage(f"{path}:{number}: {line.strip()[:100]}", "plugin_scripts", row_id, number))
        return found
    found = [Usage(f"the platform: {KNOWN[name].where}")] if name in KNOWN else []
    for occurrence_name, occurrence_kind, table, row_id, registered in known.occurrences:
        if occurrence_name == name and occurrence_kind == kind:
            where = paths.get((table, row_id), f"{table} row {row_id} (another plugin)")
            found.append(Usage(f"{where}: {'handler registered for it' if registered else 'called in code'}",
                               table, row_id, 0))
    return found


class UsagesDialog(QDialog):
    chosen = Signal(str, str, int)   # table, row id, line

    def __init__(self, kind: str, name: str, found: list[Usage], parent=None):
        super().__init__(parent)
        self.setObjectName("usages-dialog")
        self.setWindowTitle(f"Usages of {name}")
        self.resize(640, 360)
        layout = QVBoxLayout(self)
        what = {"hook": "hook", "event": "event"}.get(kind, "name")
        layout.addWidget(QLabel(f"{len(found)} usage(s) of the {what} {name}"))
        self.list = QListWidget()
        for usage in found:
            item = QListWidgetItem(usage.text)
            item.setData(ROW_ROLE, (usage.table, usage.row_id, usage.line))
            self.list.addItem(item)
        self.list.itemActivated.connect(self._activated)
        layout.addWidget(self.list)

    def _activated(self, item: QListWidgetItem) -> None:
        table, row_id, line = item.data(ROW_ROLE)
        if table:
            self.chosen.emit(table, row_id, line)
