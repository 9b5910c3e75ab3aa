"""What a migration statement does to a live store, read from the tree PostgreSQL's parser built.

Two questions, each answered from the parse tree (never from words, which strings and comments
fool): ``risky_reason`` (it destroys data, rewrites a table, or holds a lock that stops the
storefront for longer than a moment) and ``outside_transaction_reason`` (the server refuses to
run it inside a transaction block). The rules follow PostgreSQL's documentation of each command
(the "Notes" and lock levels of ALTER TABLE, CREATE INDEX, VACUUM, REINDEX, ALTER TYPE).

The tree is libpg_query's JSON form (``pglast.parser.parse_sql_json``): a node is
``{"TypeName": {fields}}``, enums are their names, and false or empty fields are left out.
"""
from __future__ import annotations

from typing import Any

Node = dict[str, Any]


def unwrap(value: Any) -> tuple[str, Node]:
    """``{"DefElem": {...}}`` → ``("DefElem", {...})``; an unwrapped field dict → ``("", dict)``."""
    if isinstance(value, dict) and len(value) == 1:
        (key, inner), = value.items()
        if key[:1].isupper() and isinstance(inner, dict):
            return key, inner
    return "", value if isinstance(value, dict) else {}


def _relation(value: Any) -> str:
    _, rel = unwrap(value)
    if not rel:
        return "?"
    return f"{rel['schemaname']}.{rel['relname']}" if rel.get("schemaname") else rel.get("relname", "?")


def _names(objects: list) -> str:
    out = []
    for obj in objects or ():
        kind, inner = unwrap(obj)
        items = inner.get("items", []) if kind == "List" else [obj]
        out.append(".".join(unwrap(item)[1].get("sval", "?") for item in items))
    return ", ".join(out)


def _has_option(options: list | None, name: str) -> bool:
    return any(unwrap(o)[1].get("defname") == name for o in options or ())


# ---- risky ----------------------------------------------------------------------------------

def risky_reason(kind: str, node: Node, created: set[str] = frozenset()) -> str | None:
    """Why a statement can lose data or stall the storefront, or None.

    ``created`` holds the tables created earlier in the same script: locking or rewriting those
    harms nobody, since no one else can see them before the migration commits.
    """
    fresh = unwrap(node.get("relation"))[1].get("relname") in created
    if kind == "DropStmt":
        return _risky_drop(node)
    if kind == "TruncateStmt":
        return f"TRUNCATE {', '.join(_relation(r) for r in node.get('relations', []))} deletes every row"
    if kind == "DeleteStmt" and "whereClause" not in node:
        return f"DELETE FROM {_relation(node.get('relation'))} without WHERE deletes every row"
    if kind == "UpdateStmt" and "whereClause" not in node and not fresh:
        return f"UPDATE {_relation(node.get('relation'))} without WHERE rewrites every row while locking them"
    if kind == "AlterTableStmt" and node.get("objtype") == "OBJECT_TABLE" and not fresh:
        return _risky_alter_table(node)
    if kind == "IndexStmt" and not node.get("concurrent") and not fresh:
        return (f"CREATE INDEX on {_relation(node.get('relation'))} blocks writes to the table while it builds;"
                " CREATE INDEX CONCURRENTLY does not")
    if kind == "VacuumStmt" and _has_option(node.get("options"), "full"):
        return "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock (reads wait too)"
    if kind == "ClusterStmt":
        return "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock (reads wait too)"
    return None


_DROPS = {"OBJECT_TABLE": ("DROP TABLE", "deletes the table and its data"),
          "OBJECT_SCHEMA": ("DROP SCHEMA", "deletes every object in the schema"),
          "OBJECT_MATVIEW": ("DROP MATERIALIZED VIEW", "deletes its data")}


def _risky_drop(node: Node) -> str | None:
    if node.get("removeType") not in _DROPS:
        return None
    command, effect = _DROPS[node["removeType"]]
    return f"{command} {_names(node.get('objects'))} {effect}"


_REWRITES = {
    "AT_AlterColumnType": "… TYPE rewrites the column under an ACCESS EXCLUSIVE lock and can lose data",
    "AT_SetTableSpace": "SET TABLESPACE rewrites the table under an ACCESS EXCLUSIVE lock",
    "AT_SetLogged": "SET LOGGED rewrites the table under an ACCESS EXCLUSIVE lock",
    "AT_SetUnLogged": "SET UNLOGGED rewrites the table under an ACCESS EXCLUSIVE lock",
    "AT_SetNotNull": "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
}


def _risky_alter_table(node: Node) -> str | None:
    table = _relation(node.get("relation"))
    for raw in node.get("cmds", []):
        cmd = unwrap(raw)[1]
        subtype, definition = cmd.get("subtype"), unwrap(cmd.get("def"))[1]
        if subtype == "AT_DropColumn":
            return f"ALTER TABLE {table} DROP COLUMN {cmd.get('name')} deletes the column's data"
        if subtype in _REWRITES:
            return f"ALTER TABLE {table} {_REWRITES[subtype]}"
        if subtype == "AT_AddColumn" and _volatile_default(definition):
            return (f"ALTER TABLE {table} ADD COLUMN {definition.get('colname')} with a volatile default rewrites"
                    " the table under an ACCESS EXCLUSIVE lock")
        if subtype == "AT_AddConstraint" and _validating_constraint(definition):
            name = f" {definition['conname']}" if definition.get("conname") else ""
            return (f"ALTER TABLE {table} ADD CONSTRAINT{name} checks every row while holding its lock; add it"
                    " NOT VALID, then VALIDATE CONSTRAINT in a later migration")
    return None


_VOLATILE_CALLS = ("random", "clock_timestamp", "gen_random_uuid", "uuid_generate_v4", "timeofday", "nextval")


def _volatile_default(column: Node) -> bool:
    for raw in column.get("constraints", []):
        constraint = unwrap(raw)[1]
        if constraint.get("contype") == "CONSTR_DEFAULT" and _calls_volatile(constraint.get("raw_expr")):
            return True
    return False


def _calls_volatile(expr: Any) -> bool:
    kind, node = unwrap(expr)
    if kind == "FuncCall":
        name = unwrap(node["funcname"][-1])[1].get("sval", "").lower()
        return name in _VOLATILE_CALLS or any(_calls_volatile(a) for a in node.get("args", []))
    if kind == "TypeCast":
        return _calls_volatile(node.get("arg"))
    return False


def _validating_constraint(constraint: Node) -> bool:
    return constraint.get("contype") in ("CONSTR_FOREIGN", "CONSTR_CHECK") and not constraint.get("skip_validation")


# ---- outside a transaction ------------------------------------------------------------------

_NEVER_IN_TRANSACTION = {
    "CreatedbStmt": "CREATE DATABASE", "DropdbStmt": "DROP DATABASE", "AlterSystemStmt": "ALTER SYSTEM",
    "CreateTableSpaceStmt": "CREATE TABLESPACE", "DropTableSpaceStmt": "DROP TABLESPACE",
    "CreateSubscriptionStmt": "CREATE SUBSCRIPTION", "DropSubscriptionStmt": "DROP SUBSCRIPTION",
}


def outside_transaction_reason(kind: str, node: Node, server_version: int | None = None) -> str | None:
    """The command's name when the server refuses to run it inside a transaction block, else None."""
    if kind in _NEVER_IN_TRANSACTION:
        return _NEVER_IN_TRANSACTION[kind]
    checks = {
        "VacuumStmt": lambda: "VACUUM" if node.get("is_vacuumcmd") else None,
        "IndexStmt": lambda: "CREATE INDEX CONCURRENTLY" if node.get("concurrent") else None,
        "DropStmt": lambda: "DROP INDEX CONCURRENTLY" if node.get("concurrent") else None,
        "ReindexStmt": lambda: _reindex(node),
        "ClusterStmt": lambda: None if node.get("relation") else "CLUSTER without a table",
        "AlterTableStmt": lambda: "DETACH PARTITION … CONCURRENTLY" if _detaches_concurrently(node) else None,
        "AlterEnumStmt": lambda: _add_enum_value(node, server_version),
        "AlterDatabaseStmt": lambda: ("ALTER DATABASE … SET TABLESPACE"
                                      if _has_option(node.get("options"), "tablespace") else None),
        "DiscardStmt": lambda: "DISCARD ALL" if node.get("target") == "DISCARD_ALL" else None,
    }
    return checks[kind]() if kind in checks else None


def _reindex(node: Node) -> str | None:
    if _has_option(node.get("params"), "concurrently"):
        return "REINDEX … CONCURRENTLY"
    names = {"REINDEX_OBJECT_DATABASE": "REINDEX DATABASE", "REINDEX_OBJECT_SYSTEM": "REINDEX SYSTEM"}
    return names.get(node.get("kind"))


def _detaches_concurrently(node: Node) -> bool:
    for raw in node.get("cmds", []):
        cmd = unwrap(raw)[1]
        if cmd.get("subtype") == "AT_DetachPartition" and unwrap(cmd.get("def"))[1].get("concurrent"):
            return True
    return False


def _add_enum_value(node: Node, server_version: int | None) -> str | None:
    # Before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run inside a transaction block.
    if node.get("newVal") and server_version and server_version < 120000:
        return "ALTER TYPE … ADD VALUE (before PostgreSQL 12)"
    return None
