"""The platform's version-history tables, as ``db init`` creates them in a database without them.

From the platform's ``20250129-create-plugin-version-control-tables.sql`` (G5; PLATFORM.md §1.9,
appendix), column by column, so a database db init made holds the history its editor would: the
IDE's saves record versions there (``services.history``). Optional: a database without them works,
without history.
"""
from __future__ import annotations

from plugin_studio.db.schema_tables import Column, Index, Table


def _id() -> Column:
    return Column("id", "uuid", "gen_random_uuid()", primary_key=True)


def _plugin_id() -> Column:
    return Column("plugin_id", "uuid", not_null=True, references="plugin_registry(id) ON DELETE CASCADE")


def _version_id(references: str = "plugin_version_history(id) ON DELETE CASCADE") -> Column:
    return Column("version_id", "uuid", not_null=True, references=references)


VERSION_TABLES: tuple[Table, ...] = (
    Table("plugin_version_history", (
        _id(), _plugin_id(),
        Column("version_number", "varchar(50)", not_null=True),
        Column("version_type", "varchar(20)", "'patch'", not_null=True),
        Column("parent_version_id", "uuid", references="plugin_version_history(id) ON DELETE SET NULL"),
        Column("commit_message", "text"),
        Column("changelog", "text"),
        Column("created_by", "uuid"),
        Column("created_by_name", "varchar(255)"),
        Column("is_current", "boolean", "false"),
        Column("is_published", "boolean", "false"),
        Column("snapshot_distance", "integer", "0"),
        Column("files_changed", "integer", "0"),
        Column("lines_added", "integer", "0"),
        Column("lines_deleted", "integer", "0"),
        Column("created_at", "timestamptz", "now()"),
        Column("published_at", "timestamptz"),
    ), indexes=(Index("idx_plugin_version_plugin_id", ("plugin_id",)),
                Index("idx_plugin_version_parent", ("parent_version_id",))), optional=True),
    Table("plugin_version_snapshots", (
        _id(), _version_id(), _plugin_id(),
        Column("snapshot_data", "jsonb", not_null=True),
        *(Column(c, "jsonb") for c in ("hooks", "events", "scripts", "widgets", "controllers", "entities",
                                       "migrations", "admin_pages", "manifest", "registry")),
        Column("is_compressed", "boolean", "false"),
        Column("compression_type", "varchar(20)"),
        Column("total_size_bytes", "integer"),
        Column("compressed_size_bytes", "integer"),
        Column("component_count", "integer", "0"),
        Column("created_at", "timestamptz", "now()"),
    ), indexes=(Index("idx_plugin_snapshot_version", ("version_id",)),), optional=True),
    Table("plugin_version_patches", (
        _id(), _version_id(), _plugin_id(),
        Column("component_type", "varchar(50)", not_null=True),
        Column("component_id", "uuid"),
        Column("component_name", "varchar(255)"),
        Column("patch_operations", "jsonb", not_null=True),
        Column("change_type", "varchar(20)"),
        Column("reverse_patch", "jsonb"),
        Column("operations_count", "integer", "0"),
        Column("created_at", "timestamptz", "now()"),
    ), indexes=(Index("idx_plugin_patch_version", ("version_id",)),), optional=True),
    Table("plugin_version_tags", (
        _id(), _version_id(), _plugin_id(),
        Column("tag_name", "varchar(100)", not_null=True),
        Column("tag_type", "varchar(50)"),
        Column("description", "text"),
        Column("created_by", "uuid"),
        Column("created_by_name", "varchar(255)"),
        Column("created_at", "timestamptz", "now()"),
    ), indexes=(Index("idx_plugin_tag_plugin", ("plugin_id",)), Index("idx_plugin_tag_version", ("version_id",))),
        optional=True),
)
