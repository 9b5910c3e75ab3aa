"""Ids for tables whose ``id`` has no default.

The platform's ``plugin_dependencies.id`` is ``integer PRIMARY KEY`` without a default or sequence
(PLATFORM.md §1.7), so every insert must name an id. Adding a sequence would change the platform's
schema (DESIGN.md §4), so ids are allocated as max(id) + 1 while holding an advisory lock until the
inserting transaction ends: every Plugin Studio writer takes the same lock, and the platform itself
cannot insert into that table without naming an id. Where the table has a default (our own schema,
or a production database that added a sequence), the database makes the id and nothing is allocated.
"""
from __future__ import annotations

import uuid

import psycopg
from psycopg import sql

from plugin_studio.db.rows import run

INTEGER_TYPES = ("smallint", "integer", "bigint")


def ids_for(conn: psycopg.Connection, table: str, count: int) -> list | None:
    """Ids to name in an insert of ``count`` rows into ``table``, or None when the table makes its own.

    Integer ids are allocated (``allocate_ids``: call inside the inserting transaction); a uuid id
    without default gets fresh uuids.
    """
    id_type = explicit_id_type(conn, table)
    if id_type is None:
        return None
    if id_type in INTEGER_TYPES:
        return allocate_ids(conn, table, count)
    return [str(uuid.uuid4()) for _ in range(count)]


def explicit_id_type(conn: psycopg.Connection, table: str) -> str | None:
    """The type of ``table.id`` when it has neither a default nor an identity (an insert must name
    the id), else None."""
    row = run(conn, "SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema()"
                    " AND table_name = %s AND column_name = 'id' AND column_default IS NULL AND is_identity = 'NO'",
              (table,)).fetchone()
    return row[0] if row else None


def allocate_ids(conn: psycopg.Connection, table: str, count: int) -> list[int]:
    """``count`` unused integer ids for ``table``; call inside the transaction that inserts them."""
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.INTRANS:
        raise RuntimeError("allocate_ids must run inside the inserting transaction")
    run(conn, "SELECT pg_advisory_xact_lock(hashtext('plugin_studio.ids'), hashtext(%s))", (table,))
    top = run(conn, sql.SQL("SELECT coalesce(max(id), 0) FROM {}").format(sql.Identifier(table))).fetchone()[0]
    return list(range(top + 1, top + 1 + count))
