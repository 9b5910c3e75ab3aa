"""Saved connections: the list's rules, the file, passwords in the keyring only, and ``--dsn NAME``."""
from __future__ import annotations

import io
import json
import logging

import psycopg
import pytest

from plugin_studio.cli import main
from plugin_studio.db import connection as db_connection
from plugin_studio.db.errors import ReadOnlyRefused
from plugin_studio.models import connections as model
from plugin_studio.models.connections import ConnectionGroup, ConnectionList, ConnectionListError, SavedConnection
from plugin_studio.services import connections as saved
from plugin_studio.settings import Settings, config_dir, log_dir

from saved_helpers import parts_of

SECRET = "s3cr3t-Pa55word!"


def test_the_embedded_entry_is_always_first_and_keeps_its_name():
    listing = ConnectionList()
    assert listing.names() == [model.EMBEDDED_NAME] == [db_connection.EMBEDDED_NAME]
    with pytest.raises(ConnectionListError, match="always in the list"):
        listing.remove(model.EMBEDDED_NAME)
    with pytest.raises(ConnectionListError, match="cannot be renamed"):
        listing.put(SavedConnection("Mine"), replacing=model.EMBEDDED_NAME)
    listing.put(SavedConnection(model.EMBEDDED_NAME, color="#123456", read_only=True), replacing=model.EMBEDDED_NAME)
    assert listing.find(model.EMBEDDED_NAME).read_only
    assert model.from_json({"connections": [{"name": "Staging", "host": "db"}]}).names() == ["Embedded", "Staging"]


@pytest.mark.parametrize("name, reason", [
    ("", "needs a name"), (" x", "needs a name"), ("a=b", "would read as a DSN"),
    ("postgresql://h/d", "would read as a DSN"), ("x" * 65, "longer than 64"),
])
def test_a_name_that_could_be_misread_is_refused(name, reason):
    with pytest.raises(ConnectionListError, match=reason):
        ConnectionList().put(SavedConnection(name))


@pytest.mark.parametrize("entry, reason", [
    (SavedConnection("A", port=0), "port"), (SavedConnection("A", port=70000), "port"),
    (SavedConnection("A", sslmode="sometimes"), "sslmode"), (SavedConnection("A", color="red"), "colour"),
    (SavedConnection("Embedded", host="elsewhere"), "its own"),
])
def test_bad_fields_are_refused_by_name(entry, reason):
    listing = ConnectionList()
    with pytest.raises(ConnectionListError, match=reason):
        listing.put(entry, replacing="Embedded" if entry.embedded else None)


def test_duplicates_renames_and_groups():
    listing = ConnectionList()
    listing.put(SavedConnection("A"))
    listing.put(SavedConnection("B"))
    with pytest.raises(ConnectionListError, match="already exists"):
        listing.put(SavedConnection("A"))
    listing.put_group(ConnectionGroup("tenants", ("A", "B")))
    with pytest.raises(ConnectionListError, match="no saved connection named C"):
        listing.put_group(ConnectionGroup("bad", ("A", "C")))
    with pytest.raises(ConnectionListError, match="listed twice"):
        listing.put_group(ConnectionGroup("twice", ("A", "A")))
    listing.put(SavedConnection("A2"), replacing="A")
    assert listing.group("tenants").members == ("A2", "B")
    listing.remove("B")
    assert [c.name for c in listing.members("tenants")] == ["A2"]
    with pytest.raises(ConnectionListError, match="no group named"):
        listing.members("nope")


def test_the_file_round_trips_and_a_bad_file_reads_as_the_embedded_entry(own_home, caplog):
    listing = ConnectionList()
    listing.put(SavedConnection("Shop", host="db.example", port=6432, database="shop", user="admin",
                                sslmode="verify-full", color="#aa0000", production=True))
    listing.put_group(ConnectionGroup("all", ("Shop", "Embedded")))
    saved.save_connections(listing)
    assert saved.load_connections() == listing
    saved.connections_path().write_text('{"connections": [{"name": "X", "port": "5432"}]}')
    with caplog.at_level(logging.WARNING):
        assert saved.load_connections().names() == ["Embedded"]
    assert "port = '5432' is not allowed" in caplog.text
    saved.connections_path().write_text("{not json")
    assert saved.load_connections().names() == ["Embedded"]


def test_a_read_only_connection_asks_the_server_for_read_only_sessions(dsn):
    entry = SavedConnection("RO", dsn=dsn, read_only=True)
    ro = saved.dsn_of(entry, "pw")
    with psycopg.connect(ro, autocommit=True) as conn:
        assert conn.execute("SHOW default_transaction_read_only").fetchone()[0] == "on"
        assert conn.info.password == "pw"
    with_options = saved.dsn_of(SavedConnection("RO", dsn=dsn + "&options=-c%20work_mem%3D8MB", read_only=True))
    with psycopg.connect(with_options, autocommit=True) as conn:
        assert conn.execute("SHOW work_mem").fetchone()[0] == "8MB"
        assert conn.execute("SHOW default_transaction_read_only").fetchone()[0] == "on"


def test_a_write_on_a_read_only_session_is_a_clear_error(dsn):
    conn = db_connection.connect(saved.dsn_of(SavedConnection("RO", dsn=dsn, read_only=True)))
    try:
        with pytest.raises(ReadOnlyRefused, match="This connection is read-only: nothing was written"):
            from plugin_studio.db.rows import run

            run(conn, "UPDATE plugin_registry SET name = name")
    finally:
        conn.close()


def _everything_written(home) -> str:
    """Every file Plugin Studio wrote under its home (settings, connections, logs), as text."""
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in home.rglob("*") if p.is_file())


def test_the_password_is_in_the_keyring_and_nowhere_else(own_home, memory_keyring, dsn, cart_viewer, capsys,
                                                           caplog, monkeypatch):
    monkeypatch.delenv("PLUGIN_STUDIO_DSN")
    from plugin_studio.ui.errors import setup_logging

    listing = ConnectionList()
    listing.put(parts_of(dsn, "Staging"))
    saved.save_connections(listing)
    saved.store_password("Staging", SECRET)
    Settings(last_plugin_id=cart_viewer).save()
    assert memory_keyring.secrets == {(saved.KEYRING_SERVICE, "Staging"): SECRET}
    setup_logging()
    root = logging.getLogger()
    try:
        with caplog.at_level(logging.DEBUG):
            assert main(["plugins", "list", "--dsn", "Staging"]) == 0
            assert main(["plugins", "list", "--dsn", "Staging", "--json"]) == 0
            assert main(["export", "nope", "-o", str(own_home / "x.json"), "--dsn", "Staging"]) == 1
    finally:
        for handler in [h for h in root.handlers if getattr(h, "baseFilename", "").startswith(str(log_dir()))]:
            root.removeHandler(handler)
            handler.close()
    out = capsys.readouterr()
    assert "Cart Viewer" in out.out
    assert saved.stored_password("Staging") == SECRET
    assert (config_dir() / "connections.json").exists() and (config_dir() / "settings.json").exists()
    assert "Staging" in json.dumps(json.loads((config_dir() / "connections.json").read_text()))
    written = _everything_written(own_home)
    assert SECRET not in written and SECRET not in caplog.text and SECRET not in out.out + out.err


def test_dsn_name_reaches_every_command_and_read_only_refuses_an_import(own_home, memory_keyring, dsn, conn,
                                                                       cart_viewer, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("PLUGIN_STUDIO_DSN")
    listing = ConnectionList()
    listing.put(SavedConnection("Work", dsn=dsn))
    listing.put(SavedConnection("Look", dsn=dsn, read_only=True))
    saved.save_connections(listing)
    package = tmp_path / "cart.json"
    assert main(["--dsn", "Work", "export", cart_viewer, "-o", str(package)]) == 0
    before = conn.execute("SELECT count(*) FROM plugin_registry").fetchone()[0]
    capsys.readouterr()
    assert main(["import", str(package), "--dsn", "Look"]) == 1
    err = capsys.readouterr().err
    assert "This connection is read-only: nothing was written" in err
    assert conn.execute("SELECT count(*) FROM plugin_registry").fetchone()[0] == before
    assert main(["import", str(package), "--dsn", "Work"]) == 0
    assert conn.execute("SELECT count(*) FROM plugin_registry").fetchone()[0] == before + 1


def test_an_unknown_name_is_a_dsn_libpq_explains(own_home, memory_keyring, capsys):
    assert main(["plugins", "list", "--dsn", "Nowhere"]) == 1
    assert capsys.readouterr().err.startswith("plugin-studio: error:")


def test_a_command_that_writes_to_production_asks_at_a_terminal_and_elsewhere_needs_yes(
        own_home, memory_keyring, dsn, conn, cart_viewer, tmp_path, capsys, monkeypatch):
    """As the window asks once before the first write (ui/connections/guard.py), a command asks
    before it writes: piped (no terminal) it refuses and names --yes; reading is never asked."""
    monkeypatch.delenv("PLUGIN_STUDIO_DSN")
    listing = ConnectionList()
    listing.put(SavedConnection("Shop", dsn=dsn, production=True))
    saved.save_connections(listing)
    package = tmp_path / "cart.json"
    assert main(["export", cart_viewer, "-o", str(package), "--dsn", "Shop"]) == 0
    assert main(["plugins", "list", "--dsn", "Shop"]) == 0
    count = lambda: conn.execute("SELECT count(*) FROM plugin_registry").fetchone()[0]  # noqa: E731
    before = count()
    capsys.readouterr()

    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))   # piped: not a terminal, nobody to ask
    assert main(["import", str(package), "--dsn", "Shop"]) == 1
    err = capsys.readouterr().err
    assert "“Shop” is a production database: you are about to import" in err and "pass --yes" in err
    assert count() == before

    answers, prompts = iter(["", "y"]), []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or next(answers))
    assert main(["import", str(package), "--dsn", "Shop"]) == 1   # Enter: No is the default
    assert "writing to production was declined" in capsys.readouterr().err and count() == before
    assert main(["import", str(package), "--dsn", "Shop"]) == 0
    assert count() == before + 1 and len(prompts) == 2 and prompts[0].endswith("Go on? [y/N] ")

    assert main(["import", str(package), "--dsn", "Shop", "--yes"]) == 0
    assert count() == before + 2 and len(prompts) == 2
