"""Generated entity migrations run on a real PostgreSQL: CREATE keeps falsy defaults and emits uniques
and foreign keys; ALTER is computed against the live table; every DOWN script undoes its UP."""
from decimal import Decimal

import pytest

from plugin_studio.db.entities import live_table
from plugin_studio.models.entity_alter import alter_migration
from plugin_studio.models.entity_schema import EntityDocument, dumps, loads, read_document
from plugin_studio.models.entity_sql import NothingToMigrate, canonical_type, create_migration

SCHEMA = """{
  "columns": [
    {"name": "id", "type": "UUID", "primaryKey": true, "default": "gen_random_uuid()"},
    {"name": "user_id", "type": "UUID", "nullable": true},
    {"name": "code", "type": "VARCHAR(40)", "nullable": false, "unique": true},
    {"name": "visits", "type": "INTEGER", "default": 0, "nullable": false},
    {"name": "amount", "type": "DECIMAL(10,2)", "default": 0.00},
    {"name": "flag", "type": "BOOLEAN", "default": false},
    {"name": "status", "type": "VARCHAR(20)", "default": "'new'"},
    {"name": "seen_at", "type": "TIMESTAMP", "default": "NOW()"}
  ],
  "indexes": [{"name": "idx_visit_log_seen", "columns": ["seen_at"], "order": "DESC"}],
  "foreignKeys": [{"column": "user_id", "references": "people(id)", "onDelete": "SET NULL"}]
}"""


def spec_of(schema_text: str, table: str = "visit_log"):
    spec, problems = read_document(EntityDocument("VisitLog", table, None, loads(schema_text)))
    assert [p for p in problems if p.severity == "error"] == []
    return spec


def columns(conn, table="visit_log"):
    return {c.name: (c.type, c.not_null, c.default) for c in live_table(conn, table).columns}


@pytest.fixture
def people(conn):
    conn.execute("CREATE TABLE people (id uuid PRIMARY KEY)")


def test_create_keeps_zero_defaults_and_emits_unique_and_foreign_keys(conn, people):
    made = create_migration("VisitLog", "visit_log", spec_of(SCHEMA))
    assert "DEFAULT 0 NOT NULL" in made.up_sql and "DEFAULT 0.00" in made.up_sql and "DEFAULT false" in made.up_sql
    conn.execute(made.up_sql)
    found = columns(conn)
    assert found["visits"] == ("integer", True, "0")
    assert found["amount"] == ("numeric(10,2)", False, "0.00")
    assert found["flag"] == ("boolean", False, "false")
    assert found["status"][2] == "'new'::character varying"
    table = live_table(conn, "visit_log")
    kinds = {(c.kind, c.columns) for c in table.constraints}
    assert ("u", ("code",)) in kinds and ("f", ("user_id",)) in kinds and ("p", ("id",)) in kinds
    assert "idx_visit_log_seen" in table.indexes
    conn.execute("INSERT INTO visit_log (code) VALUES ('a')")
    assert conn.execute("SELECT visits, amount::text, flag FROM visit_log").fetchone() == (0, "0.00", False)
    conn.execute(made.down_sql)
    assert live_table(conn, "visit_log") is None


def test_alter_changes_only_what_differs_from_the_live_table_and_down_restores_it(conn, people):
    conn.execute(create_migration("VisitLog", "visit_log", spec_of(SCHEMA)).up_sql)
    before = live_table(conn, "visit_log")
    changed = SCHEMA.replace('"type": "INTEGER", "default": 0', '"type": "BIGINT", "default": 1') \
                    .replace('{"name": "flag", "type": "BOOLEAN", "default": false},\n', '') \
                    .replace('"nullable": true}', '"nullable": true},\n    {"name": "note", "type": "TEXT", "default": ""}')
    made = alter_migration("VisitLog", spec_of(changed), before, ["idx_visit_log_seen"])
    assert made.name == "alter_visit_log_table_add_note_drop_flag.sql"
    assert "CASCADE" not in made.up_sql and "manual" not in made.down_sql.lower()
    conn.execute(made.up_sql)
    after = columns(conn)
    assert after["visits"] == ("bigint", True, "1") and "flag" not in after and after["note"][0] == "text"
    assert any("DROPS 1 COLUMN" in w for w in made.warnings) and any("CHANGES the type" in w for w in made.warnings)
    conn.execute(made.down_sql)
    assert same_shape(live_table(conn, "visit_log"), before)  # a column added back comes last


def same_shape(a, b) -> bool:
    return ({c.name: c for c in a.columns} == {c.name: c for c in b.columns}
            and set(a.constraints) == set(b.constraints) and a.indexes == b.indexes)


def test_an_unchanged_table_has_nothing_to_migrate(conn, people):
    conn.execute(create_migration("VisitLog", "visit_log", spec_of(SCHEMA)).up_sql)
    with pytest.raises(NothingToMigrate):
        alter_migration("VisitLog", spec_of(SCHEMA), live_table(conn, "visit_log"), ["idx_visit_log_seen"])


def test_uniques_and_foreign_keys_follow_the_entity_both_ways(conn, people):
    conn.execute(create_migration("VisitLog", "visit_log", spec_of(SCHEMA)).up_sql)
    before = live_table(conn, "visit_log")
    changed = SCHEMA.replace('"nullable": false, "unique": true', '"nullable": false') \
                    .replace('"onDelete": "SET NULL"', '"onDelete": "CASCADE"')
    made = alter_migration("VisitLog", spec_of(changed), before, ["idx_visit_log_seen"])
    conn.execute(made.up_sql)
    table = live_table(conn, "visit_log")
    assert not any(c.kind == "u" for c in table.constraints)
    assert any(c.kind == "f" and "ON DELETE CASCADE" in c.definition for c in table.constraints)
    conn.execute(made.down_sql)
    assert live_table(conn, "visit_log") == before


@pytest.mark.parametrize("written, stored", [
    ("INTEGER", "integer"), ("int", "integer"), ("DECIMAL(10,2)", "numeric(10,2)"), ("varchar(255)", "character varying(255)"),
    ("TIMESTAMP", "timestamp without time zone"), ("timestamptz", "timestamp with time zone"), ("text[]", "text[]"),
    ("SERIAL", "integer"), ("double precision", "double precision"), ("UUID", "uuid"), ("timestamp(3)", "timestamp(3) without time zone"),
])
def test_types_are_compared_as_postgresql_stores_them(conn, written, stored):
    conn.execute(f"CREATE TABLE probe (c {written})")
    assert canonical_type(written) == stored == live_table(conn, "probe").column("c").type


def test_numbers_keep_the_digits_they_were_written_with():
    assert dumps(loads('{"default": 0.00, "n": 0, "x": 1.50}'), indent=None) == '{"default": 0.00, "n": 0, "x": 1.50}'
    assert loads("0.00") == Decimal("0.00")
