"""Which controller answers a request, as the platform's exec route decides, and which routes clash.

The rules (``ALL /api/plugins/:pluginId/exec/*``, PLATFORM.md §3.4): only enabled controllers whose
``method`` equals the request's method (the exact string: a row saved as ``get`` never answers a
``GET``); paths compared segment by segment, empty segments ignored, a ``:name`` segment capturing
whatever stands there; every route without a ``:`` tried before every route with one, otherwise in
the order the rows came (the platform's query has no ORDER BY, so among equals the database decides).

Admin pages are served at their ``route``, which the production schema makes unique across all
plugins (PLATFORM.md §1.9): two pages with one route cannot both be saved there.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

from plugin_studio.db.records import CONTROLLER_METHODS

HTTP_METHODS = CONTROLLER_METHODS  # the platform's G4 CHECK on method


class Route(Protocol):
    method: str
    path: str
    is_enabled: bool | None


@dataclass(frozen=True)
class Match:
    route: Route
    params: dict[str, str]   # ``:name`` segment → the request's segment, in the route's order


@dataclass(frozen=True)
class Clash:
    """Two enabled controllers that can answer the same request: only one of them ever will."""
    first: Route
    second: Route
    kind: str        # "same" (one path, perhaps with other parameter names) | "overlap" (both parameterised)
    message: str


def segments(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


def has_params(path: str) -> bool:
    """The platform's test (``path.includes(':')``): any colon makes a route parameterised."""
    return ":" in path


def match_path(pattern: str, actual: str) -> dict[str, str] | None:
    """The captured parameters when ``actual`` matches ``pattern``, else None."""
    wanted, given = segments(pattern), segments(actual)
    if len(wanted) != len(given):
        return None
    params: dict[str, str] = {}
    for part, value in zip(wanted, given):
        if part.startswith(":"):
            params[part[1:]] = value
        elif part != value:
            return None
    return params


def ordered(routes: Iterable[Route]) -> list[Route]:
    """Exact routes before parameterised ones, each group in its given order (JS's sort is stable)."""
    routes = list(routes)
    return [r for r in routes if not has_params(r.path)] + [r for r in routes if has_params(r.path)]


def answering(routes: Iterable[Route]) -> list[Route]:
    """The rows the exec route considers at all: ``is_enabled`` exactly true (NULL is not)."""
    return [r for r in routes if r.is_enabled is True]


def match_route(routes: Iterable[Route], method: str, path: str) -> Match | None:
    """The controller that answers ``method path`` (``path`` without its query string), or None (a 404)."""
    candidates = [r for r in answering(routes) if r.method == method]
    for route in ordered(candidates):
        params = match_path(route.path, path)
        if params is not None:
            return Match(route, params)
    return None


def shape(path: str) -> tuple[str, ...]:
    """A path with its parameter names blanked: two routes of one shape answer the same requests."""
    return tuple(":" if part.startswith(":") else part for part in segments(path))


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return len(a) == len(b) and all(x == y or ":" in (x, y) for x, y in zip(a, b))


def route_clashes(routes: Iterable[Route], name_of=lambda r: getattr(r, "controller_name", r.path)) -> list[Clash]:
    """Pairs of enabled routes of one method that answer the same request (``name_of(route)`` names them)."""
    found = []
    enabled = answering(routes)
    for i, first in enumerate(enabled):
        for second in enabled[i + 1:]:
            clash = _clash(first, second, name_of)
            if clash is not None:
                found.append(clash)
    return found


def _clash(first: Route, second: Route, name_of) -> Clash | None:
    if first.method != second.method:
        return None
    a, b = shape(first.path), shape(second.path)
    where = f"{first.method} {first.path}"
    if a == b:
        return Clash(first, second, "same", f"{name_of(first)} and {name_of(second)} both answer {where}: "
                     "the platform runs whichever its query returns first, the other never")
    if has_params(first.path) and has_params(second.path) and _overlap(a, b):
        return Clash(first, second, "overlap",
                     f"{name_of(first)} ({first.path}) and {name_of(second)} ({second.path}) both match some "
                     "requests: the platform runs whichever its query returns first")
    return None


def method_problem(method: str) -> str | None:
    """Why a stored method can never answer a request, or None."""
    if method in HTTP_METHODS:
        return None
    if method.upper() in HTTP_METHODS:
        return (f"the method is stored as {method!r}: the exec route compares it with the request's "
                f"{method.upper()!r} exactly, so this controller never answers")
    return f"{method!r} is not one of {', '.join(HTTP_METHODS)}: this controller never answers"


def admin_route_clashes(pages: Iterable, name_of=lambda p: f"{p.plugin_name}: {p.page_key}") -> list[Clash]:
    """Admin pages (any plugins) sharing a ``route``: the production schema's UNIQUE(route) refuses the second."""
    by_route: dict[str, list] = {}
    for page in pages:
        by_route.setdefault(page.route, []).append(page)
    return [Clash(group[0], other, "same",
                  f"{name_of(group[0])} and {name_of(other)} both use the admin route {route}: the production "
                  "schema makes routes unique, so the second page cannot be saved there")
            for route, group in by_route.items() for other in group[1:]]
