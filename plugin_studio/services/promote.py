"""Compare a plugin in two stores, and promote it from one to the other in one transaction.

``compare_plugins`` reads the plugin on the source and its counterpart on the target (the plugin with
the same slug, or one named) and compares every row (``models.promote``). ``promote`` then writes
the chosen differences to the target in one transaction: it first locks the target's plugin and
reads it again, and refuses (``PromoteConflict``, nothing written) when it changed since the
comparison, the rule a save follows; then inserts, updates and deletes; then records the target's
next version in its history ("Promoted from <source>"), as the platform's editor records a change.
Any failure rolls all of it back. The migrations the target has still to run are listed after.
A plugin the target lacks is created whole, as an import creates it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable

import psycopg

from plugin_studio.db import packages as db_packages
from plugin_studio.db import plugins
from plugin_studio.db import promote as db_promote
from plugin_studio.db.bundles import PluginBundle
from plugin_studio.db.errors import NotFound, ReadOnlyRefused, SqlError, StudioDbError
from plugin_studio.db.history_records import Author
from plugin_studio.db.promote import DELETE, INSERT, UPDATE, Side, Write
from plugin_studio.db.translate import translate
from plugin_studio.models import promote as rules
from plugin_studio.services import history
from plugin_studio.services.packages import REGISTRY_COLUMNS, TABLE_SPECS


class PromoteConflict(StudioDbError):
    """The target's plugin changed after the comparison; nothing was written: compare again."""


@dataclass
class PromotePlan:
    """What the comparison saw on both sides, and the comparison itself."""
    source: Side
    target: Side | None
    comparison: rules.Comparison
    source_label: str = "source"
    target_label: str = "target"

    @property
    def plugin_name(self) -> str:
        return self.source.registry.get("name") or ""

    def to_json(self) -> dict[str, Any]:
        return {"plugin": self.plugin_name, "from": self.source_label, "to": self.target_label,
                "target_plugin_id": self.target.registry["id"] if self.target else None,
                **self.comparison.to_json()}


@dataclass
class PromoteResult:
    plugin_id: str
    written: dict[str, int] = field(default_factory=dict)        # insert / update / delete → rows
    version: Any = None
    pending_migrations: list[tuple[str, str, str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"plugin_id": self.plugin_id, "written": self.written,
                "version": getattr(self.version, "version_number", None),
                "pending_migrations": [{"id": i, "version": v, "name": n, "status": s}
                                       for i, v, n, s in self.pending_migrations]}


def read_side(conn: psycopg.Connection, plugin_id: str, *, lock: bool = False) -> Side:
    return db_promote.read_side(conn, plugin_id, REGISTRY_COLUMNS, TABLE_SPECS, lock=lock)


def counterpart(conn: psycopg.Connection, registry: dict[str, Any], target_ref: str | None = None) -> str | None:
    """The target plugin's id: ``target_ref`` (id, slug or name), else the plugin with the source's
    slug; None when there is none (the promote then creates it)."""
    if target_ref:
        return plugins.find_plugin(conn, target_ref).id
    slug = registry.get("slug")
    try:
        return plugins.find_plugin(conn, slug).id if slug else None
    except NotFound:
        return None


def compare_plugins(source_conn: psycopg.Connection, target_conn: psycopg.Connection, ref: str,
                    target_ref: str | None = None, *, labels: tuple[str, str] = ("source", "target")) -> PromotePlan:
    """Read both sides (the source's plugin by id, slug or name) and compare them. Read-only."""
    source = read_side(source_conn, plugins.find_plugin(source_conn, ref).id)
    target_id = counterpart(target_conn, source.registry, target_ref)
    target = read_side(target_conn, target_id) if target_id else None
    comparison = rules.compare(source.registry, target.registry if target else None, source.rows,
                               target.rows if target else {})
    return PromotePlan(source, target, comparison, *labels)


def promote(conn: psycopg.Connection, plan: PromotePlan, chosen: set[tuple] | None = None, *,
            author: Author | None = None, message: str | None = None,
            after_each: Callable[[Write], None] | None = None) -> PromoteResult:
    """Write the plan's differences (``chosen``: their ``(table, key, occurrence)``; None: all) to
    the target, in one transaction. Raises PromoteConflict, or the server's error (nothing written).
    ``after_each`` runs after each write (progress; raising there cancels and rolls back)."""
    author = author or history.default_author()
    message = message or f"Promoted from {plan.source_label}"
    if plan.target is None:
        return _create(conn, plan, author, message)
    writes = planned_writes(plan, chosen)
    target_id = plan.target.registry["id"]
    try:
        with conn.transaction():
            _refuse_if_changed(conn, plan)
            for change in writes:
                db_promote.write(conn, target_id, change, plan.target.columns)
                if after_each:
                    after_each(change)
            version = history.record_version(conn, target_id, message=message, author=author) if writes else None
    except (psycopg.Error, SqlError) as exc:
        raise _rolled_back(exc) from exc
    written = {op: sum(1 for w in writes if w.op == op) for op in (INSERT, UPDATE, DELETE)}
    return PromoteResult(target_id, written, version, db_promote.pending_migrations(conn, target_id))


def planned_writes(plan: PromotePlan, chosen: set[tuple] | None = None) -> list[Write]:
    """The statements the chosen differences make, the plugin's own row first."""
    writes = []
    for diff in plan.comparison.differences():
        if chosen is not None and (diff.table, diff.key, diff.occurrence) not in chosen:
            continue
        if diff.status == rules.ADDED:
            writes.append(Write(INSERT, diff.table, None, _values(diff.source)))
        elif diff.status == rules.REMOVED:
            writes.append(Write(DELETE, diff.table, diff.target_id))
        else:
            writes.append(Write(UPDATE, diff.table, diff.target_id, {c: diff.source[c] for c in diff.columns}))
    return writes


def _values(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in (rules.ROW_ID, rules.STATUS)}


def _refuse_if_changed(conn: psycopg.Connection, plan: PromotePlan) -> None:
    now = read_side(conn, plan.target.registry["id"], lock=True)
    if not rules.same_value(now.registry, plan.target.registry) or not rules.same_value(now.rows, plan.target.rows):
        raise PromoteConflict(f"{plan.plugin_name} changed on {plan.target_label} since the comparison; "
                              "nothing was written: compare again")


def _rolled_back(exc: BaseException) -> StudioDbError:
    error = translate(exc)
    if isinstance(error, ReadOnlyRefused):
        return error
    note = "the promote was rolled back, nothing was written: "
    if isinstance(error, SqlError):
        return SqlError(replace(error.problem, message=note + error.problem.message))
    return type(error)(note + str(error))


def _create(conn: psycopg.Connection, plan: PromotePlan, author: Author, message: str) -> PromoteResult:
    """The target has no such plugin: create it whole, as an import does (one transaction)."""
    bundle = PluginBundle({c: plan.source.registry.get(c) for c in REGISTRY_COLUMNS},
                          {t: [_values(r) for r in rows] for t, rows in plan.source.rows.items()})
    columns = db_packages.table_columns(conn, ["plugin_registry", *TABLE_SPECS])
    specs = {t: s for t, s in TABLE_SPECS.items() if t in columns}
    result = db_packages.import_bundle(
        conn, bundle, specs, columns, creator_id=author.id,
        after_rows=lambda c, plugin: history.record_version(c, plugin.id, message=message, author=author))
    written = {INSERT: bundle.row_count() + 1, UPDATE: 0, DELETE: 0}
    return PromoteResult(result.plugin_id, written, result.version,
                         db_promote.pending_migrations(conn, result.plugin_id))
