"""Unsaved buffers written to the state folder so a crash loses nothing.

Each dirty tab is a JSON file (row identity, display path, the text as loaded and as edited),
written atomically. A clean save or close removes it; after a crash the files remain and the
next start offers them back.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from plugin_studio import settings

log = logging.getLogger(__name__)


@dataclass
class RecoveredBuffer:
    table: str
    row_id: str
    plugin_id: str
    path: str
    language: str
    loaded_text: str
    text: str
    dsn_hint: str = ""
    meta: dict = field(default_factory=dict)  # the row's columns, to recreate it if it was deleted

    @property
    def key(self) -> str:
        return f"{self.table}:{self.row_id}"


class RecoveryStore:
    def __init__(self, folder: Path | None = None):
        self.folder = folder or settings.state_dir() / "recovery"
        self.folder.mkdir(parents=True, exist_ok=True)

    def _file(self, key: str) -> Path:
        return self.folder / (hashlib.sha1(key.encode()).hexdigest()[:16] + ".json")

    def write(self, buffer: RecoveredBuffer) -> None:
        target = self._file(buffer.key)
        tmp = target.with_suffix(".tmp")
        try:
            tmp.write_text(json.dumps(asdict(buffer), ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, target)
        except OSError:
            tmp.unlink(missing_ok=True)   # a half-written file (a full disk) must not be read back
            raise

    def discard(self, key: str) -> None:
        self._file(key).unlink(missing_ok=True)

    def pending(self) -> list[RecoveredBuffer]:
        found = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                found.append(RecoveredBuffer(**json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError, TypeError) as exc:
                log.warning("unreadable recovery file %s kept aside: %s", path, exc)
                path.rename(path.with_suffix(".unreadable"))
        return found

    def clear(self) -> None:
        for path in self.folder.glob("*.json"):
            path.unlink(missing_ok=True)
