"""Every hook and event name the database knows: the names handler rows are registered for, and the
names plugin code passes to the hook and event systems (found by PostgreSQL's own regular
expressions, so no code leaves the server). The editor's completion and its unknown-name check
read them (models/platform_names.py has the platform's own)."""
from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql
from psycopg.rows import class_row

from plugin_studio.db.records import CODE_COLUMN

# A literal first argument of hookSystem.apply/do/register… or eventSystem.emit/on/once…
CALL_PATTERN = (r"\.(apply|applyAsync|do|doAsync|register|emit|emitAsync|on|once|off)\(\s*"
                r"['\"`]([A-Za-z_][A-Za-z0-9_.:-]*)['\"`]")
EVENT_METHODS = ("emit", "emitAsync", "on", "once", "off")


@dataclass(frozen=True)
class NameOccurrence:
    """``kind``: hook | event; ``table``/``row_id``: where it is; ``plugin_id``: whose row;
    ``registered``: True for a handler row's own name, False for a name used in code."""
    name: str
    kind: str
    table: str
    row_id: str
    plugin_id: str
    registered: bool


def name_occurrences(conn: psycopg.Connection) -> list[NameOccurrence]:
    """All hook/event names of all plugins (rows and code), one query."""
    parts = [sql.SQL("SELECT hook_name, 'hook', 'plugin_hooks', id::text, plugin_id::text, true FROM plugin_hooks"),
             sql.SQL("SELECT event_name, 'event', 'plugin_events', id::text, plugin_id::text, true FROM plugin_events")]
    for table, column in CODE_COLUMN.items():
        parts.append(sql.SQL(
            "SELECT m[2], CASE WHEN m[1] = ANY({events}) THEN 'event' ELSE 'hook' END, {table_name}, t.id::text, "
            "t.plugin_id::text, false FROM {table} t, regexp_matches(t.{column}, {pattern}, 'g') AS m "
            "WHERE t.{column} IS NOT NULL").format(
                events=sql.Literal(list(EVENT_METHODS)), table_name=sql.Literal(table), table=sql.Identifier(table),
                column=sql.Identifier(column), pattern=sql.Literal(CALL_PATTERN)))
    query = sql.SQL(" UNION ALL ").join(parts)
    with conn.cursor(row_factory=class_row(NameOccurrence)) as cur:
        rows = cur.execute(sql.SQL("SELECT * FROM ({}) AS n(name, kind, \"table\", row_id, plugin_id, registered) "
                                   "WHERE name IS NOT NULL").format(query)).fetchall()
    return rows
