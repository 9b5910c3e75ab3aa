"""Sample migration files and small helpers shared by the migration tests."""
from __future__ import annotations

from plugin_studio.db.migrations import record_migration
from plugin_studio.models.migration_file import parse_migration_file

# Written the way the platform's example files are: decorated header, decorated markers,
# a DOWN section commented out line by line, and text that only a real lexer reads right.
PLATFORM_FILE = """\
-- =====================================================
-- MIGRATION: Create loyalty points
-- Plugin: {name} ({id})
-- Version: 2.0.0
-- Description: Points per customer
-- =====================================================

-- UP Migration
CREATE TABLE loyalty_points (
    customer_id text PRIMARY KEY,
    points integer NOT NULL DEFAULT 0 CHECK (points >= 0),
    note text DEFAULT 'earned; -- DOWN Migration'
);
CREATE FUNCTION loyalty_total() RETURNS bigint LANGUAGE plpgsql AS $body$
BEGIN
    -- a comment inside the body; stays SQL
    RETURN (SELECT coalesce(sum(points), 0) FROM loyalty_points);
END $body$;

-- =====================================================
-- DOWN Migration
-- =====================================================
-- Undo the UP section:
-- DROP FUNCTION IF EXISTS loyalty_total();
-- DROP TABLE IF EXISTS loyalty_points;
"""



def record_text(conn, plugin, text: str, file_name: str | None = None) -> str:
    m = parse_migration_file(text, file_name)
    return record_migration(conn, plugin.id, plugin.name, version=m.version, name=m.migration_name(file_name),
                            up_sql=m.up_sql, down_sql=m.down_sql, description=m.description)


def add_migration(conn, plugin, version: str, up: str, down: str | None = None) -> str:
    text = f"-- Version: {version}\n-- MIGRATION: m{version}\n-- UP Migration\n{up}\n-- DOWN Migration\n{down or ''}\n"
    return record_text(conn, plugin, text)


def table_exists(conn, name: str) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()[0]
