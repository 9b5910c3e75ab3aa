"""Dialogs that return what the user chose; the code that writes rows lives below ``ui/``."""
from __future__ import annotations

import enum
from typing import Callable

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from plugin_studio.db.files import EVENT_NAME
from plugin_studio.models.new_file_names import TakenNames, free_event_file_name, next_free_version, planned_path
from plugin_studio.models.new_files import KINDS, KNOWN_EVENTS, KNOWN_HOOKS, NewFileRequest
from plugin_studio.models.routes import HTTP_METHODS
from plugin_studio.ui import theme
from plugin_studio.ui.diff_view import DiffView
from plugin_studio.ui.errors import describe_error
from plugin_studio.ui.inputs import FieldForm, free_text_combo


def _buttons(dialog: QDialog, ok_text: str = "OK") -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("dialog-error")
    theme.style(label, "color: {error};")
    label.setWordWrap(True)
    return label


Submit = Callable[[object, Callable[[object], None], Callable[[BaseException], None]], None]


class _SubmittingDialog(QDialog):
    """A dialog that writes before it closes: OK checks the fields (a problem is shown below its
    field), then hands the choice to ``submit(choice, on_done, on_error)``. Only success closes it;
    a refusal from the server is shown beside the field it concerns and every field keeps its text."""

    refused = Signal(str)    # the server's refusal, as shown

    def __init__(self, parent: QWidget | None, submit: Submit | None):
        super().__init__(parent)
        self._submit = submit
        self.form = FieldForm()
        self.error = _error_label()
        self.result_value = None

    def _problem(self) -> tuple[QWidget, str] | None:
        return None

    def _field_for(self, error: BaseException) -> QWidget | None:
        return None

    def _choice(self):
        raise NotImplementedError

    def accept(self) -> None:
        self.form.clear_errors()
        self.error.clear()
        problem = self._problem()
        if problem:
            self.form.show_error(*problem)
            return
        if self._submit is None:
            super().accept()
            return
        self._set_busy(True)
        self._submit(self._choice(), self._on_done, self._on_refused)

    def _set_busy(self, busy: bool) -> None:
        self._ok.setEnabled(not busy)
        self._ok.setText(self._ok_text + "…" if busy else self._ok_text)

    def _buttons(self, ok_text: str) -> QDialogButtonBox:
        box = _buttons(self, ok_text)
        self._ok, self._ok_text = box.button(QDialogButtonBox.StandardButton.Ok), ok_text
        return box

    def _on_done(self, result) -> None:
        if not shiboken6.isValid(self):
            return
        self.result_value = result
        self._set_busy(False)
        QDialog.accept(self)

    def _on_refused(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        field, text = self._field_for(error), describe_error(error)
        if field is not None and field.isVisibleTo(self):
            self.form.show_error(field, text)
        else:
            self.error.setText(text)
        self.refused.emit(text)


_SHOWN_FIELDS = {
    "Event Listener": {"Event", "Name", "Priority"}, "Hook": {"Hook", "Hook type", "Priority"},
    "Migration": {"Name", "Version"}, "Controller": {"Name", "Method", "Path"}, "Entity": {"Name", "Path"},
    "Admin Page": {"Name", "Path"}, "Cron Job": {"Name", "Schedule", "Timezone"},
}
_NAME_HINTS = {"Widget": "widget id, e.g. promo-banner", "Migration": "e.g. create_points_table", "README": "README.md",
               "Controller": "e.g. list-visits", "Entity": "e.g. Visit", "Cron Job": "e.g. daily-summary",
               "Document": "README.md, CHANGELOG.md, LICENSE or CONTRIBUTING.md",
               "Admin Page": "page key, e.g. visits-dashboard", "Admin Script": "e.g. admin-menu"}
_ROUTE_LABELS = {"Entity": "Table", "Admin Page": "Route"}
_ROUTE_HINTS = {"Controller": "/visits/:id", "Entity": "derived from the name, e.g. visits",
                "Admin Page": "/admin/plugins/<plugin>/<key>"}
_OPTIONAL_NAME = {"Event Listener", "Hook", "README", "Document"}


class NewFileDialog(_SubmittingDialog):
    """New File: the kind, then only the fields that kind needs. ``taken``: what the plugin already
    has, so that no default and no accepted name clashes with it."""

    def __init__(self, known_events: list[str] = (), parent: QWidget | None = None, kind: str = "Event Listener",
                 taken: TakenNames | None = None, submit: Submit | None = None):
        super().__init__(parent, submit)
        self.setWindowTitle("New File")
        self.taken = taken or TakenNames()
        self.kind = QComboBox()
        self.kind.addItems(KINDS)
        self.name = QLineEdit()
        self.event_name = free_text_combo([*KNOWN_EVENTS, *known_events])
        self.hook_name = free_text_combo(KNOWN_HOOKS)
        self.hook_type = QComboBox()
        self.hook_type.addItems(["filter", "action"])
        self.priority = QSpinBox()
        self.priority.setRange(-10000, 10000)
        self.priority.setValue(10)
        self.version = QLineEdit(next_free_version(self.taken.versions))
        self.method = QComboBox()
        self.method.addItems(list(HTTP_METHODS))
        self.route = QLineEdit()
        self.schedule = QLineEdit("0 * * * *")
        self.timezone = QLineEdit("UTC")
        self._fields = {"Kind": self.kind, "Name": self.name, "Event": self.event_name, "Hook": self.hook_name,
                        "Hook type": self.hook_type, "Priority": self.priority, "Version": self.version,
                        "Method": self.method, "Path": self.route, "Schedule": self.schedule, "Timezone": self.timezone}
        for label, field in self._fields.items():
            self.form.add_field(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self._buttons("Create"))
        self.kind.currentTextChanged.connect(self._on_kind_changed)
        self.event_name.currentTextChanged.connect(lambda _t: self._show_name_hint())
        self.kind.setCurrentText(kind)
        self._on_kind_changed(kind)

    def _on_kind_changed(self, kind: str) -> None:
        shown = _SHOWN_FIELDS.get(kind, {"Name"})
        for label, field in self._fields.items():
            self.form.set_field_visible(field, label == "Kind" or label in shown)
        self.form.set_label(self.route, _ROUTE_LABELS.get(kind, "Path"))
        self.route.setPlaceholderText(_ROUTE_HINTS.get(kind, ""))
        self.form.clear_errors()
        self._show_name_hint()

    def _show_name_hint(self) -> None:
        kind = self.kind.currentText()
        if kind == "Event Listener":
            event = self.event_name.currentText().strip()
            hint = f"{self._event_file_name(event)} (from the event)" if EVENT_NAME.match(event) else \
                "file name, e.g. cart_viewed.js (empty: from the event)"
        else:
            hint = _NAME_HINTS.get(kind, "file name, e.g. price_format")
        self.name.setPlaceholderText(hint)

    def _event_file_name(self, event_name: str) -> str:
        return free_event_file_name(event_name, self.taken.paths)

    def request(self) -> NewFileRequest:
        """What to create; a listener left without a name gets a free one derived from its event."""
        kind, name, event = self.kind.currentText(), self.name.text().strip(), self.event_name.currentText().strip()
        if kind == "Event Listener" and not name and EVENT_NAME.match(event):
            name = self._event_file_name(event)
        return NewFileRequest(kind, name, event, self.hook_name.currentText().strip(), self.hook_type.currentText(),
                              self.priority.value(), self.version.text().strip(), self.method.currentText(),
                              self.route.text(), self.schedule.text(), self.timezone.text())

    _choice = request

    def _problem(self) -> tuple[QWidget, str] | None:
        req = self.request()
        if req.kind == "Event Listener" and not EVENT_NAME.match(req.event_name):
            return self.event_name, "Event names are dotted identifiers, e.g. cart.viewed"
        if req.kind == "Hook" and not EVENT_NAME.match(req.hook_name):
            return self.hook_name, "Hook names are dotted identifiers, e.g. product.price"
        if req.kind not in _OPTIONAL_NAME and not req.name:
            return self.name, "Give the file a name"
        if req.kind == "Migration":
            return self._version_problem(req.version)
        path = planned_path(req)
        if path and path in self.taken.paths:
            return self.name, f"This plugin already has {path}"
        return None

    def _version_problem(self, version: str) -> tuple[QWidget, str] | None:
        if not version:
            return self.version, f"Give the migration a version, e.g. {next_free_version(self.taken.versions)}"
        if version in self.taken.versions:
            return self.version, (f"This plugin already has a migration {version}; "
                                  f"the next free version is {next_free_version(self.taken.versions)}")
        return None

    def _field_for(self, error: BaseException) -> QWidget | None:
        text = str(error).lower()
        if "version" in text:
            return self.version
        for words, field in ((("schedule", "cron"), self.schedule), (("timezone", "time zone"), self.timezone),
                             (("path", "route", "table"), self.route)):
            if any(word in text for word in words) and field.isVisibleTo(self):
                return field
        if self.kind.currentText() == "Hook" and "hook" in text:
            return self.hook_name
        if "event" in text and "file" not in text:
            return self.event_name
        return self.name


class EditEventDialog(_SubmittingDialog):
    """⚡ Edit Event: remap this one listener to another event (and optionally file name, priority)."""

    def __init__(self, event_name: str, file_name: str | None, priority: int, known_events: list[str] = (),
                 parent: QWidget | None = None, submit: Submit | None = None):
        super().__init__(parent, submit)
        self.setWindowTitle("⚡ Edit Event")
        self.event_name = free_text_combo([*KNOWN_EVENTS, *known_events], event_name)
        self.file_name = QLineEdit(file_name or "")
        self.file_name.setPlaceholderText("derived from the event name")
        self.priority = QSpinBox()
        self.priority.setRange(-10000, 10000)
        self.priority.setValue(priority)
        self.form.add_field("Event name", self.event_name)
        self.form.add_field("File name", self.file_name)
        self.form.add_field("Priority", self.priority)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Only this listener's row changes; its code stays as it is."))
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self._buttons("Remap"))

    def choice(self) -> tuple[str, str, int]:
        return self.event_name.currentText().strip(), self.file_name.text().strip(), self.priority.value()

    _choice = choice

    def _problem(self) -> tuple[QWidget, str] | None:
        if not EVENT_NAME.match(self.event_name.currentText().strip()):
            return self.event_name, "Event names are dotted identifiers such as cart.viewed (letters, digits, _ and -)"
        return None

    def _field_for(self, error: BaseException) -> QWidget | None:
        return self.file_name if "file" in str(error).lower() else self.event_name


class RenameDialog(_SubmittingDialog):
    """Rename a file (or a hook, a widget id...): ``explanation`` says what the name changes."""

    def __init__(self, explanation: str, current: str, parent: QWidget | None = None, submit: Submit | None = None):
        super().__init__(parent, submit)
        self.setWindowTitle("Rename")
        self.current = current
        self.name = QLineEdit(current)
        self.name.selectAll()
        self.form.add_field("Name", self.name)
        layout = QVBoxLayout(self)
        caption = QLabel(explanation)
        caption.setWordWrap(True)
        layout.addWidget(caption)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self._buttons("Rename"))
        self.resize(460, self.sizeHint().height())

    def _choice(self) -> str:
        return self.name.text().strip()

    def accept(self) -> None:
        if self._choice() == self.current:     # nothing to write
            QDialog.accept(self)
            return
        super().accept()

    def _problem(self) -> tuple[QWidget, str] | None:
        return (self.name, "Give it a name") if not self._choice() else None

    def _field_for(self, error: BaseException) -> QWidget | None:
        return self.name


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
