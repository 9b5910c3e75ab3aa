"""The widget preview pane: the live widget, its error overlay, and the controls beside it.

Embed it beside the widget's editor::

    pane = WidgetPreviewPane(runner, database, parent)   # ui.lanes.runner_lane(), ui.database.Database
    pane.show_widget(widget_row)                                 # a db.records.WidgetRow
    editor.textChanged.connect(lambda: pane.set_code(editor.text()))   # debounced here
    pane.error_line_clicked.connect(editor.go_to_line)

The widget's code runs in the runner's worker process; this pane only shows the element tree
the worker sends back and sends user input to it.
"""
from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
    QScrollArea, QSizePolicy, QSplitter, QTabWidget, QToolBar, QToolButton, QVBoxLayout, QWidget,
)

from plugin_studio.db.records import WidgetRow
from plugin_studio.runner.npm_packages import NpmPackageError
from plugin_studio.ui import theme
from plugin_studio.ui.inputs import keep_typed_text
from plugin_studio.ui.preview.browser import BrowserExport
from plugin_studio.ui.preview.memory import release_soon
from plugin_studio.ui.preview.meta_editor import WidgetMetaEditor
from plugin_studio.ui.preview.pane_layout import PreviewSplit, json_edit, scrolling, wrapped
from plugin_studio.ui.preview.renderer import PreviewCanvas
from plugin_studio.ui.preview.samples import PLATFORM_EVENTS, SLOT_SAMPLES, VIEWPORTS, WINDOW_EVENTS, window_event_for
from plugin_studio.ui.preview.session import PreviewSession

# Typing pauses for this long before the preview renders; the render itself takes ~5-40 ms.
DEBOUNCE_MS = 60
ACTION_LOG_LIMIT = 2000


class ErrorOverlay(QFrame):
    """A band over the top of the preview: the message, and the line as a link to the editor."""

    line_clicked = Signal(int)

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("errorOverlay")
        theme.style(self, "#errorOverlay {{ background: {error_bg}; border: 1px solid {error_border};"
                          " border-radius: 6px; }} QLabel {{ color: {error}; }}")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.LinksAccessibleByMouse)
        self.message.linkActivated.connect(lambda href: self.line_clicked.emit(int(href.split(":")[1])))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.message)
        self.line: int | None = None
        self.hide()

    def show_error(self, error: dict, extra: str = "") -> None:
        import html

        self.line = error.get("line")
        where = ""
        if self.line:
            column = f":{error['column']}" if error.get("column") else ""
            where = f' — <a href="line:{self.line}">line {self.line}{column}</a>'
        phase = {"compile": "Can't compile", "load": "Failed while loading", "shape": "No component",
                 "render": "Render failed"}.get(error.get("phase"), "Error")
        name = error.get("name") or "Error"
        text = (f"<b>{phase}{where}</b><br/>{html.escape(name)}: {html.escape(str(error.get('message')))}"
                f"{'<br/>' + html.escape(extra) if extra else ''}")
        self.message.setText(text)
        self.show()
        self.raise_()
        self.reposition()

    def reposition(self) -> None:
        parent = self.parentWidget()
        width = max(100, parent.width() - 24)
        self.setFixedWidth(width)
        self.adjustSize()
        self.move(12, 12)


class WidgetPreviewPane(QWidget):
    error_line_clicked = Signal(int)                 # the editor should jump to this line
    platform_event_requested = Signal(str, object)   # run the plugin's listeners for (event, data)
    widget_saved = Signal(str, dict)                 # row id, changed properties
    preview_updated = Signal(object)                 # every answer shown (tree, errors, log, ...)
    split_changed = Signal(dict)                     # the user moved the split: {"horizontal"|"vertical": share}

    def __init__(self, runner, database=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = PreviewSession(runner, self)
        self.session.rendered.connect(self._on_rendered)
        self.session.failed.connect(self._on_failed)
        self.browser = BrowserExport(runner, database, self)
        self.browser.opened.connect(lambda path: self._log_line(f"opened in the browser: {path}"))
        self.browser.failed.connect(lambda message: self.status.setText(f"Open in browser failed: {message}"))
        self._row: WidgetRow | None = None
        self._last_error_free_tree = None
        self._typing = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._typing.timeout.connect(self._on_typing_paused)
        self._pending_code: str | None = None
        self._since_edit = QElapsedTimer()
        self.last_edit_to_render_ms: float | None = None
        self._build_ui(database)

    # ----------------------------------------------------------- layout

    def _build_ui(self, database) -> None:
        self.canvas = PreviewCanvas()
        self.canvas.element_event.connect(self._on_element_event)
        self.device = QWidget()
        self.device.setObjectName("device")
        self.device.setStyleSheet("#device { background: white; }")
        device_layout = QVBoxLayout(self.device)
        device_layout.setContentsMargins(12, 12, 12, 12)
        device_layout.addWidget(self.canvas)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.device)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
        theme.style(self.scroll, "QScrollArea {{ background: {backdrop}; border: none; }}")
        self.overlay = ErrorOverlay(self.scroll)
        self.overlay.line_clicked.connect(self.error_line_clicked)
        self.notes = QLabel()
        self.notes.setTextFormat(Qt.PlainText)  # element names such as <span> are text here
        self.notes.setWordWrap(True)
        theme.style(self.notes, "color: {muted}; font-size: 11px;")
        self.storefront_note = QLabel()
        self.storefront_note.setObjectName("storefrontNote")
        self.storefront_note.setTextFormat(Qt.PlainText)
        self.storefront_note.setWordWrap(True)
        theme.style(self.storefront_note, "#storefrontNote {{ background: {warning_bg}; color: {warning};"
                                          " border: 1px solid {warning_border}; border-radius: 4px; padding: 4px 8px; }}")
        self.storefront_note.hide()
        self.status = QLabel("no widget")
        # Clipped when the pane is narrow, rather than widening the pane past its room.
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        theme.style(self.status, "color: {muted};")

        preview = QWidget()
        preview_layout = QVBoxLayout(preview)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addLayout(self._toolbar())
        preview_layout.addWidget(self.storefront_note)
        preview_layout.addWidget(self.scroll, 1)
        preview_layout.addWidget(self.notes)

        self.tabs = QTabWidget()
        self.tabs.addTab(scrolling(self._props_tab()), "Props")
        self.tabs.addTab(scrolling(self._events_tab()), "Events")
        self.actions = QPlainTextEdit()
        self.actions.setReadOnly(True)
        self.actions.setMaximumBlockCount(ACTION_LOG_LIMIT)
        self.actions.setPlaceholderText("Every handler call, window event, timer and console line shows here.")
        self.tabs.addTab(self.actions, "Actions")
        self.meta = WidgetMetaEditor(database)
        self.meta.widget_saved.connect(self.widget_saved)
        self.tabs.addTab(scrolling(self.meta), "Widget")

        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.setObjectName("preview-split")
        self.splitter.addWidget(preview)
        self.splitter.addWidget(self.tabs)
        self.splitter.setChildrenCollapsible(False)
        self.split = PreviewSplit(self, self.splitter)
        self.split.changed.connect(self.split_changed)
        self.tabs.setMinimumWidth(280)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._set_viewport_width(VIEWPORTS[0][1])

    def _toolbar(self) -> QHBoxLayout:
        # A tool bar: what does not fit a narrow pane goes behind its » menu instead of widening the pane.
        bar = QToolBar()
        bar.setObjectName("preview-toolbar")
        self.viewport_buttons = QButtonGroup(self)
        for index, (label, width) in enumerate(VIEWPORTS):
            button = QToolButton()
            button.setText(f"{label} {width}")
            button.setCheckable(True)
            button.setChecked(index == 0)
            self.viewport_buttons.addButton(button, width)
            bar.addWidget(button)
        self.viewport_buttons.idClicked.connect(self._set_viewport_width)
        restart = QToolButton()
        restart.setText("Restart")
        restart.setToolTip("Unmount the widget (its effect cleanups run) and render it again with fresh state")
        restart.clicked.connect(self.session.reset_state)
        bar.addWidget(restart)
        open_page = QToolButton()
        open_page.setText("Open in browser")
        open_page.setToolTip("The widget with React and the plugin's CSS as a page in the system browser, "
                             "to check it pixel for pixel against a real browser engine")
        open_page.clicked.connect(self.open_in_browser)
        bar.addWidget(open_page)
        self.clock_box = QCheckBox("timers run")
        self.clock_box.setChecked(True)
        self.clock_box.setToolTip("setTimeout/setInterval follow real time; untick to freeze the widget's clock")
        self.clock_box.toggled.connect(self.session.set_clock_running)
        bar.addWidget(self.clock_box)
        row = QHBoxLayout()
        row.addWidget(bar, 1)
        row.addWidget(self.status, 1)
        return row

    def _props_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(wrapped("config (JSON; starts as the widget's default_config)"))
        self.config_edit = json_edit()
        layout.addWidget(self.config_edit, 2)
        row = QHBoxLayout()
        apply = QPushButton("Apply")
        apply.clicked.connect(self._apply_props)
        reset = QPushButton("Reset to default")
        reset.clicked.connect(self._reset_config)
        row.addWidget(apply)
        row.addWidget(reset)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(QLabel("slotData sample"))
        self.slot_choice = QComboBox()
        self.slot_choice.addItems(list(SLOT_SAMPLES))
        self.slot_choice.currentTextChanged.connect(self._on_slot_sample_chosen)
        layout.addWidget(self.slot_choice)
        self.slot_edit = json_edit()
        self.slot_edit.setPlainText(json.dumps(SLOT_SAMPLES[self.slot_choice.currentText()], indent=2))
        layout.addWidget(self.slot_edit, 3)
        self.props_error = QLabel()
        theme.style(self.props_error, "color: {error};")
        self.props_error.setWordWrap(True)
        layout.addWidget(self.props_error)
        return tab

    def _events_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(wrapped("window event (window.dispatchEvent; detail as JSON)"))
        self.window_event = QComboBox()
        self.window_event.setEditable(True)
        self.window_event.addItems(WINDOW_EVENTS)
        keep_typed_text(self.window_event)
        self.window_detail = QLineEdit()
        self.window_detail.setPlaceholderText("detail, e.g. {\"items\": 2} (empty: null)")
        dispatch = QPushButton("Dispatch")
        dispatch.clicked.connect(self._dispatch_window_event)
        row = QHBoxLayout()
        row.addWidget(self.window_event, 1)
        row.addWidget(dispatch)
        layout.addLayout(row)
        layout.addWidget(self.window_detail)
        layout.addSpacing(12)
        layout.addWidget(wrapped("platform event (the plugin's listeners run; the widget gets "
                                  "the matching window event, cart.viewed → cart-viewed)"))
        self.platform_event = QComboBox()
        self.platform_event.setEditable(True)
        self.platform_event.addItems(PLATFORM_EVENTS)
        keep_typed_text(self.platform_event)
        self.platform_data = QLineEdit()
        self.platform_data.setPlaceholderText("data as JSON (empty: {})")
        emit = QPushButton("Emit")
        emit.clicked.connect(self._emit_platform_event)
        row = QHBoxLayout()
        row.addWidget(self.platform_event, 1)
        row.addWidget(emit)
        layout.addLayout(row)
        layout.addWidget(self.platform_data)
        self.events_error = QLabel()
        theme.style(self.events_error, "color: {error};")
        self.events_error.setWordWrap(True)
        layout.addWidget(self.events_error)
        layout.addStretch(1)
        return tab

    # ----------------------------------------------------------- public API

    def show_widget(self, row: WidgetRow) -> None:
        """Preview this widget row: its code, its default config, its properties in the Widget tab."""
        self._row = row
        self.session.plugin = str(row.plugin_id)
        self.meta.show_row(row)
        self.config_edit.setPlainText(json.dumps(row.default_config or {}, indent=2, ensure_ascii=False))
        self.session.config = row.default_config or {}
        self.session.slot_data = self._parse(self.slot_edit, "slotData", self.props_error)[1] or {}
        self.session.set_code(row.component_code)
        self.status.setText("rendering…")

    def set_code(self, code: str) -> None:
        """The editor's text changed: render it once typing pauses (DEBOUNCE_MS)."""
        self._pending_code = code
        self._since_edit.start()
        self._typing.start()

    def open_in_browser(self) -> None:
        """Write the widget as it renders now (config and slotData included) to a page and open it."""
        name = self._row.widget_id if self._row else "widget"
        self.browser.open(self.session.root, name, self.session.plugin, self.session.config, self.session.slot_data)

    def dispatch_window_event(self, name: str, detail: Any = None) -> None:
        self.session.dispatch_window(name, detail)

    def stop(self) -> None:
        """Unmount the widget in the worker (its cleanups run); the runner itself belongs to the caller."""
        self._typing.stop()
        self.session.close()
        release_soon()

    # ----------------------------------------------------------- intents from the controls

    def _on_typing_paused(self) -> None:
        if self._pending_code is not None:
            self._edit_clock = QElapsedTimer()
            self._edit_clock.start()
            self.session.set_code(self._pending_code)
            self._pending_code = None

    def _set_viewport_width(self, width: int) -> None:
        self.device.setFixedWidth(width)
        button = self.viewport_buttons.button(width)
        if button is not None:
            button.setChecked(True)
        if self.session.code is not None:
            self.session.set_viewport(width)
        self.session.viewport = width

    def _on_element_event(self, node: int, type_: str, data: dict) -> None:
        self.session.send_event(node, type_, data)

    def _apply_props(self) -> None:
        config_ok, config = self._parse(self.config_edit, "config", self.props_error, empty={})
        slot_ok, slot = self._parse(self.slot_edit, "slotData", self.props_error, empty={})
        if config_ok and slot_ok:
            self.props_error.clear()
            self.session.set_props(config, slot)

    def _reset_config(self) -> None:
        default = (self._row.default_config if self._row else None) or {}
        self.config_edit.setPlainText(json.dumps(default, indent=2, ensure_ascii=False))
        self._apply_props()

    def _on_slot_sample_chosen(self, name: str) -> None:
        self.slot_edit.setPlainText(json.dumps(SLOT_SAMPLES.get(name, {}), indent=2, ensure_ascii=False))
        self._apply_props()

    def _dispatch_window_event(self) -> None:
        name = self.window_event.currentText().strip()
        ok, detail = self._parse(self.window_detail, "detail", self.events_error)
        if name and ok:
            self.events_error.clear()
            self.session.dispatch_window(name, detail)

    def _emit_platform_event(self) -> None:
        name = self.platform_event.currentText().strip()
        ok, data = self._parse(self.platform_data, "data", self.events_error, empty={})
        if name and ok:
            self.events_error.clear()
            self.platform_event_requested.emit(name, data)
            self._log_line(f"platform event {name} emitted {json.dumps(data)}")
            self.session.dispatch_window(window_event_for(name), data)

    @staticmethod
    def _parse(field, what: str, error_label: QLabel, empty: Any = None) -> tuple[bool, Any]:
        """(True, value) or (False, None) with the reason shown; the typed text stays as it is."""
        text = field.toPlainText() if isinstance(field, QPlainTextEdit) else field.text()
        if not text.strip():
            return True, empty
        try:
            return True, json.loads(text)
        except ValueError as exc:
            error_label.setText(f"{what} is not valid JSON: {exc}")
            return False, None

    # ----------------------------------------------------------- answers from the worker

    def _on_rendered(self, result: dict) -> None:
        self._log_result(result)
        if result.get("superseded"):
            return  # the answer to the call queued after it is what the user should see
        errors = result.get("errors") or []
        report = self.canvas.show_tree(result.get("tree") or [])
        if result.get("op") == "widget.render" and hasattr(self, "_edit_clock"):
            self.last_edit_to_render_ms = self._edit_clock.elapsed()
            del self._edit_clock
        if errors:
            self.overlay.show_error(errors[0], extra=f"(+{len(errors) - 1} more)" if len(errors) > 1 else "")
        elif result.get("op") in ("widget.render", "widget.unmount") or self.overlay.line is None:
            self.overlay.hide()
        self.notes.setText(report.summary())
        if result.get("op") == "widget.render":
            self._show_storefront_note(result)
        self._show_status(result)
        self.preview_updated.emit(result)

    def _show_storefront_note(self, result: dict) -> None:
        """What the storefront would do differently: named above the preview, never hidden."""
        lines = list(result.get("warnings") or [])
        if result.get("state_reset_reason"):
            lines.append(f"State reset: {result['state_reset_reason']}.")
        self.storefront_note.setText("\n".join(f"⚠ {line}" for line in lines))
        self.storefront_note.setVisible(bool(lines))

    def _on_failed(self, error: Exception) -> None:
        message = str(error) or type(error).__name__
        if isinstance(error, NpmPackageError) or getattr(error, "details", {}).get("packages"):
            extra = "Editing, saving and everything else keep working; the preview tries again on the next edit."
        else:
            extra = "The preview restarts with fresh state on the next edit."
        self.overlay.show_error({"phase": "runner", "name": type(error).__name__, "message": message}, extra=extra)
        self._log_line(f"runner: {message}")
        self.status.setText("failed")
        self.preview_updated.emit({"op": "failed", "errors": [{"message": message}], "tree": None})

    def _show_status(self, result: dict) -> None:
        parts = []
        compiled = result.get("compiled")
        if compiled:
            parts.append("JSX" if compiled["jsx"] else "JS")
            if not compiled["platform_compatible"]:
                parts.append("⚠ the storefront loader can't run this shape")
        if result.get("state_kept"):
            parts.append("state kept")
        if result.get("state_reset_reason"):
            parts.append("state reset")
        parts.append(f"{result.get('elapsed_ms', 0)} ms")
        self.status.setText(" · ".join(parts))

    def _log_result(self, result: dict) -> None:
        for entry in result.get("log") or []:
            self._log_line(_describe(entry))
        for error in result.get("errors") or []:
            where = f" (line {error['line']})" if error.get("line") else ""
            self._log_line(f"error in {error.get('phase')}: {error.get('message')}{where}")

    def _log_line(self, text: str) -> None:
        self.actions.appendPlainText(text)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self.overlay.isVisible():
            self.overlay.reposition()

    def restore_split(self, split: dict) -> None:
        """Shares remembered from another widget tab or the last session (``split_changed``'s values)."""
        self.split.restore(split)

    def closeEvent(self, event):
        self.stop()
        super().closeEvent(event)


def _describe(entry: dict) -> str:
    """One line of the Actions tab for a log entry of the preview runtime."""
    at = f"[{entry['at'] / 1000:.3f}s] " if isinstance(entry.get("at"), (int, float)) else ""
    kind = entry.get("kind")
    if kind == "event":
        value = f" value={entry['value']!r}" if entry.get("value") is not None else ""
        key = f" key={entry['key']}" if entry.get("key") else ""
        return f"{at}{entry['event']} on <{entry['element']}> #{entry['node']}{value}{key}"
    if kind == "handler":
        return f"{at}  {entry['handler']} on <{entry['element']}> #{entry['node']} ({entry['event']})"
    if kind == "window-event":
        detail = f" detail={json.dumps(entry['detail'])}" if entry.get("detail") is not None else ""
        return f"{at}window event '{entry['event']}' → {entry['listeners']} listener(s){detail}"
    if kind == "timer":
        return f"{at}timer #{entry['timer']}{' (interval)' if entry.get('repeat') else ''}"
    if kind == "console":
        return f"{at}console.{entry['level']}: {entry['message']}"
    if kind == "dialog":
        return f"{at}{entry['dialog']}(): {entry['message']}"
    return f"{at}{kind}: {entry.get('message', '')}"
