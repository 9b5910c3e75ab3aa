"""File dialogs that open where the user was last time, for each kind of file.

Importing from ``~/packages`` once means the next import starts there (not in whatever folder the
IDE was started from); exporting remembers its own folder. The folders live in the settings
(``last_folders``), so they survive a restart; a folder that no longer exists falls back to home.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget


def last_folder(settings, purpose: str) -> Path:
    """Where a ``purpose`` ("import", "export", "bundle", ...) dialog should start."""
    for folder in (settings.last_folders.get(purpose), settings.last_folders.get("any")):
        if folder and Path(folder).is_dir():
            return Path(folder)
    return Path.home()


def remember(settings, purpose: str, chosen: str | Path) -> None:
    """The user chose ``chosen`` (a file or a folder) for ``purpose``: start there next time."""
    path = Path(chosen)
    folder = path if path.is_dir() else path.parent
    settings.last_folders[purpose] = str(folder)
    settings.last_folders["any"] = str(folder)


def open_file(parent: QWidget | None, settings, purpose: str, title: str, filters: str) -> str | None:
    """The file the user chose to open, or None; the dialog starts in the last folder used for ``purpose``."""
    path, _filter = QFileDialog.getOpenFileName(parent, title, str(last_folder(settings, purpose)), filters)
    if not path:
        return None
    remember(settings, purpose, path)
    return path
