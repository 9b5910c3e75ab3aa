"""``plugin-studio db start|stop|status|url|init``."""
from __future__ import annotations

from plugin_studio.cli._common import add_command, database, print_json
from plugin_studio.db import server


def register(subparsers) -> None:
    db = subparsers.add_parser("db", help="the embedded server and the plugin tables")
    sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    add_command(sub, "start", cmd_start, "start the embedded server and keep it up until 'db stop'")
    add_command(sub, "stop", cmd_stop, "stop the embedded server")
    status = add_command(sub, "status", cmd_status, "say whether the embedded server runs")
    status.add_argument("--json", action="store_true")
    add_command(sub, "url", cmd_url, "print the embedded server's DSN (starts it; it stays up)")
    add_command(sub, "init", cmd_init, "create the plugin tables (idempotent)")


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
        print(f"running (pid {state.pid}{', held by db start' if state.held else ''}): {state.uri}")
    else:
        print(f"not running (data in {state.pgdata})")
    return 0


def cmd_url(args) -> int:
    print(server.start_embedded(hold=True))
    return 0


def cmd_init(args) -> int:
    with database(args):
        print("plugin tables are in place")
    return 0
