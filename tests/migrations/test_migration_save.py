"""Editing a migration as a file: render, save while pending, conflicts, refusal once it ran."""
import pytest
from migration_samples import add_migration

from plugin_studio.db.errors import ConflictError, ValidationError
from plugin_studio.db.migrations import get_migration
from plugin_studio.models.migration_format import migration_file_path, parse_migration_file, render_migration_file
from plugin_studio.services.migrations import save_migration_file


def test_the_editor_text_is_the_platform_format_and_saving_it_back_changes_nothing(conn, plugin):
    row = get_migration(conn, add_migration(conn, plugin, "1.0", "CREATE TABLE s1 ();", "DROP TABLE s1;"))
    text = render_migration_file(row)
    assert f"-- Plugin: Loyalty ({plugin.id})\n-- Version: 1.0\n" in text
    assert "-- UP Migration\nCREATE TABLE s1 ();\n\n-- DOWN Migration\nDROP TABLE s1;\n" in text
    assert migration_file_path(row) == "migrations/1.0_m1.0.sql"
    saved = save_migration_file(conn, row.id, text, text)
    assert (saved.up_sql, saved.down_sql, saved.migration_name) == (row.up_sql, row.down_sql, row.migration_name)


def test_a_pending_migration_saves_its_sql_description_and_name_and_saves_again(conn, plugin):
    row = get_migration(conn, add_migration(conn, plugin, "1.1", "CREATE TABLE s2 ();"))
    loaded = render_migration_file(row)
    edited = (loaded.replace("-- MIGRATION: m1.1", "-- MIGRATION: create s2")
                    .replace("CREATE TABLE s2 ();", "CREATE TABLE s2 (id int);\n\n\n")
                    .replace("-- DOWN Migration\n", "-- DOWN Migration\n-- DROP TABLE s2;\n")
                    .replace("-- Version: 1.1\n", "-- Version: 1.1\n-- Description: second try\n"))
    saved = save_migration_file(conn, row.id, edited, loaded)
    assert (saved.migration_name, saved.up_sql, saved.down_sql, saved.migration_description) == (
        "create s2", "CREATE TABLE s2 (id int);", "-- DROP TABLE s2;", "second try")
    # the editor now holds the user's own layout as its loaded text; the next save is not a conflict
    again = save_migration_file(conn, row.id, edited.replace("(id int)", "(id bigint)"), edited)
    assert again.up_sql == "CREATE TABLE s2 (id bigint);"


def test_a_change_by_someone_else_is_a_conflict_carrying_the_server_text(conn, plugin):
    row = get_migration(conn, add_migration(conn, plugin, "1.2", "CREATE TABLE s3 ();"))
    loaded = render_migration_file(row)
    conn.execute("UPDATE plugin_migrations SET up_sql = 'CREATE TABLE s3 (theirs int);' WHERE id = %s", (row.id,))
    with pytest.raises(ConflictError) as caught:
        save_migration_file(conn, row.id, loaded.replace("s3 ()", "s3 (mine int)"), loaded)
    assert "CREATE TABLE s3 (theirs int);" in caught.value.server_text
    assert get_migration(conn, row.id).up_sql == "CREATE TABLE s3 (theirs int);"


def test_a_completed_migration_is_refused_until_rolled_back(conn, plugin, session):
    row = get_migration(conn, add_migration(conn, plugin, "1.3", "CREATE TABLE s4 ();", "DROP TABLE s4;"))
    with session() as s:
        s.run(row.id)
    loaded = render_migration_file(get_migration(conn, row.id))
    with pytest.raises(ValidationError, match="is completed: .* roll it back first"):
        save_migration_file(conn, row.id, loaded.replace("s4 ()", "s4 (x int)"), loaded)
    with session() as s:
        s.rollback(row.id)
    saved = save_migration_file(conn, row.id, loaded.replace("s4 ()", "s4 (x int)"), loaded)
    assert saved.up_sql == "CREATE TABLE s4 (x int);" and saved.status == "rolled_back"


def test_bad_text_and_a_changed_version_are_refused_with_a_clear_message(conn, plugin):
    row = get_migration(conn, add_migration(conn, plugin, "1.4", "CREATE TABLE s5 ();"))
    loaded = render_migration_file(row)
    with pytest.raises(ValidationError, match="version can't be changed here"):
        save_migration_file(conn, row.id, loaded.replace("-- Version: 1.4", "-- Version: 9"), loaded)
    with pytest.raises(ValidationError, match="line 8: a string literal opened here is never closed"):
        save_migration_file(conn, row.id, loaded.replace("s5 ();", "s5 (x text DEFAULT 'oops);"), loaded)
    assert parse_migration_file(render_migration_file(get_migration(conn, row.id))).up_sql == "CREATE TABLE s5 ();"
