"""The element tree a widget rendered, shown as native Qt widgets.

Block elements become framed containers (a box layout: block flow, or flex row/column); runs of
text and inline elements become one rich-text label, where an inline element with a handler is
a link; form controls are the matching Qt controls (``controls``). Every widget knows its
element's node id, so user input goes back to the JS worker as ``element_event(node_id, type,
data)`` and React bubbles it there.

A new render is patched into the widgets already shown, child lists keyed by element id (the
runtime keeps an element's id across renders by React's rules: its ``key``, else its position
and type): a changed text is set in place, a new element is built and inserted, a removed one
is deleted, a moved one is moved within its container's layout, and every other widget stays
the same Qt object. Adding a row to a 400-element list costs ~3 ms here, plus one layout pass in
the event loop, where rebuilding the list took ~120 ms. The focused control and its cursor are
restored, so typing into a controlled input works.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout, QCheckBox, QComboBox, QHBoxLayout,
    QLabel, QLayout, QLineEdit, QPlainTextEdit, QPushButton, QRadioButton, QSizePolicy, QVBoxLayout, QWidget,
)

from plugin_studio.ui.preview import styles
from plugin_studio.ui.preview.box_layout import (
    Placement, arrange, justify, placement, show_without_relayout, widget_span, widgets_in,
)
from plugin_studio.ui.preview.controls import CONTROL_BUILDERS, NodeFrame, NodeLabel, sync_value
from plugin_studio.ui.preview.decorate import apply_sizes, gap_px, graphics_effect
from plugin_studio.ui.preview.elements import (
    TAG_DEFAULTS, has_handler, ids, is_blank, is_inline, is_run, number_items, segments, with_marker,
)
from plugin_studio.ui.preview.grid_flow import FlowLayout, grid_tracks
from plugin_studio.ui.preview.styles import BoxStyle, TextStyle
from plugin_studio.ui.preview.text_html import ALIGN, RenderReport, inline_html, label_html, text_block_html


@dataclass
class _Built:
    """How an element's widget was made, so a later render can patch or replace just it."""
    widget: QWidget
    layout: QLayout | None       # the layout holding it (None inside a table grid)
    inherited: TextStyle
    kind: str                    # "container" (children laid out by _add_children), "text" or "control"
    owner: int | None = None     # the container element holding it (0: the body)
    runs: dict = field(default_factory=dict)  # container: run key -> its label (None: a blank run)
    flex: dict | None = None     # container: {"row", "alignItems"} when it lays out a flex box
    grows: bool = False          # container: a child grows along the flex axis (no justify stretches)
    whole: bool = False          # container: laid out again whole on a change (a grid, a wrapping row)


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
        """Show ``tree``, keeping the widgets of every element that is still there."""
        focus = self._focused_control()
        if self._tree is None or not self._patch(tree):
            self._build_all(tree)
        self._restore_focus(focus)
        return self.report

    def control(self, node_id: int) -> QWidget | None:
        """The Qt widget showing element ``node_id`` (tests and the focus restore use it)."""
        return self._controls.get(node_id)

    def send(self, node_id: int | None, type_: str, data: dict | None = None) -> None:
        if node_id is not None and not self._silent:
            self.element_event.emit(node_id, type_, data or {})

    @property
    def silent(self) -> bool:
        """True while widgets are being built or patched: their signals are not the user's input."""
        return self._silent

    # ----------------------------------------------------------- the whole tree

    def _patch(self, tree: list) -> bool:
        # No setUpdatesEnabled(False/True) around it: nothing paints while this runs anyway, and
        # enabling updates again repaints the canvas and every widget in it (74 widgets painted
        # for an edit that changed one text, ~40 ms), where Qt otherwise repaints what changed.
        self._silent = True
        try:
            patched = self._patch_children(0, self._tree, tree, TextStyle(), self.report)
        finally:
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
        self._built[0] = _Built(body, None, TextStyle(), None, "container")
        self._silent = True
        try:
            self._add_children(layout, tree, TextStyle(), report, owner=0)
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

    def _patch_children(self, owner: int, old: list, new: list, inherited: TextStyle, report: RenderReport) -> bool:
        """Update the children of ``owner`` in place, matched by key; False: rebuild the owner."""
        built = self._built[owner]
        layout = built.widget.layout()
        if built.whole or not isinstance(layout, QBoxLayout):
            return False
        before, after = dict(segments(old)), segments(new)
        places = {key: placement(node, built.flex) for key, node in after if not is_run(key) and not key[2]}
        if any(p.stretch for p in places.values()) != built.grows:
            return False  # justify-content's stretches come or go
        if widget_span(layout) is None and list(before) != [key for key, _ in after]:
            return False  # no widget yet, or space-* stretches between them: no place to insert
        kept = {key for key, _ in after}
        for key, content in before.items():
            if key not in kept:
                self._drop(built, key, content)
        wanted: list[tuple[QWidget, Placement]] = []
        for key, content in after:
            if is_run(key):
                widget = self._patch_run(built, key, before.get(key), content, inherited, report)
            elif key in before:
                if not self._patch_node(before[key], content, report):
                    return False
                widget = self._widget_of(content["id"])
            else:
                widget = self._build_alone(lambda: self._build_child(content, inherited, report, owner))
            if widget is not None:
                wanted.append((widget, places.get(key, Placement())))
        return self._arrange(layout, wanted)

    def _arrange(self, layout: QBoxLayout, wanted: list[tuple[QWidget, Placement]]) -> bool:
        span = widget_span(layout)
        if span is None:
            return [w for w, _ in wanted] == widgets_in(layout)  # nothing to insert or move
        fresh = [w for w, _ in wanted if w.parentWidget() is None]
        arrange(layout, span[0], span[1], wanted)
        show_without_relayout(layout.parentWidget(), fresh, self)
        return True

    def _patch_run(self, built: _Built, key: tuple, old: list | None, new: list, inherited: TextStyle,
                   report: RenderReport) -> QLabel | None:
        label = built.runs.get(key) if old is not None else None
        if is_blank(new):
            if label is not None:
                self._discard(label)
            label = None
        elif label is None:
            label = self._build_alone(lambda: self._run_label(new, inherited, report))
        elif old != new:
            label.setText(label_html(inline_html(new, inherited, report), inherited))
        built.runs[key] = label
        return label

    def _patch_node(self, old: dict, new: dict, report: RenderReport) -> bool:
        built = self._built.get(old["id"])
        if built is None:
            return True  # display: none before and after (showing or hiding it changes its key)
        box = None
        if new["type"] in ("ul", "ol") and old["props"] == new["props"]:
            # the old items carry their markers: numbered alike, an unchanged list compares equal
            box = styles.compute(new["props"].get("style"), built.inherited, TAG_DEFAULTS.get(new["type"]))
            number_items(new, box.style)
        if old == new or (built.kind == "control" and _only_value_changed(old, new)):
            self._sync_controls(new)
            return True
        if old["props"] == new["props"]:
            box = box or styles.compute(new["props"].get("style"), built.inherited, TAG_DEFAULTS.get(new["type"]))
            if built.kind == "container" and not _makes_text_block(new, box):
                if self._patch_children(new["id"], with_marker(old), with_marker(new), box.text, report):
                    return True
            elif built.kind == "text" and _makes_text_block(new, box):
                built.widget.setText(text_block_html(new, box, report))
                return True
        return self._rebuild(old, new, built, report)

    def _sync_controls(self, node: dict) -> None:
        """Form controls in an unchanged subtree still show their element's value: what the user
        typed or ticked may be what React just wrote back over (a controlled element)."""
        if "dom" in node and node["id"] in self._controls:
            sync_value(self._controls[node["id"]], node)
        for child in node["children"]:
            if isinstance(child, dict):
                self._sync_controls(child)

    def _rebuild(self, old: dict, new: dict, built: _Built, report: RenderReport) -> bool:
        if built.layout is None:
            return False
        self._forget(old)
        widget = self._build_alone(lambda: self.build_element(new, built.inherited, report))
        if widget is None:
            return False
        built.layout.replaceWidget(built.widget, widget)
        rebuilt = self._built[new["id"]]
        rebuilt.layout, rebuilt.owner = built.layout, built.owner
        owner = self._built.get(built.owner)
        if owner is not None and owner.flex is not None:
            place = placement(new, owner.flex)
            built.layout.setStretchFactor(widget, place.stretch)
            built.layout.setAlignment(widget, place.align)
        self._discard(built.widget)
        show_without_relayout(built.layout.parentWidget(), [widget], self)
        return True

    def _drop(self, built: _Built, key: tuple, content) -> None:
        """Delete the widget of a child that is gone, and forget its elements."""
        if is_run(key):
            label = built.runs.pop(key, None)
            if label is not None:
                self._discard(label)
            return
        widget = self._widget_of(content["id"])
        self._forget(content)
        if widget is not None:
            self._discard(widget)

    def _discard(self, widget: QWidget) -> None:
        layout = widget.parentWidget().layout() if widget.parentWidget() is not None else None
        if layout is not None:
            layout.removeWidget(widget)
        widget.hide()
        widget.deleteLater()

    def _forget(self, node: dict) -> None:
        for node_id in ids(node):
            self._controls.pop(node_id, None)
            self._built.pop(node_id, None)

    def _widget_of(self, node_id: int) -> QWidget | None:
        built = self._built.get(node_id)
        return built.widget if built is not None else None

    def _build_alone(self, make: Callable[[], QWidget | None]) -> QWidget | None:
        """A widget made after the tree's style sheet was set carries its own rules, under new
        names (the tree's sheet may still hold rules for an element of the same id)."""
        self._generation += 1
        self._rules = []
        widget = make()
        if widget is not None:
            widget.setStyleSheet("\n".join(self._rules))
        return widget

    # ----------------------------------------------------------- building

    def _add_children(self, layout: QBoxLayout, children: list, inherited: TextStyle, report: RenderReport,
                      owner: int, flex: dict | None = None) -> bool:
        """Add the widgets of ``children``; True when one of them grows along a flex axis."""
        placed = self._child_widgets(children, inherited, report, owner, flex)
        for widget, place in placed:
            layout.addWidget(widget, place.stretch, place.align)
        return any(place.stretch > 0 for _, place in placed)

    def _child_widgets(self, children: list, inherited: TextStyle, report: RenderReport, owner: int,
                       flex: dict | None) -> list[tuple[QWidget, Placement]]:
        runs = self._built[owner].runs
        placed = []
        for key, content in segments(children):
            if is_run(key):
                widget = runs[key] = self._run_label(content, inherited, report)
                place = Placement()
            else:
                widget = self._build_child(content, inherited, report, owner)
                place = placement(content, flex)
            if widget is not None:
                placed.append((widget, place))
        return placed

    def _build_child(self, node: dict, inherited: TextStyle, report: RenderReport, owner: int) -> QWidget | None:
        widget = self.build_element(node, inherited, report)
        if widget is not None:
            built = self._built[node["id"]]
            built.layout, built.owner = self._built[owner].widget.layout(), owner
        return widget

    def _run_label(self, run: list, inherited: TextStyle, report: RenderReport) -> QLabel | None:
        if is_blank(run):
            return None
        label = NodeLabel(None, self, clickable=False)
        label.setText(label_html(inline_html(run, inherited, report), inherited))
        self._runs += 1
        label.setObjectName(f"r{self._runs}")
        self._rules.append(f"QLabel#r{self._runs} {{ {inherited.css()}; background: transparent }}")
        label.setAlignment(ALIGN.get(inherited.align, Qt.AlignLeft) | Qt.AlignTop)
        report.widgets += 1
        return label

    def build_element(self, node: dict, inherited: TextStyle, report: RenderReport) -> QWidget | None:
        """The widget of one block element and its subtree (None: ``display: none``)."""
        kind = node["type"]
        box = styles.compute(node.get("props", {}).get("style"), inherited, TAG_DEFAULTS.get(kind))
        report.not_drawn(node, box.unrendered)
        if box.display == "none":
            return None
        report.widgets += 1
        if kind in ("ul", "ol"):
            number_items(node, box.style)
        builder = CONTROL_BUILDERS.get(kind)
        if builder is not None:
            widget = builder(self, node, box, report)
            self._built[node["id"]] = _Built(widget, None, inherited, "control")
        elif _makes_text_block(node, box):
            widget = self._text_block(node, box, report)
            self._built[node["id"]] = _Built(widget, None, inherited, "text")
        else:
            widget = self._container(node, box, report, inherited)
        self._finish(widget, node, box, report)
        return widget

    def _text_block(self, node: dict, box: BoxStyle, report: RenderReport) -> QWidget:
        label = NodeLabel(node["id"], self, clickable=has_handler(node, "onClick"))
        label.setText(text_block_html(node, box, report))
        label.setAlignment(ALIGN.get(box.text.align, Qt.AlignLeft) | Qt.AlignTop)
        return label

    def _container(self, node: dict, box: BoxStyle, report: RenderReport, inherited: TextStyle) -> QWidget:
        frame = NodeFrame(node["id"], self, clickable=has_handler(node, "onClick"),
                          hover=has_handler(node, "onMouseEnter", "onMouseLeave"))
        built = self._built[node["id"]] = _Built(frame, None, inherited, "container")
        style = box.style
        wraps = str(style.get("flexWrap", style.get("flexFlow", ""))).split()[-1:] in (["wrap"], ["wrap-reverse"])
        if box.display in ("flex", "inline-flex") and wraps:
            self._flow(frame, node, box, report)
            return frame
        if box.display in ("grid", "inline-grid"):
            self._grid(frame, node, box, report)
            return frame
        if box.display in ("flex", "inline-flex"):
            direction = str(style.get("flexDirection", "row"))
            built.flex = {"row": direction.startswith("row"), "alignItems": style.get("alignItems", "stretch")}
            layout = QHBoxLayout(frame) if built.flex["row"] else QVBoxLayout(frame)
            if direction.endswith("reverse"):
                layout.setDirection(QBoxLayout.RightToLeft if built.flex["row"] else QBoxLayout.BottomToTop)
            layout.setSpacing(gap_px(style, "columnGap" if built.flex["row"] else "rowGap", box))
        else:
            layout = QVBoxLayout(frame)
            layout.setSpacing(0)
        layout.setContentsMargins(0, 0, 0, 0)
        built.grows = self._add_children(layout, with_marker(node), box.text, report, node["id"], built.flex)
        if not built.grows:
            justify(layout, str(style.get("justifyContent", "flex-start")) if built.flex else "flex-start")
        return frame

    def _flow(self, frame: NodeFrame, node: dict, box: BoxStyle, report: RenderReport) -> None:
        """``flex-wrap: wrap``: items in rows wrapping at the container's width."""
        self._built[node["id"]].whole = True
        layout = FlowLayout(frame, gap_px(box.style, "columnGap", box), gap_px(box.style, "rowGap", box))
        for widget, _place in self._child_widgets(with_marker(node), box.text, report, node["id"], None):
            layout.addWidget(widget)

    def _grid(self, frame: NodeFrame, node: dict, box: BoxStyle, report: RenderReport) -> None:
        """``display: grid`` over ``grid-template-columns``: items flow row by row into the tracks.

        Each row is a box layout with a stretch per ``fr`` track (box layouts pass wrapped text's
        height for its width up, where a QGridLayout cuts it off).
        """
        self._built[node["id"]].whole = True
        rows = QVBoxLayout(frame)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(gap_px(box.style, "rowGap", box))
        tracks = grid_tracks(box.style.get("gridTemplateColumns"), box.text.font_px)
        if tracks is None:
            report.not_drawn(node, ["gridTemplateColumns (drawn as one column)"])
            tracks = grid_tracks(None, box.text.font_px)
        placed = [widget for widget, _place in self._child_widgets(with_marker(node), box.text, report, node["id"], None)]
        for start in range(0, len(placed), len(tracks)):
            row = QHBoxLayout()
            row.setSpacing(gap_px(box.style, "columnGap", box))
            rows.addLayout(row)
            for track, widget in zip(tracks, placed[start:start + len(tracks)] + [None] * len(tracks)):
                if widget is None:
                    row.addSpacing(track.width) if track.width else row.addStretch(track.stretch)
                    continue
                if track.width:
                    widget.setFixedWidth(track.width)
                else:  # a track's share of the width, as CSS's minmax(0, 1fr): never wider for its content
                    policy = widget.sizePolicy()
                    policy.setHorizontalPolicy(QSizePolicy.Ignored)
                    widget.setSizePolicy(policy)
                row.addWidget(widget, track.stretch)
        for child in node["children"]:
            spans = [name for name in ("gridColumn", "gridRow", "gridArea") if isinstance(child, dict)
                     and (child["props"].get("style") or {}).get(name) not in (None, "", "auto")]
            if spans:
                report.not_drawn(child, [f"{name} (placed in order)" for name in spans])

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
        apply_sizes(widget, box.sizes)
        graphics_effect(widget, node, box, report)
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


_VALUE_PROPS = ("value", "checked", "defaultValue", "defaultChecked")


def _only_value_changed(old: dict, new: dict) -> bool:
    """A form control whose value alone changed (a controlled input while typing) keeps its widget."""
    def rest(node: dict) -> tuple:
        return ({k: v for k, v in node["props"].items() if k not in _VALUE_PROPS}, node["children"])
    return old["type"] in ("input", "textarea") and rest(old) == rest(new)


def _makes_text_block(node: dict, box: BoxStyle) -> bool:
    """An element holding only inline content is one label (a flex box lays its children out)."""
    return (node["type"] not in CONTROL_BUILDERS and all(is_inline(c) for c in node["children"])
            and box.display not in ("flex", "inline-flex"))
