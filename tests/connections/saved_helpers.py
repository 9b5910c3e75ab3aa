"""Helpers of the saved-connection tests (a module of its own: test modules import it by name)."""
from __future__ import annotations

from plugin_studio.models.connections import SavedConnection


def parts_of(dsn: str, name: str, **flags) -> SavedConnection:
    """A saved connection with the test database's address spelled out as host/port/database/user."""
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(dsn)
    return SavedConnection(name, host=info.get("host", ""), port=int(info["port"]) if info.get("port") else None,
                           database=info["dbname"], user=info.get("user", ""), **flags)
