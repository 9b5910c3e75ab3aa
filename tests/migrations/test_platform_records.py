"""Migrations the platform's own tracker recorded (PLATFORM.md §6): recognised, validated against the
MD5 of their file, rolled back with the DOWN section re-parsed correctly, repaired with an explanation.

The fixture is a file in the format of PLATFORM.md §6.1, and the row is what §6.2–6.3 say the
tracker stores for it, written out by hand from those rules (not produced by our emulation, which
is checked against it)."""
import hashlib

import pytest
from migration_samples import table_exists

from plugin_studio.cli import main
from plugin_studio.db.migrations import find_migration
from plugin_studio.models.migration_format import checksum_state
from plugin_studio.models.migration_platform import platform_parse, recorded_by_platform

VERSION = "20250301_090000"
FILE_NAME = f"{VERSION}_create_loyalty_visits_table.sql"

FIXTURE = """\
-- =====================================================
-- MIGRATION: Create loyalty_visits table
-- =====================================================
-- Plugin: {name} ({id})
-- Version: 20250301_090000
-- Description: Track loyalty page visits
-- =====================================================

-- UP Migration
CREATE TABLE IF NOT EXISTS loyalty_visits (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id VARCHAR(255),  -- who visited
  visited_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);

CREATE INDEX IF NOT EXISTS idx_loyalty_visits_session ON loyalty_visits(session_id);

-- =====================================================
-- DOWN Migration (Rollback)
-- =====================================================
-- DROP TABLE IF EXISTS loyalty_visits CASCADE;
"""

# What the tracker stores (§6.2): the UP text keeps the decoration line before the DOWN marker;
# the "un-commenting" regex leaves the decoration after the marker as a "=====" line.
STORED_UP = """\
CREATE TABLE IF NOT EXISTS loyalty_visits (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id VARCHAR(255),  -- who visited
  visited_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);

CREATE INDEX IF NOT EXISTS idx_loyalty_visits_session ON loyalty_visits(session_id);

-- ====================================================="""
STORED_DOWN = "=====================================================\nDROP TABLE IF EXISTS loyalty_visits CASCADE;"


@pytest.fixture
def fixture_text(plugin):
    return FIXTURE.format(name=plugin.name, id=plugin.id)


def record_as_the_platform(conn, plugin, text, up=STORED_UP, down=STORED_DOWN):
    """The tracker's INSERT … status 'running' then UPDATE … 'completed' (§6.3), after running the UP SQL."""
    conn.execute(up)
    return conn.execute(
        "INSERT INTO plugin_migrations (plugin_id, plugin_name, migration_name, migration_version,"
        " migration_description, status, executed_at, completed_at, execution_time_ms, up_sql, down_sql, checksum)"
        " VALUES (%s, %s, %s, %s, 'Track loyalty page visits', 'completed', now(), now(), 42, %s, %s, %s)"
        " RETURNING id::text",
        (plugin.id, plugin.name, FILE_NAME, VERSION, up, down, hashlib.md5(text.encode()).hexdigest())).fetchone()[0]


def test_our_reading_of_the_tracker_gives_what_platform_md_says_it_stores(plugin, fixture_text):
    record = platform_parse(fixture_text)
    assert (record.plugin_id, record.plugin_name, record.version) == (plugin.id, plugin.name, VERSION)
    assert (record.up_sql, record.down_sql) == (STORED_UP, STORED_DOWN)
    assert record.checksum == hashlib.md5(fixture_text.encode()).hexdigest()
    # §6.2: a line followed by a comment line is eaten, and comment text is un-commented
    assert platform_parse("-- DOWN Migration\nDROP TABLE t;\n-- second\nSELECT 1;").down_sql == "second\nSELECT 1;"
    # Node keeps a BOM and CRLF in the text it hashes
    crlf = "\ufeff" + fixture_text.replace("\n", "\r\n")
    assert platform_parse(crlf).checksum == hashlib.md5(crlf.encode()).hexdigest()


def test_a_platform_recorded_migration_validates_clean_and_against_its_file(conn, plugin, fixture_text,
                                                                           tmp_path, capsys):
    row_id = record_as_the_platform(conn, plugin, fixture_text)
    row = find_migration(conn, plugin.id, VERSION)
    assert row.id == row_id and recorded_by_platform(row)
    assert checksum_state(row).state == "platform"
    assert main(["migrate", "validate", "loyalty"]) == 0
    out = capsys.readouterr().out
    assert "changed after it ran" not in out and "recorded by the platform's tracker" in out
    assert "1 completed migration(s) checked: no drift" in out

    original = tmp_path / FILE_NAME
    original.write_bytes(fixture_text.encode())
    assert main(["migrate", "validate", "loyalty", "--file", str(original)]) == 0
    assert "matches the platform's MD5 of the file it ran" in capsys.readouterr().out
    edited = tmp_path / "edited.sql"
    edited.write_bytes(fixture_text.replace("VARCHAR(255)", "VARCHAR(100)").encode())
    assert main(["migrate", "validate", "loyalty", "--file", str(edited)]) == 1
    assert "changed after it ran" in capsys.readouterr().out

    # Running the original file again (on an imported copy: --plugin) finds it completed, not drifted.
    assert main(["migrate", "run", str(original), "--plugin", "loyalty"]) == 0
    assert "already completed; nothing to do" in capsys.readouterr().out


def test_a_platform_recorded_migration_rolls_back_and_runs_again(conn, plugin, fixture_text, tmp_path, capsys):
    record_as_the_platform(conn, plugin, fixture_text)
    assert main(["migrate", "run", VERSION, "--dry-run"]) == 0
    assert "DROP TABLE IF EXISTS loyalty_visits CASCADE;" in capsys.readouterr().out
    assert main(["migrate", "rollback", "loyalty", VERSION]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"rolled back {VERSION}")
    assert "the decoration line the platform's parser left in removed" in captured.err
    assert not table_exists(conn, "loyalty_visits")
    assert find_migration(conn, plugin.id, VERSION).status == "rolled_back"
    assert main(["migrate", "run", VERSION, "--plugin", "loyalty"]) == 0
    assert table_exists(conn, "loyalty_visits")


def test_rollback_reads_the_file_when_the_stored_down_is_beyond_repair(conn, plugin, fixture_text, tmp_path, capsys):
    # §6.2: with an uncommented DOWN section, a line followed by a comment line is eaten.
    down_file = fixture_text.replace("-- DROP TABLE IF EXISTS loyalty_visits CASCADE;\n",
                                     "DROP INDEX IF EXISTS idx_loyalty_visits_session;\n-- then the table\n"
                                     "DROP TABLE IF EXISTS loyalty_visits CASCADE;\n")
    stored = platform_parse(down_file)
    assert stored.down_sql.startswith("=====") and "then the table" in stored.down_sql
    record_as_the_platform(conn, plugin, down_file, down=stored.down_sql)
    assert main(["migrate", "rollback", "loyalty", VERSION]) == 1
    err = capsys.readouterr().err
    assert "can't be rolled back: the platform's parser mangled its DOWN section beyond repair" in err
    assert "give the original file" in err and table_exists(conn, "loyalty_visits")

    original = tmp_path / FILE_NAME
    original.write_bytes(down_file.encode())
    assert main(["migrate", "rollback", "loyalty", VERSION, "--file", str(original)]) == 0
    assert "the DOWN section of the original file" in capsys.readouterr().err
    assert not table_exists(conn, "loyalty_visits")


def test_a_down_marker_the_tracker_missed_is_found_in_the_recorded_up_text(conn, plugin, fixture_text, capsys):
    # "--  DOWN Migration" (two spaces) does not split for the tracker: the DOWN section stays in up_sql.
    missed = fixture_text.replace("-- DOWN Migration (Rollback)", "--  DOWN  Migration (Rollback)")
    stored = platform_parse(missed)
    assert stored.down_sql == "" and "DROP TABLE IF EXISTS loyalty_visits CASCADE;" in stored.up_sql
    record_as_the_platform(conn, plugin, missed, up=stored.up_sql, down=stored.down_sql)
    assert main(["migrate", "rollback", "loyalty", VERSION]) == 0
    assert "the DOWN section found in the recorded UP text" in capsys.readouterr().err
    assert not table_exists(conn, "loyalty_visits")


def test_repair_says_what_it_changes_and_fixes_the_platforms_own_rollback(conn, plugin, fixture_text, capsys):
    row_id = record_as_the_platform(conn, plugin, fixture_text)
    assert main(["migrate", "repair", "loyalty"]) == 1          # no terminal and no --yes: nothing changes
    captured = capsys.readouterr()
    assert "down_sql '===================" in captured.out
    assert "→ 'DROP TABLE IF EXISTS loyalty_visits CASCADE;'" in captured.out
    assert "the platform's parser stored a DOWN SQL its rollback can't run" in captured.out
    assert conn.execute("SELECT down_sql FROM plugin_migrations WHERE id = %s", (row_id,)).fetchone() == (STORED_DOWN,)
    assert main(["migrate", "repair", "loyalty", "--yes"]) == 0
    assert "repaired 1 migration(s)" in capsys.readouterr().out
    row = find_migration(conn, plugin.id, VERSION)
    assert row.down_sql == "DROP TABLE IF EXISTS loyalty_visits CASCADE;"
    assert row.checksum == hashlib.md5(fixture_text.encode()).hexdigest()      # the platform's checksum kept
    assert main(["migrate", "repair", "loyalty"]) == 0
    assert "nothing to repair" in capsys.readouterr().out
