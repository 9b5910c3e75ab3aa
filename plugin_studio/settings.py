"""Where Plugin Studio keeps its files, and its one typed settings object.

A corrupt settings file is logged and replaced by defaults, never a crash.
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

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
    open_tabs: list = field(default_factory=list)
    last_plugin_id: str | None = None
    # Servers (by a hash of their DSN) where the user declined the change-notification triggers.
    declined_triggers: list = field(default_factory=list)

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
            known = {f.name for f in fields(cls)}
            return cls(**{k: v for k, v in raw.items() if k in known})
        except (OSError, ValueError, TypeError) as exc:
            log.warning("settings file %s is unreadable (%s); using defaults", path, exc)
            return cls()

    def save(self) -> None:
        path = self.path()
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        tmp.replace(path)
