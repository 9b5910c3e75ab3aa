"""Regenerate the README's screenshots: ``QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots.py``.

Uses a throw-away data folder with its own embedded PostgreSQL and the starter Cart Viewer plugin.
"""
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PLUGIN_STUDIO_HOME"] = tempfile.mkdtemp(prefix="ps-shots-")
os.environ.pop("PLUGIN_STUDIO_DSN", None)
DOCS = Path(__file__).resolve().parent


def wait(app, condition, seconds=20.0):
    deadline = time.time() + seconds
    while time.time() < deadline and not condition():
        app.processEvents()
        time.sleep(0.01)
    if not condition():
        raise SystemExit("timed out waiting for the window")


def settle(app, seconds=0.6):
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.01)


def open_path(app, window, path):
    index = window.tree_model.index_for_path(path)
    window.tree.setCurrentIndex(index)
    window.open_entry(window.tree.current_entry())
    wait(app, lambda: window.editors.current_tab() is not None and window.editors.current_tab().document.path == path)
    return window.editors.current_tab()


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from plugin_studio.db.connection import open_database
    from plugin_studio.models.templates import get_template
    from plugin_studio.services.templates import create_from_template
    from plugin_studio.settings import Settings
    from plugin_studio.ui.main_window import MainWindow

    _dsn, conn = open_database(None)
    create_from_template(conn, get_template("cart-viewer"))
    conn.close()
    window = MainWindow(None, settings=Settings())
    window.resize(1440, 900)
    window.show()
    wait(app, lambda: window.current_plugin is not None and window.workbench is not None)
    open_path(app, window, "events/cart_viewed.js")
    tab = open_path(app, window, "hooks/product_price.js")
    settle(app, 1.5)
    window.grab().save(str(DOCS / "main-window.png"))

    tab = open_path(app, window, "widgets/cart-visit-counter.jsx")
    wait(app, lambda: getattr(tab, "preview", None) is not None)
    settle(app, 2.0)
    for _ in range(2):
        tab.preview.dispatch_window_event("cart-viewed")
        settle(app, 0.5)
    tab.grab().save(str(DOCS / "widget-preview-editor.png"))
    for t in window.editors.all_tabs():
        t.editor.set_text(t.text())
    window.close()
    print("wrote", DOCS / "main-window.png", "and", DOCS / "widget-preview-editor.png")


if __name__ == "__main__":
    main()
