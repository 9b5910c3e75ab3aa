"""Qt fixtures: the real main window against this test's database, and answering modal dialogs."""
from __future__ import annotations

import pytest

from plugin_studio.models.recovery import RecoveryStore
from plugin_studio.settings import Settings


@pytest.fixture
def recovery(tmp_path) -> RecoveryStore:
    return RecoveryStore(tmp_path / "recovery")


@pytest.fixture
def make_window(qtbot, dsn, recovery):
    """Open a MainWindow on the test database; waits until the plugin list is shown."""
    from plugin_studio.ui.main_window import MainWindow

    windows = []

    def make(select_plugin: str | None = None):
        settings = Settings(last_plugin_id=select_plugin)
        settings.save = lambda: None  # tests never write the user's settings file
        # Not qtbot.addWidget: pytest-qt would close it before this fixture can clean dirty tabs.
        window = MainWindow(dsn, settings=settings, recovery=recovery)
        with qtbot.waitSignal(window.plugins_listed, timeout=10000):
            window.show()
        if select_plugin:
            qtbot.waitUntil(lambda: window.current_plugin is not None and window.current_plugin.id == select_plugin)
        windows.append(window)
        return window

    yield make
    for window in windows:
        for tab in window.editors.all_tabs():
            tab.editor.set_text(tab.text())  # clean, so closing asks nothing
        window.close()
        window.deleteLater()
