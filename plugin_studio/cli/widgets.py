"""``plugin-studio widgets render WIDGET_ID [--plugin P] [--config JSON] [--dispatch EVENT]... [--json|--html]``.

The widget renders in the JS worker (as in the IDE), its effects run, then each ``--dispatch``
window event in order; the final element tree is printed. Compile and render errors exit 1 with
the line in the widget's code.
"""
from __future__ import annotations

from plugin_studio.cli._common import CommandError, add_command, database, parse_json_arg, print_json
from plugin_studio.db import plugins
from plugin_studio.db.records import WidgetRow
from plugin_studio.db.rows import select_rows
from plugin_studio.models.widget_tree import outline, public_tree, to_html
from plugin_studio.runner.errors import RunnerError
from plugin_studio.runner.host import JsHost

ROOT = "cli"


def register(subparsers) -> None:
    group = subparsers.add_parser("widgets", help="render widgets without a window")
    sub = group.add_subparsers(dest="widgets_command", metavar="ACTION", required=True)
    render = add_command(sub, "render", cmd_render, "render a widget and print its element tree")
    render.add_argument("widget_id", metavar="WIDGET_ID", help="the widget's widget_id")
    render.add_argument("--plugin", help="plugin id, slug or name (needed when several plugins have the widget)")
    render.add_argument("--config", help="config as a JSON object (default: the widget's default_config)")
    render.add_argument("--slot-data", dest="slot_data", help="slotData as JSON (default: {})")
    render.add_argument("--dispatch", action="append", default=[], metavar="EVENT",
                        help="dispatch this window event after the first render (repeatable, in order)")
    render.add_argument("--advance", type=float, default=0, metavar="MS",
                        help="then let the widget's timers run for this many virtual milliseconds")
    output = render.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="the tree as JSON: {type, props, children}")
    output.add_argument("--html", action="store_true", help="the tree as HTML")
    render.epilog = "Without --json or --html an indented outline is printed."


def cmd_render(args) -> int:
    config = parse_json_arg(args.config, "--config") if args.config is not None else None
    slot_data = parse_json_arg(args.slot_data, "--slot-data") if args.slot_data is not None else {}
    if config is not None and not isinstance(config, dict):
        raise CommandError("--config must be a JSON object")
    with database(args) as conn:
        widget = find_widget(conn, args.widget_id, args.plugin)
    result = render_widget(widget, config if config is not None else (widget.default_config or {}),
                           slot_data, args.dispatch, args.advance)
    tree = public_tree(result["tree"])
    if args.json:
        print_json(tree)
    elif args.html:
        print(to_html(tree))
    else:
        print(outline(tree), end="")
    return 0


def find_widget(conn, widget_id: str, plugin: str | None) -> WidgetRow:
    where, params = "widget_id = %s", [widget_id]
    if plugin:
        found = plugins.find_plugin(conn, plugin)
        where += " AND plugin_id::text = %s"
        params.append(found.id)
    rows = select_rows(conn, WidgetRow, "plugin_widgets", where, tuple(params), "created_at")
    if not rows:
        raise CommandError(f"no widget {widget_id!r}" + (f" in plugin {plugin!r}" if plugin else ""))
    if len(rows) > 1:
        raise CommandError(f"{len(rows)} plugins have a widget {widget_id!r}: choose one with --plugin")
    return rows[0]


def render_widget(widget: WidgetRow, config, slot_data, dispatch: list[str], advance_ms: float = 0) -> dict:
    """Render in a worker process, run the window events in order; errors raise CommandError."""
    try:
        with JsHost() as host:
            result = _checked(host.call("widget.render", root=ROOT, code=widget.component_code,
                                        config=config, slot_data=slot_data), widget)
            for name in dispatch:
                result = _checked(host.call("widget.dispatch", root=ROOT, name=name), widget)
            if advance_ms:
                result = _checked(host.call("widget.advance", root=ROOT, ms=advance_ms), widget)
            return result
    except RunnerError as exc:
        raise CommandError(f"widget {widget.widget_id}: {exc}") from None


def _checked(result: dict, widget: WidgetRow) -> dict:
    errors = result.get("errors") or []
    if errors:
        error = errors[0]
        where = f" at line {error['line']}" if error.get("line") else ""
        raise CommandError(f"widget {widget.widget_id}: {error.get('name', 'Error')}: {error['message']}{where}")
    return result
