"""``plugin-studio events emit NAME DATA_JSON [--order ...] [--fetch FILE] [--plugin P] [--json]``: each listener's outcome.

Listeners run as the storefront's EventSystem.emit runs them: in the storefront's order, each given
the same payload object (a change one listener makes is seen by the next).
"""
from __future__ import annotations

from plugin_studio.cli._common import add_command, parse_json_arg
from plugin_studio.cli.hooks import add_run_options, report, run_chain
from plugin_studio.models.chain import EVENT


def register(subparsers) -> None:
    group = subparsers.add_parser("events", help="emit events to their listeners")
    sub = group.add_subparsers(dest="events_command", metavar="ACTION", required=True)
    emit_cmd = add_command(sub, "emit", cmd_emit, "run the enabled listeners of an event with a payload")
    emit_cmd.add_argument("name", metavar="NAME", help="event name, e.g. cart.viewed")
    emit_cmd.add_argument("data", metavar="DATA_JSON", help="the event payload, as JSON")
    add_run_options(emit_cmd)


def cmd_emit(args) -> int:
    data = parse_json_arg(args.data, "DATA_JSON")
    return report(run_chain(args, "event", lambda handlers: EVENT, data, []), args.json)
