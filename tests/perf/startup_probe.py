"""Start the IDE as a user would (embedded database, first plugin opened) and report, as JSON:
seconds from process start to the first window showing a plugin's tree, and the idle RSS.

Run by test_core_perf.py in a fresh process; PLUGIN_STUDIO_HOME picks the data folder.
"""
import json
import os
import sys
import time

import psutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
PROCESS_START = psutil.Process().create_time()


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from plugin_studio.settings import Settings
    from plugin_studio.ui.main_window import MainWindow

    window = MainWindow(None, settings=Settings())
    shown = {}
    window.plugin_loaded.connect(lambda _pid: shown.setdefault("t", time.time()))
    window.show()
    deadline = time.time() + 60
    while "t" not in shown and time.time() < deadline:
        app.processEvents()
        time.sleep(0.002)
    first_window_s = shown["t"] - PROCESS_START
    settle_until = time.time() + 3  # idle: workers started, nothing to do
    while time.time() < settle_until:
        app.processEvents()
        time.sleep(0.01)
    rss_mb = psutil.Process().memory_info().rss / 2**20
    children_mb = sum(c.memory_info().rss for c in psutil.Process().children(recursive=True)
                      if "postgres" not in c.name()) / 2**20
    print(json.dumps({"first_window_s": first_window_s, "rss_mb": rss_mb, "runner_children_mb": children_mb}))
    window.close()


def seed() -> None:
    """Create a plugin in the embedded database so the first window has one to open."""
    from plugin_studio.db.connection import open_database
    from plugin_studio.models.templates import get_template
    from plugin_studio.services.templates import create_from_template

    _dsn, conn = open_database(None)
    create_from_template(conn, get_template("cart-viewer"))
    conn.close()


def reference() -> None:
    """The same window machinery with nothing of ours: Qt up and one empty main window shown."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.show()
    app.processEvents()
    print(json.dumps({"first_window_s": time.time() - PROCESS_START,
                      "rss_mb": psutil.Process().memory_info().rss / 2**20}))


if __name__ == "__main__":
    {"main": main, "seed": seed, "reference": reference}[sys.argv[1]]()
