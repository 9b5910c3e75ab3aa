"""``plugin-studio hooks apply NAME VALUE_JSON [--args JSON] [--order storefront|priority] [--fetch FILE] [--json]``.

Runs the hook as the storefront runs it (DESIGN §5): the handlers of active plugins in the
storefront's order, a filter chain by default, ``do(NAME, VALUE, ...args)`` when every handler is an
action. Prints each handler's step (input → output, console, error), warnings where the storefront
differs, and the final value. A handler that throws or runs into a limit is reported in its step;
the exit status is then 1.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from plugin_studio.cli._common import CommandError, add_command, database, parse_json_arg, print_json
from plugin_studio.db import plugins
from plugin_studio.models.chain import ACTION, EVENT, FILTER, ORDERS, STOREFRONT
from plugin_studio.models.js_value import js_literal
from plugin_studio.runner.chain import ChainTrace, Step, apply_filters, do_action, emit
from plugin_studio.runner.chain_load import load_chain
from plugin_studio.runner.errors import RunnerError
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.scripts import plugin_data_services

ENV_KEYS = ("fetch", "url", "localStorage", "sessionStorage")


def register(subparsers) -> None:
    group = subparsers.add_parser("hooks", help="run hook chains")
    sub = group.add_subparsers(dest="hooks_command", metavar="ACTION", required=True)
    apply = add_command(sub, "apply", cmd_apply, "run the enabled handlers of a hook on a value")
    apply.add_argument("name", metavar="NAME", help="hook name, e.g. product.price")
    apply.add_argument("value", metavar="VALUE_JSON", help="the value to filter (an action's first argument), as JSON")
    apply.add_argument("--args", default="[]", help="extra arguments as a JSON array (a non-array is one argument)")
    add_run_options(apply)


def add_run_options(parser) -> None:
    parser.add_argument("--plugin", metavar="P", help="only this plugin (id, slug or name), active or not")
    parser.add_argument("--order", choices=ORDERS, default=STOREFRONT,
                        help="storefront: plugin by plugin, newest first, as the storefront registers them "
                             "(default); priority: every handler by priority, as documented")
    parser.add_argument("--fetch", metavar="FILE", type=Path,
                        help="canned responses for fetch(): a JSON list of {url, method, status, headers, body}, "
                             "or an object with fetch, url, localStorage, sessionStorage")
    parser.add_argument("--json", action="store_true", help="one JSON object")


def browser_env(path: Path | None) -> dict:
    """The browser scenario of ``--fetch FILE``; CommandError names what is wrong with the file."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"--fetch {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise CommandError(f"--fetch {path} is not valid JSON: {exc}") from exc
    env = {"fetch": data} if isinstance(data, list) else data
    if not isinstance(env, dict) or set(env) - set(ENV_KEYS):
        raise CommandError(f"--fetch {path}: expected a list of responses or an object with {', '.join(ENV_KEYS)}")
    responses = env.get("fetch", [])
    if not isinstance(responses, list) or not all(isinstance(r, dict) and isinstance(r.get("url"), str)
                                                  for r in responses):
        raise CommandError(f"--fetch {path}: every response needs a \"url\" (e.g. {{\"url\": \"/api/cart\", "
                           "\"status\": 200, \"body\": {}}})")
    return env


def plugin_id_of(conn, reference: str | None) -> str | None:
    return None if reference is None else plugins.find_plugin(conn, reference).id


def run_chain(args, target: str, mode_for, value, extra: list) -> ChainTrace:
    """Load the chain of ``args.name`` and run it; ``mode_for(handlers)`` says filter, action or event."""
    env = browser_env(args.fetch)
    with database(args) as conn:
        only = plugin_id_of(conn, args.plugin)
        chain = load_chain(conn, target, args.name, only, args.order)
        handlers = chain.rows if only is None else [h for h in chain.rows if h.plugin_id == only]
        mode = mode_for(handlers)
        with JsHost(services=plugin_data_services(lambda: conn)) as host:
            try:
                if mode == FILTER:
                    return apply_filters(host, handlers, args.name, value, extra, chain.modules, env)
                if mode == ACTION:
                    return do_action(host, handlers, args.name, value, extra, chain.modules, env)
                return emit(host, handlers, args.name, value, chain.modules, env)
            except RunnerError as exc:
                raise CommandError(str(exc)) from exc


def cmd_apply(args) -> int:
    value = parse_json_arg(args.value, "VALUE_JSON")
    extra = parse_json_arg(args.args, "--args")
    extra = extra if isinstance(extra, list) else [extra]

    def mode_for(handlers) -> str:
        return ACTION if handlers and all(h.kind == ACTION for h in handlers) else FILTER

    return report(run_chain(args, "hook", mode_for, value, extra), args.json)


def report(trace: ChainTrace, as_json: bool) -> int:
    if as_json:
        print_json(trace.as_dict())
    else:
        print_trace(trace)
    failed = trace.errors
    if failed:
        first = failed[0]
        print(f"plugin-studio: error: {len(failed)} of {len(trace.steps)} handlers failed; first: "
              f"{first.handler.path}: {str(first.error)[:500]}", file=sys.stderr)
        return 1
    return 0


def print_trace(trace: ChainTrace) -> None:
    what = "event" if trace.kind == EVENT else f"hook ({trace.kind})"
    if not trace.steps:
        print(f"{what} {trace.name}: no enabled handlers")
    else:
        print(f"{what} {trace.name}: {len(trace.steps)} handler(s)")
    for warning in trace.warnings:
        print(f"  warning: {warning}")
    for number, step in enumerate(trace.steps, 1):
        print(format_step(number, step, trace.kind))
    if trace.kind == EVENT:
        print(f"payload after: {short(trace.final)}")
    else:
        print(f"final: {short(trace.final)}")


def format_step(number: int, step: Step, kind: str) -> str:
    h = step.handler
    head = f"  {number}. {h.path}  [{h.plugin_name or h.plugin_id} · priority {h.priority} · row {h.row_id}]"
    if step.error:
        outcome = f"error: {str(step.error)[:500]}"
    elif kind == FILTER:
        outcome = f"{short(step.input)} → {short(step.output)}" + ("  (returned undefined: value kept)"
                                                                 if step.status == "kept" else "")
    else:
        outcome = f"value {short(step.input)}" + ("" if step.output == step.input else f" → {short(step.output)}")
    lines = [f"{head}  {step.duration_ms:.2f} ms", f"       {outcome}"]
    lines += [f"       console.{c['level']}: {c['text'][:500]}" for c in step.console]
    lines += [f"       note: {n}" for n in step.notes]
    return "\n".join(lines)


def short(value) -> str:
    return js_literal(value, 200)
