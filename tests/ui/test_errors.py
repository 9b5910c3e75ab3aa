"""Unexpected errors are logged with their traceback and shown with the log's path; known ones plainly."""
import logging

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
