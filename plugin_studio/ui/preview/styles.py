"""React inline styles → Qt: a style sheet for the box, layout settings, and inherited text style.

What Qt can show is mapped (box model, colours, gradients, fonts, flex layout, sizes, opacity);
everything else is collected by name in ``BoxStyle.unrendered`` so the preview can say what it
left out instead of silently dropping it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from PySide6.QtGui import QColor

BASE_FONT_PX = 16.0
_LENGTH = re.compile(r"^(-?\d*\.?\d+)(px|em|rem|pt|%)?$")
_BOX_SIDES = ("top", "right", "bottom", "left")
# Handled elsewhere (renderer reads them from the dict) or meaningless in a static preview.
_HANDLED_ELSEWHERE = {"display", "flexDirection", "gap", "rowGap", "columnGap", "alignItems", "justifyContent",
                      "flex", "flexGrow", "flexShrink", "flexBasis", "alignSelf", "width", "height", "minWidth",
                      "maxWidth", "minHeight", "maxHeight", "opacity", "textAlign", "textTransform", "cursor",
                      "listStyle", "listStyleType", "boxSizing", "transition", "userSelect", "lineHeight",
                      "boxShadow", "position", "top", "right", "bottom", "left", "inset", "transform", "zIndex",
                      "flexWrap", "flexFlow", "gridTemplateColumns", "gridAutoFlow", "gridColumn", "gridRow", "gridArea"}
_OFFSETS = ("top", "right", "bottom", "left", "inset")


@dataclass(frozen=True)
class TextStyle:
    """The inherited part of CSS: what a child label takes from its ancestors."""
    color: str = "#111827"
    font_px: float = BASE_FONT_PX
    weight: int = 400
    italic: bool = False
    family: str | None = None
    align: str = "left"
    transform: str | None = None
    decoration: str | None = None
    line_height: str | None = None   # "150%" or "24px", as Qt rich text takes it

    def css(self) -> str:
        parts = [f"color: {self.color}", f"font-size: {self.font_px:g}px", f"font-weight: {self.weight}"]
        if self.italic:
            parts.append("font-style: italic")
        if self.family:
            parts.append(f"font-family: {self.family}")
        if self.decoration:
            parts.append(f"text-decoration: {self.decoration}")
        return "; ".join(parts)

    def apply_transform(self, text: str) -> str:
        if self.transform == "uppercase":
            return text.upper()
        if self.transform == "lowercase":
            return text.lower()
        if self.transform == "capitalize":
            return re.sub(r"\b(\w)", lambda m: m.group(1).upper(), text)
        return text


@dataclass(frozen=True)
class Shadow:
    """The first of an element's box shadows, as QGraphicsDropShadowEffect draws one (px)."""
    dx: float
    dy: float
    blur: float
    color: QColor


@dataclass
class BoxStyle:
    qss: list[str] = field(default_factory=list)       # declarations for this widget's own selector
    text: TextStyle = field(default_factory=TextStyle)  # what this element and its children use for text
    unrendered: list[str] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)  # width/height/min*/max* in px
    opacity: float | None = None
    display: str | None = None
    style: dict = field(default_factory=dict)
    shadow: Shadow | None = None

    def sheet(self, selector: str) -> str:
        return f"{selector} {{ {'; '.join(self.qss)} }}" if self.qss else ""


def length_px(value, font_px: float = BASE_FONT_PX, percent_of: float | None = None) -> float | None:
    """A CSS length in px; None when it is not one we can compute (auto, calc(), % without a base)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    match = _LENGTH.match(str(value).strip())
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2) or "px"
    if unit == "px":
        return number
    if unit == "em":
        return number * font_px
    if unit == "rem":
        return number * BASE_FONT_PX
    if unit == "pt":
        return number * 4 / 3
    return number * percent_of / 100 if percent_of is not None else None


def parse_color(value) -> QColor | None:
    text = str(value).strip().lower()
    match = re.match(r"^(rgba?|hsla?)\(([^)]*)\)$", text)
    if match:
        parts = [p for p in re.split(r"[\s,/]+", match.group(2)) if p]
        if len(parts) < 3:
            return None
        alpha = _alpha(parts[3]) if len(parts) > 3 else 1.0
        try:
            if match.group(1).startswith("rgb"):
                r, g, b = (_channel(p) for p in parts[:3])
                return QColor(r, g, b, round(alpha * 255))
            h = float(parts[0].rstrip("deg")) % 360
            s, li = (float(p.rstrip("%")) / 100 for p in parts[1:3])
            return QColor.fromHslF(h / 360, s, li, alpha)
        except ValueError:
            return None
    if text == "transparent":
        return QColor(0, 0, 0, 0)
    if re.match(r"^#[0-9a-f]{4}$|^#[0-9a-f]{8}$", text):  # CSS #rgba / #rrggbbaa: alpha last
        digits = text[1:] if len(text) == 9 else "".join(c * 2 for c in text[1:])
        return QColor(int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), int(digits[6:8], 16))
    color = QColor.fromString(text) if QColor.isValidColorName(text) else None
    return color if color is not None and color.isValid() else None


def _channel(text: str) -> int:
    return round(float(text[:-1]) * 2.55) if text.endswith("%") else round(float(text))


def _alpha(text: str) -> float:
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def qss_color(color: QColor) -> str:
    return f"rgba({color.red()}, {color.green()}, {color.blue()}, {color.alpha()})"


def linear_gradient(value: str) -> str | None:
    """``linear-gradient(135deg, #a, #b 60%)`` → ``qlineargradient(...)``; None if not parseable."""
    match = re.match(r"^\s*linear-gradient\((.*)\)\s*$", value, re.S)
    if not match:
        return None
    args = _split_top_level(match.group(1))
    angle = 180.0
    if args and (args[0].strip().endswith(("deg", "turn", "rad")) or args[0].strip().startswith("to ")):
        angle = _gradient_angle(args.pop(0).strip())
        if angle is None:
            return None
    stops = []
    for arg in args:
        parts = arg.strip().rsplit(" ", 1) if not arg.strip().endswith(")") else [arg.strip()]
        color = parse_color(parts[0])
        if color is None and len(parts) == 2:
            color, parts = parse_color(arg.strip()), [arg.strip()]
        if color is None:
            return None
        position = float(parts[1].rstrip("%")) / 100 if len(parts) == 2 and parts[1].endswith("%") else None
        stops.append([position, color])
    if len(stops) < 2:
        return None
    for i, stop in enumerate(stops):
        if stop[0] is None:
            stop[0] = i / (len(stops) - 1)
    dx, dy = math.sin(math.radians(angle)), -math.cos(math.radians(angle))
    x1, y1, x2, y2 = 0.5 - dx / 2, 0.5 - dy / 2, 0.5 + dx / 2, 0.5 + dy / 2
    stop_text = ", ".join(f"stop:{min(1, max(0, p)):.3f} {qss_color(c)}" for p, c in stops)
    return f"qlineargradient(x1:{x1:.3f}, y1:{y1:.3f}, x2:{x2:.3f}, y2:{y2:.3f}, {stop_text})"


def _gradient_angle(text: str) -> float | None:
    if text.startswith("to "):
        sides = set(text[3:].split())
        dx = (1 if "right" in sides else 0) - (1 if "left" in sides else 0)
        dy = (1 if "bottom" in sides else 0) - (1 if "top" in sides else 0)
        if dx == dy == 0:
            return None
        return math.degrees(math.atan2(dx, -dy)) % 360
    number = float(re.sub(r"[a-z]+$", "", text))
    if text.endswith("turn"):
        return number * 360
    if text.endswith("rad"):
        return math.degrees(number)
    return number


def _split_top_level(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [p for p in parts if p.strip()]


def _css_name(name: str) -> str:
    return re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), name)


def _lengths(value, font_px: float) -> str | None:
    """``'12px 1em'`` / ``8`` → ``'12px 16px'`` (auto → 0: Qt has no auto margins)."""
    out = []
    for part in str(value).split() if isinstance(value, str) else [value]:
        px = 0.0 if part == "auto" else length_px(part, font_px)
        if px is None:
            return None
        out.append(f"{round(px)}px")
    return " ".join(out) if 1 <= len(out) <= 4 else None


def _border(value, font_px: float) -> str | None:
    text = str(value).strip()
    if text in ("none", "0", "0px"):
        return "none"
    width, style, color = "1px", "solid", None
    for part in re.findall(r"[a-z]+\([^)]*\)|\S+", text):
        px = length_px(part, font_px)
        if px is not None:
            width = f"{round(px)}px"
        elif part in ("solid", "dashed", "dotted", "double", "none", "groove", "ridge", "inset", "outset"):
            style = part
        else:
            color = parse_color(part)
            if color is None:
                return None
    return f"{width} {style} {qss_color(color) if color else 'rgba(0, 0, 0, 255)'}"


def _weight(value) -> int:
    text = str(value).strip()
    if text == "bold" or text == "bolder":
        return 700
    if text in ("normal", "lighter"):
        return 400
    try:
        return int(float(text))
    except ValueError:
        return 400


def compute(style: dict | None, inherited: TextStyle, defaults: dict | None = None) -> BoxStyle:
    """Map one element's style (over its tag's defaults) given what its parent passes down."""
    merged = dict(defaults or {})
    merged.update(style or {})
    box = BoxStyle(text=inherited, style=merged)
    text = _text_style(merged, inherited, box)
    box.text = text
    for name, value in merged.items():
        if value is None or value == "":
            continue
        if not _map_box_property(box, name, value, text.font_px) and name not in _HANDLED_ELSEWHERE \
                and name not in _TEXT_PROPS:
            box.unrendered.append(name)
    _sizes(box, merged, text.font_px)
    _shadow(box, merged.get("boxShadow"), text.font_px)
    _position(box, merged)
    if merged.get("transform") not in (None, "", "none"):
        box.unrendered.append("transform")
    box.display = str(merged.get("display")) if merged.get("display") else None
    if "opacity" in merged:
        try:
            box.opacity = max(0.0, min(1.0, float(merged["opacity"])))
        except (TypeError, ValueError):
            box.unrendered.append("opacity")
    return box


_TEXT_PROPS = {"color", "fontSize", "fontWeight", "fontStyle", "fontFamily", "textAlign", "textTransform",
               "textDecoration"}


def _text_style(style: dict, inherited: TextStyle, box: BoxStyle) -> TextStyle:
    changes = {}
    if "color" in style:
        color = parse_color(style["color"])
        if color is None:
            box.unrendered.append("color")
        else:
            changes["color"] = qss_color(color)
    if "fontSize" in style:
        px = length_px(style["fontSize"], inherited.font_px, percent_of=inherited.font_px)
        if px is None:
            box.unrendered.append("fontSize")
        else:
            changes["font_px"] = px
    if "fontWeight" in style:
        changes["weight"] = _weight(style["fontWeight"])
    if "fontStyle" in style:
        changes["italic"] = str(style["fontStyle"]) == "italic"
    if "fontFamily" in style:
        changes["family"] = str(style["fontFamily"])
    if "textAlign" in style:
        changes["align"] = str(style["textAlign"])
    if "textTransform" in style:
        changes["transform"] = str(style["textTransform"])
    if "textDecoration" in style:
        changes["decoration"] = str(style["textDecoration"]).split()[0]
    if "lineHeight" in style and str(style["lineHeight"]).strip() == "normal":
        changes["line_height"] = None
    elif "lineHeight" in style:
        line_height = _line_height(style["lineHeight"], changes.get("font_px", inherited.font_px))
        if line_height is None:
            box.unrendered.append("lineHeight")
        else:
            changes["line_height"] = line_height
    return replace(inherited, **changes) if changes else inherited


def _line_height(value, font_px: float) -> str | None:
    """CSS line-height as Qt rich text takes it: a number is a multiple of the font size."""
    text = str(value).strip()
    if (isinstance(value, (int, float)) and not isinstance(value, bool)) or re.match(r"^\d*\.?\d+$", text):
        return f"{float(value) * 100:g}%"
    px = length_px(value, font_px, percent_of=font_px)
    return None if px is None else f"{px:g}px"


def _shadow(box: BoxStyle, value, font_px: float) -> None:
    """Draw the first box shadow; what Qt can't (inset, spread, further shadows) is listed."""
    if value in (None, "", "none"):
        return
    shadows = _split_top_level(str(value))
    first = re.findall(r"[a-z]+\([^)]*\)|\S+", shadows[0])
    if "inset" in first:
        box.unrendered.append("boxShadow (inset)")
        return
    lengths = [length_px(part, font_px) for part in first if length_px(part, font_px) is not None]
    colors = [parse_color(part) for part in first if length_px(part, font_px) is None]
    if len(lengths) < 2 or len(colors) > 1 or (colors and colors[0] is None):
        box.unrendered.append("boxShadow")
        return
    color = colors[0] if colors else QColor(0, 0, 0, 255)
    box.shadow = Shadow(lengths[0], lengths[1], lengths[2] if len(lengths) > 2 else 0.0, color)
    if len(lengths) > 3 and lengths[3]:
        box.unrendered.append("boxShadow (spread)")
    if len(shadows) > 1:
        box.unrendered.append("boxShadow (second and later shadows)")


def _position(box: BoxStyle, style: dict) -> None:
    """``position``: static (offsets ignored, as in CSS) and plain relative are drawn; the rest is listed."""
    position = str(style.get("position") or "static")
    moved = [name for name in _OFFSETS if style.get(name) not in (None, "", "auto", 0, "0")]
    if position == "relative" and moved:
        box.unrendered.append("position: relative (offset)")
    elif position not in ("static", "relative"):
        box.unrendered.append(f"position: {position}")


def _map_box_property(box: BoxStyle, name: str, value, font_px: float) -> bool:
    """Add the Qt declaration for one box property; False when Qt can't show it."""
    css = _css_name(name)
    if name in ("padding", "margin") or re.match(r"^(padding|margin)(Top|Right|Bottom|Left)$", name):
        lengths = _lengths(value, font_px)
        if lengths is None:
            return False
        box.qss.append(f"{css}: {lengths}")
        return True
    if name in ("background", "backgroundColor", "backgroundImage"):
        return _background(box, value)
    if name == "border" or re.match(r"^border(Top|Right|Bottom|Left)$", name):
        border = _border(value, font_px)
        if border is None:
            return False
        box.qss.append(f"{css}: {border}")
        return True
    if name in ("borderColor", "borderWidth", "borderStyle"):
        if name == "borderColor":
            color = parse_color(value)
            if color is None:
                return False
            value = qss_color(color)
        elif name == "borderWidth":
            px = length_px(value, font_px)
            if px is None:
                return False
            value = f"{round(px)}px"
        box.qss.append(f"{css}: {value}")
        return True
    if name == "borderRadius":
        px = length_px(value, font_px)
        if px is None:
            if str(value).endswith("%") and box.style.get("width") is not None:
                width = length_px(box.style["width"], font_px)
                if width is not None:
                    px = width * float(str(value)[:-1]) / 100
        if px is None:
            return False
        box.qss.append(f"border-radius: {round(px)}px")
        return True
    return False


def _background(box: BoxStyle, value) -> bool:
    text = str(value).strip()
    gradient = linear_gradient(text) if "gradient(" in text else None
    if gradient:
        box.qss.append(f"background: {gradient}")
        return True
    color = parse_color(text)
    if color is None:
        return False
    box.qss.append(f"background-color: {qss_color(color)}")
    return True


def _sizes(box: BoxStyle, style: dict, font_px: float) -> None:
    for name in ("width", "height", "minWidth", "maxWidth", "minHeight", "maxHeight"):
        if name not in style or style[name] in (None, "", "auto"):
            continue
        value = style[name]
        if str(value).strip() == "100%" and name in ("width", "maxWidth"):
            continue  # a block already takes its parent's width
        px = length_px(value, font_px)
        if px is None:
            box.unrendered.append(name)
        else:
            box.sizes[name] = max(0, round(px))
