"""``plugin-studio widgets render WIDGET_ID [--plugin P] [--config JSON] [--dispatch EVENT]... [--json|--html]``.

The widget renders in the JS worker on React itself, in its plugin's interpreter, as the IDE's
preview renders it; its effects run, then each ``--dispatch`` window event in order, then
``--advance`` lets its timers run. The final elements are printed as an outline, as JSON
(``{"tree", "errors", "warnings", "storefront"}``) or as HTML written by react-dom/server.

Errors the widget reports while it keeps rendering (a throwing window listener, a failing timer)
are printed beside the tree (stderr, or the JSON's ``errors``), as a browser reports them and goes
on. Exit status 1 when the widget can't be compiled or crashed (the storefront then shows its
error box instead), 0 otherwise. What the storefront would do differently (JSX, a shape it can't
compile) is a warning on stderr.
"""
from __future__ import annotations

import sys

from plugin_studio.cli._common import CommandError, add_command, database, parse_json_arg, print_json
from plugin_studio.db import plugins
from plugin_studio.db.records import WidgetRow
from plugin_studio.db.rows import select_rows
from plugin_studio.models.widget_tree import outline, public_tree
from plugin_studio.runner import widget_packages
from plugin_studio.runner.errors import RunnerError
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.npm_packages import NpmPackageError

ROOT = "cli"
PREPARE_TIMEOUT_MS = 20_000


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
    output.add_argument("--json", action="store_true", help='{"tree", "errors", "warnings", "storefront"} as JSON')
    output.add_argument("--html", action="store_true", help="the elements as HTML (react-dom/server)")
    render.epilog = "Without --json or --html an indented outline is printed."


def cmd_render(args) -> int:
    config = parse_json_arg(args.config, "--config") if args.config is not None else None
    slot_data = parse_json_arg(args.slot_data, "--slot-data") if args.slot_data is not None else {}
    if config is not None and not isinstance(config, dict):
        raise CommandError("--config must be a JSON object")
    with database(args) as conn:
        widget = find_widget(conn, args.widget_id, args.plugin)
    outcome = render_widget(widget, config if config is not None else (widget.default_config or {}),
                            slot_data, args.dispatch, args.advance, html=args.html)
    tree = public_tree(outcome["tree"])
    if args.json:
        print_json({"tree": tree, "errors": outcome["errors"], "warnings": outcome["warnings"],
                    "storefront": outcome["storefront"]})
    else:
        print(outcome["html"] if args.html else outline(tree), end="\n" if args.html else "")
        for line in outcome["warnings"]:
            print(f"widget {widget.widget_id}: warning: {line}", file=sys.stderr)
        for error in outcome["errors"]:
            print(f"widget {widget.widget_id}: {describe_error(error)}", file=sys.stderr)
    return 1 if outcome["failed"] else 0


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


def render_widget(widget: WidgetRow, config, slot_data, dispatch: list[str], advance_ms: float = 0,
                  html: bool = False) -> dict:
    """Render in a worker process and run the window events in order.

    Returns ``{"tree", "errors", "warnings", "storefront", "failed", "html"?}``; raises
    ``CommandError`` when the widget can't be compiled or the runner fails.
    """
    plugin = str(widget.plugin_id)
    try:
        widget_packages.ensure_available()
        with JsHost() as host:
            host.call("widget.prepare", plugin=plugin, timeout_ms=PREPARE_TIMEOUT_MS)
            result = host.call("widget.render", root=ROOT, plugin=plugin, code=widget.component_code,
                               config=config, slot_data=slot_data)
            compile_error = next((e for e in result["errors"] if e.get("phase") in ("compile", "load", "shape")), None)
            if compile_error is not None:
                raise CommandError(f"widget {widget.widget_id}: {describe_error(compile_error)}")
            errors, warnings = list(result["errors"]), list(result.get("warnings") or [])
            for name in dispatch:
                result = host.call("widget.dispatch", root=ROOT, name=name)
                errors += result["errors"]
            if advance_ms:
                result = host.call("widget.advance", root=ROOT, ms=advance_ms)
                errors += result["errors"]
            outcome = {"tree": result["tree"], "errors": [_public_error(e) for e in errors], "warnings": warnings,
                       "storefront": (result.get("compiled") or {}).get("storefront"),
                       "failed": any(e.get("phase") == "render" for e in errors)}
            if html:
                outcome["html"] = host.call("widget.html", root=ROOT)["html"]
            return outcome
    except NpmPackageError as exc:
        raise CommandError(exc.user_message) from None
    except RunnerError as exc:
        raise CommandError(f"widget {widget.widget_id}: {exc}") from None


def _public_error(error: dict) -> dict:
    return {key: error.get(key) for key in ("phase", "name", "message", "line", "column")}


def describe_error(error: dict) -> str:
    """``Error: message at line 3`` (``Widget crashed`` for an error its boundary caught)."""
    where = f" at line {error['line']}" if error.get("line") else ""
    prefix = "Widget crashed: " if error.get("phase") == "render" else ""
    phase = "" if error.get("phase") in ("render", "compile", None) else f" (in {error['phase']})"
    return f"{prefix}{error.get('name', 'Error')}: {error.get('message')}{where}{phase}"

