"""Starter templates shipped in ``resources/templates`` (``services.templates`` clones one into a new plugin).

A template is a folder: ``template.json`` names the rows, and each row's code is a real file
beside it, so the examples can be read and linted as code.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any


TEMPLATES_DIR = Path(str(resources.files("plugin_studio") / "resources" / "templates"))


@dataclass
class Template:
    key: str
    title: str
    description: str
    folder: Path
    spec: dict[str, Any]

    def code(self, relative: str) -> str:
        return (self.folder / relative).read_text(encoding="utf-8")


def list_templates() -> list[Template]:
    found = []
    for folder in sorted(TEMPLATES_DIR.iterdir()):
        spec_file = folder / "template.json"
        if spec_file.is_file():
            spec = json.loads(spec_file.read_text(encoding="utf-8"))
            found.append(Template(folder.name, spec["title"], spec.get("description", ""), folder, spec))
    return sorted(found, key=lambda t: t.spec.get("order", 99))


def get_template(key: str) -> Template:
    for template in list_templates():
        if template.key == key:
            return template
    raise KeyError(f"no starter template {key!r}")
