"""Reading one plugin from every store of a group, for the version matrix (``models/store_matrix.py``).

Each store is read on its own connection, one after the other; a store that cannot be reached, or
lacks the plugin, becomes a column with a note, and the others are still read.
"""
from __future__ import annotations

from typing import Callable

from plugin_studio.db import connection as db_connection
from plugin_studio.db import plugins
from plugin_studio.db.errors import NotFound, StudioDbError
from plugin_studio.models.store_matrix import StoreSide, VersionMatrix, version_matrix
from plugin_studio.services.promote import read_side


def read_store(store: str, dsn: str, plugin_ref: str) -> StoreSide:
    """The plugin (id, slug or name) as ``store`` holds it; never raises for the store's own trouble."""
    try:
        conn = db_connection.connect(dsn, application_name="plugin-studio compare")
    except StudioDbError as exc:
        return StoreSide(store, error=f"could not connect: {exc}")
    try:
        side = read_side(conn, plugins.find_plugin(conn, plugin_ref).id)
        return StoreSide(store, side.registry, side.rows)
    except NotFound:
        return StoreSide(store)
    except StudioDbError as exc:
        return StoreSide(store, error=str(exc))
    finally:
        conn.close()


def compare_across(stores: list[tuple[str, str]], plugin_ref: str,
                   progress: Callable[[int, int, str], None] | None = None,
                   is_cancelled: Callable[[], bool] = lambda: False) -> VersionMatrix | None:
    """The version matrix of ``plugin_ref`` over ``stores`` (name, DSN), in their order; None when
    cancelled between two stores."""
    sides = []
    for n, (store, dsn) in enumerate(stores):
        if is_cancelled():
            return None
        if progress:
            progress(n, len(stores), store)
        sides.append(read_store(store, dsn, plugin_ref))
    return version_matrix(sides)
