"""Preferences: the theme, the editor's font and size, its tab width.

Each change is shown at once (``changed`` carries the settings as they would be); OK keeps them,
Cancel (or closing the dialog) goes back to what was there before. The dialog only reports what
the user chose: the window applies and saves it.
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFontComboBox, QFormLayout, QSpinBox, QVBoxLayout, QWidget,
)

from plugin_studio.settings import FONT_SIZES, TAB_WIDTHS, Settings

THEME_CHOICES = (("Follow the system", "system"), ("Light", "light"), ("Dark", "dark"))
SYSTEM_FONT = "System fixed-width font"


class SettingsDialog(QDialog):
    changed = Signal(object)     # a Settings with the choices made so far

    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settings-dialog")
        self.original = settings
        self.theme = QComboBox()
        for label, value in THEME_CHOICES:
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(self.theme.findData(settings.theme))
        self.font_family = QFontComboBox()
        self.font_family.setFontFilters(QFontComboBox.FontFilter.MonospacedFonts)
        self.font_family.setEditable(False)
        self.font_family.insertItem(0, SYSTEM_FONT)
        self._show_font(settings.editor_font_family)
        self.font_size = _spin(FONT_SIZES, settings.editor_font_size, " pt")
        self.tab_width = _spin(TAB_WIDTHS, settings.tab_width, " columns")
        form = QFormLayout()
        form.addRow("Theme", self.theme)
        form.addRow("Editor font", self.font_family)
        form.addRow("Font size", self.font_size)
        form.addRow("Tab width", self.tab_width)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        for signal in (self.theme.currentIndexChanged, self.font_family.currentIndexChanged,
                       self.font_size.valueChanged, self.tab_width.valueChanged):
            signal.connect(lambda *_: self.changed.emit(self.chosen()))

    def _show_font(self, family: str) -> None:
        index = self.font_family.findText(family) if family else 0
        if index < 0:   # a font this machine no longer has: say so rather than pick another silently
            self.font_family.insertItem(1, family)
            index = 1
        self.font_family.setCurrentIndex(index)

    def chosen(self) -> Settings:
        family = self.font_family.currentText()
        return replace(self.original, theme=self.theme.currentData(),
                       editor_font_family="" if family == SYSTEM_FONT else family,
                       editor_font_size=self.font_size.value(), tab_width=self.tab_width.value())

    def reject(self) -> None:
        self.changed.emit(self.original)
        super().reject()


def _spin(allowed: range, value: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(allowed.start, allowed.stop - 1)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin
