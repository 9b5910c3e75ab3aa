"""CSS flow and flex in a QBoxLayout: where a child sits, how it grows, and reordering children in
place when a render inserts, removes or moves some of them.

A container's layout holds its children's widgets in document order, with stretches before and
after them for ``justify-content`` (between them only for the ``space-*`` values).
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QWidget

from plugin_studio.ui.preview.elements import longest_ordered


@dataclass(frozen=True)
class Placement:
    """How a child sits in its container's layout: flex-grow as a stretch factor, align-self."""
    stretch: int = 0
    align: Qt.Alignment = Qt.Alignment()


def placement(node: dict, flex: dict | None) -> Placement:
    """The placement of ``node`` in a container (``flex``: None for block flow)."""
    if flex is None:
        return Placement()
    style = node.get("props", {}).get("style") or {}
    stretch = 0
    grow = style.get("flex", style.get("flexGrow"))
    if grow not in (None, "none", 0, "0"):
        try:
            stretch = max(1, int(float(str(grow).split()[0])))
        except ValueError:
            stretch = 1
    return Placement(stretch, cross_alignment(style.get("alignSelf") or flex.get("alignItems"), flex["row"]))


def justify(layout: QBoxLayout, value: str) -> None:
    """CSS justify-content along the layout's axis, with stretches (items that grow leave no room)."""
    widgets = [i for i in range(layout.count()) if layout.itemAt(i).widget() is not None]
    if value in ("space-between", "space-around", "space-evenly") and len(widgets) > 1:
        for offset, index in enumerate(widgets[1:]):
            layout.insertStretch(index + offset, 1)
    if value in ("center", "flex-end", "end", "right", "space-around", "space-evenly"):
        layout.insertStretch(0, 1)
    if value not in ("flex-end", "end", "right") and not (value == "space-between" and len(widgets) > 1):
        layout.addStretch(1)


def cross_alignment(value, row: bool) -> Qt.Alignment:
    value = str(value or "stretch")
    if value == "stretch":
        return Qt.Alignment()
    if row:
        return {"center": Qt.AlignVCenter, "flex-start": Qt.AlignTop, "start": Qt.AlignTop,
                "flex-end": Qt.AlignBottom, "end": Qt.AlignBottom, "baseline": Qt.AlignVCenter}.get(value, Qt.Alignment())
    return {"center": Qt.AlignHCenter, "flex-start": Qt.AlignLeft, "start": Qt.AlignLeft,
            "flex-end": Qt.AlignRight, "end": Qt.AlignRight}.get(value, Qt.Alignment())


def widgets_in(layout: QBoxLayout) -> list[QWidget]:
    return [w for w in (layout.itemAt(i).widget() for i in range(layout.count())) if w is not None]


def widget_span(layout: QBoxLayout) -> tuple[int, list[QWidget]] | None:
    """(layout index of the first widget, the widgets in order) when they sit side by side with
    stretches only before and after them; None when a stretch lies between two widgets, or
    there are no widgets (then where a new one goes depends on justify-content)."""
    items = [layout.itemAt(i).widget() for i in range(layout.count())]
    placed = [i for i, w in enumerate(items) if w is not None]
    if not placed or placed[-1] - placed[0] + 1 != len(placed):
        return None
    return placed[0], [items[i] for i in placed]


def arrange(layout: QBoxLayout, start: int, current: list[QWidget], wanted: list[tuple[QWidget, Placement]]) -> int:
    """Make the widgets ``current`` (at ``start``) become ``wanted`` in that order, touching only
    the ones that must move or are new; every widget of ``current`` must be in ``wanted``.

    Returns how many widgets were inserted or moved.
    """
    if [w for w, _ in wanted] == current:
        return 0
    old_index = {id(w): i for i, w in enumerate(current)}
    staying = longest_ordered([old_index[id(w)] for w, _ in wanted if id(w) in old_index])
    kept = [w for i, w in enumerate(current) if i in staying]
    for index, widget in enumerate(current):
        if index not in staying:
            layout.removeWidget(widget)
    changed = 0
    for position, (widget, place) in enumerate(wanted):
        if position < len(kept) and kept[position] is widget:
            continue
        layout.insertWidget(start + position, widget, place.stretch, place.align)
        kept.insert(position, widget)
        changed += 1
    return changed


def show_without_relayout(container: QWidget, widgets: list[QWidget], top: QWidget) -> None:
    """Show widgets just added to ``container`` now (tests and focus see them at once), but leave
    the layout to the event loop pass that paints them: ``show()`` on a child of a visible widget
    lays out every ancestor there and then (~10 ms for a 400-element list), and again for the next.
    Only the layouts from ``container`` up to ``top`` (ours) are held back."""
    layouts = []
    ancestor = container
    while ancestor is not None:
        layout = ancestor.layout()
        if layout is not None and layout.isEnabled():
            layouts.append(layout)
        ancestor = None if ancestor is top else ancestor.parentWidget()
    for layout in layouts:
        layout.setEnabled(False)
    try:
        for widget in widgets:
            widget.show()
    finally:
        for layout in layouts:
            layout.setEnabled(True)
