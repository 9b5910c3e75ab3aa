"""Unexpected errors are logged with their traceback and shown with the log's path; known ones plainly."""
import logging
import sys

import pytest
from PySide6.QtWidgets import QMainWindow, QMessageBox, QPushButton

from plugin_studio.db.errors import SqlError, SqlProblem
from plugin_studio.ui import errors


def test_an_unexpected_error_is_logged_and_shown_with_the_log_path(qtbot, tmp_path):
    errors.setup_logging()
    try:
        raise KeyError("boom")
    except KeyError as exc:
        box = errors.show_error(None, "Unexpected error", exc)
    qtbot.addWidget(box)
    assert str(errors.log_file()) in box.text()
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = errors.log_file().read_text(encoding="utf-8")
    assert "Traceback" in logged and "KeyError: 'boom'" in logged


def test_a_server_error_shows_its_message_hint_and_position_without_a_log_pointer(qtbot):
    problem = SqlProblem("syntax error at or near \"SELEC\"", hint="Check the spelling", position=7)
    box = errors.show_error(None, "Could not save", SqlError(problem))
    qtbot.addWidget(box)
    assert box.text().splitlines() == ['syntax error at or near "SELEC"', "Hint: Check the spelling",
                                       "At character 7"]


@pytest.mark.qt_no_exception_capture
def test_an_exception_raised_in_a_slot_shows_a_dialog_over_the_window_naming_the_log(qtbot):
    errors.setup_logging()
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    button = QPushButton("Break", window)
    button.clicked.connect(_broken_slot)
    previous = sys.excepthook
    errors.install_excepthook(window)
    try:
        button.click()   # the slot raises; Qt hands the exception to sys.excepthook
        qtbot.waitUntil(lambda: bool(_unexpected_dialogs(window)))
        (box,) = _unexpected_dialogs(window)
        assert box.isVisible() and box.parent() is window
        assert "KeyError: 'no such row'" in box.text() and str(errors.log_file()) in box.text()
        logged = _logged_count("no such row")
        button.click()   # the same error again while its dialog is up: logged, but no second dialog
        qtbot.waitUntil(lambda: _logged_count("no such row") > logged)
        assert len(_unexpected_dialogs(window)) == 1
    finally:
        sys.excepthook = previous
        for box in _unexpected_dialogs(window):
            box.close()


def _broken_slot():
    raise KeyError("no such row")


def _logged_count(text: str) -> int:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return errors.log_file().read_text(encoding="utf-8").count(f"KeyError: '{text}'")


def _unexpected_dialogs(window) -> list[QMessageBox]:
    return [box for box in window.findChildren(QMessageBox, "unexpected-error") if box.isVisible()]
