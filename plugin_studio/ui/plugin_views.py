"""Rows that are not files: plugin properties, plugin data (key → JSON) and dependencies.

Each dialog loads through the window's database lane and writes with the same conflict rule as files:
a value another client changed since it was shown is not overwritten silently.
"""
from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
)

from plugin_studio.db import plugin_data, plugins
from plugin_studio.db.errors import ConflictError
from plugin_studio.ui import file_dialogs
from plugin_studio.ui.confirm import confirm_destructive
from plugin_studio.ui import theme


class PluginPropertiesDialog(QDialog):
    TEXT_FIELDS = ("name", "slug", "version", "description", "author", "category", "type")
    LIST_FIELDS = ("tags", "permissions")

    def __init__(self, window, plugin):
        super().__init__(window)
        self.setObjectName("plugin-properties")
        self.setWindowTitle(f"Properties of {plugin.name}")
        self.window_ = window
        self.plugin = plugin
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name in self.TEXT_FIELDS:
            self.fields[name] = QLineEdit(getattr(plugin, name) or "")
            form.addRow(name.capitalize(), self.fields[name])
        self._shown_lists: dict[str, str] = {}
        for name in self.LIST_FIELDS:
            # JSON, not comma-joined text: items may be objects or contain commas.
            self._shown_lists[name] = json.dumps(getattr(plugin, name) or [], ensure_ascii=False)
            self.fields[name] = QLineEdit(self._shown_lists[name])
            self.fields[name].setPlaceholderText('JSON list, e.g. ["cart", "analytics"]')
            form.addRow(name.capitalize(), self.fields[name])
        self.status = QComboBox()
        self.status.addItems(["active", "inactive"])
        self.status.setCurrentText(plugin.status)
        self.enabled = QCheckBox("Enabled")
        self.enabled.setChecked(plugin.is_enabled)
        form.addRow("Status", self.status)
        form.addRow("", self.enabled)
        self.error = _error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    @classmethod
    def edit(cls, window, plugin) -> "PluginPropertiesDialog":
        dialog = cls(window, plugin)
        dialog.open()
        return dialog

    def changes(self) -> dict:
        """What the user changed; ValueError names a list field that is not a JSON list."""
        values = {n: self.fields[n].text().strip() or None for n in self.TEXT_FIELDS}
        for name in self.LIST_FIELDS:
            text = self.fields[name].text().strip()
            if text != self._shown_lists[name]:
                values[name] = _json_list(name, text)
        values["status"] = self.status.currentText()
        values["is_enabled"] = self.enabled.isChecked()
        return {k: v for k, v in values.items() if v != getattr(self.plugin, k)}

    def _save(self) -> None:
        try:
            changes = self.changes()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        if not changes:
            self.accept()
            return
        self.window_.db.submit_write(plugins.update_plugin_checked, self.plugin, changes,
                                     action=f"change the properties of {self.plugin.name}",
                                     on_done=self._saved, on_error=self._failed, receiver=self)

    def _saved(self, plugin) -> None:
        self.accept()
        self.window_.reload_plugins(select=plugin.id)
        self.window_.reload_tree()

    def _failed(self, error) -> None:
        if isinstance(error, ConflictError):
            self.error.setText(f"Another client changed this plugin meanwhile ({error.server_text}). "
                               "Close and reopen to see their values; your entries are still here.")
        else:
            self.error.setText(str(error))


def _json_list(name: str, text: str) -> list:
    try:
        value = json.loads(text or "[]")
    except ValueError as exc:
        raise ValueError(f"{name.capitalize()} is not valid JSON: {exc.msg} (column {exc.colno})") from exc
    if not isinstance(value, list):
        raise ValueError(f"{name.capitalize()} must be a JSON list, e.g. [\"cart\"]")
    return value


class PluginDataDialog(QDialog):
    """plugin_data: keys with JSON values, validated and pretty-printed."""

    def __init__(self, window, plugin):
        super().__init__(window)
        self.setObjectName("plugin-data")
        self.setWindowTitle(f"Data of {plugin.name}")
        self.window_ = window
        self.plugin = plugin
        self.rows: dict[str, object] = {}
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Key", "Value (JSON)"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.currentCellChanged.connect(self._show_selected)
        self.key = QLineEdit(placeholderText="key")
        self.value = QPlainTextEdit()
        self.value.setPlaceholderText('JSON value, e.g. {"apiKey": "…"} or 42 or "text"')
        self.error = _error_label()
        save, delete, new = QPushButton("Save value"), QPushButton("Delete key"), QPushButton("New key")
        save.clicked.connect(self._save_value)
        delete.clicked.connect(self._delete_value)
        new.clicked.connect(self._new_key)
        buttons = QHBoxLayout()
        for b in (new, save, delete):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.key)
        layout.addWidget(self.value)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(620, 480)
        self.reload()

    def reload(self) -> None:
        self.window_.db.submit(plugin_data.list_data, self.plugin.id, on_done=self._show,
                               on_error=lambda e: self.error.setText(str(e)), receiver=self)

    def _show(self, rows) -> None:
        self.rows = {r.data_key: r.data_value for r in rows}
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(row.data_key))
            self.table.setItem(i, 1, QTableWidgetItem(json.dumps(row.data_value, ensure_ascii=False)))

    def _show_selected(self, row: int, *_):
        item = self.table.item(row, 0)
        if item:
            self.key.setText(item.text())
            self.value.setPlainText(json.dumps(self.rows[item.text()], indent=2, ensure_ascii=False))

    def _new_key(self) -> None:
        self.table.clearSelection()
        self.key.clear()
        self.value.setPlainText("null")
        self.key.setFocus()

    def parsed_value(self):
        try:
            return json.loads(self.value.toPlainText())
        except ValueError as exc:
            raise ValueError(f"The value is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}")

    def _save_value(self) -> None:
        key = self.key.text().strip()
        try:
            value = self.parsed_value()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        if not key:
            self.error.setText("Give the value a key")
            return
        self.error.clear()
        self.value.setPlainText(json.dumps(value, indent=2, ensure_ascii=False))
        self.window_.db.submit_write(plugin_data.set_value_checked, self.plugin.id, key, value, self.rows.get(key),
                                     key in self.rows, action=f"set the data key {key}", on_done=lambda _r: self.reload(),
                                     on_error=self._failed, receiver=self)

    def _delete_value(self) -> None:
        key = self.key.text().strip()
        if key in self.rows and confirm_destructive(self, "Delete", f"Delete the key {key}?"):
            self.window_.db.submit_write(plugin_data.delete_value, self.plugin.id, key, action=f"delete the data key {key}",
                                         on_done=lambda _r: self.reload(),
                                         on_error=self._failed, receiver=self)

    def _failed(self, error) -> None:
        if isinstance(error, ConflictError):
            self.error.setText("Another client changed this key meanwhile; the list now shows their value. "
                               "Your value is still in the editor below.")
            self.reload()
        else:
            self.error.setText(str(error))


class DependenciesDialog(QDialog):
    """plugin_dependencies: npm package, version and its bundled code loaded from a local file."""

    def __init__(self, window, plugin):
        super().__init__(window)
        self.setObjectName("plugin-dependencies")
        self.setWindowTitle(f"Dependencies of {plugin.name}")
        self.window_ = window
        self.plugin = plugin
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Package", "Version", "Bundled code"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.currentCellChanged.connect(self._show_selected)
        self.package = QLineEdit(placeholderText="package name, e.g. lodash")
        self.version = QLineEdit(placeholderText="version, e.g. 4.17.21")
        self.bundle_label = QLabel("no bundle loaded")
        self.bundled_code: str | None = None
        load, save, delete = QPushButton("Load bundle…"), QPushButton("Save"), QPushButton("Delete")
        load.clicked.connect(self._load_bundle)
        save.clicked.connect(self._save)
        delete.clicked.connect(self._delete)
        self.error = _error_label()
        form = QFormLayout()
        form.addRow("Package", self.package)
        form.addRow("Version", self.version)
        form.addRow(load, self.bundle_label)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(delete)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (self.table,):
            layout.addWidget(w)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.resize(620, 420)
        self.rows = []
        self.reload()

    def reload(self) -> None:
        self.window_.db.submit(plugin_data.list_dependencies, self.plugin.id, on_done=self._show,
                               on_error=lambda e: self.error.setText(str(e)), receiver=self)

    def _show(self, rows) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            size = f"{len(row.bundled_code or ''):,} characters" if row.bundled_code else "none"
            for column, text in enumerate((row.package_name, row.version, size)):
                self.table.setItem(i, column, QTableWidgetItem(text))

    def _show_selected(self, row: int, *_):
        if 0 <= row < len(self.rows):
            dep = self.rows[row]
            self.package.setText(dep.package_name)
            self.version.setText(dep.version)
            self.bundled_code = dep.bundled_code
            self.bundle_label.setText(f"{len(dep.bundled_code or ''):,} characters" if dep.bundled_code else "none")

    def load_bundle_file(self, path: str) -> None:
        try:
            self.bundled_code = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.error.setText(f"Could not read {path}: {exc}")
            return
        if "\0" in self.bundled_code:
            self.bundled_code = None
            self.error.setText(f"{path} contains NUL bytes; PostgreSQL text cannot hold them")
            return
        self.bundle_label.setText(f"{Path(path).name}: {len(self.bundled_code):,} characters")

    def _load_bundle(self) -> None:
        path = file_dialogs.open_file(self, self.window_.settings, "bundle", "Bundled code",
                                      "JavaScript (*.js *.cjs *.mjs);;All files (*)")
        if path:
            self.load_bundle_file(path)

    def _save(self) -> None:
        self.error.clear()
        self.window_.db.submit_write(plugin_data.upsert_dependency, self.plugin.id, self.package.text(),
                                     self.version.text().strip(), self.bundled_code,
                                     action=f"save the dependency {self.package.text().strip()}", on_done=lambda _r: self.reload(),
                                     on_error=lambda e: self.error.setText(str(e)), receiver=self)

    def _delete(self) -> None:
        name = self.package.text().strip()
        if name and confirm_destructive(self, "Delete", f"Remove the dependency {name}?", "Remove"):
            self.window_.db.submit_write(plugin_data.delete_dependency, self.plugin.id, name, action=f"remove the dependency {name}",
                                         on_done=lambda _r: self.reload(), on_error=lambda e: self.error.setText(str(e)),
                                         receiver=self)


def _error_label() -> QLabel:
    label = QLabel(wordWrap=True)
    theme.style(label, "color: {error};")
    return label
