"""Typed errors raised by the data layer (psycopg's are translated to these in ``db/translate.py``).

The UI shows one of these; it never needs to know psycopg's exception tree. A lost
connection reads differently from bad SQL, and the server's hint and position travel along.
This module imports no psycopg, so the pure domain (``models/``) may raise and catch them.
"""
from __future__ import annotations

from dataclasses import dataclass


class StudioDbError(Exception):
    """Base of every error the data layer raises on purpose."""


class ConnectionLost(StudioDbError):
    """The server went away or could not be reached; the operation did not happen."""


class ServerStartError(StudioDbError):
    """The embedded PostgreSQL could not be started."""


class SchemaNotReady(StudioDbError):
    """The database lacks tables or columns the IDE needs; only ``plugin-studio db init`` adds them."""


class NotFound(StudioDbError):
    """The row the caller names does not exist (any more)."""


class ValidationError(StudioDbError):
    """The caller's value breaks a rule of ours (a duplicate name, a bad event name)."""


@dataclass
class SqlProblem:
    message: str
    hint: str | None = None
    detail: str | None = None
    position: int | None = None
    sqlstate: str | None = None


class SqlError(StudioDbError):
    """The server rejected a statement; ``problem`` carries its message, hint and position."""

    def __init__(self, problem: SqlProblem):
        super().__init__(problem.message)
        self.problem = problem


class ReadOnlyRefused(SqlError):
    """A write on a read-only connection (SQLSTATE 25006): the server refused it; nothing was written."""

    def __init__(self, problem: SqlProblem):
        said = f"This connection is read-only: nothing was written (the server: {problem.message})."
        super().__init__(SqlProblem(said, problem.hint, problem.detail, problem.position, problem.sqlstate))


class ConflictError(StudioDbError):
    """The row changed on the server since it was loaded; the save was refused.

    ``server_text`` is what the server holds now (None when the row was deleted).
    """

    def __init__(self, table: str, row_id: str, server_text: str | None):
        what = "was deleted" if server_text is None else "was changed by someone else"
        super().__init__(f"{table} row {row_id} {what} since you opened it")
        self.table = table
        self.row_id = row_id
        self.server_text = server_text
