"""A request to a plugin's controller, and what the platform's exec route hands the handler for it.

The platform (Express 4, ``ALL /api/plugins/:pluginId/exec/*``, PLATFORM.md §3.4) gives a controller
``req = {body, query, params, headers, ip, user, method}``:

- ``body``: ``express.json()``'s result: ``{}`` when the request has no body, else the parsed JSON,
  which must be an object or an array (the parser's strict mode answers anything else with 400);
- ``query``: the query string as the ``qs`` library parses it (Express 4's "extended" parser:
  ``a=1&a=2`` → ``["1", "2"]``, ``b[c]=3`` → ``{b: {c: "3"}}``);
- ``params``: ``{0: "/<controller path>", pluginId, ...the route's :params}``;
- ``headers``: names in lower case (Node), with the ``host`` a request always has and the
  ``content-type``/``content-length`` of a JSON body;
- ``user``: ``undefined`` for an anonymous request, else ``{id, store_id, email, role, account_type}``
  (``optionalAuthMiddleware``);
- ``ip`` as Express reports a local caller, ``method`` the request's.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import unquote

import qs_codec

from plugin_studio.models.routes import HTTP_METHODS

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, "customer", "store_owner", "admin")
LOCAL_IP = "::ffff:127.0.0.1"
HOST = "localhost:5000"
# Who a signed-in request is: a fixed user, so saved requests give the same answer every time.
STUDIO_USER = {"id": "00000000-0000-4000-8000-000000000001", "store_id": "00000000-0000-4000-8000-000000000002",
               "email": "studio.user@example.com"}


class RequestError(ValueError):
    """A request the platform would refuse before any controller runs (bad JSON body, bad method)."""


@dataclass
class ControllerRequest:
    """What the request pane and ``plugin-studio controllers call`` send. ``target`` is the path after
    ``/exec`` with an optional ``?query``; ``query`` rows are added to that query string."""
    method: str = "GET"
    target: str = "/"
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    role: str = ANONYMOUS

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ControllerRequest":
        return cls(str(data.get("method", "GET")), str(data.get("target", "/")),
                   [tuple(map(str, pair)) for pair in data.get("query") or []],
                   [tuple(map(str, pair)) for pair in data.get("headers") or []],
                   str(data.get("body") or ""), str(data.get("role") or ANONYMOUS))


def split_target(target: str) -> tuple[str, str]:
    """``/visits/42?x=1`` → (``/visits/42``, ``x=1``); the path always starts with ``/``."""
    path, _, query = target.strip().partition("?")
    path = path.split("#", 1)[0]
    return ("/" + path.lstrip("/")), query


def controller_path(target: str) -> str:
    """The path the route is matched against: Express decodes ``%xx`` in it (``req.params[0]``)."""
    return unquote(split_target(target)[0], errors="strict")


def query_string(request: ControllerRequest) -> str:
    from urllib.parse import urlencode

    extra = urlencode([(k, v) for k, v in request.query if k])
    base = split_target(request.target)[1]
    return "&".join(part for part in (base, extra) if part)


def parse_query(text: str) -> Any:
    """The query string as Express 4's extended parser (``qs``, default limits) gives it to ``req.query``."""
    return qs_codec.decode(text) if text else {}


def check_body(text: str) -> None:
    """RequestError unless ``text`` is empty or JSON that ``express.json()`` (strict) accepts."""
    if not text.strip():
        return
    try:
        json.loads(text, parse_constant=_refuse_constant)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise RequestError(f"the body is not valid JSON{f' (line {line})' if line else ''}: "
                           f"{getattr(exc, 'msg', exc)}") from None
    if text.lstrip()[0] not in "{[":
        raise RequestError("the platform's JSON body parser (strict) accepts only an object or an array: "
                           "it answers 400 before any controller runs")


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def user_for(role: str) -> dict[str, Any] | None:
    """``req.user`` for a role: None (undefined) when anonymous."""
    if role == ANONYMOUS:
        return None
    return {**STUDIO_USER, "role": role, "account_type": "agency" if role == "admin" else "individual"}


def request_headers(request: ControllerRequest) -> dict[str, str]:
    """Node's ``req.headers``: lower-case names, repeated ones joined with ``, ``."""
    headers: dict[str, str] = {"host": HOST}
    body = request.body.strip()
    if body:
        headers["content-type"] = "application/json"
        headers["content-length"] = str(len(request.body.encode("utf-8")))
    if request.role != ANONYMOUS:
        headers["authorization"] = "Bearer <a token of the chosen role>"
    given: dict[str, list[str]] = {}
    for name, value in request.headers:
        key = name.strip().lower()
        if key:
            given.setdefault(key, []).append(value)
    headers.update({key: ", ".join(values) for key, values in given.items()})  # a header you give wins
    return headers


def exec_payload(request: ControllerRequest, plugin_ref: str, path_params: dict[str, str]) -> dict[str, Any]:
    """What the runner needs to build the handler's ``req`` exactly as the platform does.

    ``body`` stays JSON text (JavaScript parses it, so numbers come out as the platform's would).
    Raises RequestError for a request the platform refuses before any controller.
    """
    method = request.method.strip().upper()
    if method not in HTTP_METHODS:
        raise RequestError(f"{request.method!r} is not one of {', '.join(HTTP_METHODS)}")
    check_body(request.body)
    path = controller_path(request.target)
    return {
        "method": method, "plugin_ref": plugin_ref, "controller_path": path, "path_params": path_params,
        "query": parse_query(query_string(request)), "headers": request_headers(request),
        "body_json": request.body if request.body.strip() else None, "user": user_for(request.role),
        "ip": LOCAL_IP,
    }


def url_of(request: ControllerRequest, plugin_ref: str) -> str:
    """The URL the storefront serves this request at."""
    path, _ = split_target(request.target)
    query = query_string(request)
    return f"/api/plugins/{plugin_ref}/exec{path}" + (f"?{query}" if query else "")
