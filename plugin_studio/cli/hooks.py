"""``plugin-studio hooks apply NAME VALUE_JSON [--args JSON] [--plugin P] [--json]``.

Prints each handler's step (input → output, console, error) and the final value. A handler
that throws or runs into a limit is reported in its step; the exit status is then 1.
"""
from __future__ import annotations

import json
import sys

from plugin_studio.cli._common import CommandError, add_command, database, parse_json_arg, print_json
from plugin_studio.db import plugins
from plugin_studio.runner.chain import ChainTrace, Step, apply_filters, do_action, handlers_from_db
from plugin_studio.runner.errors import RunnerError
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.scripts import plugin_data_services


def register(subparsers) -> None:
    group = subparsers.add_parser("hooks", help="run hook chains")
    sub = group.add_subparsers(dest="hooks_command", metavar="ACTION", required=True)
    apply = add_command(sub, "apply", cmd_apply, "run the enabled handlers of a hook on a value")
    apply.add_argument("name", metavar="NAME", help="hook name, e.g. product.price")
    apply.add_argument("value", metavar="VALUE_JSON", help="the value to filter, as JSON")
    apply.add_argument("--args", default="[]", help="extra arguments as a JSON array (a non-array is one argument)")
    add_plugin_and_json(apply)


def add_plugin_and_json(parser) -> None:
    parser.add_argument("--plugin", metavar="P", help="only this plugin (id, slug or name), active or not")
    parser.add_argument("--json", action="store_true", help="one JSON object")


def plugin_id_of(conn, reference: str | None) -> str | None:
    return None if reference is None else plugins.find_plugin(conn, reference).id


def cmd_apply(args) -> int:
    value = parse_json_arg(args.value, "VALUE_JSON")
    extra = parse_json_arg(args.args, "--args")
    extra = extra if isinstance(extra, list) else [extra]
    with database(args) as conn:
        handlers, modules = handlers_from_db(conn, "hook", args.name, plugin_id_of(conn, args.plugin))
        with JsHost(services=plugin_data_services(lambda: conn)) as host:
            try:
                if handlers and all(h.kind == "action" for h in handlers):
                    trace = do_action(host, handlers, args.name, extra, modules)
                else:
                    trace = apply_filters(host, handlers, args.name, value, extra, modules)
            except RunnerError as exc:
                raise CommandError(str(exc)) from exc
    return report(trace, args.json)


def report(trace: ChainTrace, as_json: bool) -> int:
    if as_json:
        print_json(trace.as_dict())
    else:
        print_trace(trace)
    failed = trace.errors
    if failed:
        first = failed[0]
        print(f"plugin-studio: error: {len(failed)} of {len(trace.steps)} handlers failed; first: "
              f"{first.handler.path}: {first.error}", file=sys.stderr)
        return 1
    return 0


def print_trace(trace: ChainTrace) -> None:
    what = "event" if trace.kind == "event" else f"hook ({trace.kind})"
    if not trace.steps:
        print(f"{what} {trace.name}: no enabled handlers")
    else:
        print(f"{what} {trace.name}: {len(trace.steps)} handler(s)")
    for number, step in enumerate(trace.steps, 1):
        print(format_step(number, step, trace.kind))
    if trace.kind != "event":
        print(f"final: {dumps(trace.final)}")


def format_step(number: int, step: Step, kind: str) -> str:
    h = step.handler
    head = f"  {number}. {h.path}  [{h.plugin_name or h.plugin_id} · priority {h.priority} · row {h.row_id}]"
    if step.error:
        outcome = f"error: {step.error}"
    elif kind == "filter":
        outcome = f"{dumps(step.input)} → {dumps(step.output)}" + ("  (returned undefined: value kept)"
                                                               if step.status == "kept" else "")
    else:
        outcome = "returned " + ("undefined" if step.status == "kept" else dumps(step.output))
    lines = [f"{head}  {step.duration_ms:.2f} ms", f"       {outcome}"]
    lines += [f"       console.{c['level']}: {c['text'][:500]}" for c in step.console]
    return "\n".join(lines)


def dumps(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 200 else text[:200] + "…"
