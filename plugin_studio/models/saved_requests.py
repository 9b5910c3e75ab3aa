"""Requests saved per controller, as a REST client keeps them: one JSON file per controller row,
``<config dir>/requests/<controller id>.json``, a list of ``{"name", "request"}``.

They belong to the user's machine, not to the plugin: nothing is written to the platform's tables.
A file that can't be read is logged and treated as empty (never a crash); writes are atomic.
"""
from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from plugin_studio import settings
from plugin_studio.models.controller_requests import ControllerRequest

log = logging.getLogger(__name__)


@dataclass
class SavedRequest:
    name: str
    request: ControllerRequest


class SavedRequests:
    def __init__(self, folder: Path | None = None):
        self.folder = folder or settings.config_dir() / "requests"

    def _file(self, controller_id: str) -> Path:
        return self.folder / (re.sub(r"[^A-Za-z0-9-]", "_", controller_id) + ".json")

    def load(self, controller_id: str) -> list[SavedRequest]:
        path = self._file(controller_id)
        if not path.exists():
            return []
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
            return [SavedRequest(str(i["name"]), ControllerRequest.from_json(i["request"])) for i in items]
        except (OSError, ValueError, TypeError, KeyError) as exc:
            log.warning("saved requests %s are unreadable (%s); starting with none", path, exc)
            return []

    def save(self, controller_id: str, saved: list[SavedRequest]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self._file(controller_id)
        tmp = target.with_suffix(".tmp")
        data = [{"name": s.name, "request": s.request.to_json()} for s in saved]
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)

    def put(self, controller_id: str, name: str, request: ControllerRequest) -> list[SavedRequest]:
        """Save ``request`` under ``name`` (replacing one of that name); returns the new list."""
        saved = [s for s in self.load(controller_id) if s.name != name] + [SavedRequest(name, request)]
        self.save(controller_id, saved)
        return saved

    def remove(self, controller_id: str, name: str) -> list[SavedRequest]:
        saved = [s for s in self.load(controller_id) if s.name != name]
        self.save(controller_id, saved)
        return saved
