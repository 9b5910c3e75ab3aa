"""Connections… as a user works it: add, save (password to the keyring), test, groups, switch."""
from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from plugin_studio.models.connections import ConnectionGroup, SavedConnection
from plugin_studio.services import connections as saved
from plugin_studio.ui.connections.dialog import ConnectionsDialog

from saved_helpers import parts_of

SECRET = "k3yring-only-PW"


def _dialog(qtbot, current=None) -> ConnectionsDialog:
    dialog = ConnectionsDialog(None, current=current)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _click(dialog, name: str) -> None:
    dialog.findChild(QPushButton, name).click()


def test_a_new_connection_is_saved_with_its_password_in_the_keyring_only(qtbot, dsn, save_connections,
                                                                          memory_keyring, own_home):
    save_connections(SavedConnection("Staging", dsn=dsn))
    dialog = _dialog(qtbot)
    assert [dialog.list.item(i).text().split("\n")[0] for i in range(dialog.list.count())] == ["Embedded", "Staging"]
    _click(dialog, "new")
    entry = parts_of(dsn, "Tenant 1")
    editor = dialog.editor
    editor.name.setText(entry.name)
    editor.host.setText(entry.host)
    editor.port.setValue(entry.port or 0)
    editor.database.setText(entry.database)
    editor.user.setText(entry.user)
    editor.password.setText(SECRET)
    editor.production.setChecked(True)
    _click(dialog, "save")
    assert dialog.message.text() == "Saved Tenant 1."
    assert memory_keyring.secrets == {(saved.KEYRING_SERVICE, "Tenant 1"): SECRET}
    text = saved.connections_path().read_text()
    assert SECRET not in text and json.loads(text)["connections"][2]["production"] is True
    assert dialog.editor.password.text() == "" and "kept in the OS keyring" in dialog.editor.password.placeholderText()

    _click(dialog, "test")
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Connected: PostgreSQL"))
    assert "plugin tables in place" in dialog.message.text()

    editor.name.setText("bad=name")
    _click(dialog, "save")
    assert "may not contain '='" in dialog.message.text()
    assert saved.load_connections().names() == ["Embedded", "Staging", "Tenant 1"]


def test_renaming_moves_the_password_and_test_says_why_it_failed(qtbot, dsn, save_connections, memory_keyring,
                                                                 tmp_path):
    save_connections(SavedConnection("Old", dsn=dsn))
    saved.store_password("Old", SECRET)
    dialog = _dialog(qtbot, current="Old")
    dialog.editor.name.setText("New")
    _click(dialog, "save")
    assert memory_keyring.secrets == {(saved.KEYRING_SERVICE, "New"): SECRET}
    dialog.editor.dsn.setText(f"postgresql://nobody@/nodb?host={tmp_path}")
    _click(dialog, "test")
    qtbot.waitUntil(lambda: dialog.findChild(QPushButton, "test").isEnabled() and "lost" in dialog.message.text())


def test_groups_are_named_lists_of_saved_connections(qtbot, dsn, save_connections):
    save_connections(SavedConnection("A", dsn=dsn), SavedConnection("B", dsn=dsn), SavedConnection("C", dsn=dsn))
    dialog = _dialog(qtbot)
    groups = dialog.groups
    _click(groups, "new-group")
    groups.name.setText("tenants")
    for i in range(groups.members.count()):
        item = groups.members.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.text() in ("A", "C") else Qt.CheckState.Unchecked)
    _click(groups, "save-group")
    assert saved.load_connections().group("tenants") == ConnectionGroup("tenants", ("A", "C"))
    dialog.list.setCurrentRow(1)
    dialog.editor.name.setText("A1")
    _click(dialog, "save")
    assert saved.load_connections().group("tenants").members == ("A1", "C")


def test_a_password_typed_into_the_connection_string_goes_to_the_keyring(qtbot, dsn, save_connections,
                                                                         memory_keyring):
    save_connections()
    dialog = _dialog(qtbot)
    _click(dialog, "new")
    dialog.editor.name.setText("Typed")
    dialog.editor.dsn.setText(f"{dsn}&password={SECRET}")
    _click(dialog, "save")
    assert memory_keyring.secrets == {(saved.KEYRING_SERVICE, "Typed"): SECRET}
    assert SECRET not in saved.connections_path().read_text()
    assert SECRET not in dialog.editor.dsn.text()
    _click(dialog, "test")
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Connected: PostgreSQL"))


def test_every_field_survives_an_edit_of_another(qtbot, save_connections):
    full = SavedConnection("Full", host="db.example", port=6432, database="shop", user="admin", sslmode="verify-full",
                           sslrootcert="/ca.pem", sslcert="/me.crt", sslkey="/me.key", color="#123456",
                           production=True)
    save_connections(full)
    dialog = _dialog(qtbot, current="Full")
    assert dialog.editor.entry() == full
    dialog.editor.read_only.setChecked(True)
    _click(dialog, "save")
    assert saved.load_connections().find("Full") == SavedConnection(**{**full.__dict__, "read_only": True})
