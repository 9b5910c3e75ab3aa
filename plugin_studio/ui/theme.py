"""Light and dark themes and the editor's font, applied live to every view.

One ``Appearance`` at a time: a ``Palette`` (Qt's colour roles, the semantic colours our views
use — errors, warnings, badges, charts, the preview's backdrop — and the editor's syntax colours),
the editor's font and size, and its tab width. ``apply(settings)`` makes it current: Qt's palette
(Fusion, which draws every widget from the palette on every platform), then every follower.

Views never hard-code a colour; they follow the current appearance:

    theme.style(label, "color: {error};")                  # a style sheet, re-applied on each change
    theme.follow(editor, lambda e, a: e.set_theme(a.editor))   # anything else: (the widget, the appearance)
    theme.style_plot(plot_widget)                          # pyqtgraph: background, axes, text
    theme.colour("muted")                                  # painting code asks at paint time

"system" follows the desktop's colour scheme (``QStyleHints.colorScheme``), also when it changes
while the IDE runs; a platform that does not say (offscreen, older desktops) gets the light theme.
"""
from __future__ import annotations

import itertools
import weakref
from dataclasses import dataclass, field, fields, replace
from typing import Callable

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from plugin_studio.settings import Settings

SYNTAX_LIGHT = {   # Monaco's "Light+", as 0xRRGGBB
    "default": 0x1F1F1F, "keyword": 0x0000FF, "string": 0xA31515, "comment": 0x008000, "number": 0x098658,
    "operator": 0x1F1F1F, "function": 0x795E26, "builtin": 0x0070C1, "tag": 0x800000, "attribute": 0xE50000,
    "error": 0xE51400, "property": 0x001080, "constant": 0x0070C1, "type": 0x267F99, "punctuation": 0x3B3B3B,
    "parameter": 0x001080, "escape": 0xEE0000, "heading": 0x800000, "emphasis": 0x1F1F1F, "strong": 0x1F1F1F,
    "link": 0x0451A5, "code": 0xA31515,
}
SYNTAX_DARK = {    # Monaco's "Dark+"
    "default": 0xD4D4D4, "keyword": 0x569CD6, "string": 0xCE9178, "comment": 0x6A9955, "number": 0xB5CEA8,
    "operator": 0xD4D4D4, "function": 0xDCDCAA, "builtin": 0x4EC9B0, "tag": 0x569CD6, "attribute": 0x9CDCFE,
    "error": 0xF44747, "property": 0x9CDCFE, "constant": 0x4FC1FF, "type": 0x4EC9B0, "punctuation": 0xCCCCCC,
    "parameter": 0x9CDCFE, "escape": 0xD7BA7D, "heading": 0x569CD6, "emphasis": 0xD4D4D4, "strong": 0xD4D4D4,
    "link": 0x3794FF, "code": 0xCE9178,
}


@dataclass(frozen=True)
class EditorTheme:
    """What the code editor needs: colours as 0xRRGGBB, its font (points) and tab width (columns)."""
    background: int
    foreground: int
    syntax: dict[str, int]          # by highlight name ("keyword", "string", ...)
    line_number: int
    margin: int
    caret: int
    caret_line: int
    selection: int
    current_line_marker: int        # the debugger's arrow
    annotation_error: tuple[int, int]     # foreground, background
    annotation_warning: tuple[int, int]
    indent_guide: int
    brace_match: int                # the background of a bracket and its partner
    font_family: str = ""
    font_size: int = 10
    tab_width: int = 2


@dataclass(frozen=True)
class Palette:
    """Colours as "#rrggbb": Qt's roles first, then what our own views draw."""
    name: str
    dark: bool
    window: str
    window_text: str
    base: str
    alternate_base: str
    text: str
    button: str
    button_text: str
    highlight: str
    highlighted_text: str
    tooltip_base: str
    tooltip_text: str
    link: str
    placeholder: str
    mid: str
    disabled_text: str
    muted: str                  # secondary text: hints, notes, statuses
    title: str                  # section titles
    error: str
    error_bg: str
    error_border: str
    warning: str
    warning_bg: str
    warning_border: str
    success: str
    accent: str
    current_bg: str             # the debugger's current step
    badge_event: str            # purple, as the platform shows events
    badge_hook: str
    badge_widget: str
    backdrop: str               # around a previewed page (the page itself stays the storefront's white)
    chart_bg: str
    chart_fg: str
    chart_bar: str
    editor: EditorTheme = field(repr=False, default=None)

    def roles(self) -> dict[str, str]:
        """Every colour by name, for ``str.format_map`` in style sheets."""
        return {f.name: getattr(self, f.name) for f in fields(self) if isinstance(getattr(self, f.name), str)}


LIGHT = Palette(
    name="light", dark=False, window="#efefef", window_text="#1f2937", base="#ffffff", alternate_base="#f7f7f7",
    text="#1f1f1f", button="#efefef", button_text="#1f2937", highlight="#308cc6", highlighted_text="#ffffff",
    tooltip_base="#ffffdc", tooltip_text="#000000", link="#0451a5", placeholder="#6b7280", mid="#a0a0a0",
    disabled_text="#9ca3af", muted="#6b7280", title="#374151", error="#b91c1c", error_bg="#fee2e2",
    error_border="#f87171", warning="#92400e", warning_bg="#fef3c7", warning_border="#f59e0b", success="#15803d",
    accent="#2563eb", current_bg="#fde68a", badge_event="#7c3aed", badge_hook="#0e7490", badge_widget="#15803d",
    backdrop="#e5e7eb", chart_bg="#ffffff", chart_fg="#374151", chart_bar="#3b82f6",
    editor=EditorTheme(background=0xFFFFFF, foreground=0x1F1F1F, syntax=SYNTAX_LIGHT, line_number=0x909090,
                       margin=0xF4F4F4, caret=0x000000, caret_line=0xEEF1F7, selection=0xADD6FF,
                       current_line_marker=0xFFD040, annotation_error=(0xA01010, 0xFFE6E6),
                       annotation_warning=(0x7A5300, 0xFFF6D5), indent_guide=0xD8D8D8, brace_match=0xD9EFD9),
)
DARK = Palette(
    name="dark", dark=True, window="#252526", window_text="#d4d4d4", base="#1e1e1e", alternate_base="#2a2d2e",
    text="#d4d4d4", button="#333337", button_text="#d4d4d4", highlight="#264f78", highlighted_text="#ffffff",
    tooltip_base="#252526", tooltip_text="#d4d4d4", link="#4fc1ff", placeholder="#8b8b8b", mid="#5a5a5a",
    disabled_text="#6d6d6d", muted="#9ca3af", title="#cccccc", error="#f48771", error_bg="#4b1818",
    error_border="#be1100", warning="#fcd34d", warning_bg="#3d3420", warning_border="#b45309", success="#4ade80",
    accent="#60a5fa", current_bg="#5c4a12", badge_event="#a78bfa", badge_hook="#22d3ee", badge_widget="#4ade80",
    backdrop="#2d2d30", chart_bg="#1e1e1e", chart_fg="#cccccc", chart_bar="#60a5fa",
    editor=EditorTheme(background=0x1E1E1E, foreground=0xD4D4D4, syntax=SYNTAX_DARK, line_number=0x858585,
                       margin=0x1E1E1E, caret=0xAEAFAD, caret_line=0x282828, selection=0x264F78,
                       current_line_marker=0xFFCC00, annotation_error=(0xF48771, 0x4B1818),
                       annotation_warning=(0xFCD34D, 0x3D3420), indent_guide=0x404040, brace_match=0x3B514D),
)
PALETTES = {"light": LIGHT, "dark": DARK}


@dataclass(frozen=True)
class Appearance:
    palette: Palette
    editor: EditorTheme
    chosen: str = "system"      # what the user chose: "system", "light" or "dark"


def resolve(settings) -> Appearance:
    """The appearance ``settings`` (``plugin_studio.settings.Settings``) ask for, on this desktop now."""
    palette = PALETTES.get(settings.theme) or (DARK if _system_is_dark() else LIGHT)
    editor = replace(palette.editor, font_family=settings.editor_font_family or _fixed_font_family(),
                     font_size=settings.editor_font_size, tab_width=settings.tab_width)
    return Appearance(palette, editor, settings.theme)


def _system_is_dark() -> bool:
    app = QApplication.instance()
    return app is not None and app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def _fixed_font_family() -> str:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family() or "monospace"


def editor_font(appearance: Appearance | None = None) -> QFont:
    """The editor's font, for other code views (SQL, logs, diffs)."""
    editor = (appearance or current()).editor
    font = QFont(editor.font_family)
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setFixedPitch(True)
    font.setPointSize(editor.font_size)
    return font


def qt_palette(palette: Palette) -> QPalette:
    qp = QPalette()
    role = QPalette.ColorRole
    for name, value in (("Window", palette.window), ("WindowText", palette.window_text), ("Base", palette.base),
                        ("AlternateBase", palette.alternate_base), ("Text", palette.text),
                        ("Button", palette.button), ("ButtonText", palette.button_text),
                        ("Highlight", palette.highlight), ("HighlightedText", palette.highlighted_text),
                        ("ToolTipBase", palette.tooltip_base), ("ToolTipText", palette.tooltip_text),
                        ("Link", palette.link), ("PlaceholderText", palette.placeholder), ("Mid", palette.mid),
                        ("BrightText", "#ffffff")):
        qp.setColor(getattr(role, name), QColor(value))
    _shade(qp, palette)
    disabled = QPalette.ColorGroup.Disabled
    for name in ("WindowText", "Text", "ButtonText"):
        qp.setColor(disabled, getattr(role, name), QColor(palette.disabled_text))
    return qp


def _shade(qp: QPalette, palette: Palette) -> None:
    """The 3D roles Fusion draws frames and handles with, derived from the button colour."""
    button = QColor(palette.button)
    role = QPalette.ColorRole
    qp.setColor(role.Light, button.lighter(150 if palette.dark else 120))
    qp.setColor(role.Midlight, button.lighter(125 if palette.dark else 110))
    qp.setColor(role.Dark, button.darker(160))
    qp.setColor(role.Shadow, QColor("#000000"))


Follower = Callable[[QObject, Appearance], None]


class ThemeManager(QObject):
    """The current appearance and who follows it (see the module docstring). Followers are held
    weakly: following the theme never keeps a widget alive."""

    changed = Signal(object)    # Appearance

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.appearance = resolve(Settings(theme="light"))   # until apply(): the defaults, in light
        self._followers: dict[int, tuple[weakref.ref, Follower]] = {}
        self._keys = itertools.count()
        self._settings = None
        app.styleHints().colorSchemeChanged.connect(self._on_system_scheme_changed)

    def apply(self, settings) -> Appearance:
        """Make the appearance ``settings`` ask for current everywhere, at once."""
        self._settings = settings
        self.appearance = resolve(settings)
        app = QApplication.instance()
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        app.setPalette(qt_palette(self.appearance.palette))
        for key, (ref, apply) in list(self._followers.items()):
            self._call(key, ref, apply)
        self.changed.emit(self.appearance)
        return self.appearance

    def follow(self, owner: QObject, apply: Follower) -> None:
        """``apply(owner, appearance)`` now and after every change, for as long as ``owner`` exists.
        ``apply`` must not hold ``owner`` itself (it is handed in), or the owner would never be freed."""
        key = next(self._keys)
        self._followers[key] = (weakref.ref(owner), apply)
        self._call(key, self._followers[key][0], apply)

    def _call(self, key: int, ref: weakref.ref, apply: Follower) -> None:
        owner = ref()
        if owner is None or not shiboken6.isValid(owner):
            self._followers.pop(key, None)
            return
        apply(owner, self.appearance)

    def _on_system_scheme_changed(self, _scheme) -> None:
        if self._settings is not None and self._settings.theme == "system":
            self.apply(self._settings)


_manager: ThemeManager | None = None


def manager() -> ThemeManager:
    """The application's theme manager (created with the light theme on first use)."""
    global _manager
    app = QApplication.instance()
    if _manager is None or not shiboken6.isValid(_manager):
        _manager = ThemeManager(app)
    return _manager


def apply(settings) -> Appearance:
    return manager().apply(settings)


def current() -> Appearance:
    return manager().appearance


def follow(owner: QObject, apply_appearance: Follower) -> None:
    manager().follow(owner, apply_appearance)


def colour(role: str) -> QColor:
    """A colour of the current palette by name ("muted", "error", "badge_event", ...)."""
    return QColor(getattr(current().palette, role))


def style(widget: QWidget, template: str) -> None:
    """``widget``'s style sheet from a template naming palette colours in braces (``"color: {error};"``),
    re-applied whenever the theme changes. Literal braces of CSS blocks are doubled (``{{ }}``)."""
    follow(widget, lambda owner, appearance: owner.setStyleSheet(template.format_map(appearance.palette.roles())))


def style_plot(plot) -> None:
    """A pyqtgraph ``PlotWidget`` in the current theme's chart colours: background, axes and their text."""
    def apply_to_plot(plot, appearance: Appearance) -> None:
        palette = appearance.palette
        plot.setBackground(palette.chart_bg)
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setPen(palette.chart_fg)
            axis.setTextPen(palette.chart_fg)
            axis.label.setDefaultTextColor(QColor(palette.chart_fg))
    follow(plot, apply_to_plot)
