"""``plugin-studio promote PLUGIN --from A --to B [--dry-run] [--json]``: make a plugin on store B what
it is on store A, in one transaction, after showing every row that differs.

A and B are saved connections' names or connection strings. The target plugin is the one with the
source's slug (``--target`` names another); a target without it gets it created whole.
"""
from __future__ import annotations

import contextlib

from plugin_studio.cli._common import add_command, add_yes, confirm_write, print_json
from plugin_studio.db.connection import open_database
from plugin_studio.models.promote import BLOCKED
from plugin_studio.services import promote as service
from plugin_studio.services.connections import cli_dsn, saved_connection


def register(subparsers) -> None:
    parser = add_command(subparsers, "promote", cmd_promote,
                         "copy a plugin's differences from one store to another in one transaction")
    parser.add_argument("plugin", metavar="PLUGIN", help="plugin id, slug or name on the source")
    parser.add_argument("--from", dest="source", metavar="A", required=True, help="source: saved connection or DSN")
    parser.add_argument("--to", dest="target", metavar="B", required=True, help="target: saved connection or DSN")
    parser.add_argument("--target", dest="target_plugin", metavar="PLUGIN",
                        help="the target's plugin (id, slug or name; default: the one with the source's slug)")
    parser.add_argument("--dry-run", action="store_true", help="list the rows that differ; write nothing")
    parser.add_argument("--json", action="store_true", help="print the comparison and the result as JSON")
    parser.add_argument("-m", "--message", help="the message of the version recorded on the target")
    add_yes(parser)


def cmd_promote(args) -> int:
    labels = (_label(args.source), _label(args.target))
    with _opened(args.source) as source, _opened(args.target) as target:
        plan = service.compare_plugins(source, target, args.plugin, args.target_plugin, labels=labels)
        if args.dry_run:
            _show(args, plan, None)
            return 0
        changed = len(plan.comparison.differences())
        target_saved = [c for c in (saved_connection(args.target),) if c is not None]
        confirm_write(args, f"promote {changed} row(s) of {plan.plugin_name} from {labels[0]}", target_saved)
        result = service.promote(target, plan, message=args.message)
    _show(args, plan, result)
    return 0


@contextlib.contextmanager
def _opened(value: str):
    _dsn, conn = open_database(cli_dsn(value))
    try:
        yield conn
    finally:
        conn.close()


def _label(value: str) -> str:
    saved = saved_connection(value)
    if saved is None and ("=" in value or "://" in value):
        return "the given database"
    return value


def _show(args, plan: service.PromotePlan, result: service.PromoteResult | None) -> None:
    if args.json:
        print_json({**plan.to_json(), "dry_run": result is None, "result": result.to_json() if result else None})
        return
    diffs = plan.comparison.differences()
    where = f"{plan.plugin_name}: {plan.source_label} → {plan.target_label}"
    if plan.target is None:
        print(f"{where}: not on {plan.target_label}; it would be created with every row")
    print(f"{where}: {len(diffs)} row(s) differ")
    for diff in diffs:
        columns = f"  ({', '.join(diff.columns)})" if diff.columns else ""
        print(f"  {diff.status:<8} {diff.table:<22} {diff.name}{columns}")
    for diff in plan.comparison.blocked():
        print(f"  {BLOCKED:<8} {diff.table:<22} {diff.name}: {diff.reason}")
    if result is None:
        print("dry run: nothing was written")
        return
    print(f"promoted: {result.written['insert']} added, {result.written['update']} changed, "
          f"{result.written['delete']} removed on {plan.target_label}")
    if result.pending_migrations:
        print(f"migrations pending on {plan.target_label} (run them with `plugin-studio migrate run --pending"
              f" --plugin {result.plugin_id} --dsn {args.target}`):")
        for _id, version, name, status in result.pending_migrations:
            print(f"  {version}  {name}  {status}")

