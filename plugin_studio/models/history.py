"""A plugin's version history, by the platform's rules (``backend/src/routes/plugin-version-api.js``).

The platform's editor records a version after every save (``POST /api/plugins/:id/versions``,
PLATFORM.md §4.2, §1.9). Its rules, which this module states as pure functions:

- The plugin's state is one object of component arrays: ``registry`` (the registry row) and
  ``hooks, events, scripts, widgets, controllers, entities`` (every row of each table, every column,
  as the server returns them). Plugin Studio adds ``migrations, docs, cron, admin_pages,
  admin_scripts`` so every file has a history; the platform carries extra keys along unchanged
  (its reconstruction applies whatever patches a version has, its restore ignores them).
- A version's number is the current one's with the patch part bumped (``1.0.0`` when there is none,
  so the first version is ``1.0.1``).
- A version is a snapshot (the whole state) when it is the first, when it is tagged or forced, or when
  the current one is 9 or more versions from its snapshot (``snapshot_distance >= 9``); otherwise
  it is a patch: per component whose array changed, the RFC 6902 operations fast-json-patch's
  ``compare`` generates (``compare`` below gives the same operations, in the same order).
- ``files_changed`` counts the components patched; ``lines_added``/``lines_deleted`` count the lines of
  the code values of each operation (``calculate_stats``); a snapshot counts 0, 0, 0.
- The state of a version is its snapshot, or its parent's state with its patches applied.
- A restore records a new snapshot version "Restored to version X" tagged ``restored-from-X``.
"""
from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any, Callable

import jsonpatch

from plugin_studio.db import exact_json
from plugin_studio.db.history_records import COMPONENT_OF_TABLE, Author, NewVersion, Patch, Version
from plugin_studio.db.safe_text import unsafe_problem
from plugin_studio.models import paths

# Paths holding code, whose lines the statistics count (plugin-version-api.js `calculateStats`).
CODE_PATH_PARTS = ("handler_function", "listener_function", "file_content", "component_code", "handler_code")
SNAPSHOT_DISTANCE = 9
DEFAULT_MESSAGE = "Auto-save"
DEFAULT_AUTHOR = "System"


def next_version_number(current: str | None) -> str:
    """``1.0.4`` → ``1.0.5``; none → ``1.0.1`` (plugin-version-api.js ``incrementVersion``, patch).

    The platform splits on dots and bumps the third part as a number; where its rule gives ``NaN``
    (``1.0`` → ``1.0.NaN``, ``v2`` → ``NaN..NaN``) missing parts count as 0 and a part that is not a
    number restarts the count: ``1.0`` → ``1.0.1``, ``v2`` → ``1.0.1``.
    """
    parts = (current or "1.0.0").split(".")
    numbers = [int(p) if p.strip().isdigit() else None for p in parts]
    if None in numbers[:3]:
        numbers = [1, 0, 0]
    numbers = (numbers + [0, 0, 0])[:max(3, len(numbers))]
    numbers[2] += 1
    return ".".join(str(n) for n in numbers)


def takes_snapshot(current: Version | None, *, forced: bool = False, tagged: bool = False) -> bool:
    """Whether the next version stores the whole state (see the module's rules)."""
    return forced or tagged or current is None or (current.snapshot_distance or 0) >= SNAPSHOT_DISTANCE


def next_snapshot_distance(current: Version | None, snapshot: bool) -> int:
    return 0 if snapshot else (current.snapshot_distance or 0) + 1


# ---- fast-json-patch's compare -----------------------------------------------------------------
# Written by hand because the statistics the platform stores are counted from *its* operations:
# python's jsonpatch.make_patch finds moves and different operations, so the counts would differ.

def compare(old: Any, new: Any) -> list[dict[str, Any]]:
    """The RFC 6902 operations turning ``old`` into ``new``, exactly as fast-json-patch 3.1's
    ``compare(old, new)`` generates them: keys walked from the last, arrays by index (no moves),
    a changed value replaced, removals without their value."""
    operations: list[dict[str, Any]] = []
    if old is None or not isinstance(old, (dict, list)):
        if not _same(old, new):
            operations.append({"op": "replace", "path": "", "value": copy.deepcopy(new)})
        return operations
    _generate(old, new, operations, "")
    return operations


def _generate(mirror: Any, obj: Any, operations: list, path: str) -> None:
    if obj is mirror:
        return
    new_keys, old_keys = _keys(obj), _keys(mirror)
    deleted = False
    for key in reversed(old_keys):
        old_value = _get(mirror, key)
        here = f"{path}/{_escape(key)}"
        if _has(obj, key):
            new_value = _get(obj, key)
            if _is_object(old_value) and _is_object(new_value) and \
                    isinstance(old_value, list) == isinstance(new_value, list):
                _generate(old_value, new_value, operations, here)
            elif not _same(old_value, new_value):
                operations.append({"op": "replace", "path": here, "value": copy.deepcopy(new_value)})
        elif isinstance(mirror, list) == isinstance(obj, list):
            operations.append({"op": "remove", "path": here})
            deleted = True
        else:
            operations.append({"op": "replace", "path": path, "value": copy.deepcopy(obj)})
    if not deleted and len(new_keys) == len(old_keys):
        return
    for key in new_keys:
        if not _has(mirror, key):
            operations.append({"op": "add", "path": f"{path}/{_escape(key)}", "value": copy.deepcopy(_get(obj, key))})


_ARRAY_INDEX = re.compile(r"^(0|[1-9][0-9]*)$")


def _keys(value: Any) -> list[str]:
    """JavaScript's ``Object.keys`` order: array indexes; for objects integer-like keys ascending, then
    the others in insertion order."""
    if isinstance(value, list):
        return [str(i) for i in range(len(value))]
    if not isinstance(value, dict):
        return [str(i) for i in range(len(value))] if isinstance(value, str) else []
    integers = sorted((k for k in value if _ARRAY_INDEX.match(k) and int(k) < 2**32 - 1), key=int)
    return integers + [k for k in value if not (_ARRAY_INDEX.match(k) and int(k) < 2**32 - 1)]


def _has(value: Any, key: str) -> bool:
    if isinstance(value, list):
        return key.isdigit() and int(key) < len(value)
    return isinstance(value, dict) and key in value


def _get(value: Any, key: str) -> Any:
    return value[int(key)] if isinstance(value, list) else value[key]


def _is_object(value: Any) -> bool:
    return isinstance(value, (dict, list))


def _same(a: Any, b: Any) -> bool:
    """JavaScript's ``===`` on JSON values (objects are never the same as another object)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)):
        return a == b
    if _is_object(a) or _is_object(b):
        return a is b
    return type(a) is type(b) and a == b


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1") if ("/" in key or "~" in key) else key


# ---- patches, statistics, reconstruction ----------------------------------------------------------

def calculate_patches(old_state: dict[str, Any], new_state: dict[str, Any],
                      components: tuple[str, ...]) -> list[Patch]:
    """Per component (in ``components`` order) whose value changed, its operations."""
    patches: list[Patch] = []
    for component in components:
        empty = None if component == "registry" else []
        old = old_state.get(component) or empty
        new = new_state.get(component) or empty
        operations = compare(old, new)
        if operations:
            patches.append((component, operations))
    return patches


def calculate_stats(patches: list[Patch]) -> tuple[int, int, int]:
    """(files_changed, lines_added, lines_deleted) as the platform counts them: a component with
    operations is one "file"; an operation on a code value counts the new value's lines as added
    (and, for a replace, one line as deleted); any other operation counts one line."""
    files = added = deleted = 0
    for _component, operations in patches:
        if operations:
            files += 1
        for op in operations:
            if any(part in op.get("path", "") for part in CODE_PATH_PARTS):
                added, deleted = _count_code(op, added, deleted)
            else:
                added += op["op"] in ("add", "replace")
                deleted += op["op"] in ("remove", "replace")
    return files, added, deleted


def _count_code(op: dict[str, Any], added: int, deleted: int) -> tuple[int, int]:
    value = op.get("value")
    if op["op"] == "add" and _truthy(value):
        added += _line_count(value)
    elif op["op"] == "remove" and _truthy(value):
        deleted += _line_count(value)
    elif op["op"] == "replace":
        added += _line_count(value if _truthy(value) else "")
        deleted += 1
    return added, deleted


def _truthy(value: Any) -> bool:
    return value not in (None, "", 0, False)


def _line_count(value: Any) -> int:
    """``String(value).split('\\n').length``."""
    text = value if isinstance(value, str) else ("[object Object]" if isinstance(value, dict) else str(value))
    return text.count("\n") + 1


def apply_patches(state: dict[str, Any], patches: list[Patch]) -> dict[str, Any]:
    """``state`` with the patches applied to its components (a new state; ``state`` is left alone).

    Raises ``jsonpatch.JsonPatchException`` or ``jsonpointer.JsonPointerException`` when a patch does
    not fit (a history written by something else): the caller treats the state as unknown.
    """
    result = dict(state)
    for component, operations in patches:
        document = result.get(component)
        if document is None:
            document = []
        result[component] = jsonpatch.apply_patch(document, operations, in_place=False)
    return result


def rebuild(snapshot: dict[str, Any] | None, patches_newest_first: list[list[Patch]]) -> dict[str, Any]:
    """A version's state: the snapshot at the end of its chain (``{}`` when the chain has none) with
    each version's patches applied, oldest first (plugin-version-api.js ``reconstructPluginState``)."""
    state = dict(snapshot or {})
    for patches in reversed(patches_newest_first):
        state = apply_patches(state, patches)
    return state


def plan_version(current: Version | None, *, snapshot: bool, stats: tuple[int, int, int], message: str | None,
                 author: Author, tag: str | None = None) -> NewVersion:
    """The row ``POST /api/plugins/:id/versions`` writes after ``current``: number bumped, parent,
    "Auto-save" and "System" where none is given, published when tagged."""
    return NewVersion(
        version_number=next_version_number(current.version_number if current else None),
        snapshot=snapshot, parent_id=current.id if current else None,
        message=message or DEFAULT_MESSAGE, author=Author(author.id, author.name or DEFAULT_AUTHOR),
        published=bool(tag), snapshot_distance=next_snapshot_distance(current, snapshot),
        stats=(0, 0, 0) if snapshot else stats)


def plan_restore(current: Version | None, target: Version, author: Author) -> NewVersion:
    """The row a restore writes: a snapshot "Restored to version X", never published."""
    return NewVersion(
        version_number=next_version_number(current.version_number if current else None), snapshot=True,
        parent_id=current.id if current else None, message=f"Restored to version {target.version_number}",
        author=Author(author.id, author.name or DEFAULT_AUTHOR), published=False, snapshot_distance=0,
        stats=(0, 0, 0))


def restore_tag(target: Version) -> str:
    return f"restored-from-{target.version_number}"


def save_message(path: str, typed: str | None = None) -> str:
    """The message of a save: what the user typed, else the platform editor's ``Updated <file>``."""
    return typed.strip() if typed and typed.strip() else f"Updated {path}"


# The column holding each component's text, as the editor shows it.
TEXT_COLUMN = {
    "plugin_scripts": "file_content", "plugin_events": "listener_function", "plugin_hooks": "handler_function",
    "plugin_widgets": "component_code", "plugin_controllers": "handler_code", "plugin_admin_pages": "component_code",
    "plugin_admin_scripts": "script_code", "plugin_docs": "content", "plugin_cron": "handler_code",
    "plugin_migrations": "up_sql", "plugin_entities": "schema_definition",
}
TAG_NAME_CHARS = 100     # plugin_version_tags.tag_name varchar(100)


def path_of(table: str, row: dict[str, Any]) -> str | None:
    """The path the FileTree shows a row of a version's state under (``models.paths``); None for a
    table the tree has no file for."""
    if table == "plugin_scripts":
        return row.get("file_name")
    if table == "plugin_events":
        return paths.path_for_event(row.get("event_name") or "", row.get("file_name"))
    if table == "plugin_hooks":
        return paths.path_for_hook(row.get("hook_name") or "")
    if table == "plugin_widgets":
        return paths.path_for_widget(row.get("widget_id") or "")
    if table == "plugin_migrations":
        return paths.path_for_migration(row.get("migration_version") or "", row.get("migration_name") or "")
    named = PART_PATHS.get(table)
    if named:
        return named[1](row.get(named[0]) or "")
    if table == "plugin_docs":
        return paths.path_for_doc(row.get("doc_type") or "", row.get("file_name"))
    return None


# The parts beyond scripts (issue 12): the column naming a row, and its path in the tree.
PART_PATHS = {
    "plugin_controllers": ("controller_name", paths.path_for_controller),
    "plugin_entities": ("entity_name", paths.path_for_entity),
    "plugin_cron": ("cron_name", paths.path_for_cron),
    "plugin_admin_pages": ("page_key", paths.path_for_admin_page),
    "plugin_admin_scripts": ("script_name", paths.path_for_admin_script),
}


def file_text(state: dict[str, Any], table: str | None, row_id: str | None, path: str) -> str | None:
    """One file's text in a version's state, found by row id, else by its path (in ``table``, or in
    any table when None); None when the file is not in that state. ``manifest.json`` is the
    registry's manifest."""
    if table == "plugin_registry" or (table is None and path == "manifest.json"):
        registry = state.get("registry")
        return None if not isinstance(registry, dict) else exact_json.dumps(registry.get("manifest"), indent=2) + "\n"
    row = _find_row(state, table, row_id, path)
    if row is None:
        return None
    text = row[1].get(TEXT_COLUMN[row[0]])
    if row[0] == "plugin_entities":   # an entity's file is its schema, as JSON
        return exact_json.dumps(text, indent=2) + "\n"
    return text if isinstance(text, str) else ("" if text is None else str(text))


def _find_row(state: dict[str, Any], table: str | None, row_id: str | None,
              path: str) -> tuple[str, dict[str, Any]] | None:
    tables = [table] if table else list(TEXT_COLUMN)
    candidates = [(t, r) for t in tables if t in TEXT_COLUMN
                  for r in (state.get(COMPONENT_OF_TABLE.get(t, "")) or []) if isinstance(r, dict)]
    by_id = next((c for c in candidates if row_id and c[1].get("id") == row_id), None)
    return by_id or next((c for c in candidates if path_of(c[0], c[1]) == path), None)


def changed_files(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """The paths whose text differs between two states (added, removed or edited), sorted."""
    def texts(state):
        found = {}
        for table in TEXT_COLUMN:
            for row in (state or {}).get(COMPONENT_OF_TABLE.get(table, ""), None) or []:
                if isinstance(row, dict) and path_of(table, row):
                    found[path_of(table, row)] = row.get(TEXT_COLUMN[table])
        return found
    before, after = texts(old), texts(new)
    return sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))


def check_tag_name(name: str) -> str:
    """A tag's name: not empty, at most 100 characters, no control or invisible characters."""
    name = (name or "").strip()
    if not name:
        raise ValueError("a tag needs a name")
    if len(name) > TAG_NAME_CHARS:
        raise ValueError(f"a tag name is at most {TAG_NAME_CHARS} characters ({len(name)} given)")
    problem = unsafe_problem(name)
    if problem:
        raise ValueError(f"the tag name {name!r} {problem}")
    return name
