"""``migrate run … --dsn-file FILE``: the same migrations on every database listed, with a live table.

The file holds one DSN (``postgresql://…`` or ``key=value …``) or one name a line; a name is a
saved connection's (its password from the keyring), else a libpq service (``pg_service.conf``).
``--group NAME`` runs on the saved group's connections instead of a file. Blank lines and ``#`` comments are skipped. On a terminal
the table is redrawn in place; otherwise each change of a database's state is one line.
"""
from __future__ import annotations

import sys
import threading
from typing import Callable

from plugin_studio.cli._common import CommandError, confirm_write, print_json
from plugin_studio.db.migrate import Timeouts
from plugin_studio.db.migrate_many import COMPLETED, FAILED, DatabaseReport, ManyDatabases, ManyOptions
from plugin_studio.db.names import version_key
from plugin_studio.models.migration_plan import FileRun, Planner
from plugin_studio.models.connections import ConnectionListError, SavedConnection
from plugin_studio.services.connections import group_dsns, load_connections, resolve_line
from plugin_studio.settings import Settings


def read_dsn_file(path: str) -> list[str]:
    """The DSNs a file lists; a line without ``=`` or ``://`` names a saved connection or a libpq service."""
    listing = load_connections()
    return [resolve_line(line, listing) for line in _listed(path)]


def _listed(path: str) -> list[str]:
    """The lines of a database list that name a database (not blank, not ``#`` comments)."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = [line.strip() for line in f]
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    listed = [line for line in lines if line and not line.startswith("#")]
    if not listed:
        raise CommandError(f"{path} lists no database")
    return listed


def _group(name: str) -> list[str]:
    try:
        return [dsn for _name, dsn in group_dsns(name)]
    except ConnectionListError as exc:
        raise CommandError(str(exc)) from exc


def _saved_targets(args) -> list[SavedConnection]:
    """The saved connections the run names (a group's members, or a list's lines that are names)."""
    listing = load_connections()
    if getattr(args, "group", None):
        return listing.members(args.group)
    return [saved for line in _listed(args.dsn_file) if (saved := listing.find(line)) is not None]


def run(args, read_file: Callable[[str], FileRun], timeouts: Timeouts) -> int:
    """Exit 1 when any database failed (or, with --stop-on-error, was not started)."""
    if args.dry_run:
        raise CommandError("--dry-run shows one database; run it without --dsn-file or --group")
    if args.parallel < 1:
        raise CommandError("--parallel must be 1 or more")
    dsns = _group(args.group) if getattr(args, "group", None) else read_dsn_file(args.dsn_file)
    confirm_write(args, "run the migrations on them", _saved_targets(args))
    options = ManyOptions(plugin=args.plugin, force=args.force, parallelism=args.parallel,
                          stop_on_error=args.stop_on_error, lock_wait_s=Settings.load().migration_lock_wait_s,
                          timeouts=timeouts, retries=args.retries)
    view = LiveTable(sys.stderr if args.json else sys.stdout)
    many = ManyDatabases(dsns, Planner(), options, on_update=view.update)
    view.start(many.reports)
    if args.pending:
        many.run_pending()
    else:
        files = _files(args, read_file)
        many.run(files)
    view.finish()
    summary = many.summary()
    if args.json:
        print_json(summary)
    else:
        print(f"{summary[COMPLETED]} completed, {summary[FAILED]} failed, {summary['not started']} not started"
              f" of {len(dsns)} database(s)")
    return 0 if summary[COMPLETED] == len(dsns) else 1


def _files(args, read_file) -> list[FileRun]:
    if not args.targets:
        raise CommandError("name the FILE.sql to run on every database, or --pending")
    if not args.plugin:
        raise CommandError("--dsn-file and --group need --plugin (its id differs from one database to the next)")
    return sorted((read_file(t) for t in args.targets), key=lambda s: version_key(s.version))


class LiveTable:
    """Per database: status, the migration running, what ran, the time taken."""

    def __init__(self, stream):
        self._stream = stream
        self._live = stream.isatty()
        self._lock = threading.Lock()
        self._reports: list[DatabaseReport] = []
        self._drawn = 0

    def start(self, reports: list[DatabaseReport]) -> None:
        self._reports = reports
        if self._live:
            self._draw()

    def update(self, index: int, report: DatabaseReport) -> None:
        with self._lock:
            if self._live:
                self._draw()
            elif report.status in (COMPLETED, FAILED) or report.status == "not started":
                print(self._row(report, max(len(r.label) for r in self._reports)), file=self._stream, flush=True)

    def finish(self) -> None:
        if self._live:
            with self._lock:
                self._draw()

    def _draw(self) -> None:
        width = max(len(r.label) for r in self._reports)
        if self._drawn:
            self._stream.write(f"\x1b[{self._drawn}F")
        for report in self._reports:
            self._stream.write("\x1b[2K" + self._row(report, width) + "\n")
        self._drawn = len(self._reports)
        self._stream.flush()

    @staticmethod
    def _row(report: DatabaseReport, width: int) -> str:
        detail = ""
        if report.status == "running" and report.current:
            detail = f"running {report.current}"
        elif report.status in (COMPLETED, FAILED):
            detail = f"{len(report.completed)} run, {len(report.skipped)} already completed"
            if report.error:
                where = f" at {report.failed_version}" if report.failed_version else ""
                detail += f"; failed{where}: " + " ".join(report.error.split())[:200]
        took = f"{report.elapsed_ms} ms" if report.elapsed_ms else ""
        return f"{report.label.ljust(width)}  {report.status.ljust(11)}  {took.rjust(9)}  {detail}".rstrip()
