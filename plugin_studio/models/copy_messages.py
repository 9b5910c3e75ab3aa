"""What "Save mine as a copy" did, said for the kind of row at hand.

The copy's state is read from the row written (its tree entry), never assumed: handlers are
copied disabled so that the storefront does not run both (PLATFORM.md: every enabled listener of
an event runs, every enabled filter of a hook runs in priority order); scripts and style sheets
are copied enabled, so the storefront loads both files; a widget copy gets its own id, which no
page places yet.
"""
from __future__ import annotations

from plugin_studio.models.paths import FileEntry


# What a copy means on the platform while it is disabled, and while it is enabled, by kind of row.
WHEN_DISABLED = {
    "event": "the storefront runs only the original", "hook": "the storefront runs only the original",
    "controller": "the backend answers the route with the original only", "cron": "only the original job runs",
    "entity": "its table is not created", "admin_page": "the admin shows only the original page",
    "admin_script": "the admin loads only the original", "script": "the storefront does not load it",
}
WHEN_ENABLED = {
    "event": "the storefront runs both handlers", "hook": "the storefront runs both handlers",
    "controller": "both answer their routes", "cron": "both jobs run", "entity": "both tables are created",
    "admin_page": "the admin shows both pages", "admin_script": "the admin loads both",
}


def copy_message(copy: FileEntry, original_path: str) -> str:
    """One status-bar sentence: where the copy is, whether the platform will use it, and what
    became of the original."""
    where = f"Your version was saved as {copy.path}"
    original = f"{original_path} keeps the server's version"
    if copy.kind == "widget":
        return f"{where} (widget id {copy.badge.text if copy.badge else copy.name}): no page places it yet; {original}."
    if not copy.enabled:
        return f"{where}, disabled: {WHEN_DISABLED.get(copy.kind, 'the platform does not use it')}; {original}."
    return f"{where}, enabled: {_both(copy)}; {original}."


def _both(copy: FileEntry) -> str:
    if copy.kind in WHEN_ENABLED:
        return WHEN_ENABLED[copy.kind]
    if copy.path.endswith(".css"):
        return "the storefront loads both style sheets"
    if copy.badge is not None and copy.badge.text == "backend":
        return "the backend loads both scripts"
    return "the storefront loads both scripts"
