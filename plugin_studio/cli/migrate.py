"""``plugin-studio migrate list|status|run|rollback|validate|repair``.

``run FILE.sql…`` records each file for the plugin named in its header (or ``--plugin``, which
overrides the header) and runs it; ``run VERSION`` runs a recorded migration; ``run --pending``
runs every pending one. ``--dry-run`` prints what would run, up and down, and writes nothing.
``--dsn-file`` runs the same migrations on many databases (``cli/_migrate_many.py``).
"""
from __future__ import annotations

import contextlib
import logging
import os
import sys
from dataclasses import asdict

from plugin_studio.cli import _migrate_many
from plugin_studio.cli._common import CommandError, add_command, add_yes, confirm_write, print_json
from plugin_studio.db import migrate, plugins
from plugin_studio.db.connection import open_database
from plugin_studio.db.errors import NotFound
from plugin_studio.db.migrations import find_by_version, find_migration, list_migrations
from plugin_studio.db.names import version_key
from plugin_studio.db.records import MigrationRow
from plugin_studio.models.migration_file import decode_file, parse_migration_file
from plugin_studio.models.migration_format import checksum_state
from plugin_studio.models.migration_ops import plan_repair, preview, preview_text
from plugin_studio.models.migration_plan import FileRun, Planner
from plugin_studio.models.migration_sql import MigrationTextError
from plugin_studio.services.migrations import apply_repair, validate
from plugin_studio.settings import Settings


def register(subparsers) -> None:
    # psycopg logs "error ignored terminating …" when a killed connection is cleaned up; our one line says it.
    logging.getLogger("psycopg").addHandler(logging.NullHandler())
    group = subparsers.add_parser("migrate", help="plugin migrations: status, run, roll back, validate, repair")
    sub = group.add_subparsers(dest="migrate_command", metavar="ACTION", required=True)
    for name in ("list", "status"):
        listing = add_command(sub, name, cmd_status, "recorded migrations as a table: status, timing, checksum")
        listing.add_argument("plugin", nargs="?", metavar="PLUGIN", help="id, slug or name (default: all plugins)")
        listing.add_argument("--json", action="store_true", help="one JSON array")
    _add_run(sub)
    back = add_command(sub, "rollback", cmd_rollback, "run a completed migration's DOWN SQL")
    back.add_argument("plugin", metavar="PLUGIN")
    back.add_argument("version", metavar="VERSION")
    back.add_argument("--file", metavar="FILE.sql", help="the file the platform's tracker ran (its DOWN section is used)")
    add_yes(back)
    check = add_command(sub, "validate", cmd_validate, "report migrations whose text changed after they ran")
    check.add_argument("plugin", nargs="?", metavar="PLUGIN")
    check.add_argument("--file", action="append", default=[], metavar="FILE.sql",
                       help="a file the platform's tracker ran, to check its recorded MD5 (repeatable)")
    fix = add_command(sub, "repair", cmd_repair, "re-record checksums and repair DOWN SQL, saying what changes")
    fix.add_argument("plugin", nargs="?", metavar="PLUGIN")
    fix.add_argument("--file", action="append", default=[], metavar="FILE.sql", help="as for validate")
    fix.add_argument("--yes", action="store_true", help="do not ask for confirmation (production included)")


def _add_run(sub) -> None:
    settings = Settings.load()
    running = add_command(sub, "run", cmd_run, "record and run migration files, a recorded version, or all pending")
    running.add_argument("targets", nargs="*", metavar="FILE.sql|VERSION")
    running.add_argument("--pending", action="store_true", help="run every pending migration (of --plugin)")
    running.add_argument("--plugin", metavar="PLUGIN", help="the plugin (overrides the file's '-- Plugin:' line)")
    running.add_argument("--dry-run", action="store_true", help="print the SQL that would run; write nothing")
    running.add_argument("--force", action="store_true", help="run a completed migration again")
    running.add_argument("--lock-timeout", type=float, default=settings.migration_lock_timeout_s, metavar="SECONDS",
                         help="how long a statement may wait for another session's lock (default %(default)g)")
    running.add_argument("--statement-timeout", type=float, default=settings.migration_statement_timeout_s,
                         metavar="SECONDS", help="how long a statement may run; 0 for no limit (default %(default)g)")
    running.add_argument("--retries", type=int, default=0, metavar="N",
                         help="run again up to N times after a lock timeout (default 0)")
    running.add_argument("--dsn-file", metavar="FILE", help="run on every database listed (one DSN or name a line)")
    running.add_argument("--group", metavar="NAME", help="run on every saved connection of the group (File ▸ Connections…)")
    running.add_argument("--parallel", type=int, default=settings.migration_parallelism, metavar="N",
                         help="databases migrated at once with --dsn-file (default %(default)d)")
    running.add_argument("--stop-on-error", action="store_true", help="with --dsn-file: start no database after a failure")
    running.add_argument("--json", action="store_true", help="with --dsn-file: the summary as JSON")
    add_yes(running)


@contextlib.contextmanager
def _database(args):
    dsn, conn = open_database(getattr(args, "dsn", None))
    try:
        yield dsn, conn
    finally:
        conn.close()


def _timeouts(args) -> migrate.Timeouts:
    if args.lock_timeout <= 0 or args.statement_timeout < 0:
        raise CommandError("--lock-timeout must be above 0 and --statement-timeout 0 or more")
    return migrate.Timeouts(lock_s=args.lock_timeout, statement_s=args.statement_timeout)


def _session(dsn: str, args=None, planner: Planner | None = None) -> migrate.MigrationSession:
    def say_waiting(holder):
        who = holder.describe() if holder else "another runner"
        print(f"waiting for the migration lock held by {who}", file=sys.stderr)

    timeouts = _timeouts(args) if args is not None and hasattr(args, "lock_timeout") else None
    return migrate.MigrationSession(migrate.connector_for(dsn), planner or Planner(),
                                    lock_wait_s=Settings.load().migration_lock_wait_s, timeouts=timeouts,
                                    on_wait=say_waiting)


def _plugin_id(conn, ref: str | None) -> str | None:
    return plugins.find_plugin(conn, ref).id if ref else None


# ---- status --------------------------------------------------------------------------------

def table(headers: list[str], rows: list[list[str]]) -> str:
    """Columns padded to their widest cell (the last one left ragged)."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    lines = []
    for cells in [headers, *rows]:
        padded = [str(cell).ljust(width) for cell, width in zip(cells, widths)]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


def cmd_status(args) -> int:
    with _database(args) as (_dsn, conn):
        checks = [checksum_state(row) for row in list_migrations(conn, _plugin_id(conn, args.plugin))]
    if args.json:
        print_json([{**asdict(c.row), "checksum_state": c.state or None} for c in checks])
        return 0
    if not checks:
        print("no migrations")
        return 0
    rows = []
    for c in sorted(checks, key=lambda c: (c.row.plugin_name, version_key(c.row.migration_version))):
        r = c.row
        when = f"{r.executed_at.astimezone():%Y-%m-%d %H:%M:%S}" if r.executed_at else "-"
        took = f"{r.execution_time_ms} ms" if r.execution_time_ms is not None else "-"
        rows.append([r.plugin_name, r.migration_version, r.status, when, took, c.state or "-", r.migration_name])
    print(table(["PLUGIN", "VERSION", "STATUS", "EXECUTED", "DURATION", "CHECKSUM", "NAME"], rows))
    return 0


# ---- run -----------------------------------------------------------------------------------

def cmd_run(args) -> int:
    if args.dsn_file or args.group:
        return _migrate_many.run(args, _read_file, _timeouts(args))
    if args.pending:
        return _run_pending(args)
    if not args.targets:
        raise CommandError("name a FILE.sql or a VERSION to run, or --pending")
    if all(_is_file(t) for t in args.targets):
        return _run_files(args, sorted((_read_file(t) for t in args.targets), key=lambda s: version_key(s.version)))
    if len(args.targets) > 1:
        raise CommandError("name one VERSION at a time (or several FILE.sql)")
    return _run_version(args, args.targets[0])


def _is_file(target: str) -> bool:
    return target.lower().endswith(".sql") or os.path.isfile(target)


def _read_file(path: str) -> FileRun:
    try:
        with open(path, "rb") as f:
            text = decode_file(f.read())
        return FileRun(parse_migration_file(text, path), text, path)
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
    except MigrationTextError as exc:
        raise CommandError(f"{path}: {exc}") from exc


def _plugin_of_file(conn, source: FileRun, ref: str | None):
    migration = source.migration
    if ref:
        plugin = plugins.find_plugin(conn, ref)
        if migration.plugin_id and migration.plugin_id != plugin.id:
            header = f"{migration.plugin_name} ({migration.plugin_id})" if migration.plugin_name else migration.plugin_id
            print(f"note: {source.file_name}: --plugin {plugin.name} ({plugin.id}) overrides the file's plugin {header}",
                  file=sys.stderr)
        return plugin
    if not (migration.plugin_id or migration.plugin_name):
        raise CommandError(f"{source.file_name} has no '-- Plugin:' line; name the plugin with --plugin")
    try:
        return plugins.find_plugin(conn, migration.plugin_id or migration.plugin_name)
    except NotFound:
        if migration.plugin_id and migration.plugin_name:
            return plugins.find_plugin(conn, migration.plugin_name)
        raise


def _run_files(args, sources: list[FileRun]) -> int:
    with _database(args) as (dsn, conn):
        targets = [(source, _plugin_of_file(conn, source, args.plugin)) for source in sources]
        if args.dry_run:
            for source, plugin in targets:
                _print_file_preview(conn, source, plugin, args.force)
            return 0
        for source, plugin in targets:
            _warn_before(source, plugin, conn.info.server_version)
        confirm_write(args, f"run {len(targets)} migration file(s)")
        with _session(dsn, args) as session:
            for source, plugin in targets:
                result = session.run_file(plugin.id, plugin.name, source, force=args.force, retries=args.retries)
                _report(result, "completed", plugin.name)
    return 0


def _print_file_preview(conn, source: FileRun, plugin, force: bool) -> None:
    existing = find_migration(conn, plugin.id, source.version)
    row = source.as_row(plugin.id, plugin.name, existing)
    checksum = source.checksum(plugin.id, plugin.name)
    version = conn.info.server_version
    print(preview_text(preview(row, prepare_up=lambda: source.prepare(checksum, version),
                               prepare_down=lambda: source.prepare_down(version)), force))


def _warn_before(source: FileRun, plugin, server_version: int) -> None:
    for note in source.migration.notes:
        print(f"note: {source.file_name}: {note}", file=sys.stderr)
    try:
        warnings = source.prepare(source.checksum(plugin.id, plugin.name), server_version).warnings
    except MigrationTextError:
        return      # the run reports it, at its file line
    for warning in warnings:
        print(f"warning: {source.file_name}: {warning}", file=sys.stderr)


def _run_version(args, version: str) -> int:
    with _database(args) as (dsn, conn):
        row = _row_from_version(conn, version, args.plugin)
        if args.dry_run:
            print(preview_text(preview(row, server_version=conn.info.server_version), args.force))
            return 0
        if row.status == "completed" and not args.force:
            print(f"{row.plugin_name} {row.migration_version} already completed; nothing to do (--force runs it again)")
            return 0
        _warn_rows([row], conn.info.server_version)
        confirm_write(args, f"run migration {row.migration_version} of {row.plugin_name}")
        with _session(dsn, args) as session:
            _report(session.run(row.id, force=args.force, retries=args.retries), "completed", row.plugin_name)
    return 0


def _run_pending(args) -> int:
    plugin_ref = args.plugin or (args.targets[0] if len(args.targets) == 1 else None)
    if len(args.targets) > (0 if args.plugin else 1):
        raise CommandError("--pending runs recorded migrations; name at most the plugin")
    with _database(args) as (dsn, conn):
        rows = [r for r in list_migrations(conn, _plugin_id(conn, plugin_ref)) if r.status == "pending"]
        rows.sort(key=lambda r: (r.plugin_name, version_key(r.migration_version)))
        if not rows:
            print("no pending migrations; nothing to do")
            return 0
        if args.dry_run:
            for row in rows:
                print(preview_text(preview(row, server_version=conn.info.server_version)))
            return 0
        _warn_rows(rows, conn.info.server_version)
        confirm_write(args, f"run {len(rows)} pending migration(s)")
        with _session(dsn, args) as session:
            for row in rows:
                _report(session.run(row.id, retries=args.retries), "completed", row.plugin_name)
    return 0


def _warn_rows(rows: list[MigrationRow], server_version: int) -> None:
    for row in rows:
        for warning in preview(row, server_version=server_version).warnings:
            print(f"warning: {row.migration_version}: {warning}", file=sys.stderr)


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


def _report(result: migrate.RunResult, done_word: str, plugin_name: str = "") -> None:
    """One line on stdout for a success, a CommandError (one line on stderr, exit 1) for a failure."""
    if result.skipped:
        print(f"{plugin_name} {result.version} already completed; nothing to do (--force runs it again)".lstrip())
        return
    if not result.ok:
        raise CommandError(f"{result.version} {result.name} failed after {result.execution_time_ms} ms: "
                           + result.error.replace("\n", " | "))
    print(f"{done_word} {result.version} {result.name} in {result.execution_time_ms} ms")


# ---- rollback, validate, repair ------------------------------------------------------------

def cmd_rollback(args) -> int:
    file_text = _read_file(args.file).text if args.file else None
    with _database(args) as (dsn, conn):
        row = _row_from_version(conn, args.version, args.plugin)
        confirm_write(args, f"roll back migration {row.migration_version} of {row.plugin_name}")
        with _session(dsn, planner=Planner(file_text)) as session:
            result = session.rollback(row.id)
    for warning in result.warnings:
        print(f"note: {warning}", file=sys.stderr)
    _report(result, "rolled back")
    return 0


def _files_by_version(paths: list[str]) -> dict[str, str]:
    sources = [_read_file(path) for path in paths]
    return {source.version: source.text for source in sources}


def cmd_validate(args) -> int:
    files = _files_by_version(args.file)
    with _database(args) as (_dsn, conn):
        checks = validate(conn, _plugin_id(conn, args.plugin), files)
    drifted = [c for c in checks if c.state == "drift"]
    _print_drift(drifted)
    for c in checks:
        if c.state == "unrecorded":
            print(f"{c.row.plugin_name} {c.row.migration_version}: completed without a recorded checksum")
        elif c.state == "platform" or c.note:
            print(f"{c.row.plugin_name} {c.row.migration_version}: {c.note}")
    if drifted:
        raise CommandError(f"{len(drifted)} migration(s) changed after they ran; 'migrate repair' re-records them")
    print(f"{len(checks)} completed migration(s) checked: no drift")
    return 0


def _print_drift(checks) -> None:
    for c in checks:
        why = f"; {c.note}" if c.note else ""
        print(f"{c.row.plugin_name} {c.row.migration_version} {c.row.migration_name}: changed after it ran"
              f" (recorded {c.row.checksum}, now {c.current}){why}")


def cmd_repair(args) -> int:
    files = _files_by_version(args.file)
    with _database(args) as (_dsn, conn):
        changes = plan_repair(validate(conn, _plugin_id(conn, args.plugin), files), files)
        if not changes:
            print("nothing to repair: every completed migration matches its checksum and has a runnable DOWN SQL")
            return 0
        print("repair would change:")
        for change in changes:
            print(f"  {change.describe()}")
        confirm_write(args, f"repair {len(changes)} recorded migration(s)")
        if not args.yes and not _confirm(f"make these {len(changes)} change(s)?"):
            raise CommandError("repair cancelled; nothing changed")
        count = apply_repair(conn, changes)
    print(f"repaired {count} migration(s)")
    return 0


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        raise CommandError("repair changes recorded migrations; confirm with --yes")
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
