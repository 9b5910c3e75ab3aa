"""Finding the database (``--dsn``, ``PLUGIN_STUDIO_DSN`` or the embedded server) and connecting.

Connections are autocommit; every write is wrapped in ``with conn.transaction()`` by its caller,
so a multi-row operation is all or nothing and a read never holds a transaction open.
"""
from __future__ import annotations

import os

import psycopg

from plugin_studio.db import schema, server
from plugin_studio.db.errors import translate

DSN_ENV = "PLUGIN_STUDIO_DSN"


def resolve_dsn(cli_dsn: str | None = None) -> str:
    """The DSN to use: the command line, then the environment, then the embedded server."""
    return cli_dsn or os.environ.get(DSN_ENV) or server.start_embedded()


def connect(dsn: str, *, application_name: str = "plugin-studio", lock_timeout_ms: int | None = None,
            statement_timeout_ms: int | None = None) -> psycopg.Connection:
    """An autocommit connection. The timeouts (ms) apply where the server's configuration (the
    database's or the role's ``SET``) leaves them unlimited: a value the DBA chose is kept.

    It talks UTF-8 whatever the database's encoding: text the database cannot hold (a ★ in a LATIN1
    database) is then refused by the server with an SQL error, not by an encoder on our side.
    """
    try:
        conn = psycopg.connect(dsn, autocommit=True, application_name=application_name, connect_timeout=10,
                               client_encoding="UTF8")
    except psycopg.Error as exc:
        raise translate(exc) from exc
    try:
        if lock_timeout_ms or statement_timeout_ms:
            _default_timeouts(conn, lock_timeout_ms or 0, statement_timeout_ms or 0)
    except psycopg.Error as exc:
        conn.close()
        raise translate(exc) from exc
    return conn


def _default_timeouts(conn: psycopg.Connection, lock_timeout_ms: int, statement_timeout_ms: int) -> None:
    conn.execute(
        "SELECT set_config(name, value, false)"
        " FROM (VALUES ('lock_timeout', %s), ('statement_timeout', %s)) AS t(name, value)"
        " WHERE value <> '0ms' AND current_setting(name) = '0'",
        (f"{int(lock_timeout_ms)}ms", f"{int(statement_timeout_ms)}ms"))


def open_database(cli_dsn: str | None = None, *, init: bool = True) -> tuple[str, psycopg.Connection]:
    """Resolve, connect and (by default) make sure the plugin tables exist."""
    dsn = resolve_dsn(cli_dsn)
    conn = connect(dsn)
    if init:
        try:
            schema.ensure_schema(conn)
        except psycopg.Error as exc:
            conn.close()
            raise translate(exc) from exc
    return dsn, conn
