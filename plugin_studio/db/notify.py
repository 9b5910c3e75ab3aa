"""Seeing changes made by other clients: NOTIFY triggers, a listener, and a polling fallback.

The triggers send ``{table, op, id, plugin_id}`` on the channel ``plugin_studio_changes`` for every
write to a plugin table. Where the user may not (or chose not to) install triggers, a poller
compares a per-table fingerprint once a second and reports which tables changed.
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import Callable

import psycopg

from plugin_studio.db.connection import connect, prepare_schema
from plugin_studio.db.errors import StudioDbError
from plugin_studio.db.translate import translate
from plugin_studio.db.reconnect import Backoff
from plugin_studio.db.schema import PLUGIN_TABLES

CHANNEL = "plugin_studio_changes"
TRIGGER_PREFIX = "plugin_studio_notify_"
log = logging.getLogger(__name__)

TRIGGER_FUNCTION = f"""
CREATE OR REPLACE FUNCTION plugin_studio_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    PERFORM pg_notify('{CHANNEL}', json_build_object(
        'table', TG_TABLE_NAME,
        'op', TG_OP,
        'id', r.id::text,
        -- registry rows are plugins themselves; a record has no field to branch on, so go through jsonb
        'plugin_id', coalesce(to_jsonb(r)->>'plugin_id', r.id::text)
    )::text);
    RETURN NULL;
END $$;
"""


@dataclass(frozen=True)
class Change:
    table: str
    op: str  # INSERT | UPDATE | DELETE | POLL (only the table is known) | RESYNC (anything may have changed)
    row_id: str | None
    plugin_id: str | None

    @classmethod
    def from_payload(cls, payload: str) -> "Change":
        data = json.loads(payload)
        return cls(data["table"], data["op"], data.get("id"), data.get("plugin_id"))


def install_triggers(conn: psycopg.Connection) -> None:
    """Add the NOTIFY trigger to each plugin table that lacks it (never replacing another's).

    Changes the schema: only the app calls this, for its own embedded database or after the user
    agreed (DESIGN.md §4); no command does. Needs ``may_install_triggers``.
    """
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('plugin_studio.schema'))")
        conn.execute(TRIGGER_FUNCTION)
        for table in _tables_without_trigger(conn):
            conn.execute(
                f'CREATE TRIGGER "{TRIGGER_PREFIX}{table}" AFTER INSERT OR UPDATE OR DELETE ON "{table}"'
                " FOR EACH ROW EXECUTE FUNCTION plugin_studio_notify_change()"
            )


def _tables_without_trigger(conn: psycopg.Connection) -> list[str]:
    having = {r[0] for r in conn.execute(
        "SELECT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid"
        " WHERE c.relnamespace = current_schema()::regnamespace AND g.tgname = %s || c.relname",
        (TRIGGER_PREFIX,)).fetchall()}
    return [t for t in PLUGIN_TABLES if t not in having]


def triggers_installed(conn: psycopg.Connection) -> bool:
    return not _tables_without_trigger(conn)


def may_install_triggers(conn: psycopg.Connection) -> bool:
    """Whether this role can install the triggers: CREATE on the schema, TRIGGER on every plugin table,
    and the notify function absent or its own. A DML-only role cannot: the app then polls, unasked."""
    return bool(conn.execute("""
        SELECT has_schema_privilege(current_schema(), 'CREATE')
           AND bool_and(has_table_privilege(to_regclass(t), 'TRIGGER'))
           AND NOT EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'plugin_studio_notify_change'
                           AND pronamespace = current_schema()::regnamespace AND NOT pg_has_role(proowner, 'USAGE'))
        FROM unnest(%s::text[]) AS t
    """, (list(PLUGIN_TABLES),)).fetchone()[0])


@dataclass(frozen=True)
class LiveUpdates:
    """How the app can see other clients' changes on this database (``prepare_for_app``)."""
    triggers_installed: bool      # NOTIFY triggers present: listen for changes
    may_install_triggers: bool    # this role could install them (else: poll, and don't ask)


def prepare_for_app(conn: psycopg.Connection, embedded: bool) -> LiveUpdates:
    """Check (or, embedded, create) the tables as the app opens a database, and see how live updates
    can work. The embedded database gets the NOTIFY triggers without asking (it is ours); elsewhere
    the app asks the user, and only where the role may create them."""
    prepare_schema(conn, embedded)
    may_install = may_install_triggers(conn)
    if embedded and may_install and not triggers_installed(conn):
        install_triggers(conn)
    return LiveUpdates(triggers_installed(conn), may_install)


class ChangeListener:
    """Delivers changes to ``on_change`` from a background thread until ``stop()``.

    With ``use_triggers`` it LISTENs (changes arrive in about a millisecond); otherwise it polls.
    A lost connection is reported through ``on_error`` and retried with back-off.
    """

    def __init__(self, dsn: str, on_change: Callable[[Change], None], *, use_triggers: bool = True,
                 on_error: Callable[[Exception], None] | None = None, poll_interval: float = 1.0):
        self._dsn = dsn
        self._on_change = on_change
        self._on_error = on_error or (lambda exc: log.warning("change listener: %s", exc))
        self._use_triggers = use_triggers
        self._poll_interval = poll_interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="plugin-studio-changes", daemon=True)
        self._connected_before = False
        self.ready = threading.Event()

    @property
    def uses_triggers(self) -> bool:
        """True: changes arrive by LISTEN; False: by polling."""
        return self._use_triggers

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stopping.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        backoff = Backoff()
        while not self._stopping.is_set():
            try:
                with connect(self._dsn, application_name="plugin-studio listener") as conn:
                    backoff.reset()
                    (self._listen if self._use_triggers else self._poll)(conn)
            except (psycopg.Error, StudioDbError) as exc:
                self.ready.clear()
                self._on_error(translate(exc))
                self._stopping.wait(backoff.next_delay())

    def _listen(self, conn: psycopg.Connection) -> None:
        conn.execute(f"LISTEN {CHANNEL}")
        self._resync_after_gap()
        self.ready.set()
        while not self._stopping.is_set():
            for note in conn.notifies(timeout=0.25):
                self._deliver(note.payload)

    def _resync_after_gap(self) -> None:
        """Changes made while the listener was reconnecting sent no notification: ask for a full look."""
        if self._connected_before:
            self._on_change(Change("*", "RESYNC", None, None))
        self._connected_before = True

    def _deliver(self, payload: str) -> None:
        try:
            change = Change.from_payload(payload)
        except (ValueError, KeyError) as exc:
            log.warning("ignoring a malformed change notification %r: %s", payload, exc)
            return
        self._on_change(change)

    def _poll(self, conn: psycopg.Connection) -> None:
        last = table_fingerprints(conn)
        self._resync_after_gap()
        self.ready.set()
        while not self._stopping.wait(self._poll_interval):
            now = table_fingerprints(conn)
            for table in PLUGIN_TABLES:
                if now.get(table) != last.get(table):
                    self._on_change(Change(table, "POLL", None, None))
            last = now


def table_fingerprints(conn: psycopg.Connection) -> dict[str, tuple]:
    """Row count and a hash of every row's full text per table.

    The whole row is hashed because other clients (the platform) may write code without
    touching ``updated_at``.
    """
    parts = " UNION ALL ".join(
        f"SELECT '{t}', count(*), coalesce(sum(hashtext(x::text)::bigint), 0) FROM {t} x" for t in PLUGIN_TABLES
    )
    return {r[0]: tuple(r[1:]) for r in conn.execute(parts).fetchall()}
