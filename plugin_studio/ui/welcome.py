"""What the editor area shows when no file is open: start from a starter template, or open a file."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from plugin_studio.ui import theme


class WelcomePage(QWidget):
    template_chosen = Signal(object)

    def __init__(self, templates, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("Plugin Studio")
        theme.style(title, "font-size: 22px; font-weight: 600; color: {title};")
        self.hint = QLabel()
        theme.style(self.hint, "color: {muted};")
        layout.addWidget(title, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.hint, alignment=Qt.AlignmentFlag.AlignCenter)
        self.template_buttons = []
        for template in templates:
            button = QPushButton(f"New plugin: {template.title}")
            button.setToolTip(template.description)
            button.setMinimumWidth(320)
            button.clicked.connect(lambda _=False, t=template: self.template_chosen.emit(t))
            layout.addWidget(button, alignment=Qt.AlignmentFlag.AlignCenter)
            self.template_buttons.append(button)
        self.set_has_plugins(True)

    def set_has_plugins(self, has_plugins: bool) -> None:
        self.hint.setText("Open a file from the tree (Enter or double-click), or start a new plugin:"
                          if has_plugins else "No plugins yet. Start from one of the starter templates:")
