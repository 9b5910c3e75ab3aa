"""Groups of saved connections where migrations run on many databases: ``migrate run --group``,
names in a ``--dsn-file``, and Run on Databases…'s Group list with the production and read-only guard."""
from __future__ import annotations

import json

import psycopg
import pytest
from PySide6.QtWidgets import QMessageBox

from plugin_studio.cli import main
from plugin_studio.db import plugins
from plugin_studio.db.migrate_many import COMPLETED, FAILED
from plugin_studio.models.connections import ConnectionGroup, SavedConnection
from plugin_studio.models.migration_file import parse_migration_file
from plugin_studio.models.migration_plan import FileRun
from plugin_studio.ui.run_on_databases import RunOnDatabasesDialog

from qt_dialogs import answer_dialog

UP = "CREATE TABLE tenant_visits (id bigint PRIMARY KEY);"
TEXT = f"-- Version: 1.0\n-- UP Migration\n{UP}\n"


@pytest.fixture
def tenants(databases, save_connections):
    """Five stores with the "Visits" plugin, saved as Tenant 1–5 and grouped as "tenants"."""
    dsns = databases(5)
    for dsn in dsns:
        with psycopg.connect(dsn, autocommit=True) as conn:
            plugins.create_plugin(conn, "Visits")
    names = [f"Tenant {n}" for n in range(1, 6)]
    save_connections(*(SavedConnection(name, dsn=dsn) for name, dsn in zip(names, dsns)),
                     groups=[ConnectionGroup("tenants", tuple(names))])
    return dsns


def _has_table(dsn: str) -> bool:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute("SELECT to_regclass('tenant_visits') IS NOT NULL").fetchone()[0]


def test_migrate_run_on_a_group(tmp_path, tenants, capsys):
    migration = tmp_path / "1.0_visits.sql"
    migration.write_text(TEXT)
    assert main(["migrate", "run", str(migration), "--plugin", "visits", "--group", "tenants", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary[COMPLETED], summary[FAILED]) == (5, 0)
    assert all(_has_table(dsn) for dsn in tenants)
    assert main(["migrate", "run", str(migration), "--plugin", "visits", "--group", "nope"]) == 1
    assert "no group named 'nope' (groups: tenants)" in capsys.readouterr().err


def test_a_dsn_file_may_name_saved_connections(tmp_path, tenants, capsys):
    migration = tmp_path / "1.0_visits.sql"
    migration.write_text(TEXT)
    listed = tmp_path / "stores.txt"
    listed.write_text("# two of them\nTenant 2\nTenant 4\n")
    assert main(["migrate", "run", str(migration), "--plugin", "visits", "--dsn-file", str(listed), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[COMPLETED] == 2
    assert [_has_table(dsn) for dsn in tenants] == [False, True, False, True, False]


def _dialog(qtbot) -> RunOnDatabasesDialog:
    dialog = RunOnDatabasesDialog([FileRun(parse_migration_file(TEXT), TEXT, "1.0_visits.sql")], "visits")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _choose_group(dialog, name: str) -> None:
    dialog.group.setCurrentText(name)
    dialog.group.activated.emit(dialog.group.currentIndex())


def test_run_on_databases_takes_a_group_and_shows_its_names(qtbot, tenants):
    dialog = _dialog(qtbot)
    _choose_group(dialog, "tenants")
    assert dialog.databases.toPlainText().splitlines()[1:] == [f"Tenant {n}" for n in range(1, 6)]
    with qtbot.waitSignal(dialog.run_finished) as done:
        dialog.run_button.click()
    assert done.args[0][COMPLETED] == 5
    assert [dialog.model.reports()[i].label for i in range(5)] == [f"Tenant {n}" for n in range(1, 6)]
    assert all(_has_table(dsn) for dsn in tenants)


def test_a_group_with_production_asks_once_and_with_read_only_refuses(qtbot, tenants, save_connections):
    names = [f"Tenant {n}" for n in range(1, 6)]
    flags = {"Tenant 2": {"production": True}, "Tenant 3": {"production": True}}
    save_connections(*(SavedConnection(n, dsn=d, **flags.get(n, {})) for n, d in zip(names, tenants)),
                     SavedConnection("Reports", dsn=tenants[0], read_only=True),
                     groups=[ConnectionGroup("tenants", tuple(names)), ConnectionGroup("all", (*names, "Reports"))])
    dialog = _dialog(qtbot)
    _choose_group(dialog, "tenants")
    asked = answer_dialog(qtbot, lambda box: box.button(QMessageBox.StandardButton.Cancel).click(),
                          "production-write-confirm")
    dialog.run_button.click()
    asked.wait(qtbot)
    assert "“Tenant 2”, “Tenant 3” are production databases" in asked.text
    assert not any(_has_table(dsn) for dsn in tenants) and dialog.run_button.isEnabled()

    _choose_group(dialog, "all")
    refused = answer_dialog(qtbot, lambda box: box.accept(), "read-only-refused")
    dialog.run_button.click()
    refused.wait(qtbot)
    assert "“Reports” is a read-only connection" in refused.text and "Nothing was started" in refused.text
    assert not any(_has_table(dsn) for dsn in tenants)


def test_a_group_with_a_production_store_runs_from_the_command_line_only_with_yes(tmp_path, tenants, save_connections,
                                                                                   capsys, monkeypatch):
    names = [f"Tenant {n}" for n in range(1, 6)]
    save_connections(*(SavedConnection(name, dsn=dsn, production=name == "Tenant 3") for name, dsn in zip(names, tenants)),
                     groups=[ConnectionGroup("tenants", tuple(names))])
    migration = tmp_path / "1.0_visits.sql"
    migration.write_text(TEXT)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["migrate", "run", str(migration), "--plugin", "visits", "--group", "tenants"]) == 1
    assert "“Tenant 3” is a production database: you are about to run the migrations on them" in capsys.readouterr().err
    assert not any(_has_table(dsn) for dsn in tenants)
    assert main(["migrate", "run", str(migration), "--plugin", "visits", "--group", "tenants", "--yes", "--json"]) == 0
    assert all(_has_table(dsn) for dsn in tenants)
