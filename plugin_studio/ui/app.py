"""Starting the IDE: logging, the crash hook, the application object, the main window."""
from __future__ import annotations

import os
import sys

from plugin_studio import __version__

# A thread waiting for the GIL gets it after at most this long (s); Python's default is 5 ms. The
# GUI thread re-takes the GIL after each Qt call that released it: with the checks, fold levels and
# outline of a 1 MB file running on other threads, a keystroke waited for it p95 33 ms at 5 ms,
# 7 ms at 0.5 ms (no checks running: 13 ms; tests/perf/test_editor_perf.py). Threads that do not
# contend for the GIL are not switched at all, so idle or single-threaded work pays nothing.
GUI_SWITCH_INTERVAL_S = 0.0005


def share_the_gil_with_the_gui() -> None:
    """Let the GUI thread take the GIL back from busy background threads within half a millisecond."""
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)


def run_app(args) -> int:
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from plugin_studio.ui.collector import GuiGarbageCollector
    from plugin_studio.ui.errors import install_excepthook, setup_logging
    from plugin_studio.ui.main_window import MainWindow
    from plugin_studio.ui.resources import app_icon

    setup_logging()
    share_the_gil_with_the_gui()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Plugin Studio")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("plugin-studio")
    QGuiApplication.setDesktopFileName("plugin-studio")
    app.setWindowIcon(app_icon())
    unexpected_errors = install_excepthook()
    collector = GuiGarbageCollector(parent=app)  # before any worker thread starts
    collector.start()
    window = MainWindow(getattr(args, "dsn", None))
    unexpected_errors.parent = window   # from now on its dialogs sit over the window and stay
    window.show()
    _close_on_termination_signals(app, window)
    return app.exec()


def _close_on_termination_signals(app, window) -> None:
    """SIGTERM / Ctrl+C close the window as the user would: unsaved work is kept (recovery files),
    workers stop, and the embedded server is stopped on the way out."""
    import signal

    from PySide6.QtCore import QTimer

    def request_close(_signum, _frame):
        window.editors.write_recovery()
        QTimer.singleShot(0, window.close_without_asking)

    signal.signal(signal.SIGTERM, request_close)
    signal.signal(signal.SIGINT, request_close)
    # Python runs signal handlers only between bytecodes; a timer lets it in while Qt's loop waits.
    heartbeat = QTimer(app)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(250)
