"""A rendered widget's element tree as plain data: the CLI's JSON form and an HTML rendering.

The worker answers with host nodes ``{"id", "type", "props", "children"}`` (text children are
strings, event props are ``{"$handler": "onClick"}``). ``public_tree`` drops the preview's node ids;
``to_html`` writes what a browser would get from React's server renderer, handlers left out.
"""
from __future__ import annotations

import html
import json
import re
from typing import Any

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# React props whose HTML attribute has another name.
ATTRIBUTE_NAMES = {"className": "class", "htmlFor": "for", "tabIndex": "tabindex", "readOnly": "readonly",
                   "maxLength": "maxlength", "colSpan": "colspan", "rowSpan": "rowspan", "autoComplete": "autocomplete",
                   "autoFocus": "autofocus", "defaultValue": "value", "defaultChecked": "checked"}
# Numbers in these style properties have no unit, as in React; any other number means pixels.
UNITLESS = {"opacity", "zIndex", "fontWeight", "lineHeight", "flex", "flexGrow", "flexShrink", "order", "zoom"}


def public_tree(tree: list) -> list:
    """``[{"type", "props", "children"}]`` with text children as strings (no node ids)."""
    return [node if isinstance(node, str) else {
        "type": node["type"], "props": node.get("props", {}), "children": public_tree(node.get("children", [])),
    } for node in tree]


def texts(tree: list) -> list[str]:
    out: list[str] = []
    for node in tree:
        out.extend([node] if isinstance(node, str) else texts(node.get("children", [])))
    return out


def outline(tree: list, depth: int = 0) -> str:
    """One line per element (with its attributes and handlers) and per text, indented by depth."""
    lines = []
    for node in tree:
        pad = "  " * depth
        if isinstance(node, str):
            lines.append(f"{pad}{json.dumps(node, ensure_ascii=False)}\n")
            continue
        props = node.get("props", {})
        handlers = [name for name, value in props.items() if isinstance(value, dict) and "$handler" in value]
        attributes = _attributes(props)
        lines.append(f"{pad}<{node['type']}{attributes}>{' ' + ' '.join(handlers) if handlers else ''}\n")
        lines.append(outline(node.get("children", []), depth + 1))
    return "".join(lines)


def to_html(tree: list) -> str:
    return "".join(_node_html(node) for node in tree)


def _node_html(node: Any) -> str:
    if isinstance(node, str):
        return html.escape(node, quote=False)
    tag = node["type"]
    attributes = _attributes(node.get("props", {}))
    if tag in VOID_ELEMENTS:
        return f"<{tag}{attributes}/>"
    inner = node.get("props", {}).get("dangerouslySetInnerHTML")
    body = str(inner.get("__html", "")) if isinstance(inner, dict) else to_html(node.get("children", []))
    return f"<{tag}{attributes}>{body}</{tag}>"


def _attributes(props: dict) -> str:
    out = []
    for name, value in props.items():
        if name in ("children", "key", "ref", "dangerouslySetInnerHTML") or value is None or value is False:
            continue
        if isinstance(value, dict) and "$handler" in value:
            continue  # event handlers are not attributes
        if name == "style" and isinstance(value, dict):
            value = style_text(value)
            if not value:
                continue
        attribute = ATTRIBUTE_NAMES.get(name, name if name.startswith(("aria-", "data-")) else name.lower())
        if value is True:
            out.append(f" {attribute}")
        else:
            out.append(f' {attribute}="{html.escape(str(value), quote=True)}"')
    return "".join(out)


def style_text(style: dict) -> str:
    parts = []
    for name, value in style.items():
        if value is None or value == "" or isinstance(value, bool):
            continue
        css_name = re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), name)
        if isinstance(value, (int, float)) and name not in UNITLESS and value != 0:
            value = f"{value:g}px"
        parts.append(f"{css_name}:{value}")
    return ";".join(parts)
