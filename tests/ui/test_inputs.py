"""Typed text stays typed: a suggestion is used only when the user picks it."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from plugin_studio.ui.inputs import completes_inline, free_text_combo

CHOICES = ["cart.viewed", "product.viewed", "product.view_count"]


@pytest.mark.parametrize("typed", ["product.view", "PRODUCT.VIEWED", "product.viewe", "cart.v"])
def test_enter_keeps_exactly_what_was_typed(qtbot, typed):
    combo = free_text_combo(CHOICES)
    qtbot.addWidget(combo)
    combo.show()
    combo.setFocus()
    qtbot.keyClicks(combo, typed)
    assert combo.currentText() == typed
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    assert combo.currentText() == typed
    assert not completes_inline(combo)


def test_a_picked_suggestion_is_taken(qtbot):
    combo = free_text_combo(CHOICES, current="cart.viewed")
    qtbot.addWidget(combo)
    combo.setCurrentIndex(combo.findText("product.viewed"))
    assert combo.currentText() == "product.viewed"
