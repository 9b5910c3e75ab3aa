"""The embedded PostgreSQL (pgserver) that Plugin Studio starts when no DSN is given.

pgserver stops its server when the last process holding a handle exits. ``db start`` and
``db url`` leave a "held" marker beside the data so that, until ``db stop``, no process stops
the server on its way out: the app and the commands then share it. The marker is read when a
process exits, not when it joined, so a hold taken while the app runs keeps the server up after
the app quits.
"""
from __future__ import annotations

import atexit
import logging
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import psycopg

from plugin_studio import settings
from plugin_studio.db.errors import ServerStartError

DATABASE = "plugin_studio"
log = logging.getLogger(__name__)
# pgserver asks platformdirs for a runtime dir at import; without XDG_RUNTIME_DIR it warns and uses /tmp.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


@dataclass
class ServerStatus:
    running: bool
    pgdata: Path
    pid: int | None = None
    uri: str | None = None
    held: bool = False


def pgdata_dir() -> Path:
    return settings.data_dir() / "pgdata"


def _hold_marker() -> Path:
    return settings.data_dir() / "server.held"


def is_held() -> bool:
    return _hold_marker().exists()


def start_embedded(*, hold: bool = False, pgdata: Path | None = None) -> str:
    """Start (or join) the embedded server and return the DSN of the IDE's database."""
    try:
        import pgserver  # imported late: it is slow to import and not needed with --dsn

        cleanup = None if (hold or is_held()) else "stop"
        server = pgserver.get_server(pgdata or pgdata_dir(), cleanup_mode=cleanup)
    except Exception as exc:  # pgserver raises bare CalledProcessError/AssertionError
        raise ServerStartError(f"could not start the embedded PostgreSQL: {exc}") from exc
    if hold:
        _hold_marker().write_text(str(os.getpid()))
    _keep_up_if_held_at_exit(server)
    _ensure_database(server.get_uri())
    return server.get_uri(DATABASE)


_watched: set[int] = set()


def _keep_up_if_held_at_exit(server) -> None:
    """pgserver decides at join time whether this process stops the server when it is the last one
    to leave; a hold taken later (``db url`` while the app runs) must still win. atexit runs its
    functions last-registered first, so this runs before pgserver's own clean-up of ``server``."""
    if id(server) in _watched:
        return
    _watched.add(id(server))

    def at_exit() -> None:
        if is_held():
            server.cleanup_mode = None   # pgserver's documented mode: leave the server running
    atexit.register(at_exit)


def _ensure_database(admin_uri: str) -> None:
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone()
        if not exists:
            try:
                conn.execute(f'CREATE DATABASE "{DATABASE}"')
            except psycopg.errors.DuplicateDatabase:
                pass  # another process created it between our check and our create


def status(pgdata: Path | None = None) -> ServerStatus:
    from pgserver.utils import PostmasterInfo

    path = pgdata or pgdata_dir()
    info = PostmasterInfo.read_from_pgdata(path) if path.exists() else None
    if info is None or not info.is_running():
        return ServerStatus(running=False, pgdata=path, held=is_held())
    return ServerStatus(True, path, info.pid, info.get_uri(database=DATABASE), is_held())


def stop(pgdata: Path | None = None) -> bool:
    """Stop the embedded server if it runs; returns whether it was running."""
    from pgserver._commands import pg_ctl

    _hold_marker().unlink(missing_ok=True)
    path = pgdata or pgdata_dir()
    if not status(path).running:
        return False
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=path, user=user)
    return True
