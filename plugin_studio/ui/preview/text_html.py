"""Text in the preview: runs of inline elements as Qt rich text, and the report of what a render
could not draw, element by element.

Qt rich text takes colours, fonts, a span's background, line height and links; an inline element
with an onClick becomes a link whose target is its node id, so a click on it reaches React.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import Qt

from plugin_studio.ui.preview import styles
from plugin_studio.ui.preview.elements import TAG_DEFAULTS, has_handler, marker
from plugin_studio.ui.preview.styles import BoxStyle, TextStyle

_INLINE_HTML = {"strong": "b", "b": "b", "em": "i", "i": "i", "u": "u", "s": "s", "del": "s", "code": "code",
                "kbd": "code", "sup": "sup", "sub": "sub", "small": "small"}
ALIGN = {"left": Qt.AlignLeft, "center": Qt.AlignHCenter, "right": Qt.AlignRight, "justify": Qt.AlignJustify,
         "start": Qt.AlignLeft, "end": Qt.AlignRight}
ELEMENTS_NAMED = 3  # per property, the summary names this many elements and counts the rest


def element_label(node: dict) -> str:
    """``<div#cart.card>``: how the report names an element."""
    props = node.get("props", {})
    label = node["type"]
    if isinstance(props.get("id"), str) and props["id"]:
        label += f"#{props['id']}"
    classes = str(props.get("className") or "").split()
    if classes:
        label += f".{classes[0]}"
    return f"<{label}>"


@dataclass
class RenderReport:
    """What one render could not draw, per style property the elements that have it, and other notes."""
    unrendered: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    widgets: int = 0

    def not_drawn(self, node: dict, properties: list[str]) -> None:
        for name in properties:
            self.unrendered.setdefault(name, []).append(element_label(node))

    def summary(self) -> str:
        parts = []
        if self.unrendered:
            parts.append("not drawn: " + "; ".join(
                f"{name} on {_some(elements)}" for name, elements in sorted(self.unrendered.items())))
        parts.extend(dict.fromkeys(self.notes))
        return "; ".join(parts)


def _some(elements: list[str]) -> str:
    distinct = list(dict.fromkeys(elements))
    shown = ", ".join(distinct[:ELEMENTS_NAMED])
    rest = len(elements) - len([e for e in elements if e in distinct[:ELEMENTS_NAMED]])
    return shown + (f" and {rest} more" if rest else "")


def label_html(content: str, text: TextStyle) -> str:
    """A label's rich text with the line height its text style inherits (Qt applies it per block)."""
    return f'<div style="line-height: {text.line_height}">{content}</div>' if text.line_height else content


def inline_html(children: list, inherited: TextStyle, report: RenderReport) -> str:
    out = []
    for child in children:
        if isinstance(child, str):
            out.append(html.escape(inherited.apply_transform(child)).replace("\n", " "))
            continue
        if child["type"] == "br":
            out.append("<br/>")
            continue
        box = styles.compute(child["props"].get("style"), inherited, TAG_DEFAULTS.get(child["type"]))
        report.not_drawn(child, box.unrendered)
        inner = inline_html(child["children"], box.text, report)
        if box.text != inherited or box.qss:
            inner = f'<span style="{html.escape(_inline_css(box), quote=True)}">{inner}</span>'
        tag = _INLINE_HTML.get(child["type"])
        if tag in ("sup", "sub", "code"):
            inner = f"<{tag}>{inner}</{tag}>"
        if has_handler(child, "onClick") or child["type"] == "a":
            link_css = f"color: {box.text.color}; text-decoration: {box.text.decoration or 'none'}"
            inner = f'<a href="node:{child["id"]}" style="{link_css}">{inner}</a>'
            if child["type"] == "a" and not has_handler(child, "onClick") and child["props"].get("href"):
                report.notes.append("links do not navigate in the preview")
        out.append(inner)
    return "".join(out)


def text_block_html(node: dict, box: BoxStyle, report: RenderReport) -> str:
    if "dangerouslySetInnerHTML" in node["props"]:
        report.notes.append("dangerouslySetInnerHTML shown as Qt rich text")
        return str((node["props"]["dangerouslySetInnerHTML"] or {}).get("__html", ""))
    content = inline_html(node["children"], box.text, report)
    content = html.escape(marker(node)) + content if node["type"] == "li" else content
    return label_html(content, box.text)


def _inline_css(box: BoxStyle) -> str:
    """Qt rich text takes colours, fonts and a background on a span, not a box."""
    css = box.text.css()
    for declaration in box.qss:
        if declaration.startswith("background-color"):
            css += "; " + declaration
    return css
