"""Dialogs that return what the user chose; the code that writes rows lives below ``ui/``."""
from __future__ import annotations

import enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from plugin_studio.db.files import EVENT_NAME
from plugin_studio.models.new_files import KINDS, KNOWN_EVENTS, KNOWN_HOOKS, NewFileRequest
from plugin_studio.models.routes import HTTP_METHODS
from plugin_studio.ui.diff_view import DiffView


def _buttons(dialog: QDialog, ok_text: str = "OK") -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    return label


def _event_combo(known: list[str], current: str = "") -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItems(sorted(set(known)))
    combo.setCurrentText(current)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return combo


class NewFileDialog(QDialog):
    """New File: the kind, then only the fields that kind needs."""

    def __init__(self, known_events: list[str] = (), parent: QWidget | None = None, kind: str = "Event Listener"):
        super().__init__(parent)
        self.setWindowTitle("New File")
        self.kind = QComboBox()
        self.kind.addItems(KINDS)
        self.name = QLineEdit()
        self.event_name = _event_combo([*KNOWN_EVENTS, *known_events])
        self.hook_name = _event_combo(list(KNOWN_HOOKS))
        self.hook_type = QComboBox()
        self.hook_type.addItems(["filter", "action"])
        self.priority = QSpinBox()
        self.priority.setRange(-10000, 10000)
        self.priority.setValue(10)
        self.version = QLineEdit("1.0.0")
        self.method = QComboBox()
        self.method.addItems(list(HTTP_METHODS))
        self.route = QLineEdit()
        self.schedule = QLineEdit("0 * * * *")
        self.timezone = QLineEdit("UTC")
        self.error = _error_label()
        self._form = QFormLayout()
        for label, field in (("Kind", self.kind), ("Name", self.name), ("Event", self.event_name),
                             ("Hook", self.hook_name), ("Hook type", self.hook_type),
                             ("Priority", self.priority), ("Version", self.version), ("Method", self.method),
                             ("Path", self.route), ("Schedule", self.schedule), ("Timezone", self.timezone)):
            self._form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(self._form)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, "Create"))
        self.kind.currentTextChanged.connect(self._on_kind_changed)
        self.kind.setCurrentText(kind)
        self._on_kind_changed(kind)

    def _on_kind_changed(self, kind: str) -> None:
        shown = {
            "Event Listener": {"Event", "Name", "Priority"}, "Hook": {"Hook", "Hook type", "Priority"},
            "Migration": {"Name", "Version"}, "Controller": {"Name", "Method", "Path"}, "Entity": {"Name", "Path"},
            "Admin Page": {"Name", "Path"}, "Cron Job": {"Name", "Schedule", "Timezone"},
        }.get(kind, {"Name"})
        self._form.labelForField(self.route).setText({"Entity": "Table", "Admin Page": "Route"}.get(kind, "Path"))
        for row in range(self._form.rowCount()):
            label = self._form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
            self._form.setRowVisible(row, label.text() == "Kind" or label.text() in shown
                                     or (label is self._form.labelForField(self.route) and "Path" in shown))
        placeholders = {"Event Listener": "optional file name, e.g. cart_viewed.js", "Widget": "widget id, e.g. promo-banner",
                        "Migration": "e.g. create_points_table", "README": "README.md",
                        "Controller": "e.g. list-visits", "Entity": "e.g. Visit", "Cron Job": "e.g. daily-summary",
                        "Document": "README.md, CHANGELOG.md, LICENSE or CONTRIBUTING.md",
                        "Admin Page": "page key, e.g. visits-dashboard", "Admin Script": "e.g. admin-menu"}
        self.route.setPlaceholderText({"Controller": "/visits/:id", "Entity": "derived from the name, e.g. visits",
                                       "Admin Page": "/admin/plugins/<plugin>/<key>"}.get(kind, ""))
        self.name.setPlaceholderText(placeholders.get(kind, "file name, e.g. price_format"))

    def request(self) -> NewFileRequest:
        return NewFileRequest(self.kind.currentText(), self.name.text(), self.event_name.currentText().strip(),
                              self.hook_name.currentText().strip(), self.hook_type.currentText(),
                              self.priority.value(), self.version.text(), self.method.currentText(),
                              self.route.text(), self.schedule.text(), self.timezone.text())

    def accept(self) -> None:
        problem = _new_file_problem(self.request())
        if problem:
            self.error.setText(problem)
            return
        super().accept()


def _new_file_problem(req: NewFileRequest) -> str | None:
    if req.kind == "Event Listener" and not EVENT_NAME.match(req.event_name):
        return "Event names are dotted identifiers, e.g. cart.viewed"
    if req.kind == "Hook" and not EVENT_NAME.match(req.hook_name):
        return "Hook names are dotted identifiers, e.g. product.price"
    if req.kind not in ("Event Listener", "Hook", "README", "Document") and not req.name.strip():
        return "Give the file a name"
    return None


class EditEventDialog(QDialog):
    """⚡ Edit Event: remap this one listener to another event (and optionally file name, priority)."""

    def __init__(self, event_name: str, file_name: str | None, priority: int, known_events: list[str] = (),
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("⚡ Edit Event")
        self.event_name = _event_combo([*KNOWN_EVENTS, *known_events], event_name)
        self.file_name = QLineEdit(file_name or "")
        self.file_name.setPlaceholderText("derived from the event name")
        self.priority = QSpinBox()
        self.priority.setRange(-10000, 10000)
        self.priority.setValue(priority)
        self.error = _error_label()
        form = QFormLayout()
        form.addRow("Event name", self.event_name)
        form.addRow("File name", self.file_name)
        form.addRow("Priority", self.priority)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Only this listener's row changes; its code stays as it is."))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, "Remap"))

    def choice(self) -> tuple[str, str, int]:
        return self.event_name.currentText().strip(), self.file_name.text().strip(), self.priority.value()

    def accept(self) -> None:
        if not EVENT_NAME.match(self.event_name.currentText().strip()):
            self.error.setText("Event names are dotted identifiers such as cart.viewed (letters, digits, _ and -)")
            return
        super().accept()


class ConflictChoice(enum.Enum):
    OVERWRITE = "overwrite"
    RELOAD = "reload"
    SAVE_COPY = "copy"
    CANCEL = "cancel"


class ConflictDialog(QDialog):
    """The row changed on the server since it was opened: the user decides; nothing is lost either way."""

    def __init__(self, path: str, mine: str, theirs: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Conflict: {path}")
        self.choice = ConflictChoice.CANCEL
        deleted = theirs is None
        message = (f"{path} was deleted on the server after you opened it." if deleted else
                   f"{path} was changed by someone else after you opened it. Your edits are still in the editor.")
        self.diff = DiffView()
        self.diff.set_texts(theirs or "", mine, "Server" + (" (deleted)" if deleted else ""), "Yours")
        buttons = QDialogButtonBox()
        for text, choice in (("Overwrite theirs", ConflictChoice.OVERWRITE), ("Reload theirs", ConflictChoice.RELOAD),
                             ("Save mine as a copy", ConflictChoice.SAVE_COPY)):
            button = buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
            button.setObjectName(choice.value)
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).clicked.connect(self.reject)
        if deleted:
            buttons.findChild(QPushButton, ConflictChoice.RELOAD.value).setEnabled(False)
        layout = QVBoxLayout(self)
        label = QLabel(message)
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addWidget(self.diff, 1)
        layout.addWidget(buttons)
        self.resize(1000, 620)

    def _choose(self, choice: ConflictChoice) -> None:
        self.choice = choice
        self.accept()


class RecoveryDialog(QDialog):
    """After a crash: the unsaved buffers found, each to be reopened (checked) or discarded."""

    def __init__(self, buffers, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Recover unsaved edits")
        self.list = QListWidget()
        for buffer in buffers:
            item = QListWidgetItem(f"{buffer.path}  ({buffer.table})")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, buffer)
            self.list.addItem(item)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Plugin Studio closed with unsaved edits. Reopen the checked ones as unsaved tabs;\n"
                                "unchecked ones are discarded."))
        layout.addWidget(self.list)
        layout.addWidget(_buttons(self, "Recover"))

    def chosen(self) -> list:
        items = (self.list.item(i) for i in range(self.list.count()))
        return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]


class NewPluginDialog(QDialog):
    """New plugin from a starter template."""

    def __init__(self, templates, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New Plugin")
        self.templates = list(templates)
        self.list = QListWidget()
        for template in self.templates:
            item = QListWidgetItem(f"{template.title}\n{template.description}")
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.name = QLineEdit()
        self.name.setPlaceholderText("the template's name")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Start from a template:"))
        layout.addWidget(self.list)
        form = QFormLayout()
        form.addRow("Plugin name", self.name)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, "Create"))
        self.resize(520, 320)

    def choice(self):
        return self.templates[self.list.currentRow()], self.name.text().strip() or None
