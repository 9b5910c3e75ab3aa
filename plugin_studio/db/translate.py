"""psycopg's exceptions translated to the data layer's typed errors (``db/errors.py``) at the boundary."""
from __future__ import annotations

import psycopg
import psycopg.errors

from plugin_studio.db.errors import ConnectionLost, ReadOnlyRefused, SqlError, SqlProblem, StudioDbError

READ_ONLY_SQL_TRANSACTION = "25006"


def translate(exc: BaseException) -> StudioDbError:
    """Map a psycopg exception to ours, keeping the server's diagnostics."""
    if isinstance(exc, StudioDbError):
        return exc
    if is_connection_failure(exc):
        return ConnectionLost(f"database connection lost: {first_line(exc)}")
    if isinstance(exc, psycopg.Error):
        diag = exc.diag
        position = int(diag.statement_position) if diag.statement_position else None
        problem = SqlProblem(message=diag.message_primary or first_line(exc), hint=diag.message_hint,
                             detail=diag.message_detail, position=position, sqlstate=diag.sqlstate)
        return ReadOnlyRefused(problem) if diag.sqlstate == READ_ONLY_SQL_TRANSACTION else SqlError(problem)
    return StudioDbError(str(exc))


# SQLSTATE classes that mean the session is gone: connection exceptions and server shutdowns.
# Deadlocks, serialization failures, lock and statement timeouts are also OperationalErrors,
# but the connection survives them: they are reported as SQL errors and nothing reconnects.
_CONNECTION_STATES = ("08", "57P01", "57P02", "57P03")


def is_connection_failure(exc: BaseException) -> bool:
    if not isinstance(exc, psycopg.OperationalError):
        return False
    state = getattr(exc, "sqlstate", None)
    return state is None or state.startswith(_CONNECTION_STATES)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
