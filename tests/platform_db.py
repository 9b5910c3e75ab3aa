"""A database shaped like a real platform database, and a role that may only read and write rows.

The tables (``platform_g5.sql`` beside this module) are the platform's canonical tenant tables (G5),
written by us column by column from PLATFORM.md's appendix: varchar(255) ``plugin_id`` on scripts/events/hooks/data/dependencies/admin_*,
uuid on widgets/migrations/entities/controllers/docs/cron/version_*; no unique constraints except the
two unique *indexes* G5 has (cron name, store configuration); ``plugin_dependencies.id`` an integer
without default; ``plugin_registry`` with ``status`` 'inactive' and ``is_enabled`` false by default and
no default for ``version``; the foreign keys and ``updated_at``/version triggers G5 has. ``users`` and
``stores`` are stand-ins (an id only) so the registry's and configurations' foreign keys exist.

Fixtures (registered by ``pytest_plugins`` in tests/conftest.py):

- ``platform_dsn``: a fresh platform-shaped database for this test (the admin role owns it).
  It is not put in ``PLUGIN_STUDIO_DSN``: pass ``--dsn`` / the DSN explicitly.
- ``platform_conn``: an autocommit admin connection to it (for arranging rows and checking them).
- ``dml_dsn``: the same database as ``studio_dml``, a role with only SELECT/INSERT/UPDATE/DELETE on
  the tables (no CREATE on the schema, owns nothing): what a production role often is.
- ``empty_dsn``: a fresh database without any table (what ``db init`` starts from).

Helpers: ``schema_dump(dsn)`` is ``pg_dump --schema-only`` of a database (compare before/after to
prove nothing changed the schema); ``insert_row(conn, table, **values)`` inserts one row with only the
given columns (the rest from the table's defaults, as the platform's own inserts do) and returns its id;
``insert_platform_plugin(conn, name, **columns)`` does that for ``plugin_registry``.

Example::

    def test_listing_leaves_the_schema_alone(platform_dsn, platform_conn):
        insert_platform_plugin(platform_conn, "Cart Hamid", status="active")
        before = schema_dump(platform_dsn)
        assert main(["plugins", "list", "--dsn", platform_dsn]) == 0
        assert schema_dump(platform_dsn) == before
"""
from __future__ import annotations

import subprocess
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo
from psycopg.types.json import Jsonb

PLATFORM_TEMPLATE_DB = "platform_shape_template"
DML_ROLE = "studio_dml"

PLATFORM_TABLES = (
    "plugin_registry", "plugin_scripts", "plugin_events", "plugin_hooks", "plugin_widgets", "plugin_data",
    "plugin_dependencies", "plugin_migrations", "plugin_entities", "plugin_controllers", "plugin_docs",
    "plugin_cron", "plugin_admin_pages", "plugin_admin_scripts", "plugin_configurations", "plugin_marketplace",
    "plugin_version_history", "plugin_version_snapshots", "plugin_version_patches", "plugin_version_tags",
    "plugin_version_comparisons",
)

# The DDL lives beside this module as SQL; PLATFORM_DDL is its text.
PLATFORM_DDL = Path(__file__).with_name("platform_g5.sql").read_text(encoding="utf-8")

_DML_GRANTS = f"""
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {DML_ROLE};
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
"""


def _with_database(dsn: str, name: str) -> str:
    return make_conninfo(dsn, dbname=name)


def _ensure_dml_role(admin: psycopg.Connection) -> None:
    """The role is cluster-wide, so it survives between runs on a reused server: create it once."""
    exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (DML_ROLE,)).fetchone()
    if not exists:
        try:
            admin.execute(f"CREATE ROLE {DML_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
        except psycopg.errors.DuplicateObject:
            pass  # created by a concurrent run on the same server


@pytest.fixture(scope="session")
def platform_template(pg_admin_dsn) -> str:
    """The name of a template database holding the platform's tables, built once per run."""
    with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
        _ensure_dml_role(admin)
        admin.execute(f'DROP DATABASE IF EXISTS "{PLATFORM_TEMPLATE_DB}"')
        admin.execute(f'CREATE DATABASE "{PLATFORM_TEMPLATE_DB}"')
    with psycopg.connect(_with_database(pg_admin_dsn, PLATFORM_TEMPLATE_DB), autocommit=True) as conn:
        with conn.transaction():
            conn.execute(PLATFORM_DDL)
            conn.execute(_DML_GRANTS)
    return PLATFORM_TEMPLATE_DB


def _fresh_database(admin_dsn: str, template: str):
    name = "p_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield _with_database(admin_dsn, name)
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def platform_dsn(pg_admin_dsn, platform_template) -> str:
    """A fresh platform-shaped database private to this test (admin DSN); dropped afterwards."""
    yield from _fresh_database(pg_admin_dsn, platform_template)


@pytest.fixture
def empty_dsn(pg_admin_dsn) -> str:
    """A fresh database without any table, private to this test (admin DSN); dropped afterwards."""
    yield from _fresh_database(pg_admin_dsn, "template0")


@pytest.fixture
def platform_conn(platform_dsn):
    with psycopg.connect(platform_dsn, autocommit=True) as connection:
        yield connection


@pytest.fixture
def dml_dsn(platform_dsn) -> str:
    """The test's platform-shaped database, as a role that may only SELECT/INSERT/UPDATE/DELETE rows."""
    return make_conninfo(platform_dsn, user=DML_ROLE)


def pg_dump_path() -> Path:
    """``pg_dump`` of the same PostgreSQL build as the embedded server (pgserver's binaries)."""
    from pgserver._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH) / "pg_dump"


def schema_dump(dsn: str) -> str:
    """``pg_dump --schema-only`` of the database: every table, column, default, index, constraint,
    function, trigger and grant, as text."""
    done = subprocess.run([str(pg_dump_path()), "--schema-only", "--dbname", dsn],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"pg_dump failed: {done.stderr.strip()}")
    return done.stdout


def insert_row(conn: psycopg.Connection, table: str, **values: Any) -> str:
    """Insert one row with only these columns (dicts and lists as jsonb); returns its id as text."""
    columns = list(values)
    query = sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING id::text").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL(", ").join(sql.Placeholder() * len(columns)))
    params = [Jsonb(v) if isinstance(v, (dict, list)) else v for v in values.values()]
    return conn.execute(query, params).fetchone()[0]


def insert_platform_plugin(conn: psycopg.Connection, name: str, *, version: str = "1.0.0", **columns: Any) -> str:
    """A ``plugin_registry`` row as the platform writes one: unset columns take the table's defaults
    (status 'inactive', is_enabled false, slug NULL unless given). Returns the plugin's id."""
    return insert_row(conn, "plugin_registry", name=name, version=version, **columns)
