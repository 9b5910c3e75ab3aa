"""What every command shares: ``--dsn``, opening the database, printing JSON, failing cleanly."""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
from typing import Any, Iterator

import psycopg

from plugin_studio.db.connection import open_database


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


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, sort_keys=True, default=str, ensure_ascii=False)
    sys.stdout.write("\n")


def parse_json_arg(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise CommandError(f"{what} is not valid JSON: {exc}") from exc
