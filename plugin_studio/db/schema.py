"""The platform's canonical plugin tables, created idempotently in an empty database.

Column names and types follow the platform (DESIGN.md §4): note that most tables key
plugins by a varchar ``plugin_id`` while widgets and migrations use uuid. The production
unique constraints are included; there is no FK to a ``users`` table.
"""
from __future__ import annotations

import psycopg

SCHEMA_VERSION = 1

TABLES_DDL = """
CREATE TABLE IF NOT EXISTS plugin_registry (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar(255) NOT NULL,
    slug varchar(255) NOT NULL,
    version varchar(50) NOT NULL DEFAULT '1.0.0',
    description text,
    type varchar(50) DEFAULT 'custom',
    category varchar(100),
    author varchar(255),
    status varchar(20) NOT NULL DEFAULT 'active',
    framework varchar(50) DEFAULT 'react',
    manifest jsonb NOT NULL DEFAULT '{}'::jsonb,
    permissions jsonb NOT NULL DEFAULT '[]'::jsonb,
    dependencies jsonb NOT NULL DEFAULT '[]'::jsonb,
    tags jsonb NOT NULL DEFAULT '[]'::jsonb,
    creator_id uuid,
    is_installed boolean NOT NULL DEFAULT true,
    is_enabled boolean NOT NULL DEFAULT true,
    is_starter_template boolean NOT NULL DEFAULT false,
    starter_icon varchar(100),
    starter_description text,
    starter_prompt text,
    starter_order integer,
    is_public boolean NOT NULL DEFAULT false,
    deprecated_at timestamptz,
    deprecation_reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS plugin_scripts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id varchar(255) NOT NULL,
    file_name varchar(500) NOT NULL,
    file_content text NOT NULL DEFAULT '',
    script_type varchar(10) NOT NULL DEFAULT 'js',
    scope varchar(20) NOT NULL DEFAULT 'frontend',
    load_priority integer NOT NULL DEFAULT 10,
    is_enabled boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS plugin_scripts_plugin_idx ON plugin_scripts (plugin_id);

CREATE TABLE IF NOT EXISTS plugin_events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id varchar(255) NOT NULL,
    event_name varchar(255) NOT NULL,
    listener_function text NOT NULL DEFAULT '',
    priority integer NOT NULL DEFAULT 10,
    is_enabled boolean NOT NULL DEFAULT true,
    file_name varchar(500),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS plugin_events_plugin_idx ON plugin_events (plugin_id);
CREATE INDEX IF NOT EXISTS plugin_events_name_idx ON plugin_events (event_name);

CREATE TABLE IF NOT EXISTS plugin_hooks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id varchar(255) NOT NULL,
    hook_name varchar(255) NOT NULL,
    hook_type varchar(20) NOT NULL DEFAULT 'filter' CHECK (hook_type IN ('filter', 'action')),
    handler_function text NOT NULL DEFAULT '',
    priority integer NOT NULL DEFAULT 10,
    is_enabled boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS plugin_hooks_plugin_idx ON plugin_hooks (plugin_id);
CREATE INDEX IF NOT EXISTS plugin_hooks_name_idx ON plugin_hooks (hook_name);

CREATE TABLE IF NOT EXISTS plugin_widgets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id uuid NOT NULL,
    widget_id varchar(255) NOT NULL,
    widget_name varchar(255) NOT NULL,
    description text,
    component_code text NOT NULL DEFAULT '',
    default_config jsonb NOT NULL DEFAULT '{}'::jsonb,
    category varchar(100),
    icon varchar(100),
    preview_image text,
    is_enabled boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (plugin_id, widget_id)
);

CREATE TABLE IF NOT EXISTS plugin_data (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id varchar(255) NOT NULL,
    data_key varchar(255) NOT NULL,
    data_value jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (plugin_id, data_key)
);

CREATE TABLE IF NOT EXISTS plugin_dependencies (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id varchar(255) NOT NULL,
    package_name varchar(255) NOT NULL,
    version varchar(100) NOT NULL DEFAULT 'latest',
    bundled_code text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (plugin_id, package_name)
);

CREATE TABLE IF NOT EXISTS plugin_migrations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id uuid NOT NULL REFERENCES plugin_registry(id) ON DELETE CASCADE,
    plugin_name varchar(255) NOT NULL,
    migration_name varchar(255) NOT NULL,
    migration_version varchar(50) NOT NULL,
    migration_description text,
    status varchar(20) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'running', 'completed', 'failed', 'rolled_back')),
    executed_at timestamptz,
    completed_at timestamptz,
    rolled_back_at timestamptz,
    execution_time_ms integer,
    error_message text,
    checksum varchar(64),
    up_sql text NOT NULL DEFAULT '',
    down_sql text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (plugin_id, migration_version)
);
"""

# The platform leaves orphans when a plugin is deleted; we remove every row that names it.
# Most tables key plugins by varchar, so this cannot be a foreign key: a trigger does it.
CASCADE_DDL = """
CREATE OR REPLACE FUNCTION plugin_studio_delete_plugin_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM plugin_scripts WHERE plugin_id = OLD.id::text;
    DELETE FROM plugin_events WHERE plugin_id = OLD.id::text;
    DELETE FROM plugin_hooks WHERE plugin_id = OLD.id::text;
    DELETE FROM plugin_widgets WHERE plugin_id = OLD.id;
    DELETE FROM plugin_data WHERE plugin_id = OLD.id::text;
    DELETE FROM plugin_dependencies WHERE plugin_id = OLD.id::text;
    RETURN OLD;
END $$;

DROP TRIGGER IF EXISTS plugin_studio_delete_plugin_rows ON plugin_registry;
CREATE TRIGGER plugin_studio_delete_plugin_rows AFTER DELETE ON plugin_registry
    FOR EACH ROW EXECUTE FUNCTION plugin_studio_delete_plugin_rows();
"""

PLUGIN_TABLES = (
    "plugin_registry",
    "plugin_scripts",
    "plugin_events",
    "plugin_hooks",
    "plugin_widgets",
    "plugin_data",
    "plugin_dependencies",
    "plugin_migrations",
)


def ensure_schema(conn: psycopg.Connection) -> None:
    """Create every plugin table, index and the delete cascade; safe to run again.

    An advisory lock serialises concurrent first starts (two IDEs on one fresh server).
    """
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('plugin_studio.schema'))")
        conn.execute(TABLES_DDL)
        conn.execute(CASCADE_DDL)


def missing_tables(conn: psycopg.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = current_schema() AND table_name = ANY(%s)",
        (list(PLUGIN_TABLES),),
    ).fetchall()
    present = {r[0] for r in rows}
    return [t for t in PLUGIN_TABLES if t not in present]
