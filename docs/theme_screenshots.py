"""The main window and the widget preview in the light and the dark theme, at 1280×800 and 1920×1080:
``QT_QPA_PLATFORM=offscreen .venv/bin/python docs/theme_screenshots.py`` writes
``docs/main-window-{light,dark}-{size}.png`` and ``docs/widget-preview-{light,dark}-{size}.png``.

Uses a throw-away data folder with its own embedded PostgreSQL and the starter Cart Viewer plugin.
"""
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PLUGIN_STUDIO_HOME"] = tempfile.mkdtemp(prefix="ps-theme-shots-")
os.environ.pop("PLUGIN_STUDIO_DSN", None)
sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import open_path, settle, wait  # noqa: E402

DOCS = Path(__file__).resolve().parent
SIZES = ((1280, 800), (1920, 1080))


def shoot(app, window, theme_name: str) -> None:
    from plugin_studio.ui import theme

    window.settings.theme = theme_name
    theme.apply(window.settings)
    for width, height in SIZES:
        window.resize(width, height)
        code = open_path(app, window, "hooks/product_price.js")
        code.editor.go_to_line(2)
        window.workbench.migrations_dock.raise_()
        settle(app, 1.0)
        window.grab().save(str(DOCS / f"main-window-{theme_name}-{width}x{height}.png"))
        widget = open_path(app, window, "widgets/cart-visit-counter.jsx")
        wait(app, lambda: getattr(widget, "preview", None) is not None)
        settle(app, 1.5)
        widget.preview.dispatch_window_event("cart-viewed")
        settle(app, 0.8)
        window.grab().save(str(DOCS / f"widget-preview-{theme_name}-{width}x{height}.png"))


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
    window.settings.save = lambda: None
    window.show()
    wait(app, lambda: window.current_plugin is not None and window.workbench is not None)
    open_path(app, window, "events/cart_viewed.js")
    for theme_name in ("light", "dark"):
        shoot(app, window, theme_name)
    for tab in window.editors.all_tabs():
        tab.editor.set_text(tab.text())
    window.close()
    print("wrote", ", ".join(f"{kind}-{t}-{w}x{h}.png" for kind in ("main-window", "widget-preview")
                             for t in ("light", "dark") for w, h in SIZES))


if __name__ == "__main__":
    main()
