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


def show_error(parent: QWidget | None, title: str, error: BaseException) -> QMessageBox:
    """Non-blocking: the window keeps working while the message is up."""
    text = describe_error(error)
    if is_unexpected(error):
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


def install_excepthook() -> None:
    """An exception nobody caught (in a slot, say) is logged and shown instead of killing the IDE."""
    def hook(exc_type, exc, tb):
        log.critical("unexpected error", exc_info=(exc_type, exc, tb))
        try:
            show_error(None, "Unexpected error", exc)
        except Exception:  # the dialog itself failed: the log still has it
            sys.__excepthook__(exc_type, exc, tb)

    sys.excepthook = hook
