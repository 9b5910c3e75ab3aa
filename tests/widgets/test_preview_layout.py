"""The preview's controls beside the preview where there is room, below it where there is not; the
split as the user left it, for every widget tab."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QScrollArea

from plugin_studio.ui.lanes import runner_lane
from plugin_studio.ui.preview.pane import WidgetPreviewPane
from plugin_studio.ui.preview.pane_layout import SIDE_BY_SIDE_MIN_PX


@pytest.fixture
def scroller(qtbot):
    """The pane as a widget tab holds it: in a scroll area beside the editor."""
    runner = runner_lane()
    pane = WidgetPreviewPane(runner)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(pane)
    qtbot.addWidget(area)
    area.show()
    yield area, pane
    pane.stop()
    runner.cancel_all()
    runner.close()


def test_a_narrow_pane_puts_the_controls_below_the_preview_and_nothing_is_cut(qtbot, scroller):
    area, pane = scroller
    area.resize(500, 700)      # a widget tab's share at 1280×800
    qtbot.waitUntil(lambda: pane.splitter.orientation() == Qt.Orientation.Vertical)
    pane.tabs.setCurrentIndex(1)   # Events: its buttons must keep their whole text
    qtbot.waitUntil(lambda: pane.tabs.currentWidget().isVisible())
    for button in pane.tabs.currentWidget().findChildren(QPushButton):
        assert button.width() >= button.sizeHint().width(), button.text()
    assert pane.width() <= area.viewport().width()
    assert pane.scroll.viewport().height() >= 150 and pane.tabs.width() >= 280


def test_a_wide_pane_puts_them_beside_it(qtbot, scroller):
    area, pane = scroller
    area.resize(SIDE_BY_SIDE_MIN_PX + 300, 700)
    qtbot.waitUntil(lambda: pane.splitter.orientation() == Qt.Orientation.Horizontal)
    assert pane.tabs.width() >= 280


def test_the_split_the_user_made_is_reported_and_restored(qtbot, scroller):
    area, pane = scroller
    area.resize(500, 800)
    qtbot.waitUntil(lambda: pane.splitter.orientation() == Qt.Orientation.Vertical)
    reported = []
    pane.split_changed.connect(reported.append)
    pane.splitter.moveSplitter(300, 1)
    assert reported and 0.3 < reported[-1]["vertical"] < 0.45
    pane.restore_split({"vertical": 0.7})
    sizes = pane.splitter.sizes()
    assert abs(sizes[0] / sum(sizes) - 0.7) < 0.05
