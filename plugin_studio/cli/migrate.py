"""``plugin-studio migrate list|run|rollback|validate|repair``.

``run FILE.sql`` records the file for the plugin named in its header (or ``--plugin``) and runs
it; ``run VERSION`` runs a recorded migration. ``--dry-run`` prints what would run, up and down,
and writes nothing.
"""
from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import asdict

from plugin_studio.cli._common import CommandError, add_command, print_json
from plugin_studio.db import migrate, plugins
from plugin_studio.db.connection import open_database
from plugin_studio.db.errors import NotFound, ValidationError
from plugin_studio.db.migration_file import MigrationFile, parse_migration_file, row_checksum
from plugin_studio.db.migrations import (
    find_by_version, find_migration, get_migration, list_migrations, record_migration_file,
)
from plugin_studio.db.records import MigrationRow
from plugin_studio.settings import Settings


def register(subparsers) -> None:
    group = subparsers.add_parser("migrate", help="plugin migrations: list, run, roll back, validate, repair")
    sub = group.add_subparsers(dest="migrate_command", metavar="ACTION", required=True)
    listing = add_command(sub, "list", cmd_list, "list recorded migrations with status, timing and checksum state")
    listing.add_argument("plugin", nargs="?", metavar="PLUGIN", help="id, slug or name (default: all plugins)")
    listing.add_argument("--json", action="store_true", help="one JSON array")
    running = add_command(sub, "run", cmd_run, "record and run a migration file, or run a recorded version")
    running.add_argument("target", metavar="FILE.sql|VERSION")
    running.add_argument("--plugin", metavar="PLUGIN", help="the plugin (default: the file's '-- Plugin:' line)")
    running.add_argument("--dry-run", action="store_true", help="print the SQL that would run; write nothing")
    running.add_argument("--force", action="store_true", help="run a completed migration again")
    back = add_command(sub, "rollback", cmd_rollback, "run a completed migration's DOWN SQL")
    back.add_argument("plugin", metavar="PLUGIN")
    back.add_argument("version", metavar="VERSION")
    check = add_command(sub, "validate", cmd_validate, "report migrations whose text changed after they ran")
    check.add_argument("plugin", nargs="?", metavar="PLUGIN")
    fix = add_command(sub, "repair", cmd_repair, "re-record the checksums of changed migrations")
    fix.add_argument("plugin", nargs="?", metavar="PLUGIN")
    fix.add_argument("--yes", action="store_true", help="do not ask for confirmation")


@contextlib.contextmanager
def _database(args):
    dsn, conn = open_database(getattr(args, "dsn", None))
    try:
        yield dsn, conn
    finally:
        conn.close()


def _session(dsn: str) -> migrate.MigrationSession:
    def say_waiting(holder):
        who = holder.describe() if holder else "another runner"
        print(f"waiting for the migration lock held by {who}", file=sys.stderr)

    return migrate.MigrationSession(migrate.connector_for(dsn), lock_wait_s=Settings.load().migration_lock_wait_s,
                                    on_wait=say_waiting)


def _plugin_id(conn, ref: str | None) -> str | None:
    return plugins.find_plugin(conn, ref).id if ref else None


# ---- list ----------------------------------------------------------------------------------

def cmd_list(args) -> int:
    with _database(args) as (_dsn, conn):
        checks = [migrate.checksum_state(row) for row in list_migrations(conn, _plugin_id(conn, args.plugin))]
    if args.json:
        print_json([{**asdict(c.row), "checksum_state": c.state or None} for c in checks])
        return 0
    if not checks:
        print("no migrations")
    for c in checks:
        r = c.row
        when = f"{r.executed_at:%Y-%m-%d %H:%M:%S}" if r.executed_at else "-"
        took = f"{r.execution_time_ms} ms" if r.execution_time_ms is not None else "-"
        print(f"{r.plugin_name}  {r.migration_version}  {r.status}  {when}  {took}  "
              f"{c.state or '-'}  {r.migration_name}")
    return 0


# ---- run -----------------------------------------------------------------------------------

def cmd_run(args) -> int:
    with _database(args) as (dsn, conn):
        if args.target.endswith(".sql") or os.path.isfile(args.target):
            row = _row_from_file(conn, args)
        else:
            row = _row_from_version(conn, args.target, args.plugin)
        if args.dry_run:
            print(migrate.preview_text(migrate.preview(row), args.force))
            return 0
        if row.status == "completed" and not args.force:
            print(f"{row.plugin_name} {row.migration_version} already completed; nothing to do (--force runs it again)")
            return 0
        for warning in migrate.preview(row).warnings:
            print(f"warning: {warning}", file=sys.stderr)
        with _session(dsn) as session:
            result = session.run(row.id, force=args.force)
    return _report(result, "completed")


def _row_from_file(conn, args) -> MigrationRow:
    """The migration a file describes; recorded (or its pending row updated) unless this is a dry run."""
    migration = _read_file(args.target)
    plugin = _plugin_of_file(conn, migration, args.plugin)
    existing = find_migration(conn, plugin.id, migration.version)
    if existing and existing.status == "completed":
        _check_same_text(existing, plugin, migration, args)
        if not args.force:
            return existing
    if args.dry_run:
        return _unsaved_row(plugin, migration, args.target, existing)
    for note in migration.notes:
        print(f"note: {args.target}: {note}", file=sys.stderr)
    row_id = record_migration_file(conn, plugin.id, plugin.name, migration, args.target,
                                   replace_completed=args.force)
    return get_migration(conn, row_id)


def _read_file(path: str) -> MigrationFile:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path} is not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    try:
        return parse_migration_file(text, path)
    except ValidationError as exc:
        raise CommandError(f"{path}: {exc}") from exc


def _plugin_of_file(conn, migration: MigrationFile, ref: str | None):
    ref = ref or migration.plugin_id or migration.plugin_name
    if not ref:
        raise CommandError("the file has no '-- Plugin:' line; name the plugin with --plugin")
    try:
        return plugins.find_plugin(conn, ref)
    except NotFound:
        if migration.plugin_id and migration.plugin_name and ref == migration.plugin_id:
            return plugins.find_plugin(conn, migration.plugin_name)
        raise


def _check_same_text(existing: MigrationRow, plugin, migration: MigrationFile, args) -> None:
    """A completed version whose file now reads differently is drift: say so instead of skipping it."""
    as_recorded = _unsaved_row(plugin, migration, args.target, existing)
    if row_checksum(as_recorded) != existing.checksum and not args.force:
        raise CommandError(
            f"{args.target}: version {existing.migration_version} already ran with different text (checksum"
            f" {existing.checksum or 'none'}, file {row_checksum(as_recorded)}); --force runs the file again,"
            " 'migrate repair' accepts the recorded text")


def _unsaved_row(plugin, migration: MigrationFile, file_name: str, existing: MigrationRow | None) -> MigrationRow:
    return MigrationRow(
        id=existing.id if existing else "", plugin_id=plugin.id, plugin_name=plugin.name,
        migration_name=migration.migration_name(file_name), migration_version=migration.version,
        migration_description=migration.description, status=existing.status if existing else "new",
        executed_at=None, completed_at=None, rolled_back_at=None, execution_time_ms=None, error_message=None,
        checksum=existing.checksum if existing else None, up_sql=migration.up_sql, down_sql=migration.down_sql,
    )


def _row_from_version(conn, version: str, plugin_ref: str | None) -> MigrationRow:
    if plugin_ref:
        plugin = plugins.find_plugin(conn, plugin_ref)
        row = find_migration(conn, plugin.id, version)
        if row is None:
            raise CommandError(f"{plugin.name} has no migration with version {version}")
        return row
    rows = find_by_version(conn, version)
    if not rows:
        raise CommandError(f"no migration has version {version} (to run a file, give its path ending in .sql)")
    if len(rows) > 1:
        names = ", ".join(r.plugin_name for r in rows)
        raise CommandError(f"version {version} exists for several plugins ({names}); name one with --plugin")
    return rows[0]


def _report(result: migrate.RunResult, done_word: str) -> int:
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not result.ok:
        raise CommandError(f"{result.version} {result.name} failed after {result.execution_time_ms} ms: "
                           + result.error.replace("\n", " | "))
    print(f"{done_word} {result.version} {result.name} in {result.execution_time_ms} ms")
    return 0


# ---- rollback, validate, repair ------------------------------------------------------------

def cmd_rollback(args) -> int:
    with _database(args) as (dsn, conn):
        row = _row_from_version(conn, args.version, args.plugin)
        with _session(dsn) as session:
            result = session.rollback(row.id)
    return _report(result, "rolled back")


def _drifted(conn, plugin_ref: str | None) -> list[migrate.ChecksumCheck]:
    return [c for c in migrate.validate(conn, _plugin_id(conn, plugin_ref)) if c.state == "drift"]


def _print_drift(checks: list[migrate.ChecksumCheck]) -> None:
    for c in checks:
        print(f"{c.row.plugin_name} {c.row.migration_version} {c.row.migration_name}: changed after it ran"
              f" (recorded {c.row.checksum}, now {c.current})")


def cmd_validate(args) -> int:
    with _database(args) as (_dsn, conn):
        checks = migrate.validate(conn, _plugin_id(conn, args.plugin))
    drifted = [c for c in checks if c.state == "drift"]
    _print_drift(drifted)
    unrecorded = [c for c in checks if c.state == "unrecorded"]
    for c in unrecorded:
        print(f"{c.row.plugin_name} {c.row.migration_version}: completed without a recorded checksum")
    if drifted:
        raise CommandError(f"{len(drifted)} migration(s) changed after they ran; 'migrate repair' re-records them")
    print(f"{len(checks)} completed migration(s) checked: no drift")
    return 0


def cmd_repair(args) -> int:
    with _database(args) as (_dsn, conn):
        targets = [c for c in migrate.validate(conn, _plugin_id(conn, args.plugin))
                   if c.state in ("drift", "unrecorded")]
        if not targets:
            print("nothing to repair: every completed migration matches its checksum")
            return 0
        _print_drift([c for c in targets if c.state == "drift"])
        if not args.yes and not _confirm(f"re-record the checksum of {len(targets)} migration(s)?"):
            raise CommandError("repair cancelled; nothing changed")
        count = migrate.repair(conn, [c.row.id for c in targets])
    print(f"re-recorded {count} checksum(s)")
    return 0


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        raise CommandError("repair changes recorded checksums; confirm with --yes")
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
