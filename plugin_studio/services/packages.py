"""Plugin packages against a database: plan an import, run it in one transaction, export a plugin.

The package format and its checks are ``models.package``; the rows go in and out through
``db.packages``; the import's version in the plugin's history is ``services.history``. Composed
here for the menu, drag-and-drop and the command line.
"""
from __future__ import annotations

import os
from typing import Callable

import psycopg

from plugin_studio.db import packages as db_packages
from plugin_studio.db import plugins
from plugin_studio.db.bundles import ImportResult, PluginBundle, Progress, TableSpec
from plugin_studio.db.history_records import Author
from plugin_studio.models.package import (
    ExportSummary, ImportPlan, Limits, Package, plan_import as plan_for, write_package_file,
)
from plugin_studio.models.package_sections import PLUGIN_FIELDS, SECTIONS
from plugin_studio.services import history

REGISTRY_COLUMNS = tuple(f.column for f in PLUGIN_FIELDS)
TABLE_SPECS = {s.table: TableSpec(tuple(f.column for f in s.fields), s.order) for s in SECTIONS}


def plan_import(conn: psycopg.Connection, package: Package) -> ImportPlan:
    """The name and slug the plugin would get now, its files, and widget ids other plugins use. Read-only."""
    plugin = package.bundle.plugin
    name, slug = plugins.unique_name_and_slug(conn, plugin["name"].strip(), plugin["slug"])
    widget_ids = [w["widget_id"] for w in package.bundle.rows.get("plugin_widgets", [])]
    clashes = db_packages.widget_ids_in_use(conn, widget_ids)
    renames = db_packages.renamed_widget_ids(widget_ids, db_packages.all_widget_ids(conn))
    return plan_for(package, name, slug, clashes, renames)


def import_package(conn: psycopg.Connection, package: Package, *, creator_id: str | None = None,
                   rename_clashing_widgets: bool = False, progress: Progress | None = None,
                   is_cancelled: Callable[[], bool] | None = None, author: Author | None = None) -> ImportResult:
    """Create the package's plugin in one transaction (``db.packages.import_bundle``), its first version
    ("Imported <name>") recorded in the same transaction."""
    author = author or history.default_author(creator_id)
    columns = db_packages.table_columns(conn, ["plugin_registry", *TABLE_SPECS])
    specs = {t: s for t, s in TABLE_SPECS.items() if t in columns}
    return db_packages.import_bundle(
        conn, package.bundle, specs, columns, creator_id=creator_id, rename_clashing_widgets=rename_clashing_widgets,
        progress=progress, is_cancelled=is_cancelled,
        after_rows=lambda c, plugin: history.record_version(c, plugin.id, message=f"Imported {plugin.name}",
                                                            author=author))


def read_plugin(conn: psycopg.Connection, plugin_id: str, *, include_data: bool = True) -> PluginBundle:
    """Every row of a plugin as the package carries it."""
    return db_packages.read_bundle(conn, plugin_id, REGISTRY_COLUMNS, TABLE_SPECS, include_data=include_data)


def export_package(conn: psycopg.Connection, plugin_id: str, path: str | os.PathLike, *, format: str = "studio",
                   include_data: bool = True, limits: Limits | None = None) -> ExportSummary:
    """Write a plugin's package (``format`` studio or platform); refused (``PackageInvalid`` naming the
    rows, nothing written) when an import would refuse it."""
    bundle = read_plugin(conn, plugin_id, include_data=include_data)
    return write_package_file(bundle, path, format=format, include_data=include_data, limits=limits)
