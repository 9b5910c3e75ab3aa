"""The window on a platform-shaped database holding the Visits plugin (tests/plugin_parts.py)."""
from __future__ import annotations

import pytest
from plugin_parts import add_visits_plugin

from plugin_studio.settings import Settings


@pytest.fixture
def visits(platform_conn):
    return add_visits_plugin(platform_conn)


@pytest.fixture
def window(qtbot, recovery, platform_dsn, visits, monkeypatch):
    """A MainWindow showing the Visits plugin (it polls for other clients' changes: no triggers asked)."""
    from PySide6.QtWidgets import QMessageBox

    from plugin_studio.ui.main_window import MainWindow

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.No)

    settings = Settings(last_plugin_id=visits["plugin"], runner_timeout_ms=60_000)
    settings.save = lambda: None
    shown = MainWindow(platform_dsn, settings=settings, recovery=recovery)
    with qtbot.waitSignal(shown.plugins_listed, timeout=30_000):
        shown.show()
    qtbot.waitUntil(lambda: shown.current_plugin is not None and shown.current_plugin.id == visits["plugin"])
    yield shown
    for tab in shown.editors.all_tabs():
        tab.editor.set_text(tab.text())
    shown.close()
    shown.deleteLater()
