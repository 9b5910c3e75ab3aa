"""Finding the database (``--dsn``, ``PLUGIN_STUDIO_DSN`` or the embedded server) and connecting.

Connections are autocommit; every write is wrapped in ``with conn.transaction()`` by its caller,
so a multi-row operation is all or nothing and a read never holds a transaction open.
Every session waits at most ``lock_timeout`` behind another session's lock and runs no statement
longer than ``statement_timeout`` (DESIGN.md §3); a caller with longer work (a migration) passes
its own limits.

Opening never changes the schema of a server given by ``--dsn`` (DESIGN.md §4): it checks the
tables and, where some are missing, says that ``plugin-studio db init`` is needed.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import psycopg

from plugin_studio.db import schema, server
from plugin_studio.db.translate import translate

DSN_ENV = "PLUGIN_STUDIO_DSN"
# ``--dsn Embedded`` names the embedded server even where PLUGIN_STUDIO_DSN names another (the first
# entry of the saved connections, models/connections.py, which cannot import this module).
EMBEDDED_NAME = "Embedded"
LOCK_TIMEOUT_MS = 5_000
# Generous: it stops a runaway query, never a real one (a 20,000-row tree loads in about a second).
STATEMENT_TIMEOUT_MS = 120_000


@dataclass(frozen=True)
class Target:
    """Where to connect, and whether it is the embedded database this machine's Plugin Studio owns."""
    dsn: str
    embedded: bool


def uses_embedded(cli_dsn: str | None = None) -> bool:
    """True when the command line names the embedded server, or neither it nor the environment names one."""
    return cli_dsn == EMBEDDED_NAME or not (cli_dsn or os.environ.get(DSN_ENV))


def resolve(cli_dsn: str | None = None) -> Target:
    """The command line, then the environment, then the embedded server (started if needed)."""
    if uses_embedded(cli_dsn):
        return Target(server.start_embedded(), True)
    return Target(cli_dsn or os.environ[DSN_ENV], False)


def resolve_dsn(cli_dsn: str | None = None) -> str:
    return resolve(cli_dsn).dsn


def connect(dsn: str, *, application_name: str = "plugin-studio", lock_timeout_ms: int | None = LOCK_TIMEOUT_MS,
            statement_timeout_ms: int | None = STATEMENT_TIMEOUT_MS) -> psycopg.Connection:
    """An autocommit connection with the session's timeouts set (``set_timeouts``: ms, 0 = no limit of
    ours, None = the server's).

    The timeouts are set by a statement after connecting rather than as startup ``options``, which
    connection poolers (PgBouncer, Supavisor) commonly refuse. It talks UTF-8 whatever the database's
    encoding: text the database cannot hold (a ★ in a LATIN1 database) is then refused by the server
    with an SQL error, not by an encoder on our side. Raises ConnectionLost or SqlError.
    """
    try:
        conn = psycopg.connect(dsn, autocommit=True, application_name=application_name, connect_timeout=10,
                               client_encoding="UTF8")
    except psycopg.Error as exc:
        raise translate(exc) from exc
    try:
        set_timeouts(conn, lock_timeout_ms=lock_timeout_ms, statement_timeout_ms=statement_timeout_ms)
    except BaseException:
        conn.close()
        raise
    return conn


def set_timeouts(conn: psycopg.Connection, *, lock_timeout_ms: int | None = None,
                 statement_timeout_ms: int | None = None) -> None:
    """Set the session's lock and statement timeouts (ms, 0 = none; None leaves one as it is).

    A limit can only tighten what the session already has: a stricter one set by the server's
    administrator (per database, per role) stays in force.
    """
    wanted = [(name, int(ms)) for name, ms in (("lock_timeout", lock_timeout_ms),
                                                ("statement_timeout", statement_timeout_ms)) if ms is not None]
    if not wanted:
        return
    try:
        conn.execute(
            "SELECT set_config(s.name, (CASE WHEN w.ms = 0 THEN s.setting::bigint"
            " WHEN s.setting::bigint = 0 THEN w.ms ELSE least(s.setting::bigint, w.ms) END) || 'ms', false)"
            " FROM pg_settings s JOIN unnest(%s::text[], %s::bigint[]) AS w(name, ms) ON w.name = s.name",
            ([name for name, _ in wanted], [ms for _, ms in wanted]))
    except psycopg.Error as exc:
        raise translate(exc) from exc


def prepare_schema(conn: psycopg.Connection, embedded: bool) -> None:
    """The embedded database is Plugin Studio's own, so its tables are created (or completed) on
    first start without asking; any other server is only checked (SchemaNotReady names what is
    missing and ``plugin-studio db init``)."""
    if embedded:
        schema.ensure_schema(conn)
    else:
        schema.check_ready(conn)


def open_database(cli_dsn: str | None = None) -> tuple[str, psycopg.Connection]:
    """Resolve, connect and check the plugin tables; the CLI's way in. Raises StudioDbError."""
    target = resolve(cli_dsn)
    conn = connect(target.dsn)
    try:
        prepare_schema(conn, target.embedded)
    except BaseException:
        conn.close()
        raise
    return target.dsn, conn
