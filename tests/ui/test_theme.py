"""Themes applied live: Qt's palette, our own colours, charts and code views follow every change."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit

from plugin_studio.settings import Settings
from plugin_studio.ui import theme
from plugin_studio.ui.migration_chart import MigrationTimingChart


@pytest.fixture
def themed(qapp):
    """Leaves the application in the light theme whatever the test chose."""
    yield theme
    theme.apply(Settings(theme="light"))


def test_dark_and_light_set_the_applications_palette(themed):
    themed.apply(Settings(theme="dark"))
    assert QApplication.palette().window().color().lightness() < 60
    assert QApplication.palette().text().color().lightness() > 180
    themed.apply(Settings(theme="light"))
    assert QApplication.palette().window().color().lightness() > 200


def test_follow_the_system_uses_the_desktops_scheme(themed, qapp):
    from PySide6.QtCore import Qt

    appearance = themed.apply(Settings(theme="system"))
    expected_dark = qapp.styleHints().colorScheme() == Qt.ColorScheme.Dark
    assert appearance.palette.dark is expected_dark


def test_a_style_follows_every_change_and_does_not_keep_the_widget_alive(themed, qtbot):
    label = QLabel("x")     # not qtbot.addWidget: the test deletes it
    themed.style(label, "color: {error}; background: {base};")
    themed.apply(Settings(theme="dark"))
    assert label.styleSheet() == f"color: {theme.DARK.error}; background: {theme.DARK.base};"
    themed.apply(Settings(theme="light"))
    assert label.styleSheet() == f"color: {theme.LIGHT.error}; background: {theme.LIGHT.base};"
    followed = lambda: [ref for ref, _apply in themed.manager()._followers.values() if ref() is label]  # noqa: E731
    assert len(followed()) == 1
    label.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(label))    # following did not keep it alive
    themed.apply(Settings(theme="dark"))
    assert followed() == []


def test_code_views_use_the_editor_font_and_follow_its_size(themed, qtbot):
    view = QPlainTextEdit()
    qtbot.addWidget(view)
    themed.follow(view, lambda v, a: v.setFont(themed.editor_font(a)))
    themed.apply(Settings(editor_font_size=15))
    assert view.font().pointSize() == 15 and view.font().fixedPitch()


def test_the_timing_chart_is_drawn_in_the_themes_colours(themed, qtbot):
    chart = MigrationTimingChart()
    qtbot.addWidget(chart)
    themed.apply(Settings(theme="dark"))
    assert chart.backgroundBrush().color().name() == theme.DARK.chart_bg
    themed.apply(Settings(theme="light"))
    assert chart.backgroundBrush().color().name() == theme.LIGHT.chart_bg


def test_the_editor_follows_theme_font_size_and_tab_width_live(themed, qtbot):
    from plugin_studio.ui.editor import CodeEditor

    editor = CodeEditor()
    qtbot.addWidget(editor)
    editor.set_language("javascript")
    editor.set_text("const a = 1; // note\n")
    themed.apply(Settings(theme="dark", editor_font_size=16, tab_width=4))
    default_style, keyword_style = 32, 1
    assert _rgb(editor.styleBack(default_style)) == theme.DARK.editor.background
    assert _rgb(editor.styleBack(keyword_style)) == theme.DARK.editor.background   # no light islands
    assert _rgb(editor.styleFore(keyword_style)) == theme.DARK.editor.syntax["keyword"]
    assert editor.styleSize(default_style) == 16 and editor.tabWidth() == 4
    themed.apply(Settings(theme="light"))
    assert _rgb(editor.styleBack(default_style)) == theme.LIGHT.editor.background
    assert editor.styleSize(keyword_style) == 10 and editor.tabWidth() == 2


def _rgb(bgr: int) -> int:
    return ((bgr & 0xFF) << 16) | (bgr & 0xFF00) | (bgr >> 16)
