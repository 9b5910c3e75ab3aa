"""The Qt widgets one element becomes: framed boxes, text labels, and the form controls.

Each widget keeps its element's node id and reports user input to the canvas that made it
(``canvas.send(node_id, type, data)``); the canvas turns that into ``element_event`` for React.
"""
from __future__ import annotations

import base64
import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSize, Qt
from PySide6.QtGui import QCursor, QPixmap
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFrame, QGridLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QRadioButton,
    QSizePolicy, QSlider, QWidget,
)

from plugin_studio.ui.preview.elements import has_handler, text_of
from plugin_studio.ui.preview.styles import BoxStyle

if TYPE_CHECKING:
    from plugin_studio.ui.preview.renderer import PreviewCanvas
    from plugin_studio.ui.preview.text_html import RenderReport


class NodeFrame(QFrame):
    """A block element; clickable when it (not a descendant) has an onClick."""

    def __init__(self, node_id: int, canvas: PreviewCanvas, clickable: bool, hover: bool):
        super().__init__()
        self.node_id = node_id
        self._canvas = canvas
        self._clickable = clickable
        self._hover = hover
        if clickable:
            self.setCursor(QCursor(Qt.PointingHandCursor))

    def mousePressEvent(self, event):
        if self._clickable and event.button() == Qt.LeftButton:
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseReleaseEvent(self, event):
        if self._clickable and event.button() == Qt.LeftButton and self.rect().contains(event.position().toPoint()):
            self._canvas.send(self.node_id, "click")
        else:
            super().mouseReleaseEvent(event)

    def enterEvent(self, event):
        if self._hover:
            self._canvas.send(self.node_id, "mouseenter")
        super().enterEvent(event)

    def leaveEvent(self, event):
        if self._hover:
            self._canvas.send(self.node_id, "mouseleave")
        super().leaveEvent(event)


# What changes a label's text layout besides its text (a style sheet's padding changes the contents rect).
_RELAYOUT_CHANGES = (QEvent.FontChange, QEvent.StyleChange, QEvent.ContentsRectChange, QEvent.LayoutDirectionChange)


class NodeLabel(QLabel):
    """Text: a block of inline content, or an element that holds only text."""

    def __init__(self, node_id: int | None, canvas: PreviewCanvas, clickable: bool):
        super().__init__()
        self.node_id = node_id
        self._canvas = canvas
        self._clickable = clickable
        self.setTextFormat(Qt.RichText)
        self.setWordWrap(True)
        self.setIndent(0)  # Qt indents framed labels; CSS boxes have no such indent
        self.setTextInteractionFlags(Qt.LinksAccessibleByMouse)
        self.linkActivated.connect(self._on_link)
        if clickable:
            self.setCursor(QCursor(Qt.PointingHandCursor))
        self._heights: dict[tuple, int] = {}

    def heightForWidth(self, width: int) -> int:
        """QLabel lays its rich text out again for every call (30-100 µs), and a layout pass asks
        each label of a flex row for its height ~10 times (Qt's box layouts cache the preferred
        height for a width, not the minimum one): one changed text in a 400-element widget cost
        ~60 ms of layout. Kept per width until the text, the font or the margins change."""
        height = self._heights.get(width)
        if height is None:
            if len(self._heights) >= 8:
                self._heights.clear()
            height = self._heights[width] = super().heightForWidth(width)
        return height

    def setText(self, text: str) -> None:
        self._heights.clear()
        super().setText(text)

    def changeEvent(self, event):
        if event.type() in _RELAYOUT_CHANGES:
            self._heights.clear()
        super().changeEvent(event)

    def _on_link(self, href: str) -> None:
        if href.startswith("node:"):
            self._canvas.send(int(href[5:]), "click")

    def mousePressEvent(self, event):
        if self._clickable and event.button() == Qt.LeftButton:
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseReleaseEvent(self, event):
        if self._clickable and event.button() == Qt.LeftButton:
            self._canvas.send(self.node_id, "click")
        else:
            super().mouseReleaseEvent(event)



def _button(canvas: PreviewCanvas, node: dict, box: BoxStyle, report: RenderReport) -> QWidget:
    """A click goes to React, which submits the button's form the way a browser would."""
    button = QPushButton(box.text.apply_transform(text_of(node["children"])))
    button.setCursor(QCursor(Qt.PointingHandCursor))
    node_id = node["id"]
    button.clicked.connect(lambda: canvas.send(node_id, "click"))
    if box.display not in ("block", "flex"):
        button.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Fixed)
    watch_focus(canvas, button, node_id)
    return button


def dom_value(node: dict, fallback: str = "") -> str:
    """The value the element holds now (typed, or set by React), as the browser's DOM has it."""
    dom = node.get("dom") or {}
    if "value" in dom and dom["value"] is not None:
        return str(dom["value"])
    props = node["props"]
    value = props.get("value", props.get("defaultValue"))
    return fallback if value is None else str(value)


def dom_checked(node: dict) -> bool:
    dom = node.get("dom") or {}
    props = node["props"]
    return bool(dom["checked"]) if "checked" in dom else bool(props.get("checked", props.get("defaultChecked", False)))


def _input(canvas: PreviewCanvas, node: dict, box: BoxStyle, report: RenderReport) -> QWidget:
    props = node["props"]
    kind = str(props.get("type", "text"))
    node_id = node["id"]
    if kind in ("checkbox", "radio"):
        # The click toggles it in React's element (a browser's default action); the tree says the result.
        box_widget = QCheckBox() if kind == "checkbox" else QRadioButton()
        box_widget.setAutoExclusive(False)
        box_widget.setChecked(dom_checked(node))
        box_widget.clicked.connect(lambda _checked: canvas.send(node_id, "click"))
        box_widget.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Fixed)
        watch_focus(canvas, box_widget, node_id)
        return box_widget
    if kind == "range":
        slider = QSlider(Qt.Horizontal)
        slider.setRange(int(float(props.get("min", 0))), int(float(props.get("max", 100))))
        slider.setValue(int(float(dom_value(node, "50") or 0)))
        slider.sliderMoved.connect(lambda v: canvas.send(node_id, "input", {"value": str(v)}))
        return slider
    line = QLineEdit()
    line.setText(dom_value(node))
    line.setPlaceholderText(str(props.get("placeholder", "") or ""))
    if kind == "password":
        line.setEchoMode(QLineEdit.Password)
    if props.get("readOnly"):
        line.setReadOnly(True)
    if isinstance(props.get("maxLength"), int):
        line.setMaxLength(props["maxLength"])
    line.textEdited.connect(lambda text: canvas.send(node_id, "input", {"value": text}))
    line.returnPressed.connect(lambda: canvas.send(node_id, "keydown", {"key": "Enter"}))
    if box.display not in ("block", "flex") and "width" not in box.sizes:
        line.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Fixed)  # inline-block, as in a browser
    watch_focus(canvas, line, node_id)
    return line


def _textarea(canvas: PreviewCanvas, node: dict, box: BoxStyle, report: RenderReport) -> QWidget:
    props = node["props"]
    edit = QPlainTextEdit()
    edit.setPlainText(dom_value(node))
    edit.setPlaceholderText(str(props.get("placeholder", "") or ""))
    rows = props.get("rows", 3)
    edit.setFixedHeight(int(rows if isinstance(rows, int) else 3) * (round(box.text.font_px * 1.5)) + 12)
    node_id = node["id"]

    def changed():
        if not canvas.silent:
            canvas.send(node_id, "input", {"value": edit.toPlainText()})
    edit.textChanged.connect(changed)
    watch_focus(canvas, edit, node_id)
    return edit


def _select(canvas: PreviewCanvas, node: dict, box: BoxStyle, report: RenderReport) -> QWidget:
    combo = QComboBox()
    values = []
    for option in node["children"]:
        if isinstance(option, dict) and option["type"] == "option":
            value = option["props"].get("value", text_of(option["children"]))
            values.append(str(value))
            combo.addItem(text_of(option["children"]), str(value))
    current = dom_value(node, values[0] if values else "")
    if current in values:
        combo.setCurrentIndex(values.index(current))
    node_id = node["id"]
    combo.activated.connect(lambda index: canvas.send(node_id, "change", {"value": values[index]}))
    combo.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Fixed)
    watch_focus(canvas, combo, node_id)
    return combo


def _image(canvas: PreviewCanvas, node: dict, box: BoxStyle, report: RenderReport) -> QWidget:
    props = node["props"]
    label = NodeLabel(node["id"], canvas, clickable=has_handler(node, "onClick"))
    src = str(props.get("src", ""))
    pixmap = _data_url_pixmap(src)
    if pixmap is None:
        alt = props.get("alt") or src.rsplit("/", 1)[-1] or "image"
        label.setText(f"<i>[image: {html.escape(str(alt))}]</i>")
        if src and not src.startswith("data:"):
            report.notes.append("remote images are not loaded (use a data: URL to preview one)")
        else:
            report.notes.append("an image's data: URL could not be decoded")
        return label
    width, height = _image_size(props, box, pixmap.size())
    label.setPixmap(pixmap.scaled(width, height, Qt.IgnoreAspectRatio, Qt.SmoothTransformation))
    label.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Maximum)
    return label


def _data_url_pixmap(src: str) -> QPixmap | None:
    if not src.startswith("data:") or "," not in src:
        return None
    header, payload = src.split(",", 1)
    try:
        raw = base64.b64decode(payload) if header.endswith(";base64") else payload.encode("utf-8")
    except ValueError:
        return None
    pixmap = QPixmap()
    return pixmap if pixmap.loadFromData(QByteArray(raw)) else None


def _image_size(props: dict, box: BoxStyle, natural: QSize) -> tuple[int, int]:
    width = box.sizes.get("width") or _int(props.get("width"))
    height = box.sizes.get("height") or _int(props.get("height"))
    if width and not height:
        height = round(natural.height() * width / max(1, natural.width()))
    elif height and not width:
        width = round(natural.width() * height / max(1, natural.height()))
    return width or natural.width(), height or natural.height()


def _int(value) -> int | None:
    try:
        return int(float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


def _rule(canvas: PreviewCanvas, node: dict, box: BoxStyle, report: RenderReport) -> QWidget:
    line = QFrame()
    line.setFrameShape(QFrame.HLine)
    line.setFrameShadow(QFrame.Sunken)
    return line


def _table(canvas: PreviewCanvas, node: dict, box: BoxStyle, report: RenderReport) -> QWidget:
    frame = NodeFrame(node["id"], canvas, clickable=has_handler(node, "onClick"), hover=False)
    grid = QGridLayout(frame)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(2)
    rows = [r for r in _table_rows(node)]
    for r, row in enumerate(rows):
        column = 0
        for cell in row["children"]:
            if not isinstance(cell, dict) or cell["type"] not in ("td", "th"):
                continue
            widget = canvas.build_element(cell, box.text, report)  # cells rebuild with their table
            span = _int(cell["props"].get("colSpan")) or 1
            if widget is not None:
                grid.addWidget(widget, r, column, 1, span)
            column += span
    return frame


def _table_rows(node: dict):
    for child in node["children"]:
        if isinstance(child, dict):
            if child["type"] == "tr":
                yield child
            elif child["type"] in ("thead", "tbody", "tfoot"):
                yield from _table_rows(child)


CONTROL_BUILDERS = {"button": _button, "input": _input, "textarea": _textarea, "select": _select,
                     "img": _image, "hr": _rule, "table": _table}


def sync_value(widget: QWidget, node: dict) -> None:
    """Show the element's own value now: React may have written a controlled value back over what
    was typed, and a checkbox a click did not change stays as it is."""
    if isinstance(widget, QLineEdit) and widget.text() != dom_value(node):
        widget.setText(dom_value(node))
    elif isinstance(widget, QPlainTextEdit) and widget.toPlainText() != dom_value(node):
        widget.setPlainText(dom_value(node))
    elif isinstance(widget, (QCheckBox, QRadioButton)) and widget.isChecked() != dom_checked(node):
        widget.setChecked(dom_checked(node))


class _FocusWatcher(QObject):
    """Tells React when a control gains or loses focus (React's onFocus/onBlur bubble)."""

    def __init__(self, canvas: PreviewCanvas, node_id: int, parent: QWidget):
        super().__init__(parent)
        self._canvas = canvas
        self._node_id = node_id

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.FocusIn:
            self._canvas.send(self._node_id, "focus")
        elif event.type() == QEvent.FocusOut:
            self._canvas.send(self._node_id, "blur")
        return False


def watch_focus(canvas: PreviewCanvas, widget: QWidget, node_id: int) -> None:
    widget.installEventFilter(_FocusWatcher(canvas, node_id, widget))
