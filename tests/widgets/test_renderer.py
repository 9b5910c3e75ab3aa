"""The Qt renderer of element trees: styles as the user sees them, layout, in-place updates."""
from __future__ import annotations

import base64

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject
from PySide6.QtWidgets import QApplication, QGraphicsDropShadowEffect, QLabel, QScrollArea, QWidget

from plugin_studio.ui.preview.renderer import PreviewCanvas
from plugin_studio.ui.preview.styles import linear_gradient, parse_color


@pytest.fixture
def canvas(qtbot):
    view = PreviewCanvas()
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(view)
    scroll.resize(400, 300)
    qtbot.addWidget(scroll)
    scroll.show()
    yield view  # the generator keeps the scroll area (the canvas's owner) alive


def pixel(widget, x: int, y: int) -> QColor:
    return widget.grab().toImage().pixelColor(x, y)


def box(color: str, text: str = "x", **style) -> list:
    return [{"id": 1, "type": "div", "props": {"style": {"background": color, "height": 40, **style}},
             "children": [{"id": 2, "type": "span", "props": {}, "children": [text]}, {
                 "id": 3, "type": "button", "props": {}, "children": ["ok"]}]}]


def test_background_and_its_change_are_painted(qtbot, canvas):
    canvas.show_tree(box("#ff0000"))
    qtbot.waitUntil(lambda: pixel(canvas.control(1), 200, 5) == QColor("#ff0000"))
    canvas.show_tree(box("#0000ff"))
    qtbot.waitUntil(lambda: pixel(canvas.control(1), 200, 5) == QColor("#0000ff"))
    assert canvas.control(3) is not None


def test_text_change_is_patched_in_place(qtbot, canvas):
    canvas.show_tree(box("#ffffff", "one"))
    button = canvas.control(3)
    frame = canvas.control(1)
    canvas.show_tree(box("#ffffff", "two"))
    assert canvas.control(1) is frame and canvas.control(3) is button, "unchanged elements keep their widgets"
    labels = [w.text() for w in frame.findChildren(QLabel)]
    assert any("two" in t for t in labels) and not any("one" in t for t in labels)


def test_a_patched_text_that_wraps_takes_more_lines(qtbot, canvas):
    """Labels keep their height per width (controls.NodeLabel): a new text is measured again."""
    def row(text):
        return [{"id": 1, "type": "div", "props": {"style": {"width": 160}}, "children": [
            {"id": 2, "type": "p", "props": {}, "children": [text]}, {"id": 3, "type": "button", "props": {},
                                                                      "children": ["ok"]}]}]
    canvas.show_tree(row("short"))
    label = canvas.control(2) or canvas.control(1).findChild(QLabel)
    qtbot.waitUntil(lambda: label.height() > 0)
    one_line = label.height()
    canvas.show_tree(row("a text long enough to wrap over several lines in a narrow box " * 3))
    assert (canvas.control(2) or canvas.control(1).findChild(QLabel)) is label, "patched in place"
    qtbot.waitUntil(lambda: label.height() >= 3 * one_line)


def test_one_changed_text_repaints_that_text_not_the_canvas(qtbot, canvas):
    """A re-render that changes one text patches one label; Qt then paints that label, not every
    element (enabling updates again after a patch used to repaint the whole canvas)."""
    def listing(title):
        return [{"id": 1, "type": "section", "props": {}, "children": [
            {"id": 2, "type": "h2", "props": {}, "children": [title]},
            {"id": 3, "type": "ul", "props": {}, "children": [
                {"id": 10 + i, "type": "li", "props": {"style": {"display": "flex"}}, "children": [
                    {"id": 200 + i, "type": "strong", "props": {}, "children": [f"Item {i}"]},
                    {"id": 400 + i, "type": "button", "props": {}, "children": ["Pick"]}]} for i in range(20)]}]}]
    canvas.show_tree(listing("Catalog 1"))
    painted = PaintCounter(canvas)
    qtbot.waitUntil(lambda: painted.settled(qtbot))
    painted.clear()
    canvas.show_tree(listing("Catalog 2"))
    qtbot.waitUntil(lambda: painted.settled(qtbot))
    items = [canvas.control(400 + i) for i in range(20)]
    assert painted.widgets and not any(button in painted.widgets for button in items)


class PaintCounter(QObject):
    """The widgets painted under ``root`` while it watches."""

    def __init__(self, root):
        super().__init__(root)
        self.root, self.widgets, self._quiet = root, set(), 0
        QApplication.instance().installEventFilter(self)
        root.destroyed.connect(lambda: QApplication.instance().removeEventFilter(self))

    def eventFilter(self, watched, event) -> bool:
        if event.type() in (QEvent.Paint, QEvent.LayoutRequest) and isinstance(watched, QWidget) \
                and (watched is self.root or self.root.isAncestorOf(watched)):
            self.widgets.add(watched)
            self._quiet = 0
        return False

    def clear(self) -> None:
        self.widgets.clear()

    def settled(self, qtbot) -> bool:
        """True after two event loop passes in a row with no paint or layout under the root."""
        QApplication.processEvents()
        self._quiet += 1
        return self._quiet > 2


def test_added_list_item_is_shown_after_the_first(qtbot, canvas):
    def listing(items):
        return [{"id": 1, "type": "ul", "props": {}, "children": [
            {"id": 10 + i, "type": "li", "props": {}, "children": [name]} for i, name in enumerate(items)]}]
    canvas.show_tree(listing(["tea"]))
    canvas.show_tree(listing(["tea", "mug"]))
    texts = [w.text() for w in canvas.findChildren(QLabel) if w.isVisibleTo(canvas)]
    assert texts == ["• tea", "• mug"]


def test_flex_row_places_children_side_by_side(qtbot, canvas):
    tree = [{"id": 1, "type": "div", "props": {"style": {"display": "flex", "gap": 10}}, "children": [
        {"id": 2, "type": "button", "props": {}, "children": ["a"]},
        {"id": 3, "type": "button", "props": {}, "children": ["b"]},
        {"id": 4, "type": "div", "props": {"style": {"display": "none"}}, "children": ["hidden"]}]}]
    canvas.show_tree(tree)
    a, b = canvas.control(2), canvas.control(3)
    qtbot.waitUntil(lambda: b.geometry().left() >= a.geometry().right() + 10)
    assert a.geometry().top() == b.geometry().top()
    assert canvas.control(4) is None


def test_what_qt_cannot_draw_is_listed_per_element(canvas):
    tree = [{"id": 1, "type": "div", "props": {"className": "card big", "style": {
        "boxShadow": "inset 0 1px 2px #000", "padding": 4, "transform": "rotate(2deg)", "position": "absolute"}},
        "children": [{"id": 2, "type": "p", "props": {"id": "note", "style": {"transform": "scale(2)"}}, "children": ["x"]},
                     {"id": 3, "type": "p", "props": {"style": {"position": "relative", "top": 0}}, "children": ["y"]}]}]
    report = canvas.show_tree(tree)
    assert report.summary() == ("not drawn: boxShadow (inset) on <div.card>; position: absolute on <div.card>; "
                                "transform on <div.card>, <p#note>")


def test_box_shadow_is_drawn(qtbot, canvas):
    tree = [{"id": 1, "type": "div", "props": {"style": {"padding": 20, "background": "#fff"}}, "children": [
        {"id": 2, "type": "div", "props": {"style": {"height": 30, "background": "#ffffff",
                                                     "boxShadow": "0 8px 0 rgba(255, 0, 0, 1)"}}, "children": []}]}]
    report = canvas.show_tree(tree)
    assert report.summary() == ""
    inner = canvas.control(2)
    assert isinstance(inner.graphicsEffect(), QGraphicsDropShadowEffect)
    qtbot.waitUntil(lambda: inner.height() == 30)
    below = inner.mapTo(canvas.control(1), inner.rect().bottomLeft())
    qtbot.waitUntil(lambda: pixel(canvas.control(1), below.x() + 10, below.y() + 4).red() > 200)
    assert pixel(canvas.control(1), below.x() + 10, below.y() + 4).green() < 60


def test_line_height_spaces_the_lines(qtbot, canvas):
    def paragraph(line_height):
        style = {"width": 60, "fontSize": 10} | ({"lineHeight": line_height} if line_height else {})
        return [{"id": 1, "type": "p", "props": {"style": style}, "children": ["one two three four five six seven"]}]
    canvas.show_tree(paragraph(None))
    qtbot.waitUntil(lambda: canvas.control(1).height() > 20)
    normal = canvas.control(1).sizeHint().height()
    canvas.show_tree(paragraph(3))
    assert canvas.report.summary() == ""
    qtbot.waitUntil(lambda: canvas.control(1).sizeHint().height() > normal * 2)


def test_grid_columns_and_wrapping_flex_rows_are_laid_out(qtbot, canvas):
    cells = [{"id": 10 + i, "type": "button", "props": {"style": {"display": "block"}}, "children": [f"c{i}"]}
             for i in range(4)]
    canvas.show_tree([{"id": 1, "type": "div", "props": {"style": {
        "display": "grid", "gridTemplateColumns": "repeat(2, 1fr)", "gap": 8}}, "children": cells}])
    assert canvas.report.summary() == ""
    c0, c1, c2 = canvas.control(10), canvas.control(11), canvas.control(12)
    qtbot.waitUntil(lambda: c1.geometry().left() >= c0.geometry().right() + 8)
    assert c0.geometry().top() == c1.geometry().top() and c2.geometry().top() > c0.geometry().bottom()
    assert c2.geometry().left() == c0.geometry().left()
    chips = [{"id": 20 + i, "type": "span", "props": {"style": {"display": "inline-block", "width": 150,
                                                                "height": 20, "background": "#eee"}}, "children": []}
             for i in range(5)]
    canvas.show_tree([{"id": 2, "type": "div", "props": {"style": {"display": "flex", "flexWrap": "wrap", "gap": 4,
                                                                   "width": 330}}, "children": chips}])
    assert canvas.report.summary() == ""
    first, second, third = canvas.control(20), canvas.control(21), canvas.control(22)
    qtbot.waitUntil(lambda: third.geometry().top() > first.geometry().bottom())
    assert second.geometry().top() == first.geometry().top() and third.geometry().left() == first.geometry().left()


def test_data_url_image_is_shown(qtbot, canvas):
    image = QImage(8, 4, QImage.Format_RGB32)
    image.fill(QColor("#00ff00"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    src = "data:image/png;base64," + base64.b64encode(bytes(data)).decode()
    canvas.show_tree([{"id": 1, "type": "img", "props": {"src": src, "width": 16}, "children": []},
                      {"id": 2, "type": "img", "props": {"src": "https://x/y.png", "alt": "logo"}, "children": []}])
    label = canvas.control(1)
    assert (label.pixmap().width(), label.pixmap().height()) == (16, 8)
    assert "[image: logo]" in canvas.control(2).text()
    assert "remote images are not loaded" in canvas.report.summary()


def test_css_values_map_to_qt():
    assert parse_color("rgba(255, 0, 0, 0.5)").alpha() == 128
    assert parse_color("#0f08").alpha() == 0x88
    assert parse_color("nonsense") is None
    gradient = linear_gradient("linear-gradient(90deg, #fff 0%, rgb(0,0,0) 100%)")
    assert gradient.startswith("qlineargradient(x1:0.000, y1:0.500, x2:1.000, y2:0.500")
    assert linear_gradient("linear-gradient(to bottom, red, blue)").startswith(
        "qlineargradient(x1:0.500, y1:0.000, x2:0.500, y2:1.000")
