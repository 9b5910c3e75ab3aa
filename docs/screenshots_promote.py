"""Screenshots of Compare and Promote… and Compare Across Group… at 1280×800:
``QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots_promote.py``.

Uses a throw-away data folder with its own embedded PostgreSQL, where four databases stand for a
staging store, the live store and two tenants; Cart Viewer is changed on staging after it went live.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import settle, wait  # noqa: E402  (it sets up a throw-away home and the offscreen platform)

DOCS = Path(__file__).resolve().parent
SIZE = (1280, 800)
STORES = ("staging", "live", "tenant_1", "tenant_2")


def make_stores(dsn: str) -> dict[str, str]:
    import psycopg
    from psycopg.conninfo import make_conninfo

    from plugin_studio.db import files, schema
    from plugin_studio.models.templates import get_template
    from plugin_studio.services import promote
    from plugin_studio.services.templates import create_from_template

    dsns = {}
    with psycopg.connect(make_conninfo(dsn, dbname="postgres"), autocommit=True) as admin:
        for name in STORES:
            admin.execute(f'CREATE DATABASE "{name}"')
            dsns[name] = make_conninfo(dsn, dbname=name)
    conns = {name: psycopg.connect(d, autocommit=True) for name, d in dsns.items()}
    for conn in conns.values():
        schema.ensure_schema(conn)
    plugin = create_from_template(conns["staging"], get_template("cart-viewer"))
    for name in ("live", "tenant_1"):
        promote.promote(conns[name], promote.compare_plugins(conns["staging"], conns[name], plugin))
    staging = conns["staging"]
    staging.execute("UPDATE plugin_scripts SET file_content = replace(file_content, 'toFixed(2)', 'toFixed(3)')"
                    " WHERE file_name = 'utils/format_price.js'")
    staging.execute("UPDATE plugin_registry SET version = '1.1.0'")
    files.create_hook(staging, plugin, "cart.total", "filter",
                      "export default function (total) {\n  return Math.round(total * 100) / 100;\n}\n")
    staging.execute("UPDATE plugin_widgets SET default_config = '{\"limit\": 5}'")
    conns["tenant_1"].execute("UPDATE plugin_scripts SET file_content = file_content || E'\\nTenant notes.\\n'"
                              " WHERE file_name = 'README.md'")
    for conn in conns.values():
        conn.close()
    return dsns


def save_list(dsns: dict[str, str]) -> None:
    from plugin_studio.models.connections import ConnectionGroup, ConnectionList, SavedConnection
    from plugin_studio.services.connections import save_connections

    listing = ConnectionList()
    colors = {"staging": "#1565c0", "live": "#c62828", "tenant_1": "#2e7d32", "tenant_2": "#6a1b9a"}
    for name, dsn in dsns.items():
        listing.put(SavedConnection(name.replace("_", " ").title(), dsn=dsn, color=colors[name],
                                    production=name == "live"))
    listing.put_group(ConnectionGroup("All stores", tuple(c.name for c in listing.connections[1:])))
    save_connections(listing)


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from plugin_studio.db.connection import open_database
    from plugin_studio.ui.promote.dialog import PromoteDialog
    from plugin_studio.ui.promote.matrix import GroupCompareDialog

    dsn, conn = open_database(None)
    conn.close()
    dsns = make_stores(dsn)
    save_list(dsns)
    import psycopg

    with psycopg.connect(dsns["staging"]) as c:
        plugin = str(c.execute("SELECT id FROM plugin_registry").fetchone()[0])
    dialog = PromoteDialog(None, plugin, "Cart Viewer", dsns["staging"], "Staging")
    dialog.resize(*SIZE)
    dialog.show()
    dialog.target.setCurrentText("Live")
    dialog.compare()
    wait(app, lambda: dialog.plan is not None)
    group = dialog.tree.topLevelItem(1)
    dialog.tree.setCurrentItem(group.child(0))
    settle(app, 0.8)
    dialog.grab().save(str(DOCS / "compare-promote-1280x800.png"))
    dialog.close()
    matrix = GroupCompareDialog(None, "cart-viewer", "Cart Viewer")
    matrix.resize(*SIZE)
    matrix.show()
    matrix.compare()
    wait(app, lambda: matrix.matrix is not None)
    settle(app, 0.8)
    matrix.grab().save(str(DOCS / "compare-group-1280x800.png"))
    matrix.close()
    print("wrote compare-promote-1280x800.png compare-group-1280x800.png")


if __name__ == "__main__":
    main()
