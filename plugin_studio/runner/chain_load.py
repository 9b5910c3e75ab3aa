"""The one loader of hook and event chains, shared by the CLI and the debugger.

``load_chain``: the handlers a run of one hook or event goes through, in the storefront's order (or
priority order), with their plugins' modules. ``load_registrations``: every handler row the
debugger's inspector lists (disabled ones too). Both read a fixed number of queries however many
plugins there are, and name files as the file tree does (``hooks/product_price (2).js``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from plugin_studio.db import runtime
from plugin_studio.models.chain import EVENT, HOOK, STOREFRONT, TABLES, Handler, ordered
from plugin_studio.models.paths import handler_tree_paths, path_for_event, path_for_hook

if TYPE_CHECKING:
    import psycopg


@dataclass
class ChainRows:
    rows: list[Handler]
    modules: dict[str, runtime.PluginModules]


@dataclass
class Registrations:
    """Every handler row of the plugins looked at, as the inspector lists them."""
    handlers: list[Handler] = field(default_factory=list)
    plugins: dict[str, str] = field(default_factory=dict)  # id -> name of the plugins looked at

    def names(self) -> list[tuple[str, str]]:
        """Every (target, name) something registers for, sorted by name."""
        return sorted({(r.target, r.name) for r in self.handlers}, key=lambda t: (t[1], t[0]))

    def for_name(self, target: str, name: str) -> list[Handler]:
        return [r for r in self.handlers if r.target == target and r.name == name]


def _handlers(conn: "psycopg.Connection", records: list[runtime.HandlerRecord]) -> list[Handler]:
    plugin_ids = sorted({r.plugin_id for r in records})
    hooks, events = runtime.load_handler_rows(conn, plugin_ids)
    paths = handler_tree_paths(runtime.scripts_in_handler_folders(conn, plugin_ids), events, hooks)
    return [_handler(r, paths) for r in records]


def _handler(r: runtime.HandlerRecord, paths: dict[str, str]) -> Handler:
    default = path_for_hook(r.name) if r.table == TABLES[HOOK] else path_for_event(r.name)
    return Handler(r.table, r.row_id, r.plugin_id, r.plugin_name, r.name, r.kind, r.priority, r.enabled,
                   paths.get(r.row_id) or default, r.code or "", r.created_at, r.plugin_created_at, r.on_storefront)


def load_chain(conn: "psycopg.Connection", target: str, name: str, plugin_id: str | None = None,
               order: str = STOREFRONT) -> ChainRows:
    """The enabled handlers of hook/event ``name`` (``target`` hook | event) the storefront runs, and
    ``plugin_id``'s whatever its status, in ``order`` (storefront | priority)."""
    records = runtime.handler_records(conn, TABLES[target], name, plugin_id)
    handlers = ordered(_handlers(conn, records), order)
    return ChainRows(handlers, runtime.load_modules(conn, sorted({h.plugin_id for h in handlers})))


def load_registrations(conn: "psycopg.Connection", plugin_id: str | None = None) -> Registrations:
    """Handlers of the plugins the storefront runs plus ``plugin_id`` (whatever its status), disabled ones
    included, sorted by name and then in the storefront's order; four queries."""
    info = {p.id: p for p in runtime.storefront_plugins(conn, plugin_id)}
    hooks, events = runtime.load_handler_rows(conn, list(info))
    paths = handler_tree_paths(runtime.scripts_in_handler_folders(conn, list(info)), events, hooks)
    records = [_record(TABLES[HOOK], r.id, info[r.plugin_id], r.hook_name, r.hook_type, r.handler_function, r)
               for r in hooks if r.plugin_id in info]
    records += [_record(TABLES[EVENT], r.id, info[r.plugin_id], r.event_name, EVENT, r.listener_function, r)
                for r in events if r.plugin_id in info]
    handlers = [_handler(r, paths) for r in records]
    position = {h.row_id: i for i, h in enumerate(ordered(handlers, STOREFRONT))}
    handlers.sort(key=lambda h: (h.name, h.target, position[h.row_id]))
    return Registrations(handlers, {p.id: p.name for p in info.values()})


def _record(table: str, row_id: str, plugin: runtime.PluginInfo, name: str, kind: str, code: str,
            row) -> runtime.HandlerRecord:
    return runtime.HandlerRecord(table, row_id, plugin.id, plugin.name, name, kind, code, row.priority,
                                 bool(row.is_enabled), row.created_at, plugin.created_at, plugin.on_storefront)
