"""Screenshots of saved connections at 1280×800: the connection list (File ▸ Connections…) and a
production window's frame: ``QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots_connections.py``.

Uses a throw-away data folder with its own embedded PostgreSQL; the saved connections point at
databases of that server.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import open_path, settle, wait  # noqa: E402  (it sets up a throw-away home and the offscreen platform)

DOCS = Path(__file__).resolve().parent
SIZE = (1280, 800)


def save_list(dsn: str) -> None:
    from plugin_studio.models.connections import ConnectionGroup, ConnectionList, SavedConnection
    from plugin_studio.services.connections import save_connections

    listing = ConnectionList()
    listing.put(SavedConnection("Shop (live)", dsn=dsn, production=True))
    listing.put(SavedConnection("Staging", host="staging.db.internal", port=5432, database="shop", user="deploy",
                                sslmode="verify-full", color="#1565c0"))
    for n, color in ((1, "#2e7d32"), (2, "#6a1b9a"), (3, "#ef6c00")):
        listing.put(SavedConnection(f"Tenant {n}", host="tenants.db.internal", database=f"tenant_{n}",
                                    user="studio", color=color, read_only=n == 3))
    listing.put_group(ConnectionGroup("Tenants", ("Tenant 1", "Tenant 2", "Tenant 3")))
    save_connections(listing)


def overlay(window, dialog):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(dialog.mapToGlobal(QPoint(0, 0)) - window.mapToGlobal(QPoint(0, 0)), dialog.grab())
    painter.end()
    return picture


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from plugin_studio.db import notify
    from plugin_studio.db.connection import open_database
    from plugin_studio.models.templates import get_template
    from plugin_studio.services.templates import create_from_template
    from plugin_studio.settings import Settings
    from plugin_studio.ui.connections.dialog import ConnectionsDialog
    from plugin_studio.ui.main_window import MainWindow

    dsn, conn = open_database(None)
    create_from_template(conn, get_template("cart-viewer"))
    notify.install_triggers(conn)   # as on a server where the user said yes once: no question at start
    conn.close()
    save_list(dsn)
    settings = Settings(theme="light")
    settings.save = lambda: None
    window = MainWindow("Shop (live)", settings=settings)
    window.show()
    wait(app, lambda: window.current_plugin is not None and window.workbench is not None)
    open_path(app, window, "hooks/product_price.js")
    window.resize(*SIZE)
    settle(app, 0.8)
    window.grab().save(str(DOCS / "production-frame-1280x800.png"))
    dialog = ConnectionsDialog(window, current="Staging")
    dialog.show()
    dialog.move(window.pos() + window.rect().center() - dialog.rect().center())
    settle(app, 0.6)
    overlay(window, dialog).save(str(DOCS / "connections-1280x800.png"))
    dialog.close()
    for tab in window.editors.all_tabs():
        tab.editor.set_text(tab.text())
    window.close()
    settle(app, 0.5)
    print("wrote production-frame-1280x800.png connections-1280x800.png")


if __name__ == "__main__":
    main()
