"""Structural edits patched into the shown widgets: rows inserted, removed and moved by key.

Ids play the runtime's part: it keeps an element's id across renders when React's reconciler
keeps the element (same ``key``, else same position and type), so a row with the same id is the
same row. What the user sees is read from the screen: visible texts in reading order (top to
bottom, left to right), compared with the same tree built from scratch in a second canvas.
"""
from __future__ import annotations

import random
import re

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QScrollArea, QWidget

from plugin_studio.ui.preview.renderer import PreviewCanvas


def make_canvas(qtbot) -> tuple[PreviewCanvas, QScrollArea]:
    view = PreviewCanvas()
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(view)
    scroll.resize(500, 700)
    qtbot.addWidget(scroll)
    scroll.show()
    return view, scroll


@pytest.fixture
def canvas(qtbot):
    view, scroll = make_canvas(qtbot)
    yield view  # the generator keeps the scroll area (the canvas's owner) alive


@pytest.fixture
def fresh(qtbot):
    """A second canvas: the tree built from scratch, to compare a patched one against."""
    view, scroll = make_canvas(qtbot)
    yield view


def seen(view: PreviewCanvas) -> list[str]:
    """Visible texts in reading order: lines top to bottom (widgets whose heights overlap share a
    line), each left to right."""
    shown = []
    for widget in view.findChildren(QWidget):
        if isinstance(widget, (QLabel, QPushButton, QLineEdit)) and widget.isVisibleTo(view):
            text = re.sub(r"<[^>]+>", "", widget.text()).replace("&amp;", "&").strip()
            if text:
                top = widget.mapTo(view, QPoint(0, 0))
                shown.append((top.y(), top.y() + widget.height(), top.x(), text))
    lines: list[list] = []
    for top, bottom, left, text in sorted(shown):
        if lines and top < lines[-1][0]:
            lines[-1][0] = max(lines[-1][0], bottom)
            lines[-1][1].append((left, text))
        else:
            lines.append([bottom, [(left, text)]])
    return [text for _, line in lines for _, text in sorted(line)]


def shows(qtbot, view: PreviewCanvas, expected: list[str]) -> None:
    qtbot.waitUntil(lambda: seen(view) == expected)


def row(key: int, name: str) -> dict:
    """A row as the benchmark's widget renders one: a flex <li> with a text run and a button."""
    base = 100 + key * 10
    return {"id": base, "type": "li", "props": {"style": {"display": "flex", "gap": 6, "alignItems": "center"}},
            "children": [{"id": base + 1, "type": "strong", "props": {}, "children": [name]},
                         {"id": base + 2, "type": "button", "props": {"onClick": {"$handler": "onClick"}},
                          "children": [f"pick {name}"]}]}


def page(rows: list[dict], list_type: str = "ul") -> list:
    return [{"id": 1, "type": "section", "props": {}, "children": [
        {"id": 2, "type": "h2", "props": {}, "children": ["Catalog"]},
        {"id": 3, "type": list_type, "props": {"style": {"listStyle": "none", "padding": 0}}, "children": rows},
        {"id": 4, "type": "button", "props": {}, "children": ["Checkout"]}]}]


def catalog(*names: str) -> list:
    return page([row(i, n) for i, n in enumerate(names)])


def rows_of(*pairs) -> list:
    return page([row(key, name) for key, name in pairs])


def expected(*names: str) -> list[str]:
    return ["Catalog"] + [t for n in names for t in (n, f"pick {n}")] + ["Checkout"]


def widgets(view: PreviewCanvas, node_ids) -> list[QWidget]:
    return [view.control(i) for i in node_ids]


@pytest.mark.parametrize("at", [0, 2, 4], ids=["start", "middle", "end"])
def test_inserted_row_appears_in_place_and_the_others_keep_their_widgets(qtbot, canvas, at):
    pairs = [(0, "tea"), (1, "mug"), (2, "pot"), (3, "cup")]
    canvas.show_tree(rows_of(*pairs))
    keep = [2, 3, 4] + [100 + k * 10 + d for k, _ in pairs for d in (0, 2)]
    before = widgets(canvas, keep)
    pairs.insert(at, (9, "jar"))
    canvas.show_tree(rows_of(*pairs))
    assert all(a is b for a, b in zip(widgets(canvas, keep), before)), "what is still there keeps its widget"
    shows(qtbot, canvas, expected(*[n for _, n in pairs]))


def test_removed_rows_disappear_and_the_others_keep_their_widgets(qtbot, canvas):
    canvas.show_tree(catalog("tea", "mug", "pot", "cup"))
    mug, cup = canvas.control(110), canvas.control(130)
    kept = widgets(canvas, [1, 3, 100, 120, 122])
    canvas.show_tree(rows_of((0, "tea"), (2, "pot")))
    assert all(a is b for a, b in zip(widgets(canvas, [1, 3, 100, 120, 122]), kept))
    assert canvas.control(110) is None and canvas.control(130) is None
    assert not mug.isVisible() and not cup.isVisible()
    shows(qtbot, canvas, expected("tea", "pot"))


def test_reordered_keyed_rows_move_their_own_widgets(qtbot, canvas):
    pairs = [(0, "tea"), (1, "mug"), (2, "pot"), (3, "cup"), (4, "jar")]
    canvas.show_tree(rows_of(*pairs))
    shows(qtbot, canvas, expected("tea", "mug", "pot", "cup", "jar"))
    rows = {key: canvas.control(100 + key * 10) for key, _ in pairs}
    buttons = {key: canvas.control(102 + key * 10) for key, _ in pairs}
    for order in ([4, 3, 2, 1, 0], [1, 4, 0, 3, 2], [0, 1, 2, 3, 4]):
        moved = [pairs[k] for k in order]
        canvas.show_tree(rows_of(*moved))
        assert all(canvas.control(100 + k * 10) is rows[k] for k in order), "a moved row is the same widget"
        assert all(canvas.control(102 + k * 10) is buttons[k] for k in order)
        shows(qtbot, canvas, expected(*[n for _, n in moved]))


def test_text_runs_and_blocks_stay_interleaved(qtbot, canvas, fresh):
    def tree(blocks: list[tuple[int, str]], tail: str) -> list:
        children: list = ["Hello ", {"id": 2, "type": "b", "props": {}, "children": ["you"]}]
        for node_id, text in blocks:
            children.append({"id": node_id, "type": "p", "props": {}, "children": [text]})
        children.append(tail)
        return [{"id": 1, "type": "div", "props": {}, "children": children}]
    canvas.show_tree(tree([(10, "first")], " bye"))
    greeting = next(w for w in canvas.findChildren(QLabel) if "Hello" in w.text())
    first = canvas.control(10)
    steps = [([(11, "zero"), (10, "first")], " bye", ["zero", "first", "bye"]),  # a block before the others
             ([(11, "zero"), (10, "first"), (12, "last")], " bye", ["zero", "first", "last", "bye"]),
             ([(10, "first"), (11, "zero")], " ", ["first", "zero"]),           # moved; the last run blank
             ([(10, "first")], " again", ["first", "again"])]                   # removed; a run again
    for blocks, tail, texts in steps:
        canvas.show_tree(tree(blocks, tail))
        fresh.show_tree(tree(blocks, tail))
        want = ["Hello you"] + texts
        qtbot.waitUntil(lambda: seen(canvas) == want == seen(fresh))
        assert canvas.control(10) is first
    assert greeting.isVisible() and "Hello" in greeting.text(), "the leading run kept its label"


def test_ordered_list_renumbers_after_an_insert_at_the_start(qtbot, canvas):
    def items(*pairs):
        return [{"id": 1, "type": "ol", "props": {}, "children": [
            {"id": 10 + k, "type": "li", "props": {}, "children": [name]} for k, name in pairs]}]
    canvas.show_tree(items((0, "tea"), (1, "mug")))
    tea = canvas.control(10)
    canvas.show_tree(items((5, "jar"), (0, "tea"), (1, "mug")))
    shows(qtbot, canvas, ["1. jar", "2. tea", "3. mug"])
    assert canvas.control(10) is tea, "a renumbered item keeps its label"


def test_flex_row_with_centred_children_takes_an_insert_between_them(qtbot, canvas):
    def bar(*pairs):
        return [{"id": 1, "type": "div", "props": {"style": {"display": "flex", "justifyContent": "center",
                                                               "gap": 4}}, "children": [
            {"id": k, "type": "button", "props": {}, "children": [name]} for k, name in pairs]}]
    canvas.show_tree(bar((10, "a"), (12, "c")))
    canvas.show_tree(bar((10, "a"), (11, "b"), (12, "c")))
    shows(qtbot, canvas, ["a", "b", "c"])
    a, b, c = widgets(canvas, [10, 11, 12])
    qtbot.waitUntil(lambda: a.geometry().right() < b.geometry().left() < c.geometry().left())
    frame = canvas.control(1)
    qtbot.waitUntil(lambda: abs(a.geometry().left() - (frame.width() - c.geometry().right() - 1)) <= 1)


def test_spread_row_patches_text_in_place_and_rebuilds_only_when_its_items_change(qtbot, canvas):
    def bar(*pairs, label="total"):
        return [{"id": 1, "type": "div", "props": {"style": {"display": "flex",
                                                               "justifyContent": "space-between"}}, "children": [
            {"id": 2, "type": "p", "props": {}, "children": [label]}] + [
            {"id": k, "type": "button", "props": {}, "children": [name]} for k, name in pairs]}]
    canvas.show_tree(bar((10, "a"), (11, "b")))
    frame, a = canvas.control(1), canvas.control(10)
    canvas.show_tree(bar((10, "a"), (11, "b"), label="sum"))
    assert canvas.control(1) is frame and canvas.control(10) is a, "stretches between items: nothing moved"
    shows(qtbot, canvas, ["sum", "a", "b"])
    canvas.show_tree(bar((11, "b"), (10, "a"), (12, "c"), label="sum"))
    shows(qtbot, canvas, ["sum", "b", "a", "c"])
    b, a, c = widgets(canvas, [11, 10, 12])
    qtbot.waitUntil(lambda: c.geometry().right() == canvas.control(1).width() - 1)


def test_a_row_shown_again_after_display_none(qtbot, canvas, fresh):
    def tree(hidden: bool):
        middle = row(1, "mug")
        middle["props"]["style"] = {"display": "none"} if hidden else {"display": "flex"}
        return page([row(0, "tea"), middle, row(2, "pot")])
    canvas.show_tree(tree(False))
    tea = canvas.control(100)
    canvas.show_tree(tree(True))
    shows(qtbot, canvas, expected("tea", "pot"))
    canvas.show_tree(tree(False))
    shows(qtbot, canvas, expected("tea", "mug", "pot"))
    assert canvas.control(100) is tea


def test_focused_input_keeps_focus_and_cursor_when_a_row_is_inserted_above(qtbot, canvas):
    def form(*pairs):
        return [{"id": 1, "type": "div", "props": {}, "children": [
            {"id": k, "type": "input", "props": {"value": text}, "children": []} for k, text in pairs]}]
    canvas.show_tree(form((10, "alpha"), (11, "beta")))
    field = canvas.control(11)
    field.setFocus()
    field.setCursorPosition(2)
    qtbot.waitUntil(lambda: canvas.window().focusWidget() is field)
    canvas.show_tree(form((9, "new"), (10, "alpha"), (11, "beta")))
    assert canvas.control(11) is field
    assert canvas.window().focusWidget() is field and field.cursorPosition() == 2
    shows(qtbot, canvas, ["new", "alpha", "beta"])


def test_random_edits_look_like_a_fresh_build(qtbot, canvas, fresh):
    """Inserts, removals, moves and text changes in a list, each compared with a fresh build."""
    rng = random.Random(7)
    pairs = [(k, f"item{k}") for k in range(8)]
    next_key = 8
    canvas.show_tree(rows_of(*pairs))
    for step in range(25):
        survivors = {k: canvas.control(100 + k * 10) for k, _ in pairs}
        action = rng.choice(["insert", "remove", "move", "rename"])
        if action == "insert" or not pairs:
            pairs.insert(rng.randrange(len(pairs) + 1), (next_key, f"item{next_key}"))
            next_key += 1
        elif action == "remove":
            pairs.pop(rng.randrange(len(pairs)))
        elif action == "move":
            pairs.insert(rng.randrange(len(pairs)), pairs.pop(rng.randrange(len(pairs))))
        else:
            k = rng.randrange(len(pairs))
            pairs[k] = (pairs[k][0], pairs[k][1] + "!")
        canvas.show_tree(rows_of(*pairs))
        fresh.show_tree(rows_of(*pairs))
        want = expected(*[n for _, n in pairs])
        qtbot.waitUntil(lambda: seen(canvas) == want == seen(fresh))
        assert all(canvas.control(100 + k * 10) is survivors[k] for k, _ in pairs if k in survivors), step


def test_an_edit_beside_an_unchanged_list_leaves_the_list_untouched(qtbot, canvas, monkeypatch):
    """A list's items carry the markers they were numbered with: an unchanged list compares equal to
    its next render without patching each of its rows."""
    names = [f"item {i}" for i in range(50)]
    tree = catalog(*names)
    canvas.show_tree(tree)
    shows(qtbot, canvas, expected(*names))
    patched = []
    original = PreviewCanvas._patch_node
    monkeypatch.setattr(PreviewCanvas, "_patch_node", lambda self, old, new, report: patched.append(new["id"])
                        or original(self, old, new, report))
    retitled = catalog(*names)
    retitled[0]["children"][0]["children"] = ["Catalog 2"]
    canvas.show_tree(retitled)
    shows(qtbot, canvas, ["Catalog 2"] + expected(*names)[1:])
    assert sorted(patched) == [1, 2, 3, 4], "the section, its title, its list (equal: not walked), its button"
