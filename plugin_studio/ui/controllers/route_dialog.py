"""Edit Route: a controller's method, path and requires_auth (the platform's
``PUT /:pluginId/controllers/:controllerName``); its code stays as it is."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from plugin_studio.db.controllers import route_path_problem
from plugin_studio.db.records import ControllerRow
from plugin_studio.models.routes import HTTP_METHODS


class RouteDialog(QDialog):
    """``changes()`` after ``exec()``: ``{method, path, requires_auth}``; a bad path is refused in place."""

    def __init__(self, row: ControllerRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("route-dialog")
        self.setWindowTitle(f"Route of {row.controller_name}")
        self.method = QComboBox()
        self.method.addItems(list(HTTP_METHODS))
        self.method.setCurrentText(row.method.upper() if row.method.upper() in HTTP_METHODS else "GET")
        self.path = QLineEdit(row.path)
        self.path.setPlaceholderText("/visits/:id")
        self.requires_auth = QCheckBox("requires_auth (stored; the platform's exec route does not check it)")
        self.requires_auth.setChecked(bool(row.requires_auth))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b91c1c;")
        form = QFormLayout()
        form.addRow("Method", self.method)
        form.addRow("Path", self.path)
        form.addRow("", self.requires_auth)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def changes(self) -> dict:
        return {"method": self.method.currentText(), "path": self.path.text().strip(),
                "requires_auth": self.requires_auth.isChecked()}

    def accept(self) -> None:
        problem = route_path_problem(self.path.text().strip())
        if problem:
            self.error.setText(problem)
            return
        super().accept()
