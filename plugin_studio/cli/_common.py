"""What every command shares: ``--dsn``, opening the database, printing JSON, failing cleanly."""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
from typing import Any, Iterator

import psycopg

from plugin_studio.db.connection import open_database
from plugin_studio.models.connections import SavedConnection


class CommandError(Exception):
    """The operation failed; main() prints it on one line and exits 1."""


def dsn_parent(top_level: bool = False) -> argparse.ArgumentParser:
    """``--dsn`` accepted both before and after the command name."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--dsn", default=None if top_level else argparse.SUPPRESS,
        help="a saved connection's name or a PostgreSQL connection string"
             " (default: $PLUGIN_STUDIO_DSN, else the embedded server)",
    )
    return parent


def add_command(subparsers, name: str, func, help_text: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, help=help_text, description=help_text, parents=[dsn_parent()])
    parser.set_defaults(func=func)
    return parser


@contextlib.contextmanager
def database(args: argparse.Namespace) -> Iterator[psycopg.Connection]:
    """A connection to the chosen database, its plugin tables checked (never created: see `db init`)."""
    _dsn, conn = open_database(getattr(args, "dsn", None))
    try:
        yield conn
    finally:
        conn.close()


def add_yes(parser: argparse.ArgumentParser) -> None:
    """``--yes`` on a command that writes: no question before writing to a production connection."""
    parser.add_argument("--yes", action="store_true",
                        help="do not ask before writing to a saved connection marked production")


def confirm_write(args: argparse.Namespace, action: str, connections: list[SavedConnection] | None = None) -> None:
    """Before a command writes to saved connections marked production (default: the one ``--dsn``
    named): go on with ``--yes``; else ask on a terminal (y/N, No by default); else refuse, naming
    ``--yes``. The window asks the same once per session (ui/connections/guard.py); a command is
    one session. Read-only connections need no question: their sessions refuse writes themselves.
    Raises CommandError (exit 1, nothing written) when declined or not asked."""
    if connections is None:
        connections = [c for c in (getattr(args, "connection", None),) if c is not None]
    names = [c.name for c in connections if c.production]
    if not names or getattr(args, "yes", False):
        return
    quoted = ", ".join(f"“{name}”" for name in names)
    what = "is a production database" if len(names) == 1 else "are production databases"
    question = f"{quoted} {what}: you are about to {action}, which changes the live store."
    if not sys.stdin.isatty():
        raise CommandError(f"{question} Nothing was written; pass --yes to go on.")
    try:
        answer = input(f"{question}\nGo on? [y/N] ")
    except EOFError:
        answer = ""
    if answer.strip().lower() not in ("y", "yes"):
        raise CommandError("nothing was written: writing to production was declined")


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, sort_keys=True, default=str, ensure_ascii=False)
    sys.stdout.write("\n")


def parse_json_arg(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise CommandError(f"{what} is not valid JSON: {exc}") from exc
