"""Asking the user: before something that cannot be undone, and after something that may pass.

A question box whose default is Yes deletes on a reflexive Enter. Here the destructive button says
what it does ("Delete", "Remove") and the default button, the one Enter and Escape press, is Cancel.
"""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm_destructive(parent: QWidget | None, title: str, text: str, action: str = "Delete",
                        details: str | None = None, object_name: str = "confirm-destructive") -> bool:
    """True only when the user pressed the ``action`` button."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName(object_name)
    destroy = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    if details:
        box.setDetailedText(details)
    box.exec()
    return box.clickedButton() is destroy


def offer_retry(parent: QWidget | None, title: str, text: str, object_name: str = "offer-retry") -> bool:
    """A failure that may pass (another session's lock): True when the user asks to try again."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName(object_name)
    retry = box.addButton(QMessageBox.StandardButton.Retry)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(retry)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is retry
