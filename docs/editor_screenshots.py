"""Regenerate the editor's screenshots at 1280×800: the completion list with a hook's documentation,
a syntax error with its message, and the outline.
``QT_QPA_PLATFORM=offscreen .venv/bin/python docs/editor_screenshots.py``

Uses a throw-away data folder with its own embedded PostgreSQL and the starter Cart Viewer plugin.
Popups (the completion list, its documentation) are separate windows: they are painted onto the
window's picture where they stand on screen.
"""
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PLUGIN_STUDIO_HOME"] = tempfile.mkdtemp(prefix="ps-editor-shots-")
os.environ.pop("PLUGIN_STUDIO_DSN", None)
sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import open_path, settle, wait  # noqa: E402

DOCS = Path(__file__).resolve().parent
WIDGET = """import React from 'react';

// Shows how often this cart was viewed, with the total.
export default function CartVisitCounter({ config, slotData }) {
  const [visits, setVisits] = React.useState(0);
  const total = useCartTotal(slotData.cart);
  React.useEffect(() => {
    const off = eventSystem.on('cart.viewed', () => setVisits((n) => n + 1));
    return off;
  }, []);
  return React.createElement('div', { className: 'visits' },
    React.createElement('strong', null, config.title || 'Cart visits'),
    `: ${visits} (${formatPrice(total)})`);
}

function useCartTotal(cart) {
  return React.useMemo(() => (cart ? cart.total : 0), [cart]);
}

function formatPrice(value) {
  return '$' + value.toFixed(2);
}
"""
HOOK = """// Filter for the cart's items: hides free gifts.
export default function hideGifts(items, context) {
  const visible = items.filter((item) => item.price > 0);
  if (visible.length < items.length) {
    hookSystem.do('cart.afterLoadItems', { items: visible, ...context });
  return visible;
}
"""


def with_popups(window):
    """The window's picture with the visible popup windows painted where they are."""
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication

    picture = window.grab()
    painter = QPainter(picture)
    for widget in QApplication.topLevelWidgets():
        if widget is not window and widget.isVisible() and widget.isWindow():
            painter.drawPixmap(window.mapFromGlobal(widget.mapToGlobal(widget.rect().topLeft())), widget.grab())
    painter.end()
    return picture


def main() -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
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
    window.resize(1280, 800)
    window.show()
    wait(app, lambda: window.current_plugin is not None and window.workbench is not None)
    wait(app, lambda: window.workbench.checker.known.occurrences != ())

    tab = open_path(app, window, "hooks/product_price.js")
    tab.editor.set_text(HOOK)
    tab.editor.gotoPos(tab.editor.lineEndPosition(0))
    QTest.keyClicks(tab.editor, " ")
    wait(app, lambda: tab.editor.problems() != [])
    settle(app, 1.0)
    window.grab().save(str(DOCS / "editor-diagnostic.png"))

    tab.editor.set_text(HOOK.replace("    hookSystem.do(", "    hookSystem.apply(").replace("  return visible;\n", "  }\n  return visible;\n"))
    line_end = tab.editor.lineEndPosition(4)
    tab.editor.gotoPos(tab.editor.positionFromLine(4) + len("    hookSystem.apply('"))
    tab.editor.setSel(tab.editor.currentPos(), tab.editor.text_bytes().index(b"'", tab.editor.currentPos()))
    tab.editor.replaceSel("cart.pro")
    tab.editor.take_focus()
    settle(app, 0.5)
    QTest.keyClick(tab.editor, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    settle(app, 0.5)
    assert line_end and tab.editor.autoCActive()
    with_popups(window).save(str(DOCS / "editor-completion.png"))
    tab.editor.autoCCancel()
    tab.editor.set_text(tab.document.loaded_text)

    utils_tab = open_path(app, window, "utils/format_price.js")
    utils_tab.editor.set_text(WIDGET)
    wait(app, lambda: utils_tab.outline.symbols() != [])
    settle(app, 1.5)
    window.grab().save(str(DOCS / "editor-outline.png"))
    utils_tab.editor.set_text(utils_tab.document.loaded_text)
    window.close()


if __name__ == "__main__":
    main()
