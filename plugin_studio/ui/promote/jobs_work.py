"""The background work of the promote dialogs: connect, compare, promote, run pending migrations.

Plain functions of (JobControl, data): they run on a job's thread and touch no widget. Each opens
its own connections and closes them; a saved connection's password is read from the keyring here,
off the GUI thread (a keyring may wait for the user to unlock it).
"""
from __future__ import annotations

import contextlib
from typing import Iterator

from plugin_studio.db import connection as db_connection
from plugin_studio.db.migrate_many import ManyDatabases, ManyOptions
from plugin_studio.models.migration_plan import Planner
from plugin_studio.services import connections as saved
from plugin_studio.services import promote as service
from plugin_studio.services.store_matrix import compare_across


def target_dsn(name: str) -> str:
    entry = saved.saved_connection(name)
    if entry is None:
        raise saved.ConnectionListError(f"no saved connection named {name!r}")
    return saved.connection_dsn(entry)


@contextlib.contextmanager
def _connected(dsn: str) -> Iterator:
    conn = db_connection.connect(dsn, application_name="plugin-studio promote")
    try:
        yield conn
    finally:
        conn.close()


def compare(control, source_dsn: str, target_name: str, plugin_id: str, labels: tuple[str, str]):
    with _connected(source_dsn) as source, _connected(target_dsn(target_name)) as target:
        control.check()
        return service.compare_plugins(source, target, plugin_id, labels=labels)


def promote(control, target_name: str, plan: service.PromotePlan, chosen: set[tuple]):
    with _connected(target_dsn(target_name)) as target:
        return service.promote(target, plan, chosen, after_each=lambda _write: control.check())


def run_pending(control, target_name: str, plugin_id: str):
    many = ManyDatabases([target_dsn(target_name)], Planner(), ManyOptions(plugin=plugin_id, parallelism=1))
    control.check()
    many.run_pending()
    return many.summary()


def matrix(control, group: str, plugin_ref: str):
    stores = saved.group_dsns(group)
    return compare_across(stores, plugin_ref, progress=control.report,
                          is_cancelled=control.is_cancelled)
