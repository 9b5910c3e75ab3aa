"""The element tree a widget rendered, shown as native Qt widgets.

Block elements become framed containers (a box layout: block flow, or flex row/column); runs of
text and inline elements become one rich-text label, where an inline element with a handler is
a link; form controls are the matching Qt controls. Every widget knows its element's node id, so
user input goes back to the JS worker as ``element_event(node_id, type, data)`` and React bubbles
it there. A render whose tree kept its shape is patched: only elements whose props or text
changed are rebuilt (a typical edit or click costs well under a millisecond of Qt work, where
rebuilding 400 elements takes ~110 ms). The focused control and its cursor are restored, so
typing into a controlled input works.
"""
from __future__ import annotations

import base64
import html
import re
from collections import Counter
from dataclasses import dataclass, field

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QCursor, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout, QCheckBox, QComboBox, QFrame, QGraphicsOpacityEffect, QGridLayout, QHBoxLayout,
    QLabel, QLayout, QLineEdit, QPlainTextEdit, QPushButton, QRadioButton, QSizePolicy, QSlider, QVBoxLayout,
    QWidget,
)

from plugin_studio.ui.preview import styles
from plugin_studio.ui.preview.styles import BoxStyle, TextStyle

INLINE = {"span", "strong", "b", "em", "i", "a", "small", "code", "u", "s", "sup", "sub", "br", "mark", "label",
          "abbr", "time", "kbd", "del", "ins", "q", "cite"}
CONTROLS = {"button", "input", "textarea", "select", "img", "hr", "table"}
_INLINE_HTML = {"strong": "b", "b": "b", "em": "i", "i": "i", "u": "u", "s": "s", "del": "s", "code": "code",
                "kbd": "code", "sup": "sup", "sub": "sub", "small": "small"}
# The browser's own style sheet, so an unstyled widget looks as it would on the storefront.
TAG_DEFAULTS = {
    "h1": {"fontSize": "2em", "fontWeight": "bold", "margin": "0.67em 0"},
    "h2": {"fontSize": "1.5em", "fontWeight": "bold", "margin": "0.83em 0"},
    "h3": {"fontSize": "1.17em", "fontWeight": "bold", "margin": "1em 0"},
    "h4": {"fontWeight": "bold", "margin": "1.33em 0"},
    "h5": {"fontSize": "0.83em", "fontWeight": "bold", "margin": "1.67em 0"},
    "h6": {"fontSize": "0.67em", "fontWeight": "bold", "margin": "2.33em 0"},
    "p": {"margin": "1em 0"},
    "ul": {"margin": "1em 0", "paddingLeft": "40px"},
    "ol": {"margin": "1em 0", "paddingLeft": "40px"},
    "blockquote": {"margin": "1em 40px"},
    "strong": {"fontWeight": "bold"}, "b": {"fontWeight": "bold"},
    "em": {"fontStyle": "italic"}, "i": {"fontStyle": "italic"},
    "a": {"color": "#2563eb", "textDecoration": "underline"},
    "small": {"fontSize": "0.83em"},
    "th": {"fontWeight": "bold", "padding": "1px"}, "td": {"padding": "1px"},
    "code": {"fontFamily": "monospace"}, "pre": {"fontFamily": "monospace", "margin": "1em 0"},
    # Form controls use a smaller font in browsers.
    "button": {"fontSize": "13.333px", "padding": "2px 8px", "border": "1px solid #767676", "borderRadius": "3px",
               "background": "#efefef"},
    "input": {"fontSize": "13.333px", "padding": "2px 3px", "border": "1px solid #767676", "borderRadius": "2px",
              "background": "#ffffff"},
    "textarea": {"fontSize": "13.333px", "padding": "2px 3px", "border": "1px solid #767676",
                 "background": "#ffffff"},
    "select": {"fontSize": "13.333px"},
}
_ALIGN = {"left": Qt.AlignLeft, "center": Qt.AlignHCenter, "right": Qt.AlignRight, "justify": Qt.AlignJustify,
          "start": Qt.AlignLeft, "end": Qt.AlignRight}


@dataclass
class RenderReport:
    """What one render could not show: style properties by name (with counts) and other notes."""
    unrendered: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    widgets: int = 0

    def summary(self) -> str:
        parts = []
        if self.unrendered:
            names = ", ".join(f"{n} ×{c}" if c > 1 else n for n, c in sorted(self.unrendered.items()))
            parts.append(f"not rendered: {names}")
        parts.extend(dict.fromkeys(self.notes))
        return "; ".join(parts)


def text_of(children) -> str:
    out = []
    for child in children:
        out.append(child if isinstance(child, str) else text_of(child.get("children", [])))
    return "".join(out)


def _has(node: dict, *handlers: str) -> bool:
    props = node.get("props", {})
    return any(isinstance(props.get(h), dict) and "$handler" in props[h] for h in handlers)


def _is_inline(node) -> bool:
    if isinstance(node, str):
        return True
    style = node.get("props", {}).get("style") or {}
    display = str(style.get("display", ""))
    if node["type"] not in INLINE or display in ("block", "flex", "grid", "none", "inline-block", "inline-flex"):
        return False
    return all(_is_inline(c) for c in node.get("children", []))


class NodeFrame(QFrame):
    """A block element; clickable when it (not a descendant) has an onClick."""

    def __init__(self, node_id: int, canvas: "PreviewCanvas", clickable: bool, hover: bool):
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


class NodeLabel(QLabel):
    """Text: a block of inline content, or an element that holds only text."""

    def __init__(self, node_id: int | None, canvas: "PreviewCanvas", clickable: bool):
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


class PreviewCanvas(QWidget):
    """Shows one element tree; ``element_event`` carries user input back to the widget."""

    element_event = Signal(int, str, dict)  # node id, DOM event type, {value|checked|key}

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("previewCanvas")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._body: QWidget | None = None
        self._tree: list | None = None
        self._controls: dict[int, QWidget] = {}
        self._built: dict[int, _Built] = {}  # node id (0: the body) -> how its widget was made
        self._rules: list[str] = []
        self._runs = 0
        self._generation = 0
        self._silent = False
        self.report = RenderReport()

    # ----------------------------------------------------------- public

    def show_tree(self, tree: list) -> RenderReport:
        """Show ``tree``: only the parts that changed are rebuilt when the rest kept its shape."""
        focus = self._focused_control()
        if self._tree is not None and self._patch(tree):
            self._restore_focus(focus)
            return self.report
        self._build_all(tree)
        self._restore_focus(focus)
        return self.report

    def _patch(self, tree: list) -> bool:
        self._silent = True
        self.setUpdatesEnabled(False)
        try:
            patched = self._patch_children(0, self._tree, tree, TextStyle(), self.report, None)
        finally:
            self.setUpdatesEnabled(True)
            self._silent = False
        if patched:
            self._tree = tree
        return patched

    def _build_all(self, tree: list) -> None:
        report = RenderReport()
        self._controls, self._built = {}, {}
        # One style sheet for the whole tree: per-widget sheets cost a style object and a
        # re-polish of every descendant each time a styled subtree is reparented.
        self._rules = []
        body = QWidget()
        body.setObjectName("previewBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self._built[0] = _Built(body, None, TextStyle(), None, container=True)
        self._silent = True
        try:
            self._add_children(layout, tree, TextStyle(), report, form=None, owner=0)
        finally:
            self._silent = False
        layout.addStretch(1)
        body.setStyleSheet("\n".join(self._rules))
        self.setUpdatesEnabled(False)
        if self._body is not None:
            self._layout.removeWidget(self._body)
            self._body.hide()
            self._body.deleteLater()
        self._body = body
        self._layout.addWidget(body)
        body.show()  # now, not on the next event loop pass as a layout would
        self.setUpdatesEnabled(True)
        self._tree = tree
        self.report = report

    # ----------------------------------------------------------- patching what changed

    def _patch_children(self, owner: int, old: list, new: list, inherited: TextStyle, report: RenderReport,
                        form: int | None) -> bool:
        """Update the children of ``owner`` in place; False when their layout changed (rebuild owner)."""
        if _shape(old) != _shape(new):
            return False
        labels = self._built[owner].runs
        for label, old_run, new_run in zip(labels, _runs(old), _runs(new)):
            if old_run != new_run:
                if label is None or _blank(new_run):
                    return False
                label.setText(self._inline_html(new_run, inherited, report))
        old_blocks = [c for c in old if not _is_inline(c)]
        new_blocks = [c for c in new if not _is_inline(c)]
        return all(self._patch_node(o, n, report) for o, n in zip(old_blocks, new_blocks))

    def _patch_node(self, old: dict, new: dict, report: RenderReport) -> bool:
        built = self._built.get(old["id"])
        if built is None:
            return True  # display: none before and after (the shapes matched)
        if old == new:
            _sync_value(built.widget, new)
            return True
        if built.container and old["props"] == new["props"]:
            box = styles.compute(new["props"].get("style"), built.inherited, TAG_DEFAULTS.get(new["type"]))
            if new["type"] in ("ul", "ol"):
                _number_items(new, box)
            form = new["id"] if new["type"] == "form" else built.form
            if self._patch_children(new["id"], _with_bullet(old), _with_bullet(new), box.text, report, form):
                return True
        return self._rebuild(old, new, built, report)

    def _rebuild(self, old: dict, new: dict, built: "_Built", report: RenderReport) -> bool:
        if built.layout is None:
            return False
        for node_id in _ids(old):
            self._controls.pop(node_id, None)
            self._built.pop(node_id, None)
        self._generation += 1
        self._rules = []
        widget = self._build(new, built.inherited, report, built.form)
        if widget is None:
            return False
        widget.setStyleSheet("\n".join(self._rules))
        built.layout.replaceWidget(built.widget, widget)
        self._built[new["id"]].layout = built.layout
        built.widget.hide()
        built.widget.deleteLater()
        widget.show()
        return True

    def control(self, node_id: int) -> QWidget | None:
        """The Qt widget showing element ``node_id`` (tests and the focus restore use it)."""
        return self._controls.get(node_id)

    def send(self, node_id: int | None, type_: str, data: dict | None = None) -> None:
        if node_id is not None and not self._silent:
            self.element_event.emit(node_id, type_, data or {})

    # ----------------------------------------------------------- building

    def _add_children(self, layout: QBoxLayout, children: list, inherited: TextStyle, report: RenderReport,
                      form: int | None, owner: int, flex: dict | None = None) -> bool:
        """Add the widgets of ``children``; True when one of them grows along a flex axis."""
        runs = self._built[owner].runs
        run: list = []
        grows = False
        for child in children:
            if _is_inline(child):
                run.append(child)
                continue
            if run:
                runs.append(self._flush_run(layout, run, inherited, report))
            run = []
            widget = self._build(child, inherited, report, form)
            if widget is not None:
                self._built[child["id"]].layout = layout
                grows = self._place(layout, widget, child, flex) or grows
        if run:
            runs.append(self._flush_run(layout, run, inherited, report))
        return grows

    def _place(self, layout: QBoxLayout, widget: QWidget, node: dict, flex: dict | None) -> bool:
        style = node.get("props", {}).get("style") or {}
        stretch = 0
        grow = style.get("flex", style.get("flexGrow"))
        if flex is not None and grow not in (None, "none", 0, "0"):
            try:
                stretch = max(1, int(float(str(grow).split()[0])))
            except ValueError:
                stretch = 1
        align = Qt.Alignment()
        if flex is not None:
            align = _cross_alignment(style.get("alignSelf") or flex.get("alignItems"), flex["row"])
        layout.addWidget(widget, stretch, align)
        return stretch > 0

    def _flush_run(self, layout: QBoxLayout, run: list, inherited: TextStyle,
                   report: RenderReport) -> QLabel | None:
        if _blank(run):
            return None
        label = NodeLabel(None, self, clickable=False)
        label.setText(self._inline_html(run, inherited, report))
        self._runs += 1
        label.setObjectName(f"r{self._runs}")
        self._rules.append(f"QLabel#r{self._runs} {{ {inherited.css()}; background: transparent }}")
        label.setAlignment(_ALIGN.get(inherited.align, Qt.AlignLeft) | Qt.AlignTop)
        report.widgets += 1
        layout.addWidget(label)
        return label

    def _inline_html(self, children: list, inherited: TextStyle, report: RenderReport) -> str:
        out = []
        for child in children:
            if isinstance(child, str):
                out.append(html.escape(inherited.apply_transform(child)).replace("\n", " "))
                continue
            if child["type"] == "br":
                out.append("<br/>")
                continue
            box = styles.compute(child["props"].get("style"), inherited, TAG_DEFAULTS.get(child["type"]))
            report.unrendered.update(box.unrendered)
            inner = self._inline_html(child["children"], box.text, report)
            if box.text != inherited or box.qss:
                inner = f'<span style="{html.escape(_inline_css(box), quote=True)}">{inner}</span>'
            tag = _INLINE_HTML.get(child["type"])
            if tag in ("sup", "sub", "code"):
                inner = f"<{tag}>{inner}</{tag}>"
            if _has(child, "onClick") or child["type"] == "a":
                link_css = f"color: {box.text.color}; text-decoration: {box.text.decoration or 'none'}"
                inner = f'<a href="node:{child["id"]}" style="{link_css}">{inner}</a>'
                if child["type"] == "a" and not _has(child, "onClick") and child["props"].get("href"):
                    report.notes.append("links do not navigate in the preview")
            out.append(inner)
        return "".join(out)

    def _build(self, node, inherited: TextStyle, report: RenderReport, form: int | None) -> QWidget | None:
        kind = node["type"]
        props = node.get("props", {})
        box = styles.compute(props.get("style"), inherited, TAG_DEFAULTS.get(kind))
        report.unrendered.update(box.unrendered)
        if box.display == "none":
            return None
        report.widgets += 1
        if kind == "form":
            form = node["id"]
        if kind in ("ul", "ol"):
            _number_items(node, box)
        builder = _CONTROL_BUILDERS.get(kind)
        if builder is not None:
            widget = builder(self, node, box, report, form)
        elif all(_is_inline(c) for c in node["children"]) and box.display not in ("flex", "inline-flex"):
            widget = self._text_block(node, box, report)
        else:
            widget = self._container(node, box, report, form, inherited)
        if node["id"] not in self._built:
            self._built[node["id"]] = _Built(widget, None, inherited, form, container=False)
        self._finish(widget, node, box, report)
        return widget

    def _text_block(self, node: dict, box: BoxStyle, report: RenderReport) -> QWidget:
        label = NodeLabel(node["id"], self, clickable=_has(node, "onClick"))
        content = self._inline_html(node["children"], box.text, report)
        if node["type"] == "li":
            content = _bullet(node) + content
        if "dangerouslySetInnerHTML" in node["props"]:
            content = str((node["props"]["dangerouslySetInnerHTML"] or {}).get("__html", ""))
            report.notes.append("dangerouslySetInnerHTML shown as Qt rich text")
        label.setText(content)
        label.setAlignment(_ALIGN.get(box.text.align, Qt.AlignLeft) | Qt.AlignTop)
        return label

    def _container(self, node: dict, box: BoxStyle, report: RenderReport, form: int | None,
                   inherited: TextStyle) -> QWidget:
        frame = NodeFrame(node["id"], self, clickable=_has(node, "onClick"),
                          hover=_has(node, "onMouseEnter", "onMouseLeave"))
        self._built[node["id"]] = _Built(frame, None, inherited, form, container=True)
        style = box.style
        flex = None
        if box.display in ("flex", "inline-flex"):
            direction = str(style.get("flexDirection", "row"))
            flex = {"row": direction.startswith("row"), "alignItems": style.get("alignItems", "stretch")}
            layout = QHBoxLayout(frame) if flex["row"] else QVBoxLayout(frame)
            if direction.endswith("reverse"):
                layout.setDirection(QBoxLayout.RightToLeft if flex["row"] else QBoxLayout.BottomToTop)
            gap = style.get("columnGap" if flex["row"] else "rowGap", style.get("gap", 0))
            layout.setSpacing(round(styles.length_px(str(gap).split()[0], box.text.font_px) or 0))
            if style.get("flexWrap") not in (None, "nowrap"):
                report.unrendered["flexWrap"] += 1
        else:
            layout = QVBoxLayout(frame)
            layout.setSpacing(0)
            if box.display == "grid":
                report.unrendered["display: grid"] += 1
        layout.setContentsMargins(0, 0, 0, 0)
        grows = self._add_children(layout, _with_bullet(node), box.text, report, form, node["id"], flex)
        justify = str(style.get("justifyContent", "flex-start")) if flex else "flex-start"
        if not grows:
            _justify(layout, justify)
        return frame

    def _finish(self, widget: QWidget, node: dict, box: BoxStyle, report: RenderReport) -> None:
        # A rebuilt part gets new names: the whole tree's style sheet still holds the old rules.
        name = f"n{node['id']}" + (f"-{self._generation}" if self._generation else "")
        widget.setObjectName(name)
        self._controls[node["id"]] = widget
        base = type(widget).__name__ if not isinstance(widget, (NodeFrame, NodeLabel)) else (
            "QFrame" if isinstance(widget, NodeFrame) else "QLabel")
        sheet = [box.sheet(f"{base}#{name}")]
        if isinstance(widget, (NodeLabel, QPushButton, QLineEdit, QPlainTextEdit, QComboBox, QCheckBox, QRadioButton)):
            sheet.append(f"{base}#{name} {{ {box.text.css()} }}")
        self._rules.extend(s for s in sheet if s)
        sizes = box.sizes
        if "width" in sizes:
            widget.setFixedWidth(sizes["width"])
        if "height" in sizes:
            widget.setFixedHeight(sizes["height"])
        if "minWidth" in sizes:
            widget.setMinimumWidth(sizes["minWidth"])
        if "maxWidth" in sizes:
            widget.setMaximumWidth(sizes["maxWidth"])
        if "minHeight" in sizes:
            widget.setMinimumHeight(sizes["minHeight"])
        if "maxHeight" in sizes:
            widget.setMaximumHeight(sizes["maxHeight"])
        if box.opacity is not None and box.opacity < 1:
            effect = QGraphicsOpacityEffect(widget)
            effect.setOpacity(box.opacity)
            widget.setGraphicsEffect(effect)
        if box.display in ("inline-block", "inline-flex", "inline") and not isinstance(widget, NodeLabel):
            widget.setSizePolicy(QSizePolicy.Maximum, widget.sizePolicy().verticalPolicy())
        title = node["props"].get("title")
        if title:
            widget.setToolTip(str(title))
        if node["props"].get("disabled") is True:
            widget.setEnabled(False)

    # ----------------------------------------------------------- focus across renders

    def _focused_control(self):
        widget = self.focusWidget()
        while widget is not None and not re.match(r"^n\d", widget.objectName()):
            widget = widget.parentWidget()
        if widget is None or self._body is None or not self._body.isAncestorOf(widget):
            return None
        cursor = widget.cursorPosition() if isinstance(widget, QLineEdit) else (
            widget.textCursor().position() if isinstance(widget, QPlainTextEdit) else None)
        return int(widget.objectName()[1:].split("-")[0]), cursor

    def _restore_focus(self, focus) -> None:
        if not focus:
            return
        widget = self._controls.get(focus[0])
        if widget is None:
            return
        widget.setFocus(Qt.OtherFocusReason)
        if isinstance(widget, QLineEdit) and focus[1] is not None:
            widget.setCursorPosition(min(focus[1], len(widget.text())))
        elif isinstance(widget, QPlainTextEdit) and focus[1] is not None:
            cursor = widget.textCursor()
            cursor.setPosition(min(focus[1], len(widget.toPlainText())))
            widget.setTextCursor(cursor)


# --------------------------------------------------------------- controls

def _button(canvas: PreviewCanvas, node: dict, box: BoxStyle, report: RenderReport, form: int | None) -> QWidget:
    button = QPushButton(box.text.apply_transform(text_of(node["children"])))
    button.setCursor(QCursor(Qt.PointingHandCursor))
    node_id = node["id"]
    submits = form is not None and node["props"].get("type", "submit") == "submit"

    def clicked():
        canvas.send(node_id, "click")
        if submits:
            canvas.send(form, "submit")
    button.clicked.connect(clicked)
    if box.display not in ("block", "flex"):
        button.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Fixed)
    return button


def _input(canvas: PreviewCanvas, node: dict, box: BoxStyle, report: RenderReport, form: int | None) -> QWidget:
    props = node["props"]
    kind = str(props.get("type", "text"))
    node_id = node["id"]
    if kind in ("checkbox", "radio"):
        box_widget = QCheckBox() if kind == "checkbox" else QRadioButton()
        box_widget.setChecked(bool(props.get("checked", props.get("defaultChecked", False))))
        box_widget.clicked.connect(lambda checked: canvas.send(node_id, "change", {"checked": checked}))
        box_widget.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Fixed)
        return box_widget
    if kind == "range":
        slider = QSlider(Qt.Horizontal)
        slider.setRange(int(float(props.get("min", 0))), int(float(props.get("max", 100))))
        slider.setValue(int(float(props.get("value", props.get("defaultValue", 50)) or 0)))
        slider.sliderMoved.connect(lambda v: canvas.send(node_id, "change", {"value": str(v)}))
        return slider
    line = QLineEdit()
    line.setText(str(props.get("value", props.get("defaultValue", "")) or ""))
    line.setPlaceholderText(str(props.get("placeholder", "") or ""))
    if kind == "password":
        line.setEchoMode(QLineEdit.Password)
    if props.get("readOnly"):
        line.setReadOnly(True)
    if isinstance(props.get("maxLength"), int):
        line.setMaxLength(props["maxLength"])
    line.textEdited.connect(lambda text: canvas.send(node_id, "change", {"value": text}))
    if box.display not in ("block", "flex") and "width" not in box.sizes:
        line.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Fixed)  # inline-block, as in a browser
    if form is not None:
        line.returnPressed.connect(lambda: canvas.send(form, "submit"))
    if _has(node, "onKeyDown"):
        line.returnPressed.connect(lambda: canvas.send(node_id, "keydown", {"key": "Enter"}))
    if _has(node, "onBlur"):
        line.editingFinished.connect(lambda: canvas.send(node_id, "blur"))
    return line


def _textarea(canvas: PreviewCanvas, node: dict, box: BoxStyle, report: RenderReport, form: int | None) -> QWidget:
    props = node["props"]
    edit = QPlainTextEdit()
    edit.setPlainText(str(props.get("value", props.get("defaultValue", text_of(node["children"]))) or ""))
    edit.setPlaceholderText(str(props.get("placeholder", "") or ""))
    rows = props.get("rows", 3)
    edit.setFixedHeight(int(rows if isinstance(rows, int) else 3) * (round(box.text.font_px * 1.5)) + 12)
    node_id = node["id"]

    def changed():
        if not canvas._silent:
            canvas.send(node_id, "change", {"value": edit.toPlainText()})
    edit.textChanged.connect(changed)
    return edit


def _select(canvas: PreviewCanvas, node: dict, box: BoxStyle, report: RenderReport, form: int | None) -> QWidget:
    combo = QComboBox()
    values = []
    for option in node["children"]:
        if isinstance(option, dict) and option["type"] == "option":
            value = option["props"].get("value", text_of(option["children"]))
            values.append(str(value))
            combo.addItem(text_of(option["children"]), str(value))
    current = node["props"].get("value", node["props"].get("defaultValue"))
    if current is not None and str(current) in values:
        combo.setCurrentIndex(values.index(str(current)))
    node_id = node["id"]
    combo.activated.connect(lambda index: canvas.send(node_id, "change", {"value": values[index]}))
    combo.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Fixed)
    return combo


def _image(canvas: PreviewCanvas, node: dict, box: BoxStyle, report: RenderReport, form: int | None) -> QWidget:
    props = node["props"]
    label = NodeLabel(node["id"], canvas, clickable=_has(node, "onClick"))
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


def _rule(canvas: PreviewCanvas, node: dict, box: BoxStyle, report: RenderReport, form: int | None) -> QWidget:
    line = QFrame()
    line.setFrameShape(QFrame.HLine)
    line.setFrameShadow(QFrame.Sunken)
    return line


def _table(canvas: PreviewCanvas, node: dict, box: BoxStyle, report: RenderReport, form: int | None) -> QWidget:
    frame = NodeFrame(node["id"], canvas, clickable=_has(node, "onClick"), hover=False)
    grid = QGridLayout(frame)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(2)
    rows = [r for r in _table_rows(node)]
    for r, row in enumerate(rows):
        column = 0
        for cell in row["children"]:
            if not isinstance(cell, dict) or cell["type"] not in ("td", "th"):
                continue
            widget = canvas._build(cell, box.text, report, form)  # cells rebuild with their table
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


_CONTROL_BUILDERS = {"button": _button, "input": _input, "textarea": _textarea, "select": _select,
                     "img": _image, "hr": _rule, "table": _table}


# --------------------------------------------------------------- helpers

def _inline_css(box: BoxStyle) -> str:
    """Qt rich text takes colours, fonts and a background on a span, not a box."""
    css = box.text.css()
    for declaration in box.qss:
        if declaration.startswith("background-color"):
            css += "; " + declaration
    return css


@dataclass
class _Built:
    """How an element's widget was made, so a later render can patch or replace just it."""
    widget: QWidget
    layout: QLayout | None       # the layout holding it (None inside a table grid)
    inherited: TextStyle
    form: int | None
    container: bool              # its children were laid out by _add_children
    runs: list = field(default_factory=list)  # its inline-run labels in order (None: blank run)


def _blank(run: list) -> bool:
    return all(isinstance(c, str) and not c.strip() for c in run)


def _shape(children: list) -> list:
    """The layout an element list produces: runs of inline content and the block elements."""
    shape: list = []
    for child in children:
        if _is_inline(child):
            if not shape or shape[-1] != "run":
                shape.append("run")
            continue
        hidden = str((child.get("props", {}).get("style") or {}).get("display", "")) == "none"
        shape.append((child["id"], child["type"], hidden))
    return shape


def _runs(children: list) -> list[list]:
    runs: list[list] = []
    previous_inline = False
    for child in children:
        inline = _is_inline(child)
        if inline:
            if not previous_inline:
                runs.append([])
            runs[-1].append(child)
        previous_inline = inline
    return runs


def _ids(node) -> list[int]:
    if isinstance(node, str):
        return []
    return [node["id"]] + [i for c in node.get("children", []) for i in _ids(c)]


def _with_bullet(node: dict) -> list:
    children = node["children"]
    if node["type"] == "li" and children and _bullet_text(node):
        return [_bullet_text(node)] + children
    return children


def _sync_value(widget: QWidget, node: dict) -> None:
    """A controlled input whose value did not change still shows that value, not what was typed."""
    value = node["props"].get("value")
    if value is None:
        return
    if isinstance(widget, QLineEdit) and widget.text() != str(value):
        widget.setText(str(value))
    elif isinstance(widget, QPlainTextEdit) and widget.toPlainText() != str(value):
        widget.setPlainText(str(value))


def _number_items(node: dict, box: BoxStyle) -> None:
    """Give each <li> its marker: bullets for <ul>, 1. 2. 3. for <ol>, none for list-style none."""
    style = box.style
    hidden = str(style.get("listStyle", style.get("listStyleType", ""))).startswith("none")
    items = [c for c in node["children"] if isinstance(c, dict) and c["type"] == "li"]
    for index, item in enumerate(items, start=1):
        item["_marker"] = "" if hidden else (f"{index}. " if node["type"] == "ol" else "• ")


def _bullet(node: dict) -> str:
    return html.escape(_bullet_text(node))


def _bullet_text(node: dict) -> str:
    return node.get("_marker", "")


def _justify(layout: QBoxLayout, justify: str) -> None:
    """CSS justify-content along the layout's axis, with stretches (items that grow leave no room)."""
    widgets = [i for i in range(layout.count()) if layout.itemAt(i).widget() is not None]
    if justify in ("space-between", "space-around", "space-evenly") and len(widgets) > 1:
        for offset, index in enumerate(widgets[1:]):
            layout.insertStretch(index + offset, 1)
    if justify in ("center", "flex-end", "end", "right", "space-around", "space-evenly"):
        layout.insertStretch(0, 1)
    if justify not in ("flex-end", "end", "right") and not (justify == "space-between" and len(widgets) > 1):
        layout.addStretch(1)


def _cross_alignment(value, row: bool) -> Qt.Alignment:
    value = str(value or "stretch")
    if value == "stretch":
        return Qt.Alignment()
    if row:
        return {"center": Qt.AlignVCenter, "flex-start": Qt.AlignTop, "start": Qt.AlignTop,
                "flex-end": Qt.AlignBottom, "end": Qt.AlignBottom, "baseline": Qt.AlignVCenter}.get(value, Qt.Alignment())
    return {"center": Qt.AlignHCenter, "flex-start": Qt.AlignLeft, "start": Qt.AlignLeft,
            "flex-end": Qt.AlignRight, "end": Qt.AlignRight}.get(value, Qt.Alignment())
