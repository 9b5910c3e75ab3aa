"""Screenshots of the request pane and the entity editor, at 1280×800 and 1920×1080:
``QT_QPA_PLATFORM=offscreen .venv/bin/python docs/parts_screenshots.py``.

Uses a throw-away data folder with its own embedded PostgreSQL and a small "Visits" plugin.
"""
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PLUGIN_STUDIO_HOME"] = tempfile.mkdtemp(prefix="ps-parts-shots-")
os.environ.pop("PLUGIN_STUDIO_DSN", None)
DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS))

from screenshots import open_path, settle, wait  # noqa: E402

GET_VISIT = """async (req, res, { supabase }) => {
  const id = req.params.id;
  console.log('looking up visit', id, 'for', req.user ? req.user.role : 'anonymous');
  if (id === 'missing') {
    return res.status(404).json({ success: false, error: 'no visit ' + id });
  }
  res.json({ id, page: req.body.page, tags: req.query.tag, seenBy: req.user && req.user.email });
}
"""
VISIT = ('{"columns": [{"name": "id", "type": "UUID", "primaryKey": true, "default": "gen_random_uuid()"},'
         ' {"name": "page", "type": "VARCHAR(255)", "nullable": false, "unique": true},'
         ' {"name": "hits", "type": "INTEGER", "nullable": false, "default": 0},'
         ' {"name": "revenue", "type": "DECIMAL(10,2)", "default": 0.00},'
         ' {"name": "seen_at", "type": "TIMESTAMP", "default": "now()"}],'
         ' "indexes": [{"name": "idx_visits_log_seen_at", "columns": ["seen_at"], "order": "DESC"}]}')


def seed(conn) -> None:
    from plugin_studio.db import controllers, cron, docs, entities, plugins

    plugin = plugins.create_plugin(conn, "Visits", slug="visits", status="active")
    controllers.create_controller(conn, plugin.id, "list-visits", "GET", "/visits",
                                  "(req, res) => {\n  res.json({ visits: [] });\n}\n")
    controllers.create_controller(conn, plugin.id, "get-visit", "GET", "/visits/:id", GET_VISIT, requires_auth=True)
    controllers.create_controller(conn, plugin.id, "record-visit", "POST", "/visits",
                                  "async (req, res) => {\n  await pluginData.set('last', req.body);\n}\n")
    entities.create_entity(conn, plugin.id, "Visit", "visits_log", VISIT, description="Page visits")
    cron.create_cron(conn, plugin.id, "daily-summary", "*/15 9-17 * * 1-5", "summarise", "return { ok: true };",
                     timezone="Europe/Berlin")
    docs.create_doc(conn, plugin.id, "readme", "# Visits\n\nCounts page visits.\n")


def shoot(app, window, name: str) -> None:
    for width, height in ((1280, 800), (1920, 1080)):
        window.resize(width, height)
        settle(app, 1.0)
        out = DOCS / f"{name}-{width}x{height}.png"
        window.grab().save(str(out))
        print("wrote", out)


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from plugin_studio.db.connection import open_database
    from plugin_studio.settings import Settings
    from plugin_studio.ui.main_window import MainWindow

    _dsn, conn = open_database(None)
    seed(conn)
    conn.close()
    window = MainWindow(None, settings=Settings())
    window.resize(1280, 800)
    window.show()
    wait(app, lambda: window.current_plugin is not None and window.workbench is not None)

    for dock in (window.workbench.migrations_dock, window.workbench.debugger_dock):
        dock.hide()  # the request pane gets the window's height
    tab = open_path(app, window, "controllers/get-visit.js")
    wait(app, lambda: getattr(tab, "preview", None) is not None)
    pane = tab.preview
    pane.target.setText("/visits/42?tag=home&tag=promo")
    pane.body.setPlainText('{\n  "page": "/checkout"\n}')
    pane.role.setCurrentText("customer")
    answers = []
    pane.answered.connect(answers.append)
    pane.send()
    wait(app, lambda: bool(answers), 60)
    shoot(app, window, "request-pane")

    window.workbench.migrations_dock.show()  # where the generated migration goes
    tab = open_path(app, window, "entities/Visit.json")
    wait(app, lambda: getattr(tab, "preview", None) is not None)
    made = []
    tab.preview.migration_generated.connect(made.append)
    tab.preview.generate()
    wait(app, lambda: bool(made), 30)
    shoot(app, window, "entity-editor")
    for t in window.editors.all_tabs():
        t.editor.set_text(t.text())
    window.close()


if __name__ == "__main__":
    main()
