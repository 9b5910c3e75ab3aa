"""A plugin with every kind of part, written as the platform writes rows: three controllers (one with a
parameterised route), an entity, two cron jobs, README and CHANGELOG docs, an admin page and an admin
script. ``add_visits_plugin(conn)`` returns ``{"plugin": id, <part>: row id, ...}``.

The rows are inserted with only the columns the platform's own API sets, so every other column has the
table's default, as on a real platform database (tests/platform_db.py).
"""
from __future__ import annotations

from dataclasses import replace

from platform_db import insert_platform_plugin, insert_row

from plugin_studio.runner.limits import Limits

# Wall-time limits for workers running these parts: generous, so a loaded machine does not turn a test
# into a time-limit test (``short_limits`` for the tests of a limit itself).
ROOMY = Limits(timeout_ms=60_000, grace_ms=1500, memory_mb=256, stack_kb=1024, console_bytes=100_000)


def short_limits(ms: int) -> Limits:
    return replace(ROOMY, timeout_ms=ms)

LIST_VISITS = "async (req, res) => {\n  res.json({ visits: [], query: req.query });\n}"
GET_VISIT = """function getVisit(req, res) {
  console.log('looking up', req.params.id);
  if (req.params.id === 'missing') {
    return res.status(404).json({ success: false, error: 'no visit ' + req.params.id });
  }
  res.json({ id: req.params.id, body: req.body, query: req.query, user: req.user === undefined ? 'anonymous' : req.user.role,
             keys: Object.keys(req), params: req.params, method: req.method });
}"""
RECORD_VISIT = "async (req, res, { supabase }) => {\n  const n = (await pluginData.get('visits')) || 0;\n  await pluginData.set('visits', n + 1);\n}"
ENTITY_SCHEMA = {
    "columns": [
        {"name": "id", "type": "UUID", "primaryKey": True, "default": "gen_random_uuid()"},
        {"name": "page", "type": "VARCHAR(255)", "nullable": False},
        {"name": "hits", "type": "INTEGER", "default": 0},
        {"name": "revenue", "type": "DECIMAL(10,2)", "default": 0.0},
    ],
    "indexes": [{"name": "idx_visits_page", "columns": ["page"]}],
}
SUMMARY_CRON = "const total = (await pluginData.get('visits')) || 0;\nconsole.log('visits so far', total);\nreturn { total, window: params.window };"
CLEANUP_CRON = "await new Promise((resolve) => setTimeout(resolve, 10));\nreturn 'cleaned';"
ADMIN_PAGE = ("function VisitsAdmin() {\n  return React.createElement('div', { className: 'visits-admin' },\n"
              "    React.createElement('h2', null, 'Visits'));\n}\n")


def add_visits_plugin(conn, name: str = "Visits", slug: str = "visits", status: str = "active") -> dict[str, str]:
    plugin = insert_platform_plugin(conn, name, slug=slug, status=status, is_enabled=True)
    ids = {"plugin": plugin}
    ids["list"] = insert_row(conn, "plugin_controllers", plugin_id=plugin, controller_name="list-visits",
                             method="GET", path="/visits", handler_code=LIST_VISITS)
    ids["get"] = insert_row(conn, "plugin_controllers", plugin_id=plugin, controller_name="get-visit",
                            method="GET", path="/visits/:id", handler_code=GET_VISIT, requires_auth=True)
    ids["record"] = insert_row(conn, "plugin_controllers", plugin_id=plugin, controller_name="record-visit",
                               method="POST", path="/visits", handler_code=RECORD_VISIT)
    ids["entity"] = insert_row(conn, "plugin_entities", plugin_id=plugin, entity_name="Visit",
                               table_name="visits_log", schema_definition=ENTITY_SCHEMA, description="Page visits")
    ids["summary"] = insert_row(conn, "plugin_cron", plugin_id=plugin, cron_name="daily-summary",
                                cron_schedule="*/15 9-17 * * 1-5", timezone="Europe/Berlin",
                                handler_method="summarise", handler_code=SUMMARY_CRON, handler_params={"window": "day"})
    ids["cleanup"] = insert_row(conn, "plugin_cron", plugin_id=plugin, cron_name="cleanup", cron_schedule="0 3 * * 0",
                                handler_method="cleanup", handler_code=CLEANUP_CRON)
    ids["readme"] = insert_row(conn, "plugin_docs", plugin_id=plugin, doc_type="readme", file_name="README.md",
                               title="README", content="# Visits\n\nCounts **page visits**.\n")
    ids["changelog"] = insert_row(conn, "plugin_docs", plugin_id=plugin, doc_type="changelog", file_name="CHANGELOG.md",
                                  title="CHANGELOG", content="## 1.0.0\n\n- First release\n")
    ids["admin"] = insert_row(conn, "plugin_admin_pages", plugin_id=plugin, page_key="visits-admin",
                              page_name="Visits", route="/admin/plugins/visits", component_code=ADMIN_PAGE)
    ids["admin_script"] = insert_row(conn, "plugin_admin_scripts", plugin_id=plugin, script_name="visits-nav",
                                     script_code="window.visitsNav = true;")
    return ids
