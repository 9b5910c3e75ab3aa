"""The one place errors are shown, and logging to a rotating file under the log folder.

Errors raised below ``ui/`` are typed (db.errors, runner errors); here they become a clear,
non-blocking message. Unexpected exceptions are logged with their traceback and shown with the
log's path.
"""
from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from plugin_studio import settings
from plugin_studio.db.errors import ConflictError, ConnectionLost, NotFound, SqlError, StudioDbError, ValidationError

log = logging.getLogger("plugin_studio")


def log_file():
    return settings.log_dir() / "plugin-studio.log"


def setup_logging() -> None:
    handler = logging.handlers.RotatingFileHandler(log_file(), maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("pgserver").setLevel(logging.WARNING)  # it narrates every start at INFO


def describe_error(error: BaseException) -> str:
    if isinstance(error, SqlError):
        p = error.problem
        parts = [p.message]
        if p.detail:
            parts.append(f"Detail: {p.detail}")
        if p.hint:
            parts.append(f"Hint: {p.hint}")
        if p.position:
            parts.append(f"At character {p.position}")
        return "\n".join(parts)
    if isinstance(error, (ValidationError, NotFound, ConflictError, ConnectionLost, StudioDbError)):
        return str(error)
    runner_message = getattr(error, "user_message", None)
    if runner_message:
        return runner_message
    return f"{type(error).__name__}: {error}"


def is_unexpected(error: BaseException) -> bool:
    return not isinstance(error, StudioDbError) and not getattr(error, "user_message", None) \
        and type(error).__module__.split(".")[0] not in ("plugin_studio",)


def show_error(parent: QWidget | None, title: str, error: BaseException, logged: bool = False) -> QMessageBox:
    """Non-blocking: the window keeps working while the message is up. An unexpected error is
    logged with its traceback (unless ``logged`` already) and the message names the log file."""
    text = describe_error(error)
    if is_unexpected(error):
        if not logged:
            log.error("%s: %s", title, "".join(traceback.format_exception(error)))
        text += f"\n\nDetails are in the log: {log_file()}"
    else:
        log.info("%s: %s", title, text)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("error-message")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.show()
    return box


class UnexpectedErrors:
    """Shows exceptions nobody caught (in a slot, say): logged with their traceback, then a dialog
    naming the log file, parented to the main window so it stays up (a parentless box nobody holds
    is garbage-collected at once). The same error again while its dialog is open opens no second
    one: a slot failing on every repaint must not bury the window in dialogs."""

    MAX_OPEN = 3

    def __init__(self, parent: QWidget | None = None):
        self.parent = parent
        self.open: list[QMessageBox] = []   # held here too: a parentless box must not be collected

    def __call__(self, exc_type, exc, tb) -> None:
        log.critical("unexpected error", exc_info=(exc_type, exc, tb))
        try:
            self._show(exc)
        except Exception:  # the dialog itself failed: the log still has it
            sys.__excepthook__(exc_type, exc, tb)

    def _show(self, error: BaseException) -> None:
        self.open = [box for box in self.open if shiboken6.isValid(box) and box.isVisible()]
        text = describe_error(error)
        if len(self.open) >= self.MAX_OPEN or any(text in box.text() for box in self.open):
            return
        parent = self.parent if self.parent is not None and shiboken6.isValid(self.parent) else None
        box = show_error(parent, "Unexpected error", error, logged=True)
        box.setObjectName("unexpected-error")
        self.open.append(box)


def install_excepthook(parent: QWidget | None = None) -> UnexpectedErrors:
    """Route exceptions nobody caught to a dialog over ``parent`` (the main window, once it exists)."""
    hook = UnexpectedErrors(parent)
    sys.excepthook = hook
    return hook
