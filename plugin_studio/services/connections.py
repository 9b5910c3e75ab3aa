"""Saved connections on disk, their passwords in the OS keyring, and the DSN each one stands for.

The list lives in ``connections.json`` beside the settings (never a password in it); a password is
kept by ``keyring`` under the service ``plugin-studio`` and the connection's name, so the OS's
keychain (Secret Service, macOS Keychain, Windows Credential Locker) guards it. A read-only
connection's DSN asks the server for read-only transactions in every session it opens
(``default_transaction_read_only``, set at startup through libpq's ``options``), so no write
slips through, whichever part of Plugin Studio opens the session.

``cli_dsn(value)`` is what ``--dsn`` goes through: a saved connection's name becomes its DSN
(password included), anything else is left as it is.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

import keyring
import keyring.errors
import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from plugin_studio.db import connection as db_connection
from plugin_studio.db import schema
from plugin_studio.models.connections import (
    EMBEDDED_NAME, ConnectionList, ConnectionListError, SavedConnection, from_json, to_json,
)
from plugin_studio.settings import config_dir

KEYRING_SERVICE = "plugin-studio"
READ_ONLY_OPTION = "-c default_transaction_read_only=on"
log = logging.getLogger(__name__)


class KeyringUnavailable(RuntimeError):
    """No OS keyring can keep (or give back) a password; the message says what to do instead."""


def connections_path() -> Path:
    return config_dir() / "connections.json"


def load_connections(path: Path | None = None) -> ConnectionList:
    """The saved list; a missing file is the embedded entry alone, an unreadable one is logged and
    read as that too (the file is left for the user to repair, never overwritten until a save)."""
    path = path or connections_path()
    if not path.exists():
        return ConnectionList()
    try:
        return from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ConnectionListError) as exc:
        log.warning("connections file %s is unreadable (%s); showing the embedded database only", path, exc)
        return ConnectionList()


def save_connections(connections: ConnectionList, path: Path | None = None) -> None:
    """Written whole to a temporary file, then moved over the old one (a crash keeps one or the other)."""
    path = path or connections_path()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(to_json(connections), indent=2), encoding="utf-8")
    tmp.replace(path)


# -- passwords ---------------------------------------------------------------------------------------
def store_password(name: str, password: str) -> None:
    """Keep ``password`` for the connection ``name``; an empty one removes it. Raises KeyringUnavailable."""
    if not password:
        forget_password(name)
        return
    try:
        keyring.set_password(KEYRING_SERVICE, name, password)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(_no_keyring(exc)) from exc


def stored_password(name: str) -> str | None:
    """The kept password, or None when there is none or no keyring to ask (logged, without the secret)."""
    try:
        return keyring.get_password(KEYRING_SERVICE, name)
    except keyring.errors.KeyringError as exc:
        log.warning("no password for connection %s: %s", name, exc)
        return None


def forget_password(name: str) -> None:
    try:
        keyring.delete_password(KEYRING_SERVICE, name)
    except keyring.errors.PasswordDeleteError:
        pass  # there was none
    except keyring.errors.KeyringError as exc:
        log.warning("could not remove the password of connection %s: %s", name, exc)


def rename_password(old: str, new: str) -> None:
    password = stored_password(old)
    if password is not None and old != new:
        store_password(new, password)
        forget_password(old)


def _no_keyring(exc: Exception) -> str:
    return (f"No OS keyring is available to keep the password ({exc}). Save the connection without it "
            "and let libpq find it (~/.pgpass or PGPASSFILE), or install a keyring service.")


# -- DSNs ----------------------------------------------------------------------------------------------
def dsn_of(connection: SavedConnection, password: str | None = None) -> str:
    """The libpq connection string for ``connection`` (``password`` added when given). For the
    embedded entry, the embedded server's (started if needed). Raises ConnectionListError for a
    saved DSN libpq cannot read."""
    if connection.embedded:
        base = db_connection.resolve(EMBEDDED_NAME).dsn
    else:
        base = connection.dsn or make_conninfo("", **connection.parts())
        try:
            conninfo_to_dict(base)
        except psycopg.ProgrammingError as exc:
            raise ConnectionListError(f"{connection.name}: the connection string cannot be read ({exc})") from exc
    extra: dict[str, str] = {"password": password} if password else {}
    if connection.read_only:
        extra["options"] = _with_read_only(conninfo_to_dict(base).get("options", ""))
    return make_conninfo(base, **extra) if extra else base


def _with_read_only(options: str) -> str:
    return f"{options} {READ_ONLY_OPTION}".strip() if READ_ONLY_OPTION not in options else options


def connection_dsn(connection: SavedConnection) -> str:
    """``dsn_of`` with the password the keyring keeps for it."""
    return dsn_of(connection, None if connection.embedded else stored_password(connection.name))


def saved_connection(value: str | None, connections: ConnectionList | None = None) -> SavedConnection | None:
    """The saved connection ``value`` names, or None when it names none (a DSN, or nothing)."""
    if not value:
        return None
    return (connections or load_connections()).find(value)


def cli_dsn(value: str | None) -> str | None:
    """``--dsn``'s value as libpq takes it: a saved connection's name becomes its DSN; the embedded
    entry's name stays (``db.connection`` knows it); anything else is returned unchanged."""
    saved = saved_connection(value)
    if saved is None or (saved.embedded and not saved.read_only):
        return value
    return connection_dsn(saved)


def resolve_dsn(value: str | None) -> str:
    """The DSN to connect to for ``--dsn``'s value (a name, a DSN or nothing), as the window opens it."""
    saved = saved_connection(value)
    return connection_dsn(saved) if saved is not None else db_connection.resolve_dsn(value)


def uses_embedded(value: str | None) -> bool:
    """Whether ``value`` means the embedded database, whose tables Plugin Studio creates itself (a
    read-only session of it cannot: it is only checked)."""
    saved = saved_connection(value)
    if saved is not None:
        return saved.embedded and not saved.read_only
    return db_connection.uses_embedded(value)


def window_connection(value: str | None) -> SavedConnection | None:
    """The saved connection a window opened with ``--dsn value`` is on: the named one, the embedded
    entry when nothing names a server, else None (a bare DSN)."""
    saved = saved_connection(value)
    if saved is None and db_connection.uses_embedded(value):
        saved = load_connections().find(EMBEDDED_NAME)
    return saved


def probe(dsn: str) -> str:
    """Connect, ask the server who and where we are, and whether the plugin tables are there; one
    line for the user. Raises StudioDbError (ConnectionLost: unreachable, refused, bad password)."""
    conn = db_connection.connect(dsn, application_name="plugin-studio test")
    try:
        version, user, database, read_only = conn.execute(
            "SELECT current_setting('server_version'), current_user, current_database(),"
            " current_setting('default_transaction_read_only')").fetchone()
        missing = schema.missing_tables(conn)
    finally:
        conn.close()
    tables = f"{len(missing)} plugin table(s) missing: run plugin-studio db init" if missing else "plugin tables in place"
    mode = ", read-only sessions" if read_only == "on" else ""
    return f"Connected: PostgreSQL {version}, {user}@{database}{mode}; {tables}."


def group_dsns(group_name: str, connections: ConnectionList | None = None) -> list[tuple[str, str]]:
    """The group's saved connections as (name, DSN with its password), in the group's order.
    Raises ConnectionListError for an unknown group or one without members."""
    listing = connections or load_connections()
    members = listing.members(group_name)
    if not members:
        raise ConnectionListError(f"group {group_name!r} has no connections")
    return [(member.name, connection_dsn(member)) for member in members]


def resolve_line(line: str, connections: ConnectionList | None = None) -> str:
    """A line of a database list (``--dsn-file``, Run on Databases…): a saved connection's name
    becomes its DSN; a DSN stays; any other word names a libpq service (``pg_service.conf``)."""
    saved = (connections or load_connections()).find(line)
    if saved is not None:
        return connection_dsn(saved)
    return line if ("=" in line or "://" in line) else f"service={line}"


def split_password(dsn: str) -> tuple[str, str | None]:
    """A typed connection string without its password, and the password (None when it had none),
    so that the password goes to the keyring and never into the connections file. A string libpq
    cannot read is returned as it is (the check on saving reports it)."""
    try:
        parts = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return dsn, None
    password = parts.pop("password", None)
    if password is None:
        return dsn, None
    return make_conninfo("", **parts), password
