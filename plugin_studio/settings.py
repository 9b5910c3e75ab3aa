"""Where Plugin Studio keeps its files, and its one typed settings object.

A corrupt settings file is logged and replaced by defaults, never a crash; a single value of the
wrong type or out of range (a hand-edited file, an older version's) falls back to its default
alone, and the rest of the file is kept.
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "plugin-studio"
log = logging.getLogger(__name__)


def _dir(kind: str) -> Path:
    override = os.environ.get("PLUGIN_STUDIO_HOME")
    if override:
        # Tests and portable installs keep everything under one folder.
        path = Path(override) / kind
    else:
        path = Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME))
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    return _dir("data")


def config_dir() -> Path:
    return _dir("config")


def state_dir() -> Path:
    return _dir("state")


def log_dir() -> Path:
    return _dir("log")


THEMES = ("system", "light", "dark")   # "system": follow the desktop's light or dark setting
FONT_SIZES = range(6, 73)              # points
TAB_WIDTHS = range(1, 17)              # columns


@dataclass
class Settings:
    runner_timeout_ms: int = 1000
    runner_grace_ms: int = 1500
    runner_memory_mb: int = 512
    runner_stack_kb: int = 1024
    runner_console_bytes: int = 1_000_000
    creator_id: str | None = None
    package_file_limit_mb: int = 10
    package_total_limit_mb: int = 100
    recovery_interval_s: int = 5
    migration_lock_wait_s: int = 10          # a second runner waits this long for the first
    migration_lock_timeout_s: float = 5.0     # a migration's statement waits this long for a table lock
    migration_statement_timeout_s: float = 0.0  # a migration's statement may run this long (0: no limit)
    migration_parallelism: int = 4            # databases migrated at once
    window_geometry: str | None = None
    window_state: str | None = None
    # The open tabs, in order: {"table", "row_id", "plugin_id", "line", "column", "first_line"} each
    # (lines and columns 1-based); older files hold [table, row_id] pairs, which still restore.
    open_tabs: list = field(default_factory=list)
    current_tab: int = -1                     # index into open_tabs of the tab that had focus
    last_plugin_id: str | None = None
    # Servers (by a hash of their DSN) where the user declined the change-notification triggers.
    declined_triggers: list = field(default_factory=list)
    # Appearance, applied live (ui/theme.py).
    theme: str = "system"
    editor_font_family: str = ""              # empty: the system's fixed-width font
    editor_font_size: int = 10
    tab_width: int = 2
    # Where each kind of file dialog was last used ("import", "export", ...): it opens there again.
    last_folders: dict = field(default_factory=dict)
    # A widget tab's splits as fractions: "editor" (of the tab's width), "horizontal"/"vertical" (the
    # preview's share of the pane, its controls beside it or below it).
    preview_split: dict = field(default_factory=dict)
    # The side bar's width in pixels for each of its views ("explorer", "search"), as the user left it.
    side_widths: dict = field(default_factory=dict)

    @classmethod
    def path(cls) -> Path:
        return config_dir() / "settings.json"

    @classmethod
    def load(cls) -> "Settings":
        path = cls.path()
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("settings file %s is unreadable (%s); using defaults", path, exc)
            return cls()
        if not isinstance(raw, dict):
            log.warning("settings file %s holds no settings object; using defaults", path)
            return cls()
        return cls(**{f.name: raw[f.name] for f in fields(cls) if f.name in raw and _valid(f, raw[f.name], path)})

    def save(self) -> None:
        path = self.path()
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        tmp.replace(path)


_ALLOWED: dict[str, Any] = {"theme": THEMES, "editor_font_size": FONT_SIZES, "tab_width": TAB_WIDTHS}


def _valid(spec, value: Any, path: Path) -> bool:
    """Whether a stored value may replace the field's default: the default's type (a number where a
    float is expected; a text or nothing where the default is nothing) and, for some, a range."""
    default = spec.default_factory() if spec.default is MISSING else spec.default
    if default is None:
        ok = value is None or isinstance(value, str)
    elif isinstance(default, bool) or isinstance(value, bool):
        ok = type(value) is type(default)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float))
    else:
        ok = isinstance(value, type(default))
    ok = ok and (spec.name not in _ALLOWED or value in _ALLOWED[spec.name])
    if not ok:
        log.warning("settings file %s: %s = %r is not allowed; using %r", path, spec.name, value, default)
    return ok
