"""Reading the element tree a widget rendered: which children flow as text, which are boxes, and
what identifies each across renders.

An element is ``{"id", "type", "props", "children"}``; a child is an element or a string. The
runtime reconciles children the way React does (by ``key``, else by position and type) and gives
every host element it keeps the same ``id`` in the next render, so the id is the element's
identity here: same id, same element, same Qt widget.
"""
from __future__ import annotations

from bisect import bisect_left

INLINE = {"span", "strong", "b", "em", "i", "a", "small", "code", "u", "s", "sup", "sub", "br", "mark", "label",
          "abbr", "time", "kbd", "del", "ins", "q", "cite"}
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


def text_of(children) -> str:
    out = []
    for child in children:
        out.append(child if isinstance(child, str) else text_of(child.get("children", [])))
    return "".join(out)


def has_handler(node: dict, *handlers: str) -> bool:
    props = node.get("props", {})
    return any(isinstance(props.get(h), dict) and "$handler" in props[h] for h in handlers)


def is_inline(node) -> bool:
    if isinstance(node, str):
        return True
    style = node.get("props", {}).get("style") or {}
    display = str(style.get("display", ""))
    if node["type"] not in INLINE or display in ("block", "flex", "grid", "none", "inline-block", "inline-flex"):
        return False
    return all(is_inline(c) for c in node.get("children", []))


def is_blank(run: list) -> bool:
    return all(isinstance(c, str) and not c.strip() for c in run)


def segments(children: list) -> list[tuple[tuple, object]]:
    """The layout items ``children`` produce, in order, each as (key, content).

    A block element is keyed ``(id, type, hidden)``: a different element, or one shown or hidden
    since, is a different item. A run of inline content (one label) is keyed by the block just
    before it, so inserting a block elsewhere leaves the run's key alone.
    """
    out: list[tuple[tuple, object]] = []
    before = None
    for child in children:
        if is_inline(child):
            if out and out[-1][0][0] == "run":
                out[-1][1].append(child)
            else:
                out.append((("run", before), [child]))
            continue
        hidden = str((child.get("props", {}).get("style") or {}).get("display", "")) == "none"
        out.append(((child["id"], child["type"], hidden), child))
        before = child["id"]
    return out


def is_run(key: tuple) -> bool:
    return key[0] == "run"


def ids(node) -> list[int]:
    if isinstance(node, str):
        return []
    return [node["id"]] + [i for c in node.get("children", []) for i in ids(c)]


def number_items(node: dict, style: dict) -> None:
    """Give each <li> its marker: bullets for <ul>, 1. 2. 3. for <ol>, none for list-style none."""
    hidden = str(style.get("listStyle", style.get("listStyleType", ""))).startswith("none")
    items = [c for c in node["children"] if isinstance(c, dict) and c["type"] == "li"]
    for index, item in enumerate(items, start=1):
        item["_marker"] = "" if hidden else (f"{index}. " if node["type"] == "ol" else "• ")


def marker(node: dict) -> str:
    return node.get("_marker", "")


def with_marker(node: dict) -> list:
    """The children as laid out: an <li>'s marker is the start of its first line."""
    children = node["children"]
    if node["type"] == "li" and children and marker(node):
        return [marker(node)] + children
    return children


def longest_ordered(positions: list[int]) -> set[int]:
    """The largest set of distinct ``positions`` already in increasing order (their items need not move)."""
    ends: list[int] = []      # ends[k]: the smallest last position of an increasing run of k + 1
    ends_at: list[int] = []   # ...and the index in ``positions`` where that run ends
    previous = [-1] * len(positions)
    for index, position in enumerate(positions):
        k = bisect_left(ends, position)
        if k > 0:
            previous[index] = ends_at[k - 1]
        if k == len(ends):
            ends.append(position)
            ends_at.append(index)
        else:
            ends[k], ends_at[k] = position, index
    keep: set[int] = set()
    index = ends_at[-1] if ends_at else -1
    while index >= 0:
        keep.add(positions[index])
        index = previous[index]
    return keep
