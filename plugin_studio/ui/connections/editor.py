"""The form of one saved connection: its address (parts or a whole DSN), password, SSL, colour, flags.

The password field never shows a kept password: it says one is kept, and what is typed replaces
it when the connection is saved ("Forget Password" removes it).
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox, QColorDialog, QComboBox, QLineEdit, QPushButton, QSpinBox, QWidget,
)

from plugin_studio.models.connections import SSL_MODES, SavedConnection
from plugin_studio.ui.inputs import FieldForm

KEPT = "kept in the OS keyring (type to replace)"


def color_icon(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class ConnectionEditor(QWidget):
    """Edits one ``SavedConnection``; ``entry()`` reads the form back (checked by the list's rules)."""
    edited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("connection-editor")
        self.form = FieldForm()
        self.name = self._line("name")
        self.host, self.database, self.user = self._line("host"), self._line("database"), self._line("user")
        self.port = QSpinBox(objectName="port", minimum=0, maximum=65535, specialValueText="default (5432)")
        self.password = self._line("password", placeholder="none kept")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.forget = QCheckBox("Forget the kept password", objectName="forget-password")
        self.dsn = self._line("dsn", placeholder="or a whole connection string: postgresql://… or host=… dbname=…")
        self.sslmode = QComboBox(objectName="sslmode")
        self.sslmode.addItems([mode or "libpq's default (prefer)" for mode in SSL_MODES])
        self.sslrootcert = self._line("sslrootcert", placeholder="CA certificate file (verify-ca, verify-full)")
        self.sslcert = self._line("sslcert", placeholder="client certificate file (certificate login)")
        self.sslkey = self._line("sslkey", placeholder="its private key file")
        self.color_button = QPushButton(objectName="color")
        self.color_button.clicked.connect(self._pick_color)
        self.production = QCheckBox("Production: frame the window and ask before the first write",
                                    objectName="production")
        self.read_only = QCheckBox("Read-only: refuse every write (read-only transactions)", objectName="read-only")
        self._color = "#6b7280"
        self._embedded = False
        self._lay_out()

    def _line(self, name: str, placeholder: str = "") -> QLineEdit:
        line = QLineEdit(objectName=name, placeholderText=placeholder)
        line.textEdited.connect(lambda _t: self.edited.emit())
        return line

    def _lay_out(self) -> None:
        f = self.form
        for label, field in (("Name:", self.name), ("Host:", self.host), ("Port:", self.port),
                             ("Database:", self.database), ("User:", self.user), ("Password:", self.password),
                             ("", self.forget), ("Connection string:", self.dsn), ("SSL mode:", self.sslmode),
                             ("SSL root certificate:", self.sslrootcert), ("SSL client certificate:", self.sslcert),
                             ("SSL client key:", self.sslkey), ("Colour:", self.color_button),
                             ("", self.production), ("", self.read_only)):
            f.add_field(label, field)
        for box in (self.production, self.read_only, self.forget):
            box.toggled.connect(lambda _on: self.edited.emit())
        self.setLayout(f)

    def show_entry(self, entry: SavedConnection, password_kept: bool) -> None:
        self.form.clear_errors()
        self._embedded = entry.embedded
        for line, value in ((self.name, entry.name), (self.host, entry.host), (self.database, entry.database),
                            (self.user, entry.user), (self.dsn, entry.dsn), (self.sslrootcert, entry.sslrootcert),
                            (self.sslcert, entry.sslcert), (self.sslkey, entry.sslkey)):
            line.setText(value)
        self.port.setValue(entry.port or 0)
        self.sslmode.setCurrentIndex(SSL_MODES.index(entry.sslmode))
        self.password.clear()
        self.password.setPlaceholderText(KEPT if password_kept else "none kept")
        self.forget.setChecked(False)
        self.forget.setEnabled(password_kept)
        self._set_color(entry.color)
        self.production.setChecked(entry.production)
        self.read_only.setChecked(entry.read_only)
        for widget in (self.name, self.host, self.port, self.database, self.user, self.password, self.forget,
                       self.dsn, self.sslmode, self.sslrootcert, self.sslcert, self.sslkey):
            widget.setEnabled(not entry.embedded and (widget is not self.forget or password_kept))

    def entry(self) -> SavedConnection:
        mode = SSL_MODES[self.sslmode.currentIndex()]
        return SavedConnection(self.name.text().strip(), host=self.host.text().strip(), port=self.port.value() or None,
                               database=self.database.text().strip(), user=self.user.text().strip(),
                               dsn=self.dsn.text().strip(), sslmode=mode, sslrootcert=self.sslrootcert.text().strip(),
                               sslcert=self.sslcert.text().strip(), sslkey=self.sslkey.text().strip(),
                               color=self._color, production=self.production.isChecked(),
                               read_only=self.read_only.isChecked())

    def typed_password(self) -> str:
        return self.password.text()

    def _pick_color(self) -> None:
        chosen = QColorDialog.getColor(QColor(self._color), self, "Connection Colour")
        if chosen.isValid():
            self._set_color(chosen.name())
            self.edited.emit()

    def _set_color(self, color: str) -> None:
        self._color = color
        self.color_button.setIcon(color_icon(color))
        self.color_button.setText(color)

