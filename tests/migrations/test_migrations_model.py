"""The migrations table model: what each column shows, checked with pytest-qt's model tester."""
from migration_samples import add_migration

from plugin_studio.db.migrations import list_migrations
from plugin_studio.models.migration_format import checksum_state
from plugin_studio.ui.migrations_model import COLUMNS, STATUS_ROLE, MigrationsTableModel


def cell(model, row, column):
    return model.index(row, COLUMNS.index(column)).data()


def test_model_shows_status_duration_and_checksum_state(qtmodeltester, conn, plugin, session):
    done = add_migration(conn, plugin, "1", "CREATE TABLE m1 ();")
    add_migration(conn, plugin, "2", "CREATE TABLE m2 ();")
    with session() as s:
        s.run(done)
    conn.execute("UPDATE plugin_migrations SET migration_description = 'first\nsecond' WHERE id = %s", (done,))
    model = MigrationsTableModel()
    model.set_checks([checksum_state(r) for r in list_migrations(conn, plugin.id)])
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 2 and model.columnCount() == len(COLUMNS)
    assert [cell(model, i, "Status") for i in range(2)] == ["completed", "pending"]
    assert model.index(0, 0).data(STATUS_ROLE) == "completed"
    assert cell(model, 0, "Duration").endswith(" ms") and cell(model, 1, "Duration") == ""
    assert cell(model, 0, "Description") == "first"
    assert cell(model, 0, "Checksum") == "changed after run"       # the description is part of the file text
    assert cell(model, 1, "Checksum") == ""
    assert cell(model, 0, "Executed") != "" and cell(model, 1, "Executed") == ""
    assert model.row_of(done) == 0
    model.set_checks([])
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 0
