"""``plugin-studio events emit NAME DATA_JSON [--plugin P] [--json]``: each listener's outcome."""
from __future__ import annotations

from plugin_studio.cli._common import CommandError, add_command, database, parse_json_arg
from plugin_studio.cli.hooks import add_plugin_and_json, plugin_id_of, report
from plugin_studio.runner.chain import emit, handlers_from_db
from plugin_studio.runner.errors import RunnerError
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.scripts import plugin_data_services


def register(subparsers) -> None:
    group = subparsers.add_parser("events", help="emit events to their listeners")
    sub = group.add_subparsers(dest="events_command", metavar="ACTION", required=True)
    emit_cmd = add_command(sub, "emit", cmd_emit, "run the enabled listeners of an event with a payload")
    emit_cmd.add_argument("name", metavar="NAME", help="event name, e.g. cart.viewed")
    emit_cmd.add_argument("data", metavar="DATA_JSON", help="the event payload, as JSON")
    add_plugin_and_json(emit_cmd)


def cmd_emit(args) -> int:
    data = parse_json_arg(args.data, "DATA_JSON")
    with database(args) as conn:
        handlers, modules = handlers_from_db(conn, "event", args.name, plugin_id_of(conn, args.plugin))
        with JsHost(services=plugin_data_services(lambda: conn)) as host:
            try:
                trace = emit(host, handlers, args.name, data, modules)
            except RunnerError as exc:
                raise CommandError(str(exc)) from exc
    return report(trace, args.json)
