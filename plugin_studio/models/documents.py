"""What an editor tab holds about the row it edits (``services.documents`` opens and saves it)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Document:
    """What an editor tab holds about its row: identity, display path, and the text as loaded."""
    table: str
    row_id: str
    plugin_id: str
    path: str
    language: str
    loaded_text: str
    meta: dict[str, Any] = field(default_factory=dict)  # the row's other columns: enough to recreate it

    @property
    def key(self) -> str:
        return f"{self.table}:{self.row_id}"
