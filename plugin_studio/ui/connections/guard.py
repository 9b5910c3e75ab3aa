"""The guard on writes: a production connection asks once per session before the first write, a
read-only one refuses every write with a clear message.

Every place where a write starts (save, import, migration, delete, a new plugin…) asks
``window.db.may_write(action)`` first. The read-only refusal here is the polite half; the other
half is the server's: a read-only connection's sessions run read-only transactions
(``services/connections.py``), so a write this guard does not know of is refused there too.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from plugin_studio.models.connections import SavedConnection


class WriteGuard(QObject):
    confirmed = Signal()          # the user allowed writing to production for this session
    refused = Signal(str)         # the message shown when a write was refused

    def __init__(self, parent: QWidget, connection: SavedConnection | None = None):
        super().__init__(parent)
        self._parent = parent
        self.connection = connection
        self.session_confirmed = False
        self._notice: QMessageBox | None = None

    def set_connection(self, connection: SavedConnection | None) -> None:
        """A new connection is a new session: production asks again."""
        self.connection = connection
        self.session_confirmed = False

    def allow(self, action: str) -> bool:
        """Whether ``action`` (a few words: "save app.js", "import a package") may write now; asks or
        refuses on the GUI thread before any job starts."""
        connection = self.connection
        if connection is None:
            return True
        if connection.read_only:
            self._refuse(connection, action)
            return False
        if connection.production and not self.session_confirmed:
            self.session_confirmed = self._ask(connection, action)
            if self.session_confirmed:
                self.confirmed.emit()
            return self.session_confirmed
        return True

    def _ask(self, connection: SavedConnection, action: str) -> bool:
        return ask_production(self._parent, [connection.name], action)

    def _refuse(self, connection: SavedConnection, action: str) -> None:
        message = refusal([connection.name], action) + (
            "\n\nYour edits are kept in the editor. To write, connect to another database or clear "
            "“Read-only” in Connections….")
        self.refused.emit(message)
        if self._notice is not None and self._notice.isVisible():
            self._notice.setText(message)
            return
        self._notice = show_refusal(self._parent, message)
        self._notice.destroyed.connect(lambda *_: setattr(self, "_notice", None))


def _quoted(names: list[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)


def refusal(names: list[str], action: str) -> str:
    what = "is a read-only connection" if len(names) == 1 else "are read-only connections"
    return f"{_quoted(names)} {what}: Plugin Studio did not {action}."


def show_refusal(parent: QWidget, message: str) -> QMessageBox:
    """The refusal as a box that does not block the window (it closes itself when dismissed)."""
    box = QMessageBox(QMessageBox.Icon.Information, "Read-only connection", message,
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("read-only-refused")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.show()
    return box


def ask_production(parent: QWidget, names: list[str], action: str) -> bool:
    """Whether the user allows writing to these production databases; Cancel is the default."""
    what = "is a production database" if len(names) == 1 else "are production databases"
    box = QMessageBox(QMessageBox.Icon.Warning, "Write to production?",
                      f"{_quoted(names)} {what}.\n\nYou are about to {action}. Writes to it change the live "
                      "store.\n\nAllow writing to it for the rest of this session?",
                      QMessageBox.StandardButton.Cancel, parent)
    box.setObjectName("production-write-confirm")
    allow = box.addButton("Allow Writing", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is allow


def group_writes_allowed(parent: QWidget, connections: list[SavedConnection],
                         action: str = "run the migrations on them") -> bool:
    """Before one run writes to many saved connections: any read-only one refuses the whole run
    (nothing starts), production ones are asked about together, once."""
    read_only = [c.name for c in connections if c.read_only]
    if read_only:
        show_refusal(parent, refusal(read_only, action) + " Nothing was started; take them out of the list.")
        return False
    production = [c.name for c in connections if c.production]
    return not production or ask_production(parent, production, action)
