"""Screenshots of the command palette and of search results across plugins, at 1280×800 and
1920×1080, light and dark: ``QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots_workbench.py``.

Uses a throw-away data folder with its own embedded PostgreSQL, the starter Cart Viewer plugin and
two more plugins that share some code words. The palette is a popup window of its own: it is drawn
onto the window's picture where it sits.
"""
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PLUGIN_STUDIO_HOME"] = tempfile.mkdtemp(prefix="ps-shots-")
os.environ.pop("PLUGIN_STUDIO_DSN", None)
sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import open_path, settle, wait  # noqa: E402

DOCS = Path(__file__).resolve().parent
SIZES = ((1280, 800), (1920, 1080))
LOYALTY = """import { formatPrice } from './format';

export default function (price, product) {
  // members pay less: the price shown is the member price
  const memberPrice = Math.round(price * 0.95 * 100) / 100;
  return product && product.memberOnly ? memberPrice : price;
}
"""
BADGE = """export default function PriceBadge({ price }) {
  return <span className="badge">Only {formatPrice(price)} today</span>;
}
"""


MEMBER_PRICE = ('{"columns": [{"name": "id", "type": "UUID", "primaryKey": true},'
                ' {"name": "product_id", "type": "UUID", "nullable": false},'
                ' {"name": "member_price", "type": "DECIMAL(10,2)", "nullable": false}]}')


def seed(conn) -> None:
    from plugin_studio.db import entities, files, plugins
    from plugin_studio.models.templates import get_template
    from plugin_studio.services.templates import create_from_template

    create_from_template(conn, get_template("cart-viewer"))
    loyalty = plugins.create_plugin(conn, name="Loyalty Points").id
    files.create_hook(conn, loyalty, "product.price", "filter", LOYALTY)
    files.create_script(conn, loyalty, "utils/format.js",
                        "export const formatPrice = (price) => `€${price.toFixed(2)}`;\n")
    badges = plugins.create_plugin(conn, name="Price Badges").id
    files.create_script(conn, badges, "components/PriceBadge.jsx", BADGE)
    entities.create_entity(conn, loyalty, "MemberPrice", "member_prices", MEMBER_PRICE)


def shoot_search(app, window, size, name) -> None:
    search = window.search
    finished = []
    search.panel.search_finished.connect(finished.append)
    window.side_dock.raise_()
    window.settings.side_widths.pop("search", None)    # each size as a first search there
    settle(app, 0.3)
    search.start("price")
    search.panel.search()
    wait(app, lambda: finished)
    search.panel.results.expandAll()
    search.panel.results.setCurrentIndex(search.panel.model.index(0, 0, search.panel.model.index(0, 0,
                                                                  search.panel.model.index(1, 0))))
    settle(app, 0.6)
    window.grab().save(str(DOCS / f"search-results-{name}-{size[0]}x{size[1]}.png"))
    search.panel.search_finished.disconnect(finished.append)


def shoot_palette(app, window, size, name) -> None:
    from PySide6.QtGui import QPainter

    from plugin_studio.ui.command_palette import CommandPalette

    palette = CommandPalette(window.commands.registry, ["file.save", "debug.run"], window)
    palette.show()
    palette.field.setText("debug")
    settle(app, 0.6)
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(palette.pos() - window.pos(), palette.grab())
    painter.end()
    picture.save(str(DOCS / f"command-palette-{name}-{size[0]}x{size[1]}.png"))
    palette.close()


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from plugin_studio.db.connection import open_database

    _dsn, conn = open_database(None)
    seed(conn)
    conn.close()
    for name in ("light", "dark"):
        shoot(app, name)
    print("wrote", *sorted(p.name for p in DOCS.glob("*.png") if p.name.startswith(("search-", "command-"))))


def shoot(app, name: str) -> None:
    """Both pictures at both sizes in the theme ``name`` (the window applies its settings' theme)."""
    from plugin_studio.settings import Settings
    from plugin_studio.ui.main_window import MainWindow

    settings = Settings(theme=name)
    settings.save = lambda: None   # the throw-away folder's settings stay as they are
    window = MainWindow(None, settings=settings)
    window.show()
    wait(app, lambda: window.current_plugin is not None and window.workbench is not None)
    open_path(app, window, "hooks/product_price.js")
    for size in SIZES:
        window.resize(*size)
        settle(app, 0.8)
        shoot_search(app, window, size, name)
        shoot_palette(app, window, size, name)
    for tab in window.editors.all_tabs():
        tab.editor.set_text(tab.text())
    window.close()
    settle(app, 0.5)


if __name__ == "__main__":
    main()
