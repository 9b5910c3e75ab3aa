"""The plugin tables Plugin Studio works on, and the only code that changes a schema (``db init``).

DESIGN.md §4: the IDE works on a platform database as it is. Every command and the app only read
and write rows (a role that may only SELECT/INSERT/UPDATE/DELETE is enough); ``plugin-studio db
init`` creates the tables in an empty database and, on a database that already has plugin tables,
lists what it would add (``plan``) and adds it only when the user agrees (``apply``). What it adds to
an existing database is only what our queries need: missing tables, missing columns (nullable, with
their default) and missing indexes, never one whose columns an existing index already leads with,
never a unique constraint or a trigger on the platform's tables.

The tables are declared once (``TABLES``) so the plan, the creation and the readiness check agree.
Column names and types follow the platform (PLATFORM.md §1): most tables key plugins by a varchar
``plugin_id`` while widgets, migrations, controllers, entities, cron jobs and docs use uuid. Every
table here is created by ``db init`` in an empty database and offered on an existing one.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

from plugin_studio.db.errors import SchemaNotReady
from plugin_studio.db.schema_history import VERSION_TABLES
from plugin_studio.db.schema_tables import Column, Index, Table
from plugin_studio.db.translate import translate

SCHEMA_LOCK = "plugin_studio.schema"


def _id() -> Column:
    return Column("id", "uuid", "gen_random_uuid()", primary_key=True)


def _timestamps() -> tuple[Column, Column]:
    return (Column("created_at", "timestamptz", "now()", not_null=True),
            Column("updated_at", "timestamptz", "now()", not_null=True))


def _platform_timestamps(type_: str = "timestamptz") -> tuple[Column, Column]:
    """The platform's own: nullable, defaulting to now() (its admin tables use timestamp without zone)."""
    return Column("created_at", type_, "now()"), Column("updated_at", type_, "now()")


def _plugin_id(type_: str = "varchar(255)", references: str | None = None) -> Column:
    return Column("plugin_id", type_, not_null=True, references=references)


TABLES: tuple[Table, ...] = (
    Table("plugin_registry", (
        _id(),
        Column("name", "varchar(255)", not_null=True),
        Column("slug", "varchar(255)", not_null=True),
        Column("version", "varchar(50)", "'1.0.0'", not_null=True),
        Column("description", "text"),
        Column("type", "varchar(50)", "'custom'"),
        Column("category", "varchar(100)"),
        Column("author", "varchar(255)"),
        Column("status", "varchar(20)", "'active'", not_null=True),
        Column("framework", "varchar(50)", "'react'"),
        Column("manifest", "jsonb", "'{}'::jsonb", not_null=True),
        Column("permissions", "jsonb", "'[]'::jsonb", not_null=True),
        Column("dependencies", "jsonb", "'[]'::jsonb", not_null=True),
        Column("tags", "jsonb", "'[]'::jsonb", not_null=True),
        Column("creator_id", "uuid"),
        Column("is_installed", "boolean", "true", not_null=True),
        Column("is_enabled", "boolean", "true", not_null=True),
        Column("is_starter_template", "boolean", "false", not_null=True),
        Column("starter_icon", "varchar(100)"),
        Column("starter_description", "text"),
        Column("starter_prompt", "text"),
        Column("starter_order", "integer"),
        Column("is_public", "boolean", "false", not_null=True),
        Column("deprecated_at", "timestamptz"),
        Column("deprecation_reason", "text"),
        *_timestamps(),
    )),
    Table("plugin_scripts", (
        _id(), _plugin_id(),
        Column("file_name", "varchar(500)", not_null=True),
        Column("file_content", "text", "''", not_null=True),
        Column("script_type", "varchar(10)", "'js'", not_null=True),
        Column("scope", "varchar(20)", "'frontend'", not_null=True),
        Column("load_priority", "integer", "10", not_null=True),
        Column("is_enabled", "boolean", "true", not_null=True),
        *_timestamps(),
    ), indexes=(Index("idx_plugin_scripts_plugin", ("plugin_id",)),)),
    Table("plugin_events", (
        _id(), _plugin_id(),
        Column("event_name", "varchar(255)", not_null=True),
        Column("listener_function", "text", "''", not_null=True),
        Column("priority", "integer", "10", not_null=True),
        Column("is_enabled", "boolean", "true", not_null=True),
        Column("file_name", "varchar(500)"),
        *_timestamps(),
    ), indexes=(Index("idx_plugin_events_plugin", ("plugin_id",)), Index("idx_plugin_events_name", ("event_name",)))),
    Table("plugin_hooks", (
        _id(), _plugin_id(),
        Column("hook_name", "varchar(255)", not_null=True),
        Column("hook_type", "varchar(20)", "'filter'", not_null=True, check="hook_type IN ('filter', 'action')"),
        Column("handler_function", "text", "''", not_null=True),
        Column("priority", "integer", "10", not_null=True),
        Column("is_enabled", "boolean", "true", not_null=True),
        *_timestamps(),
    ), indexes=(Index("idx_plugin_hooks_plugin", ("plugin_id",)), Index("idx_plugin_hooks_name", ("hook_name",)))),
    Table("plugin_widgets", (
        _id(), _plugin_id("uuid"),
        Column("widget_id", "varchar(255)", not_null=True),
        Column("widget_name", "varchar(255)", not_null=True),
        Column("description", "text"),
        Column("component_code", "text", "''", not_null=True),
        Column("default_config", "jsonb", "'{}'::jsonb", not_null=True),
        Column("category", "varchar(100)"),
        Column("icon", "varchar(100)"),
        Column("preview_image", "text"),
        Column("is_enabled", "boolean", "true", not_null=True),
        *_timestamps(),
    ), uniques=(("plugin_id", "widget_id"),), indexes=(Index("idx_plugin_widgets_plugin", ("plugin_id",)),)),
    Table("plugin_data", (
        _id(), _plugin_id(),
        Column("data_key", "varchar(255)", not_null=True),
        Column("data_value", "jsonb"),
        *_timestamps(),
    ), uniques=(("plugin_id", "data_key"),), indexes=(Index("idx_plugin_data_plugin_key", ("plugin_id", "data_key")),)),
    Table("plugin_dependencies", (
        _id(), _plugin_id(),
        Column("package_name", "varchar(255)", not_null=True),
        Column("version", "varchar(100)", "'latest'", not_null=True),
        Column("bundled_code", "text"),
        *_timestamps(),
    ), uniques=(("plugin_id", "package_name"),),
        indexes=(Index("idx_plugin_dependencies_plugin_id", ("plugin_id",)),)),
    Table("plugin_migrations", (
        _id(), _plugin_id("uuid", references="plugin_registry(id) ON DELETE CASCADE"),
        Column("plugin_name", "varchar(255)", not_null=True),
        Column("migration_name", "varchar(255)", not_null=True),
        Column("migration_version", "varchar(50)", not_null=True),
        Column("migration_description", "text"),
        Column("status", "varchar(20)", "'pending'", not_null=True,
               check="status IN ('pending', 'running', 'completed', 'failed', 'rolled_back')"),
        Column("executed_at", "timestamptz"),
        Column("completed_at", "timestamptz"),
        Column("rolled_back_at", "timestamptz"),
        Column("execution_time_ms", "integer"),
        Column("error_message", "text"),
        Column("checksum", "varchar(64)"),
        Column("up_sql", "text", "''", not_null=True),
        Column("down_sql", "text"),
        *_timestamps(),
    ), uniques=(("plugin_id", "migration_version"),),
        indexes=(Index("idx_plugin_migrations_plugin_id", ("plugin_id",)),)),
    # The rest as the platform's G5 has them, column by column (PLATFORM.md, appendix): nullable flags
    # and timestamp types included. Only plugin_cron gets its unique (plugin, name), the one G5 has;
    # our own writes refuse the other duplicates themselves, so a platform database needs no constraint.
    Table("plugin_controllers", (
        _id(), _plugin_id("uuid", references="plugin_registry(id) ON DELETE CASCADE"),
        Column("controller_name", "varchar(255)", not_null=True),
        Column("description", "text"),
        Column("method", "varchar(10)", not_null=True),
        Column("path", "varchar(500)", not_null=True),
        Column("handler_code", "text", not_null=True),
        Column("request_schema", "jsonb"),
        Column("response_schema", "jsonb"),
        Column("requires_auth", "boolean", "false"),
        Column("allowed_roles", "jsonb"),
        Column("rate_limit", "integer", "100"),
        Column("is_enabled", "boolean", "true"),
        Column("execution_count", "integer", "0"),
        Column("last_executed_at", "timestamptz"),
        *_platform_timestamps(),
    ), indexes=(Index("idx_plugin_controllers_plugin_id", ("plugin_id",)),
                Index("idx_plugin_controllers_method_path", ("method", "path")))),
    Table("plugin_entities", (
        _id(), _plugin_id("uuid", references="plugin_registry(id) ON DELETE CASCADE"),
        Column("entity_name", "varchar(255)", not_null=True),
        Column("table_name", "varchar(255)", not_null=True),
        Column("description", "text"),
        Column("schema_definition", "jsonb", not_null=True),
        Column("migration_status", "varchar(50)", "'pending'"),
        Column("migration_version", "varchar(50)"),
        Column("migrated_at", "timestamptz"),
        Column("create_table_sql", "text"),
        Column("drop_table_sql", "text"),
        Column("model_code", "text"),
        Column("is_enabled", "boolean", "true"),
        *_platform_timestamps(),
    ), indexes=(Index("idx_plugin_entities_plugin_id", ("plugin_id",)),)),
    Table("plugin_cron", (
        _id(), _plugin_id("uuid"),
        Column("cron_name", "varchar(255)", not_null=True),
        Column("description", "text"),
        Column("cron_schedule", "varchar(100)", not_null=True),
        Column("timezone", "varchar(50)", "'UTC'"),
        Column("handler_method", "varchar(255)", not_null=True),
        Column("handler_code", "text"),
        Column("handler_params", "jsonb", "'{}'::jsonb"),
        Column("is_enabled", "boolean", "true"),
        Column("priority", "integer", "10"),
        Column("last_run_at", "timestamptz"),
        Column("next_run_at", "timestamptz"),
        Column("last_status", "varchar(50)"),
        Column("last_error", "text"),
        Column("last_result", "jsonb"),
        Column("run_count", "integer", "0"),
        Column("success_count", "integer", "0"),
        Column("failure_count", "integer", "0"),
        Column("consecutive_failures", "integer", "0"),
        Column("max_runs", "integer"),
        Column("max_failures", "integer", "5"),
        Column("timeout_seconds", "integer", "300"),
        Column("cron_job_id", "uuid"),
        *_platform_timestamps(),
    ), uniques=(("plugin_id", "cron_name"),)),
    Table("plugin_docs", (
        _id(), _plugin_id("uuid", references="plugin_registry(id) ON DELETE CASCADE"),
        Column("doc_type", "varchar(50)", not_null=True),
        Column("file_name", "varchar(255)", not_null=True),
        Column("title", "varchar(255)"),
        Column("content", "text", not_null=True),
        Column("format", "varchar(20)", "'markdown'"),
        Column("description", "text"),
        Column("is_visible", "boolean", "true"),
        Column("display_order", "integer", "0"),
        *_platform_timestamps(),
    ), indexes=(Index("idx_plugin_docs_plugin_id", ("plugin_id",)),)),
    Table("plugin_admin_pages", (
        _id(), _plugin_id(),
        Column("page_key", "varchar(255)", not_null=True),
        Column("page_name", "varchar(255)", not_null=True),
        Column("route", "varchar(500)", not_null=True),
        Column("component_code", "text", not_null=True),
        Column("description", "text"),
        Column("icon", "varchar(100)"),
        Column("category", "varchar(100)"),
        Column("order_position", "integer", "100"),
        Column("is_enabled", "boolean", "true"),
        *_platform_timestamps("timestamp"),
    ), indexes=(Index("idx_plugin_admin_pages_plugin", ("plugin_id",)),
                Index("idx_plugin_admin_pages_route", ("route",)))),
    Table("plugin_admin_scripts", (
        _id(), _plugin_id(),
        Column("script_name", "varchar(255)", not_null=True),
        Column("script_code", "text", not_null=True),
        Column("description", "text"),
        Column("load_order", "integer", "100"),
        Column("is_enabled", "boolean", "true"),
        *_platform_timestamps("timestamp"),
    ), indexes=(Index("idx_plugin_admin_scripts_plugin", ("plugin_id",)),)),
    *VERSION_TABLES,
)

PLUGIN_TABLES = tuple(t.name for t in TABLES)
TABLES_BY_NAME = {t.name: t for t in TABLES}

# Every table of the platform (G5) whose rows belong to one plugin, whether or not we create it:
# deleting a plugin deletes its rows in each of these that exists (PLATFORM.md §1.10).
PLUGIN_CHILD_TABLES = (
    "plugin_scripts", "plugin_events", "plugin_hooks", "plugin_widgets", "plugin_data", "plugin_dependencies",
    "plugin_migrations", "plugin_entities", "plugin_controllers", "plugin_docs", "plugin_cron",
    "plugin_admin_pages", "plugin_admin_scripts", "plugin_configurations", "plugin_version_comparisons",
    "plugin_version_tags", "plugin_version_patches", "plugin_version_snapshots", "plugin_version_history",
)

# An earlier Plugin Studio put this cascade on plugin_registry; it made the platform's own delete of a
# plugin delete the plugin's rows too. ``db init`` offers to remove it; nothing installs it any more.
LEGACY_CASCADE_TRIGGER = "plugin_studio_delete_plugin_rows"


@dataclass(frozen=True)
class SchemaChange:
    """One statement ``db init`` would run, with what it does in words."""
    summary: str
    statement: str


@dataclass
class SchemaPlan:
    """What ``db init`` would do to this database: nothing when ``changes`` is empty."""
    has_plugin_tables: bool
    changes: list[SchemaChange] = field(default_factory=list)
    missing_tables: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)   # "table.column"

    @property
    def blocks_use(self) -> bool:
        """Our queries need every table and column; a missing index only makes them slower."""
        return bool(self.missing_tables or self.missing_columns)


def plan(conn: psycopg.Connection) -> SchemaPlan:
    """Read the catalog and list what is missing; changes nothing. Raises StudioDbError."""
    try:
        columns = _existing_columns(conn)
        indexes = _existing_indexes(conn)
        legacy = _has_legacy_trigger(conn)
    except psycopg.Error as exc:
        raise translate(exc) from exc
    result = SchemaPlan(has_plugin_tables=bool(columns))
    for table in TABLES:
        _plan_table(result, table, columns.get(table.name), indexes.get(table.name, []))
    if legacy:
        result.changes.append(_drop_legacy_trigger())
    return result


def _plan_table(result: SchemaPlan, table: Table, columns: set[str] | None, indexes: list[tuple[str, tuple]]) -> None:
    if columns is None:
        if not table.optional:
            result.missing_tables.append(table.name)
        result.changes.append(SchemaChange(f"create table {table.name}", table.create_sql()))
        own = [("", ("id",)), *(("", unique) for unique in table.uniques)]
        result.changes += [_create_index(table, index) for index in table.indexes if _index_is_new(index, own)]
        return
    for column in table.columns:
        if column.name not in columns:
            result.missing_columns.append(f"{table.name}.{column.name}")
            result.changes.append(SchemaChange(
                f"add column {table.name}.{column.name} ({column.type})",
                f'ALTER TABLE "{table.name}" ADD COLUMN {column.add_sql()}'))
    for index in table.indexes:
        if _index_is_new(index, indexes):
            result.changes.append(_create_index(table, index))


def _index_is_new(index: Index, existing: list[tuple[str, tuple]]) -> bool:
    """New unless an index of that name exists or an existing index's key columns begin with ours
    (a btree on (a, b) serves lookups on a: a second one on (a) would only cost writes)."""
    return not any(name == index.name or cols[:len(index.columns)] == index.columns for name, cols in existing)


def _create_index(table: Table, index: Index) -> SchemaChange:
    columns = ", ".join(f'"{c}"' for c in index.columns)
    return SchemaChange(f"create index {index.name} on {table.name} ({', '.join(index.columns)})",
                        f'CREATE INDEX IF NOT EXISTS "{index.name}" ON "{table.name}" ({columns})')


def _drop_legacy_trigger() -> SchemaChange:
    return SchemaChange(
        f"remove trigger {LEGACY_CASCADE_TRIGGER} on plugin_registry (installed by an earlier Plugin Studio, it "
        "made every delete of a plugin, the platform's own included, delete the plugin's rows in other tables)",
        f"DROP TRIGGER IF EXISTS {LEGACY_CASCADE_TRIGGER} ON plugin_registry;"
        f" DROP FUNCTION IF EXISTS {LEGACY_CASCADE_TRIGGER}()")


def _existing_columns(conn: psycopg.Connection) -> dict[str, set[str]]:
    rows = conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = ANY(%s)", (list(PLUGIN_TABLES),)).fetchall()
    columns: dict[str, set[str]] = {}
    for table, column in rows:
        columns.setdefault(table, set()).add(column)
    return columns


def _existing_indexes(conn: psycopg.Connection) -> dict[str, list[tuple[str, tuple]]]:
    """table → [(index name, key column names in order)]; expression keys are left out of the tuple."""
    rows = conn.execute("""
        SELECT t.relname, i.relname,
               array(SELECT a.attname FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
                     JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                     WHERE k.n <= x.indnkeyatts ORDER BY k.n)
        FROM pg_index x
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_class i ON i.oid = x.indexrelid
        WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(%s)
    """, (list(PLUGIN_TABLES),)).fetchall()
    indexes: dict[str, list[tuple[str, tuple]]] = {}
    for table, name, columns in rows:
        indexes.setdefault(table, []).append((name, tuple(columns)))
    return indexes


def _has_legacy_trigger(conn: psycopg.Connection) -> bool:
    return conn.execute(
        "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = to_regclass('plugin_registry')",
        (LEGACY_CASCADE_TRIGGER,)).fetchone() is not None


def apply(conn: psycopg.Connection) -> list[SchemaChange]:
    """Make every change ``plan`` lists, in one transaction; returns what was done (empty: nothing).

    Only ``db init`` (after the user agreed) and the embedded database's first start call this. The
    plan is read again under an advisory lock, so two first starts on one server do the work once.
    """
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (SCHEMA_LOCK,))
            changes = plan(conn).changes
            for change in changes:
                conn.execute(change.statement)
    except psycopg.Error as exc:
        raise translate(exc) from exc
    return changes


def ensure_schema(conn: psycopg.Connection) -> list[SchemaChange]:
    """Create what is missing without asking: for a database that is ours (the embedded one, a test's)."""
    return apply(conn)


def check_ready(conn: psycopg.Connection) -> None:
    """Raise SchemaNotReady, naming what is missing and ``plugin-studio db init``, unless our queries
    will find every table and column they use. Changes nothing."""
    found = plan(conn)
    if not found.has_plugin_tables:
        raise SchemaNotReady("this database has no plugin tables; run `plugin-studio db init` to create them")
    if found.blocks_use:
        what = ", ".join(found.missing_tables + found.missing_columns)
        raise SchemaNotReady(f"this database lacks {what}; run `plugin-studio db init` to see and add what is missing")


def missing_tables(conn: psycopg.Connection) -> list[str]:
    return plan(conn).missing_tables
