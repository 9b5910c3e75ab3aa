"""``plugin-studio plugins list [--json]``."""
from __future__ import annotations

from dataclasses import asdict

from plugin_studio.cli._common import add_command, database, print_json
from plugin_studio.db.safe_text import shown
from plugin_studio.db import plugins


def register(subparsers) -> None:
    group = subparsers.add_parser("plugins", help="the plugins in the database")
    sub = group.add_subparsers(dest="plugins_command", metavar="ACTION", required=True)
    listing = add_command(sub, "list", cmd_list, "list the plugins")
    listing.add_argument("--json", action="store_true", help="one JSON array")


def cmd_list(args) -> int:
    with database(args) as conn:
        rows = plugins.list_plugins(conn)
    if args.json:
        print_json([asdict(p) for p in rows])
        return 0
    if not rows:
        print("no plugins")
    for p in rows:
        state = "enabled" if p.is_enabled else "disabled"
        # Names stored by other clients may hold line breaks or bidi overrides: shown escaped, on one line.
        print("  ".join(_column(field) for field in (p.id, p.name, p.version, p.slug, p.status)) + f"  {state}")
    return 0


def _column(value) -> str:
    """A column's text; NULL (a platform row may leave slug or status empty) is a dash, not a gap."""
    return shown(str(value)) if value not in (None, "") else "-"
