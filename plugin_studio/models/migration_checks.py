"""What a migration statement does to a live store, read from the node PostgreSQL's parser built.

Two questions, each answered from the AST (never from words, which strings and comments fool):
``risky_reason`` (it destroys data, rewrites a table, or holds a lock that stops the storefront
for longer than a moment) and ``outside_transaction_reason`` (the server refuses to run it inside
a transaction block). The rules follow PostgreSQL's documentation of each command (the "Notes"
and lock levels of ALTER TABLE, CREATE INDEX, VACUUM, REINDEX, ALTER TYPE).
"""
from __future__ import annotations

from pglast import ast, enums

_AT = enums.AlterTableType
_OBJ = enums.ObjectType


def _name(relation) -> str:
    if relation is None:
        return "?"
    return f"{relation.schemaname}.{relation.relname}" if relation.schemaname else relation.relname


def _names(objects) -> str:
    return ", ".join(".".join(getattr(part, "sval", "?") for part in (o if isinstance(o, tuple) else (o,)))
                     for o in objects or ())


def _has_option(options, name: str) -> bool:
    return any(getattr(o, "defname", None) == name for o in options or ())


# ---- risky ----------------------------------------------------------------------------------

def risky_reason(node: ast.Node, created: set[str] = frozenset()) -> str | None:
    """Why a statement can lose data or stall the storefront, or None.

    ``created`` holds the tables created earlier in the same script: locking or rewriting those
    harms nobody, since no one else can see them before the migration commits.
    """
    if isinstance(node, ast.DropStmt):
        return _risky_drop(node)
    if isinstance(node, ast.TruncateStmt):
        return f"TRUNCATE {', '.join(_name(r) for r in node.relations)} deletes every row"
    if isinstance(node, ast.DeleteStmt) and node.whereClause is None:
        return f"DELETE FROM {_name(node.relation)} without WHERE deletes every row"
    if isinstance(node, ast.UpdateStmt) and node.whereClause is None and node.relation.relname not in created:
        return f"UPDATE {_name(node.relation)} without WHERE rewrites every row while locking them"
    if isinstance(node, ast.AlterTableStmt) and node.objtype == _OBJ.OBJECT_TABLE:
        if node.relation.relname not in created:
            return _risky_alter_table(node)
    if isinstance(node, ast.IndexStmt) and not node.concurrent and node.relation.relname not in created:
        return (f"CREATE INDEX on {_name(node.relation)} blocks writes to the table while it builds;"
                " CREATE INDEX CONCURRENTLY does not")
    if isinstance(node, ast.VacuumStmt) and _has_option(node.options, "full"):
        return "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock (reads wait too)"
    if isinstance(node, ast.ClusterStmt):
        return "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock (reads wait too)"
    return None


def _risky_drop(node: ast.DropStmt) -> str | None:
    kind = node.removeType
    if kind == _OBJ.OBJECT_TABLE:
        return f"DROP TABLE {_names(node.objects)} deletes the table and its data"
    if kind == _OBJ.OBJECT_SCHEMA:
        return f"DROP SCHEMA {_names(node.objects)} deletes every object in the schema"
    if kind == _OBJ.OBJECT_MATVIEW:
        return f"DROP MATERIALIZED VIEW {_names(node.objects)} deletes its data"
    return None


_REWRITES = {
    _AT.AT_AlterColumnType: "… TYPE rewrites the column under an ACCESS EXCLUSIVE lock and can lose data",
    _AT.AT_SetTableSpace: "SET TABLESPACE rewrites the table under an ACCESS EXCLUSIVE lock",
    _AT.AT_SetLogged: "SET LOGGED rewrites the table under an ACCESS EXCLUSIVE lock",
    _AT.AT_SetUnLogged: "SET UNLOGGED rewrites the table under an ACCESS EXCLUSIVE lock",
    _AT.AT_SetNotNull: "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
}


def _risky_alter_table(node: ast.AlterTableStmt) -> str | None:
    table = _name(node.relation)
    for cmd in node.cmds or ():
        if cmd.subtype == _AT.AT_DropColumn:
            return f"ALTER TABLE {table} DROP COLUMN {cmd.name} deletes the column's data"
        if cmd.subtype in _REWRITES:
            return f"ALTER TABLE {table} {_REWRITES[cmd.subtype]}"
        if cmd.subtype == _AT.AT_AddColumn and _volatile_default(cmd.def_):
            return (f"ALTER TABLE {table} ADD COLUMN {cmd.def_.colname} with a volatile default rewrites the"
                    " table under an ACCESS EXCLUSIVE lock")
        if cmd.subtype == _AT.AT_AddConstraint and _validating_constraint(cmd.def_):
            return (f"ALTER TABLE {table} ADD CONSTRAINT {cmd.def_.conname or ''} checks every row while holding"
                    " its lock; add it NOT VALID, then VALIDATE CONSTRAINT in a later migration").replace("  ", " ")
    return None


_VOLATILE_CALLS = ("random", "clock_timestamp", "gen_random_uuid", "uuid_generate_v4", "timeofday", "nextval")


def _volatile_default(column) -> bool:
    for constraint in getattr(column, "constraints", None) or ():
        if constraint.contype == enums.ConstrType.CONSTR_DEFAULT and _calls_volatile(constraint.raw_expr):
            return True
    return False


def _calls_volatile(expr) -> bool:
    if isinstance(expr, ast.FuncCall):
        name = expr.funcname[-1].sval.lower()
        return name in _VOLATILE_CALLS or any(_calls_volatile(a) for a in expr.args or ())
    if isinstance(expr, ast.TypeCast):
        return _calls_volatile(expr.arg)
    return False


def _validating_constraint(constraint) -> bool:
    kinds = (enums.ConstrType.CONSTR_FOREIGN, enums.ConstrType.CONSTR_CHECK)
    return constraint is not None and constraint.contype in kinds and not constraint.skip_validation


# ---- outside a transaction ------------------------------------------------------------------

def outside_transaction_reason(node: ast.Node, server_version: int | None = None) -> str | None:
    """The command's name when the server refuses to run it inside a transaction block, else None."""
    simple = {
        ast.CreatedbStmt: "CREATE DATABASE", ast.DropdbStmt: "DROP DATABASE", ast.AlterSystemStmt: "ALTER SYSTEM",
        ast.CreateTableSpaceStmt: "CREATE TABLESPACE", ast.DropTableSpaceStmt: "DROP TABLESPACE",
        ast.CreateSubscriptionStmt: "CREATE SUBSCRIPTION", ast.DropSubscriptionStmt: "DROP SUBSCRIPTION",
    }
    if type(node) in simple:
        return simple[type(node)]
    if isinstance(node, ast.VacuumStmt) and node.is_vacuumcmd:
        return "VACUUM"
    if isinstance(node, ast.IndexStmt) and node.concurrent:
        return "CREATE INDEX CONCURRENTLY"
    if isinstance(node, ast.DropStmt) and node.concurrent:
        return "DROP INDEX CONCURRENTLY"
    if isinstance(node, ast.ReindexStmt):
        return _reindex(node)
    if isinstance(node, ast.ClusterStmt) and node.relation is None:
        return "CLUSTER without a table"
    if isinstance(node, ast.AlterTableStmt) and _detaches_concurrently(node):
        return "DETACH PARTITION … CONCURRENTLY"
    if isinstance(node, ast.AlterEnumStmt) and node.newVal and server_version and server_version < 120000:
        return "ALTER TYPE … ADD VALUE (before PostgreSQL 12)"
    if isinstance(node, ast.AlterDatabaseStmt) and _has_option(node.options, "tablespace"):
        return "ALTER DATABASE … SET TABLESPACE"
    if isinstance(node, ast.DiscardStmt) and node.target == enums.DiscardMode.DISCARD_ALL:
        return "DISCARD ALL"
    return None


def _reindex(node: ast.ReindexStmt) -> str | None:
    if _has_option(node.params, "concurrently"):
        return "REINDEX … CONCURRENTLY"
    kinds = enums.ReindexObjectType
    if node.kind in (kinds.REINDEX_OBJECT_DATABASE, kinds.REINDEX_OBJECT_SYSTEM):
        return f"REINDEX {'DATABASE' if node.kind == kinds.REINDEX_OBJECT_DATABASE else 'SYSTEM'}"
    return None


def _detaches_concurrently(node: ast.AlterTableStmt) -> bool:
    return any(cmd.subtype == _AT.AT_DetachPartition and getattr(cmd.def_, "concurrent", False)
               for cmd in node.cmds or ())
