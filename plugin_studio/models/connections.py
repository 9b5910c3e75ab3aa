"""Saved connections and groups of them: what the connection list holds, checked and serialised.

A saved connection names a server either by its parts (host, port, database, user, SSL options) or
by a whole DSN, and carries a colour and two flags: ``production`` (the window is framed in its
colour and asks before the first write of a session) and ``read_only`` (every session of it runs
read-only transactions). Its password is never part of it: that lives in the OS keyring
(``services/connections.py``). The embedded database is always the first entry, named
``EMBEDDED_NAME``; it can be coloured and flagged like the others but not renamed or removed.

A group is a named list of saved connections (every tenant's database, say): migrations run on
all of them at once and a plugin is compared across them.

The file's shape: ``{"connections": [{field: value, ...}, ...], "groups": [{"name", "members"}]}``;
unknown fields are ignored, a wrong value is reported by name (``ConnectionListError``).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

EMBEDDED_NAME = "Embedded"
NAME_MAX_CHARS = 64
SSL_MODES = ("", "disable", "allow", "prefer", "require", "verify-ca", "verify-full")
DEFAULT_COLOR = "#6b7280"
PRODUCTION_COLOR = "#c62828"
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


class ConnectionListError(ValueError):
    """A saved connection or group that cannot be kept as it is; the message says which field and why."""


@dataclass(frozen=True)
class SavedConnection:
    """One entry of the connection list; ``dsn`` (when not empty) takes the place of the parts."""
    name: str
    host: str = ""
    port: int | None = None
    database: str = ""
    user: str = ""
    dsn: str = ""
    sslmode: str = ""
    sslrootcert: str = ""
    sslcert: str = ""
    sslkey: str = ""
    color: str = DEFAULT_COLOR
    production: bool = False
    read_only: bool = False

    @property
    def embedded(self) -> bool:
        return self.name == EMBEDDED_NAME

    def parts(self) -> dict[str, str]:
        """The libpq keywords this entry sets (``host``, ``port``, ``dbname``, ``user``, ``ssl…``),
        empty ones left out; the password is added by whoever connects."""
        values = {"host": self.host, "port": str(self.port or ""), "dbname": self.database, "user": self.user,
                  "sslmode": self.sslmode, "sslrootcert": self.sslrootcert, "sslcert": self.sslcert,
                  "sslkey": self.sslkey}
        return {key: value for key, value in values.items() if value}

    def describe(self) -> str:
        """Where it points, for the list and the title (never a password: none is stored here)."""
        if self.embedded:
            return "this machine's embedded PostgreSQL"
        if self.dsn:
            return "connection string"
        where = self.host or "local socket"
        where += f":{self.port}" if self.port else ""
        who = f"{self.user}@" if self.user else ""
        return f"{who}{where}/{self.database}" if self.database else f"{who}{where}"


@dataclass(frozen=True)
class ConnectionGroup:
    name: str
    members: tuple[str, ...] = ()


@dataclass
class ConnectionList:
    """The saved connections (the embedded one first) and the groups, as the list dialog edits them."""
    connections: list[SavedConnection] = field(default_factory=lambda: [SavedConnection(EMBEDDED_NAME)])
    groups: list[ConnectionGroup] = field(default_factory=list)

    def find(self, name: str) -> SavedConnection | None:
        return next((c for c in self.connections if c.name == name), None)

    def group(self, name: str) -> ConnectionGroup | None:
        return next((g for g in self.groups if g.name == name), None)

    def names(self) -> list[str]:
        return [c.name for c in self.connections]

    def put(self, connection: SavedConnection, replacing: str | None = None) -> None:
        """Add ``connection`` or replace the entry named ``replacing``; a rename follows into groups.
        Raises ConnectionListError for a bad entry or a name already taken."""
        check_connection(connection)
        if replacing == EMBEDDED_NAME and connection.name != EMBEDDED_NAME:
            raise ConnectionListError("the embedded database cannot be renamed")
        if connection.name != replacing and self.find(connection.name) is not None:
            raise ConnectionListError(f"a connection named {connection.name!r} already exists")
        index = next((i for i, c in enumerate(self.connections) if c.name == replacing), None)
        if index is None:
            self.connections.append(connection)
            return
        self.connections[index] = connection
        if replacing != connection.name:
            self.groups = [replace(g, members=tuple(connection.name if m == replacing else m for m in g.members))
                           for g in self.groups]

    def remove(self, name: str) -> None:
        if name == EMBEDDED_NAME:
            raise ConnectionListError("the embedded database is always in the list")
        self.connections = [c for c in self.connections if c.name != name]
        self.groups = [replace(g, members=tuple(m for m in g.members if m != name)) for g in self.groups]

    def put_group(self, group: ConnectionGroup, replacing: str | None = None) -> None:
        check_group(group, self)
        if group.name != replacing and self.group(group.name) is not None:
            raise ConnectionListError(f"a group named {group.name!r} already exists")
        self.groups = [g for g in self.groups if g.name != replacing] + [group]

    def remove_group(self, name: str) -> None:
        self.groups = [g for g in self.groups if g.name != name]

    def members(self, group_name: str) -> list[SavedConnection]:
        """The group's connections in its order. Raises ConnectionListError for an unknown group."""
        group = self.group(group_name)
        if group is None:
            raise ConnectionListError(f"no group named {group_name!r} (groups: {', '.join(self.group_names()) or 'none'})")
        return [c for m in group.members if (c := self.find(m)) is not None]

    def group_names(self) -> list[str]:
        return [g.name for g in self.groups]


def check_name(name: str, what: str = "connection") -> None:
    """A name is what ``--dsn NAME`` is matched against, so it must not read as a connection string."""
    if not name.strip() or name != name.strip():
        raise ConnectionListError(f"a {what} needs a name without spaces around it")
    if len(name) > NAME_MAX_CHARS:
        raise ConnectionListError(f"the {what}'s name is longer than {NAME_MAX_CHARS} characters")
    if "=" in name or "://" in name:
        raise ConnectionListError(f"{name!r}: a {what}'s name may not contain '=' or '://' (it would read as a DSN)")


def check_connection(connection: SavedConnection) -> None:
    check_name(connection.name)
    if connection.port is not None and not 1 <= connection.port <= 65535:
        raise ConnectionListError(f"{connection.name}: the port must be between 1 and 65535")
    if connection.sslmode not in SSL_MODES:
        raise ConnectionListError(f"{connection.name}: sslmode must be one of {', '.join(m for m in SSL_MODES if m)}")
    if not _COLOR.fullmatch(connection.color):
        raise ConnectionListError(f"{connection.name}: the colour must be #rrggbb, not {connection.color!r}")
    if connection.embedded and (connection.dsn or connection.parts()):
        raise ConnectionListError("the embedded database's address is its own; only its colour and flags can change")


def check_group(group: ConnectionGroup, known: ConnectionList) -> None:
    check_name(group.name, "group")
    unknown = [m for m in group.members if known.find(m) is None]
    if unknown:
        raise ConnectionListError(f"group {group.name}: no saved connection named {', '.join(unknown)}")
    if len(set(group.members)) != len(group.members):
        raise ConnectionListError(f"group {group.name}: a connection is listed twice")


def to_json(connections: ConnectionList) -> dict[str, Any]:
    return {"connections": [asdict(c) for c in connections.connections],
            "groups": [{"name": g.name, "members": list(g.members)} for g in connections.groups]}


def from_json(raw: Any) -> ConnectionList:
    """The list a file held; the embedded entry is put first when the file lacks it.
    Raises ConnectionListError naming the first entry that cannot be read."""
    if not isinstance(raw, dict):
        raise ConnectionListError("the connections file holds no object")
    result = ConnectionList(connections=[])
    for item in _list(raw, "connections"):
        result.put(_connection(item))
    if result.find(EMBEDDED_NAME) is None:
        result.connections.insert(0, SavedConnection(EMBEDDED_NAME))
    for item in _list(raw, "groups"):
        if not isinstance(item, dict) or not isinstance(item.get("members", []), list):
            raise ConnectionListError(f"a group is not an object with a list of members: {item!r}")
        result.put_group(ConnectionGroup(str(item.get("name", "")), tuple(str(m) for m in item.get("members", []))))
    return result


def _list(raw: dict[str, Any], key: str) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise ConnectionListError(f"{key!r} in the connections file is not a list")
    return value


def _connection(item: Any) -> SavedConnection:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise ConnectionListError(f"a saved connection without a name: {item!r}")
    values: dict[str, Any] = {}
    for spec in fields(SavedConnection):
        if spec.name in item:
            values[spec.name] = _typed(item["name"], spec, item[spec.name])
    return SavedConnection(**values)


def _typed(name: str, spec, value: Any) -> Any:
    default = spec.default
    if spec.name == "port":
        ok = value is None or (isinstance(value, int) and not isinstance(value, bool))
    elif isinstance(default, bool):
        ok = isinstance(value, bool)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ConnectionListError(f"{name}: {spec.name} = {value!r} is not allowed")
    return value
