"""``plugin-studio db start|stop|status|url|init``."""
from __future__ import annotations

import sys

from plugin_studio.cli._common import CommandError, add_command, confirm_write, print_json
from plugin_studio.db import schema, server
from plugin_studio.db.connection import connect, resolve
from plugin_studio.db.errors import SqlError


def register(subparsers) -> None:
    db = subparsers.add_parser("db", help="the embedded server and the plugin tables")
    sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    add_command(sub, "start", cmd_start, "start the embedded server and keep it up until 'db stop'")
    add_command(sub, "stop", cmd_stop, "stop the embedded server")
    status = add_command(sub, "status", cmd_status, "say whether the embedded server runs")
    status.add_argument("--json", action="store_true")
    add_command(sub, "url", cmd_url, "print the embedded server's DSN (starts it; it stays up)")
    init = add_command(sub, "init", cmd_init, "create the plugin tables in an empty database; on one that has them, "
                       "list what is missing and add it when you agree (the only command that changes a schema)")
    init.add_argument("--yes", action="store_true", help="add what is missing without asking")
    init.add_argument("--dry-run", action="store_true", help="only list what would be added")


def cmd_start(args) -> int:
    dsn = server.start_embedded(hold=True)
    print(f"embedded PostgreSQL running: {dsn}")
    return 0


def cmd_stop(args) -> int:
    print("embedded PostgreSQL stopped" if server.stop() else "embedded PostgreSQL was not running")
    return 0


def cmd_status(args) -> int:
    state = server.status()
    if args.json:
        print_json({"running": state.running, "pid": state.pid, "dsn": state.uri, "pgdata": str(state.pgdata),
                    "held": state.held})
    elif state.running:
        print(f"running (pid {state.pid}{', held by db start or db url' if state.held else ''}): {state.uri}")
    else:
        print(f"not running (data in {state.pgdata})")
    return 0


def cmd_url(args) -> int:
    print(server.start_embedded(hold=True))
    return 0


def cmd_init(args) -> int:
    with connect(resolve(getattr(args, "dsn", None)).dsn, application_name="plugin-studio db init") as conn:
        found = schema.plan(conn)
        if not found.changes:
            print("plugin tables are in place; nothing to add")
            return 0
        if found.has_plugin_tables or args.dry_run:
            _list_changes(found.changes)
            if args.dry_run:
                return 0
            if not (args.yes or _confirmed()):
                print("nothing changed")
                return 1
        confirm_write(args, "create or change the plugin tables")
        done = _apply(conn)
    print("\n".join(f"done: {change.summary}" for change in done) or "plugin tables are in place; nothing to add")
    return 0


def _list_changes(changes: list[schema.SchemaChange]) -> None:
    print("This database already has plugin tables. `db init` would:")
    for change in changes:
        print(f"  - {change.summary}")


def _confirmed() -> bool:
    if not sys.stdin.isatty():
        raise CommandError("nothing changed: run `plugin-studio db init --yes` to make these changes "
                           "(there is no terminal to ask)")
    try:
        return input("Make these changes? [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        return False


def _apply(conn) -> list[schema.SchemaChange]:
    try:
        return schema.apply(conn)
    except SqlError as exc:
        if exc.problem.sqlstate == "42501":  # insufficient_privilege
            raise CommandError(f"this role may not change the schema ({exc}); run `db init` as the "
                               "database's owner") from exc
        raise
