"""Input widgets that keep what the user typed.

An editable ``QComboBox`` completes inline by default, and case-insensitively: typing
``product.view`` shows ``product.viewed`` with the rest selected, and Enter (or OK) takes the
completion; ``PRODUCT.VIEW`` becomes ``product.view``. For a name (an event, a hook) that is a
different value, silently. Here suggestions drop down below the field instead, match anywhere and
with case, and the text stays exactly as typed unless the user picks a suggestion.

``FieldForm`` is a form whose fields each have a message line below them, for dialogs that explain
a bad value where it was typed and stay open.
"""
from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QFormLayout, QLabel, QVBoxLayout, QWidget

from plugin_studio.ui import theme

MIN_CHARS_SHOWN = 14   # an editable combo is never squeezed below this many characters


def free_text_combo(choices: Iterable[str] = (), current: str = "") -> QComboBox:
    """An editable combo box offering ``choices`` (sorted, once each) that keeps typed text as typed."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItems(sorted(set(choices)))
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    keep_typed_text(combo)
    combo.setCurrentText(current)
    return combo


def keep_typed_text(combo: QComboBox) -> None:
    """Make an existing editable combo box suggest in a list instead of completing inline."""
    completer = QCompleter(combo.model(), combo)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseSensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    combo.setCompleter(completer)
    combo.setMinimumContentsLength(MIN_CHARS_SHOWN)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)


def completes_inline(combo: QComboBox) -> bool:
    """Whether typing into ``combo`` can turn into another value without the user choosing it."""
    completer = combo.completer()
    return combo.isEditable() and completer is not None and (
        completer.completionMode() == QCompleter.CompletionMode.InlineCompletion
        or completer.caseSensitivity() != Qt.CaseSensitivity.CaseSensitive)


class FieldForm(QFormLayout):
    """A form whose fields each have a message line just below them: a bad value is explained where
    it was typed, and the dialog stays open with everything as the user left it."""

    def __init__(self):
        super().__init__()
        self._errors: dict[int, QLabel] = {}

    def add_field(self, label: str, field: QWidget) -> None:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        message = QLabel()
        message.setObjectName("field-error")
        message.setWordWrap(True)
        message.hide()
        theme.style(message, "color: {error};")
        column.addWidget(message)
        self._errors[id(field)] = message
        self.addRow(label, box)

    def show_error(self, field: QWidget, text: str) -> None:
        """Show ``text`` below ``field`` and put the cursor there."""
        message = self._errors[id(field)]
        message.setText(text)
        message.show()
        field.setFocus()

    def error_text(self, field: QWidget) -> str:
        """The message shown below ``field`` ("" when none is)."""
        message = self._errors[id(field)]
        return message.text() if not message.isHidden() else ""

    def clear_errors(self) -> None:
        for message in self._errors.values():
            message.clear()
            message.hide()

    def set_label(self, field: QWidget, text: str) -> None:
        """Rename ``field``'s row (one field can mean a path for one kind of file, a table for another)."""
        label = self.labelForField(self._box_of(field))
        if label is not None:
            label.setText(text)

    def _box_of(self, field: QWidget) -> QWidget | None:
        for row in range(self.rowCount()):
            box = self.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
            if box is not None and box.isAncestorOf(field):
                return box
        return None

    def set_field_visible(self, field: QWidget, visible: bool) -> None:
        for row in range(self.rowCount()):
            box = self.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
            if box is not None and box.isAncestorOf(field):
                self.setRowVisible(row, visible)
