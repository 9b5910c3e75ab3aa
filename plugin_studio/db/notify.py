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

from plugin_studio.db.errors import translate
from plugin_studio.db.reconnect import Backoff
from plugin_studio.db.schema import PLUGIN_TABLES

CHANNEL = "plugin_studio_changes"
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
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('plugin_studio.schema'))")
        conn.execute(TRIGGER_FUNCTION)
        for table in PLUGIN_TABLES:
            trigger = f"plugin_studio_notify_{table}"
            conn.execute(f'DROP TRIGGER IF EXISTS "{trigger}" ON "{table}"')
            conn.execute(
                f'CREATE TRIGGER "{trigger}" AFTER INSERT OR UPDATE OR DELETE ON "{table}"'
                " FOR EACH ROW EXECUTE FUNCTION plugin_studio_notify_change()"
            )


def triggers_installed(conn: psycopg.Connection) -> bool:
    count = conn.execute(
        "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'plugin_studio_notify_%%' AND NOT tgisinternal"
    ).fetchone()[0]
    return count >= len(PLUGIN_TABLES)


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

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stopping.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        backoff = Backoff()
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._dsn, autocommit=True, application_name="plugin-studio listener") as conn:
                    backoff.reset()
                    (self._listen if self._use_triggers else self._poll)(conn)
            except psycopg.Error as exc:
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
