"""``plugin-studio controllers call PLUGIN METHOD PATH [--body JSON] [--query K=V]... [--header K:V]...
[--role ROLE] [--json]`` and ``plugin-studio controllers list PLUGIN [--json]``.

``call`` sends the request to the plugin's controllers as the platform's exec route would
(``/api/plugins/<plugin>/exec<PATH>``): the same routing, ``req`` and ``res`` as the request pane
(both go through ``runner.controllers.send_request``). It prints the status, the body (pretty JSON),
the handler's console and where the storefront would differ. Exit status: 0 for an answer below
500, 1 for a 5xx answer, no answer or a failed run, 2 for bad arguments (a body that is not JSON).
"""
from __future__ import annotations

import argparse
import json
import sys

from plugin_studio.cli._common import CommandError, add_command, database, print_json
from plugin_studio.db import controllers, plugins
from plugin_studio.models.controller_requests import ROLES, ControllerRequest, RequestError, check_body
from plugin_studio.models.routes import HTTP_METHODS, route_clashes
from plugin_studio.runner.controllers import ControllerResponse, send_in_context
from plugin_studio.runner.errors import RunnerError
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.scripts import plugin_data_services


def register(subparsers) -> None:
    group = subparsers.add_parser("controllers", help="call a plugin's API endpoints as the storefront serves them")
    sub = group.add_subparsers(dest="controllers_command", metavar="ACTION", required=True)
    call = add_command(sub, "call", cmd_call, "send a request to a plugin's controllers (the platform's exec route)")
    call.add_argument("plugin", metavar="PLUGIN", help="the plugin's id, slug or name")
    call.add_argument("method", metavar="METHOD", type=_method, help=f"one of {', '.join(HTTP_METHODS)}")
    call.add_argument("path", metavar="PATH", help="the path after /exec, with an optional ?query, e.g. /visits/42?x=1")
    call.add_argument("--body", type=_body, default="", help="the JSON body (an object or an array)")
    call.add_argument("--query", action="append", default=[], type=_pair("="), metavar="K=V",
                      help="a query parameter (repeatable; added to PATH's own)")
    call.add_argument("--header", action="append", default=[], type=_pair(":"), metavar="NAME:VALUE",
                      help="a request header (repeatable)")
    call.add_argument("--role", choices=ROLES, default=ROLES[0], help="who sends it: req.user (default anonymous)")
    call.add_argument("--json", action="store_true", help="one JSON object")
    listing = add_command(sub, "list", cmd_list, "a plugin's controllers, their routes and route clashes")
    listing.add_argument("plugin", metavar="PLUGIN")
    listing.add_argument("--json", action="store_true")


def _method(text: str) -> str:
    if text.upper() not in HTTP_METHODS:
        raise argparse.ArgumentTypeError(f"{text!r} is not one of {', '.join(HTTP_METHODS)}")
    return text.upper()


def _body(text: str) -> str:
    try:
        check_body(text)
    except RequestError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _pair(separator: str):
    def parse(text: str) -> tuple[str, str]:
        name, found, value = text.partition(separator)
        if not found or not name.strip():
            raise argparse.ArgumentTypeError(f"{text!r}: expected NAME{separator}VALUE")
        return name.strip(), value.strip() if separator == ":" else value
    return parse


def cmd_call(args) -> int:
    request = ControllerRequest(args.method, args.path, list(args.query), list(args.header), args.body, args.role)
    with database(args) as conn:
        context = controllers.request_context(conn, plugins.find_plugin(conn, args.plugin).id)
        with JsHost(services=plugin_data_services(lambda: conn)) as host:
            try:
                response = send_in_context(host, context, request)
            except RunnerError as exc:
                raise CommandError(str(exc)) from exc
    if args.json:
        print_json(response.to_json())
    else:
        print_response(response)
    return 0 if response.status is not None and response.status < 500 else 1


def print_response(response: ControllerResponse) -> None:
    who = response.controller or "no controller"
    status = response.status if response.status is not None else "no answer"
    print(f"HTTP {status} · {who} · {response.url} · {response.duration_ms:.1f} ms")
    body = response.body
    if body is not None:
        print(json.dumps(body, indent=2, ensure_ascii=False))
    elif response.body_text:
        print(response.body_text)
    for line in response.console:
        print(f"console.{line['level']}: {line['text'][:2000]}")
    if response.error:
        where = f"{response.error.get('path')}:{response.error.get('line')}" if response.error.get("line") else ""
        print(f"error: {response.error.get('message')} {where}".rstrip(), file=sys.stderr)
    for note in response.notes:
        print(f"note: {note}")


def cmd_list(args) -> int:
    with database(args) as conn:
        plugin = plugins.find_plugin(conn, args.plugin)
        rows = controllers.controllers_of(conn, plugin.id)
    clashes = route_clashes(rows)
    if args.json:
        print_json({"controllers": [{"name": r.controller_name, "method": r.method, "path": r.path,
                                     "enabled": r.is_enabled is True, "requires_auth": bool(r.requires_auth)}
                                    for r in rows],
                    "clashes": [c.message for c in clashes]})
        return 0
    for row in rows:
        flags = ("" if row.is_enabled is True else " (disabled)") + (" 🔒" if row.requires_auth else "")
        print(f"{row.method:<6} {row.path:<40} {row.controller_name}{flags}")
    for clash in clashes:
        print(f"clash: {clash.message}")
    return 0
