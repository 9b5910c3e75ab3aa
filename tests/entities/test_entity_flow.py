"""An entity from file to table: saved as its JSON file, its migration generated, run, changed, rolled
back, with ``migration_status`` following the migration (on a platform-shaped database)."""
from __future__ import annotations

import pytest
from plugin_parts import add_visits_plugin

from plugin_studio.cli import main
from plugin_studio.db import entities
from plugin_studio.db.errors import ConflictError, ValidationError
from plugin_studio.db.migrations import get_migration
from plugin_studio.models.entity_sql import NothingToMigrate
from plugin_studio.services.entities import generate_migration, load_entity_text, save_entity_text

VISIT = """{
  "entity_name": "Visit",
  "table_name": "visits_log",
  "description": "Page visits",
  "schema_definition": {
    "columns": [
      {"name": "id", "type": "UUID", "primaryKey": true, "default": "gen_random_uuid()"},
      {"name": "page", "type": "VARCHAR(255)", "nullable": false, "unique": true},
      {"name": "hits", "type": "INTEGER", "default": 0, "nullable": false},
      {"name": "revenue", "type": "DECIMAL(10,2)", "default": 0.00}
    ],
    "indexes": [{"name": "idx_visits_log_hits", "columns": ["hits"], "order": "DESC"}]
  }
}
"""


@pytest.fixture
def visit(platform_conn):
    ids = add_visits_plugin(platform_conn)
    loaded = load_entity_text(platform_conn, ids["entity"])
    save_entity_text(platform_conn, ids["entity"], VISIT, loaded)
    return ids


def cli(*argv) -> int:
    return main(list(argv))


def live(conn, table="visits_log"):
    found = entities.live_table(conn, table)
    return None if found is None else {c.name: (c.type, c.not_null, c.default) for c in found.columns}


def status(conn, row_id):
    return entities.get_entity(conn, row_id).migration_status


def test_generate_run_keeps_zero_defaults_and_status_follows(platform_conn, platform_dsn, visit):
    made = generate_migration(platform_conn, visit["entity"])
    assert made.migration.kind == "create"
    migration = get_migration(platform_conn, made.migration_id)
    assert (migration.status, migration.migration_version) == ("pending", made.version)
    assert "DEFAULT 0 NOT NULL" in migration.up_sql and "DEFAULT 0.00" in migration.up_sql
    assert "UNIQUE" in migration.up_sql and migration.down_sql.startswith("DROP TABLE")
    row = entities.get_entity(platform_conn, visit["entity"])
    assert (row.migration_status, row.migration_version) == ("pending", made.version)

    assert cli("migrate", "run", made.version, "--plugin", visit["plugin"], "--dsn", platform_dsn) == 0
    assert live(platform_conn)["hits"] == ("integer", True, "0")
    assert live(platform_conn)["revenue"] == ("numeric(10,2)", False, "0.00")
    platform_conn.execute("INSERT INTO visits_log (page) VALUES ('/')")
    assert platform_conn.execute("SELECT hits, revenue::text FROM visits_log").fetchone() == (0, "0.00")
    assert status(platform_conn, visit["entity"]) == "migrated"
    assert entities.get_entity(platform_conn, visit["entity"]).migrated_at is not None

    with pytest.raises(NothingToMigrate):
        generate_migration(platform_conn, visit["entity"])


def test_a_changed_column_is_altered_and_rolled_back(platform_conn, platform_dsn, visit):
    first = generate_migration(platform_conn, visit["entity"])
    assert cli("migrate", "run", first.version, "--plugin", visit["plugin"], "--dsn", platform_dsn) == 0
    changed = (VISIT.replace('"type": "INTEGER", "default": 0', '"type": "BIGINT", "default": 1')
               .replace('{"name": "revenue"', '{"name": "note", "type": "TEXT"},\n      {"name": "revenue"'))
    save_entity_text(platform_conn, visit["entity"], changed, load_entity_text(platform_conn, visit["entity"]))
    second = generate_migration(platform_conn, visit["entity"])
    assert second.migration.kind == "alter" and second.migration.name.startswith("alter_visits_log_table_add_note")
    assert "ADD COLUMN" in second.migration.up_sql and "DROP COLUMN" in second.migration.down_sql
    assert status(platform_conn, visit["entity"]) == "pending"

    assert cli("migrate", "run", second.version, "--plugin", visit["plugin"], "--dsn", platform_dsn) == 0
    assert live(platform_conn)["hits"] == ("bigint", True, "1")
    assert live(platform_conn)["note"] == ("text", False, None)
    assert status(platform_conn, visit["entity"]) == "migrated"

    assert cli("migrate", "rollback", visit["plugin"], second.version, "--dsn", platform_dsn) == 0
    assert "note" not in live(platform_conn)
    assert live(platform_conn)["hits"] == ("integer", True, "0")
    assert status(platform_conn, visit["entity"]) == "pending"

    assert cli("migrate", "rollback", visit["plugin"], first.version, "--dsn", platform_dsn) == 0
    assert live(platform_conn) is None


def test_a_failed_migration_marks_the_entity_failed(platform_conn, platform_dsn, visit):
    platform_conn.execute("CREATE TABLE people (id int)")
    made = generate_migration(platform_conn, visit["entity"])
    platform_conn.execute("CREATE TABLE visits_log (id int)")  # someone made the table meanwhile
    assert cli("migrate", "run", made.version, "--plugin", visit["plugin"], "--dsn", platform_dsn) == 1
    assert status(platform_conn, visit["entity"]) == "failed"


def test_saving_the_file_checks_it_and_refuses_stale_edits(platform_conn, visit):
    loaded = load_entity_text(platform_conn, visit["entity"])
    with pytest.raises(ValidationError, match="line 1"):
        save_entity_text(platform_conn, visit["entity"], "{ not json", loaded)
    with pytest.raises(ValidationError, match="type"):
        save_entity_text(platform_conn, visit["entity"], VISIT.replace('"VARCHAR(255)"', '"VARCHAR(255"'), loaded)
    save_entity_text(platform_conn, visit["entity"], VISIT.replace("Page visits", "by another client"), loaded)
    with pytest.raises(ConflictError) as conflict:
        save_entity_text(platform_conn, visit["entity"], VISIT.replace("Page visits", "mine"), loaded)
    assert "by another client" in conflict.value.server_text
    text = load_entity_text(platform_conn, visit["entity"])
    assert '"default": 0.00' in text, "numbers keep the form they were written in"
