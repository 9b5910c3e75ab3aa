"""``plugin-studio export PLUGIN -o FILE.json`` and ``plugin-studio import FILE.json [--json]``."""
from __future__ import annotations

import sys

from plugin_studio.cli._common import CommandError, add_command, add_yes, confirm_write, database, print_json
from plugin_studio.db import plugins
from plugin_studio.db.safe_text import shown
from plugin_studio.models import package as pk
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.syntax import check_syntax_many
from plugin_studio.services.packages import export_package, import_package
from plugin_studio.settings import Settings


def register(subparsers) -> None:
    export = add_command(subparsers, "export", cmd_export, "write a plugin as a JSON package")
    export.add_argument("plugin", metavar="PLUGIN", help="plugin id, slug or name")
    export.add_argument("-o", "--output", metavar="FILE", required=True, help="package file to write")
    export.add_argument("--format", choices=pk.FORMATS, default="studio",
                        help="studio (default): the platform's format plus what it loses (down SQL, checksums, "
                             "enabled flags, controller auth, cron handlers...); platform: exactly the platform's export")
    export.add_argument("--without-data", action="store_true",
                        help="leave out pluginData (its values may hold secrets)")

    imp = add_command(subparsers, "import", cmd_import, "create a new plugin from a JSON package")
    imp.add_argument("file", metavar="FILE", help="package file to read")
    imp.add_argument("--json", action="store_true", help="print the result as JSON")
    imp.add_argument("--rename-clashing-widgets", action="store_true",
                     help="give widget ids another plugin already uses a new id (id-2, ...) instead of keeping them")
    imp.add_argument("--no-syntax-check", action="store_true",
                     help="skip parsing the code in the JS runtime (syntax errors are otherwise warnings)")
    add_yes(imp)


def cmd_export(args) -> int:
    limits = pk.Limits.from_settings(Settings.load())
    with database(args) as conn:
        plugin = plugins.find_plugin(conn, args.plugin)
        try:
            summary = export_package(conn, plugin.id, args.output, format=args.format,
                                     include_data=not args.without_data, limits=limits)
        except pk.PackageInvalid as exc:
            _print_problems(exc)
            raise CommandError(f"{shown(plugin.name)} was not exported (an import would refuse it): "
                               f"{_problems_summary(exc)}") from exc
        except OSError as exc:
            raise CommandError(str(exc)) from exc
    for warning in summary.warnings:
        print(f"plugin-studio: note: {warning}", file=sys.stderr)
    print(f"exported {shown(summary.plugin_name)} ({summary.row_count} rows, {summary.bytes_written} bytes, "
          f"{args.format} format) to {summary.path}")
    return 0


def _print_problems(exc: pk.PackageInvalid) -> None:
    if len(exc.problems) > 1:
        for problem in exc.problems:
            print(f"plugin-studio: {problem}", file=sys.stderr)


def _problems_summary(exc: pk.PackageInvalid) -> str:
    return str(exc.problems[0]) if len(exc.problems) == 1 else f"{len(exc.problems)} problems (above)"


def cmd_import(args) -> int:
    settings = Settings.load()
    try:
        package = pk.load_package(args.file, pk.Limits.from_settings(settings))
    except pk.PackageInvalid as exc:
        _print_problems(exc)
        raise CommandError(f"{args.file} was not imported: {_problems_summary(exc)}") from exc
    warnings = [str(w) for w in package.warnings]
    if not args.no_syntax_check:
        warnings += _syntax_warnings(package)
    confirm_write(args, f"import {args.file}")
    with database(args) as conn:
        result = import_package(conn, package, creator_id=settings.creator_id,
                                   rename_clashing_widgets=args.rename_clashing_widgets)
    _report(args, result, warnings)
    return 0


def _syntax_warnings(package: pk.Package) -> list[str]:
    with JsHost() as host:
        report = pk.syntax_warnings(package, lambda items: check_syntax_many(host, items))
    return [str(p) for _table, _index, p in report.errors] + [str(n) for n in report.notes]


def _report(args, result, warnings: list[str]) -> None:
    if args.json:
        print_json({"id": result.plugin_id, "name": result.name, "slug": result.slug,
                    "version": result.version.version_number if result.version else None,
                    "widget_renames": result.widget_renames,
                    "rows": {t: len(ids) for t, ids in result.row_ids.items()}, "warnings": warnings})
        return
    for warning in warnings:
        print(f"plugin-studio: warning: {warning}", file=sys.stderr)
    print(f"{result.plugin_id}  {shown(result.name)}  {shown(result.slug)}")

