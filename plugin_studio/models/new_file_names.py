"""Names New File and Edit Event propose: never one the plugin already has.

A listener's file name is what the platform's web editor finds it by (PLATFORM.md §4.4: a NULL
``file_name`` is shown under a derived name, and saving it there inserts a duplicate row; two rows
with one file name are both overwritten by one save), so each listener gets its own, derived from
the event as the platform derives it (``cart.viewed`` → ``cart_viewed.js``), numbered when taken.
A migration's version is unique per plugin: the proposal is the next one after the highest.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from plugin_studio.db.errors import ValidationError
from plugin_studio.db.names import version_key
from plugin_studio.models.new_files import NewFileRequest, plan_new_file
from plugin_studio.models.paths import path_for_event, path_for_widget

FIRST_VERSION = "1.0.0"


@dataclass(frozen=True)
class TakenNames:
    """What a plugin already has: file paths as the tree shows them, and migration versions."""
    paths: frozenset[str] = field(default_factory=frozenset)
    versions: frozenset[str] = field(default_factory=frozenset)


def derived_event_file_name(event_name: str) -> str:
    """The platform's name for a listener without one: ``cart.viewed`` → ``cart_viewed.js``."""
    return path_for_event(event_name.strip()).removeprefix("events/")


def free_event_file_name(event_name: str, taken_paths: frozenset[str] | set[str]) -> str:
    """``cart_viewed.js``, or ``cart_viewed_2.js``, ``cart_viewed_3.js``... when that is taken."""
    stem = derived_event_file_name(event_name).removesuffix(".js")
    candidate, n = f"{stem}.js", 2
    while f"events/{candidate}" in taken_paths:
        candidate, n = f"{stem}_{n}.js", n + 1
    return candidate


def next_free_version(taken: frozenset[str] | set[str]) -> str:
    """``1.0.0`` for a plugin without migrations; else the highest version with its last number
    raised by one (``1.0.9`` → ``1.0.10``, ``20250129_1`` → ``20250129_2``), past any taken one."""
    if not taken:
        return FIRST_VERSION
    candidate = _bump(max(taken, key=version_key))
    while candidate in taken:
        candidate = _bump(candidate)
    return candidate


def _bump(version: str) -> str:
    numbers = list(re.finditer(r"\d+", version))
    if not numbers:
        return f"{version}.1"
    last = numbers[-1]
    return f"{version[:last.start()]}{int(last.group()) + 1}{version[last.end():]}"


def planned_path(req: NewFileRequest) -> str | None:
    """The path a New File request's row would show at in the tree; None for a request that cannot
    be planned (it has its own error) and for hooks (several handlers of one hook are normal)."""
    try:
        row = plan_new_file("", req)
    except ValidationError:
        return None
    values = row.values
    if row.table == "plugin_events":
        return path_for_event(values["event_name"], values["file_name"])
    if row.table == "plugin_scripts":
        return values["file_name"]
    if row.table == "plugin_widgets":
        return path_for_widget(values["widget_id"])
    return None
