"""Plugin packages against a database: plan an import, run it in one transaction, export a plugin.

The package format and its checks are ``models.package``; the rows go in and out through
``db.packages``. Both are composed here for the menu, drag-and-drop and the command line.
"""
from __future__ import annotations

import os
from typing import Callable

import psycopg

from plugin_studio.db import packages as db_packages
from plugin_studio.db import plugins
from plugin_studio.db.bundles import ImportResult, Progress
from plugin_studio.models.package import ExportSummary, ImportPlan, Package, plan_import as plan_for, write_package_file


def plan_import(conn: psycopg.Connection, package: Package) -> ImportPlan:
    """The name and slug the plugin would get now, its files, and widget ids other plugins use. Read-only."""
    plugin = package.bundle.plugin
    name, slug = plugins.unique_name_and_slug(conn, plugin["name"].strip(), plugin["slug"])
    widget_ids = [w["widget_id"] for w in package.bundle.rows["plugin_widgets"]]
    clashes = db_packages.widget_ids_in_use(conn, widget_ids)
    renames = db_packages.renamed_widget_ids(widget_ids, db_packages.all_widget_ids(conn))
    return plan_for(package, name, slug, clashes, renames)


def import_package(conn: psycopg.Connection, package: Package, *, creator_id: str | None = None,
                   rename_clashing_widgets: bool = False, progress: Progress | None = None,
                   is_cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Create the package's plugin in one transaction (see ``db.packages.import_bundle``)."""
    return db_packages.import_bundle(conn, package.bundle, creator_id=creator_id,
                                     rename_clashing_widgets=rename_clashing_widgets,
                                     progress=progress, is_cancelled=is_cancelled)


def export_package(conn: psycopg.Connection, plugin_id: str, path: str | os.PathLike, *,
                   include_data: bool = True, exported_by: str | None = None) -> ExportSummary:
    """Write a plugin's package; the file is replaced only once it is completely written."""
    bundle = db_packages.read_bundle(conn, plugin_id, include_data=include_data)
    return write_package_file(bundle, path, include_data=include_data, exported_by=exported_by)
