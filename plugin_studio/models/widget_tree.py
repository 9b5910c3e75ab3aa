"""A rendered widget's element tree as plain data: the CLI's JSON form and its outline.

The preview answers with host elements ``{"id", "type", "props", "children", "dom"?}``: text
children are strings (adjacent texts joined, no empty ones), handlers are ``{"$handler": "onClick"}``
and ``dom`` holds a form element's current value or checkedness (``widget_tree.js``).
``public_tree`` drops the preview's node ids. HTML is not written here: react-dom/server writes it
in the worker, so it is React's own serialisation.
"""
from __future__ import annotations

import json
from typing import Any


def public_tree(tree: list) -> list:
    """``[{"type", "props", "children", "dom"?}]`` with text children as strings (no node ids)."""
    out: list[Any] = []
    for node in tree:
        if isinstance(node, str):
            if node:
                out.append(node)
            continue
        element = {"type": node["type"], "props": node.get("props", {}), "children": public_tree(node.get("children", []))}
        if "dom" in node:
            element["dom"] = node["dom"]
        out.append(element)
    return out


def texts(tree: list) -> list[str]:
    out: list[str] = []
    for node in tree:
        out.extend([node] if isinstance(node, str) else texts(node.get("children", [])))
    return out


def outline(tree: list, depth: int = 0) -> str:
    """One line per element (its props, then its handlers) and per text, indented by depth."""
    lines = []
    for node in tree:
        pad = "  " * depth
        if isinstance(node, str):
            lines.append(f"{pad}{json.dumps(node, ensure_ascii=False)}\n")
            continue
        props = node.get("props", {})
        handlers = [name for name, value in props.items() if _is_handler(value)]
        shown = "".join(f" {name}={json.dumps(value, ensure_ascii=False)}" for name, value in props.items()
                        if not _is_handler(value))
        state = "".join(f" ({name}: {json.dumps(value, ensure_ascii=False)})" for name, value in (node.get("dom") or {}).items())
        lines.append(f"{pad}<{node['type']}{shown}>{state}{' ' + ' '.join(handlers) if handlers else ''}\n")
        lines.append(outline(node.get("children", []), depth + 1))
    return "".join(lines)


def _is_handler(value: Any) -> bool:
    return isinstance(value, dict) and "$handler" in value
