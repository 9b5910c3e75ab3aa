"""The widget's own properties: id, name, description, category, icon, enabled, default config.

Saving writes ``plugin_widgets`` as a job on the window's database lane (a rename and the other
changes in one transaction); a refused value (duplicate id, bad JSON) is shown beside the form and the typed
values stay, so nothing is lost.
"""
from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from plugin_studio.db import files
from plugin_studio.db.records import WidgetRow
from plugin_studio.ui import theme


def save_widget_meta(conn, row_id: str, plugin_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """A database lane job: rename first (it checks uniqueness), then the rest, atomically."""
    changes = dict(changes)
    with conn.transaction():
        if "widget_id" in changes:
            files.rename_widget(conn, row_id, plugin_id, changes.pop("widget_id"))
        if changes:
            files.update_widget_meta(conn, row_id, changes)
    return changes


class WidgetMetaEditor(QWidget):
    widget_saved = Signal(str, dict)  # row id, the changes written
    default_config_edited = Signal(object)  # the parsed default config, once it is valid JSON

    def __init__(self, database=None, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = database
        self._row: WidgetRow | None = None
        self.widget_id = QLineEdit()
        self.name = QLineEdit()
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(60)
        self.category = QLineEdit()
        self.icon = QLineEdit()
        self.enabled = QCheckBox("enabled on the storefront")
        self.default_config = QPlainTextEdit()
        self.default_config.setPlaceholderText("{}")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton("Save widget properties")
        self.save_button.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow("Widget id", self.widget_id)
        form.addRow("Name", self.name)
        form.addRow("Description", self.description)
        form.addRow("Category", self.category)
        form.addRow("Icon", self.icon)
        form.addRow("", self.enabled)
        form.addRow("Default config", self.default_config)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.save_button.setEnabled(False)

    def show_row(self, row: WidgetRow) -> None:
        self._row = row
        self.widget_id.setText(row.widget_id)
        self.name.setText(row.widget_name or "")
        self.description.setPlainText(row.description or "")
        self.category.setText(row.category or "")
        self.icon.setText(row.icon or "")
        self.enabled.setChecked(bool(row.is_enabled))
        self.default_config.setPlainText(json.dumps(row.default_config or {}, indent=2, ensure_ascii=False))
        self.status.clear()
        self.save_button.setEnabled(self._db is not None)

    def changes(self) -> dict[str, Any]:
        """What differs from the row as loaded; ValueError naming the field when a value is invalid."""
        row = self._row
        if row is None:
            return {}
        try:
            config = json.loads(self.default_config.toPlainText() or "{}")
        except ValueError as exc:
            raise ValueError(f"Default config is not valid JSON: {exc}") from None
        if not isinstance(config, dict):
            raise ValueError("Default config must be a JSON object, e.g. {\"title\": \"Hi\"}")
        current = {
            "widget_id": self.widget_id.text().strip(), "widget_name": self.name.text().strip(),
            "description": self.description.toPlainText().strip() or None,
            "category": self.category.text().strip() or None, "icon": self.icon.text().strip() or None,
            "is_enabled": self.enabled.isChecked(), "default_config": config,
        }
        if not current["widget_name"]:
            raise ValueError("Name can't be empty")
        loaded = {
            "widget_id": row.widget_id, "widget_name": row.widget_name, "description": row.description,
            "category": row.category, "icon": row.icon, "is_enabled": row.is_enabled,
            "default_config": row.default_config or {},
        }
        return {k: v for k, v in current.items() if v != loaded[k]}

    def save(self) -> None:
        if self._row is None or self._db is None:
            return
        try:
            changes = self.changes()
        except ValueError as exc:
            self._show_status(str(exc), error=True)
            return
        if not changes:
            self._show_status("Nothing changed.")
            return
        row = self._row
        if self._db.submit_write(save_widget_meta, row.id, row.plugin_id, changes, action=f"save the widget {row.widget_id}",
                                 on_done=lambda _r: self._on_saved(row, changes), on_error=self._on_save_failed,
                                 receiver=self) is not None:
            self.save_button.setEnabled(False)
            self._show_status("Saving…")

    def _on_saved(self, row: WidgetRow, changes: dict) -> None:
        for key, value in changes.items():
            setattr(row, key, value)
        self.save_button.setEnabled(True)
        self._show_status("Saved.")
        self.widget_saved.emit(row.id, changes)

    def _on_save_failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        self._show_status(f"Not saved: {error}", error=True)

    def _show_status(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(f"color: {theme.current().palette.error if error else theme.current().palette.text}")
        self.status.setText(text)
