"""Saved connections in tests: a private settings folder per test and an in-memory keyring.

The keyring backend is registered with ``keyring.set_keyring`` for the test and the previous one
put back after it; its ``secrets`` are what a test inspects to see where a password went.
"""
from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from plugin_studio.models.connections import ConnectionList, SavedConnection
from plugin_studio.services import connections as saved


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps secrets in this process only (no file, no D-Bus)."""
    priority = 1

    def __init__(self):
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory_keyring():
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def own_home(tmp_path, monkeypatch):
    """Settings, the connections file and logs of this test alone (the embedded server stays the run's)."""
    home = tmp_path / "home"
    monkeypatch.setenv("PLUGIN_STUDIO_HOME", str(home))
    return home


@pytest.fixture
def save_connections(own_home, memory_keyring):
    """``save_connections(*entries, groups=...)`` writes the connections file of this test."""
    def write(*entries: SavedConnection, groups=()) -> ConnectionList:
        listing = ConnectionList()
        for entry in entries:
            listing.put(entry)
        for group in groups:
            listing.put_group(group)
        saved.save_connections(listing)
        return listing
    return write


STUDIO_TEMPLATE_DB = "plugin_studio_test_template"   # tests/conftest.py's TEMPLATE_DB


@pytest.fixture
def databases(pg_admin_dsn, request):
    """``databases(n, platform=False)``: n fresh databases on the run's server with the plugin tables
    (ours, or the platform's shape from tests/platform_db.py); dropped after the test."""
    import uuid

    import psycopg
    from psycopg.conninfo import make_conninfo

    made = []

    def create(n: int, platform: bool = False) -> list[str]:
        template = request.getfixturevalue("platform_template") if platform else STUDIO_TEMPLATE_DB
        with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
            for _ in range(n):
                made.append("s_" + uuid.uuid4().hex[:12])
                admin.execute(f'CREATE DATABASE "{made[-1]}" TEMPLATE "{template}"')
        return [make_conninfo(pg_admin_dsn, dbname=name) for name in made[-n:]]

    yield create
    with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
