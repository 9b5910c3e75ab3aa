"""``plugin-studio``: the IDE without arguments, or one of the commands of DESIGN.md §6.

Each module in this package that defines ``register(subparsers)`` contributes its commands, so
every area (db, plugins, hooks, migrate...) keeps its command line beside nothing else.
Exit status: 0 success, 1 the operation failed, 2 bad arguments (argparse's own).
"""
from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from plugin_studio.cli._common import CommandError, dsn_parent
from plugin_studio.db.errors import StudioDbError
from plugin_studio.models.connections import ConnectionListError
from plugin_studio.services.connections import KeyringUnavailable
from plugin_studio.services.connections import cli_dsn as saved_dsn
from plugin_studio.services.connections import saved_connection


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plugin-studio", parents=[dsn_parent(top_level=True)],
        description="Desktop IDE for plugins stored in PostgreSQL. Without a command, opens the IDE.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        module.register(subparsers)
    return parser


def _command_modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            if hasattr(module, "register"):
                yield module


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not getattr(args, "func", None):
        from plugin_studio.ui.app import run_app  # Qt is imported only when a window is wanted

        return run_app(args)
    try:
        # The name is looked up before it becomes a DSN: its flags (production) decide the questions.
        args.connection = saved_connection(getattr(args, "dsn", None))
        if getattr(args, "dsn", None):
            args.dsn = saved_dsn(args.dsn)
        return int(args.func(args) or 0)
    except (CommandError, StudioDbError, ConnectionListError, KeyringUnavailable) as exc:
        print(f"plugin-studio: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("plugin-studio: interrupted", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader stopped early (``| head``): not an error; keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
