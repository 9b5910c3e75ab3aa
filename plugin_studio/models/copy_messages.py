"""What "Save mine as a copy" did, said for the kind of row at hand.

The copy's state is read from the row written (its tree entry), never assumed: handlers are
copied disabled so that the storefront does not run both (PLATFORM.md: every enabled listener of
an event runs, every enabled filter of a hook runs in priority order); scripts and style sheets
are copied enabled, so the storefront loads both files; a widget copy gets its own id, which no
page places yet.
"""
from __future__ import annotations

from plugin_studio.models.paths import FileEntry


def copy_message(copy: FileEntry, original_path: str) -> str:
    """One status-bar sentence: where the copy is, whether the storefront will use it, and what
    became of the original."""
    where = f"Your version was saved as {copy.path}"
    original = f"{original_path} keeps the server's version"
    if copy.kind in ("event", "hook"):
        runs = "the storefront runs only the original" if not copy.enabled else \
            "it is enabled: the storefront runs both handlers"
        return f"{where}, {'disabled' if not copy.enabled else 'enabled'}: {runs}; {original}."
    if copy.kind == "widget":
        return f"{where} (widget id {copy.badge.text if copy.badge else copy.name}): no page places it yet; {original}."
    if not copy.enabled:
        return f"{where}, disabled: the storefront does not load it; {original}."
    if copy.path.endswith(".css"):
        return f"{where}, enabled: the storefront loads both style sheets; {original}."
    scope = copy.badge.text if copy.badge else "frontend"
    if scope == "backend":
        return f"{where}, enabled: both backend scripts are loaded; {original}."
    return f"{where}, enabled: the storefront loads both scripts; {original}."
