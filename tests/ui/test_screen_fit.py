"""A window fits the screen it opens on, whatever the scale factor."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QMainWindow

from plugin_studio.ui.screen_fit import fit_new_window, fitted, keep_on_screen


@pytest.mark.parametrize("scale", [1.0, 1.25, 1.5, 2.0])
def test_the_default_size_fits_a_full_hd_screen_at_any_scale(scale):
    available = QRect(0, 0, round(1920 / scale), round(1080 / scale) - 40)   # logical pixels, a panel at the top
    rect = fitted(QSize(1280, 800), available)
    assert available.contains(rect)
    assert rect.size() == QSize(min(1280, int(available.width() * 0.92)), min(800, int(available.height() * 0.92)))


def test_a_new_window_fits_the_screen_it_opens_on(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    fit_new_window(window, QSize(5000, 4000))
    assert window.screen().availableGeometry().contains(window.geometry())


def test_a_geometry_restored_from_a_larger_screen_is_pulled_back(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    available = window.screen().availableGeometry()
    window.setGeometry(available.right() - 100, available.bottom() - 100, available.width() + 500, 900)
    keep_on_screen(window)
    assert available.contains(window.frameGeometry())
