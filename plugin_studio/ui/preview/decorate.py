"""What an element's style does to its widget beyond the style sheet: fixed sizes, an opacity or
drop-shadow effect, and the gaps of the layout it holds."""
from __future__ import annotations

from PySide6.QtWidgets import QGraphicsDropShadowEffect, QGraphicsOpacityEffect, QWidget

from plugin_studio.ui.preview import styles
from plugin_studio.ui.preview.styles import BoxStyle
from plugin_studio.ui.preview.text_html import RenderReport


def gap_px(style: dict, name: str, box: BoxStyle) -> int:
    value = style.get(name, style.get("gap", 0))
    return round(styles.length_px(str(value).split()[0], box.text.font_px) or 0)


def graphics_effect(widget: QWidget, node: dict, box: BoxStyle, report: RenderReport) -> None:
    """Opacity or the first box shadow (a widget takes one graphics effect: opacity wins)."""
    if box.opacity is not None and box.opacity < 1:
        effect = QGraphicsOpacityEffect(widget)
        effect.setOpacity(box.opacity)
        widget.setGraphicsEffect(effect)
        if box.shadow is not None:
            report.not_drawn(node, ["boxShadow (with opacity)"])
    elif box.shadow is not None:
        shadow = QGraphicsDropShadowEffect(widget)
        shadow.setOffset(box.shadow.dx, box.shadow.dy)
        shadow.setBlurRadius(box.shadow.blur)
        shadow.setColor(box.shadow.color)
        widget.setGraphicsEffect(shadow)


def apply_sizes(widget: QWidget, sizes: dict) -> None:
    setters = {"width": widget.setFixedWidth, "height": widget.setFixedHeight,
               "minWidth": widget.setMinimumWidth, "maxWidth": widget.setMaximumWidth,
               "minHeight": widget.setMinimumHeight, "maxHeight": widget.setMaximumHeight}
    for name, setter in setters.items():
        if name in sizes:
            setter(sizes[name])
