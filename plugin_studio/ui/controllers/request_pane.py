"""The request pane beside a controller's editor: a REST client for the plugin's exec route.

Method, path (``:params`` filled in by hand), query rows, header rows, a JSON body and the role the
request is signed in as; Send (Ctrl+Return) answers it as ``plugin-studio controllers call`` does
(``runner.controllers.send_in_context``), with the editor's text standing in for the stored handler so
unsaved edits are what runs. The answer shows status, time, which controller answered, the body as
pretty JSON, the console, and every place the storefront would differ. Requests are kept per
controller on this machine (``models.saved_requests``).
"""
from __future__ import annotations

import dataclasses
import json
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSplitter,
    QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from plugin_studio.db import controllers
from plugin_studio.db.controllers import RequestContext, request_context
from plugin_studio.db.records import ControllerRow
from plugin_studio.models.controller_requests import ROLES, ControllerRequest, RequestError, check_body
from plugin_studio.models.routes import HTTP_METHODS, route_clashes
from plugin_studio.models.saved_requests import SavedRequest, SavedRequests
from plugin_studio.runner.controllers import ControllerResponse, send_in_context
from plugin_studio.ui.part_layout import attach_beside

MONO = QFont("monospace")
MONO.setStyleHint(QFont.StyleHint.Monospace)
STATUS_COLOURS = {2: "#15803d", 3: "#1d4ed8", 4: "#b45309", 5: "#b91c1c"}


def example_target(path: str) -> str:
    """The controller's path with each ``:param`` as a placeholder the user overwrites (``/visits/1``)."""
    return "/".join("1" if part.startswith(":") else part for part in path.split("/")) or "/"


def pretty_body(response: ControllerResponse) -> str:
    if response.body_text is None:
        return "(empty body)"
    body = response.body
    return response.body_text if body is None and response.body_text != "null" else json.dumps(body, indent=2)


def _send(host, context: RequestContext, request: ControllerRequest) -> ControllerResponse:
    """Runner lane job (plain data in, plain data out)."""
    return send_in_context(host, context, request)


class PairTable(QTableWidget):
    """Name/value rows (query or headers) with an empty row at the end that grows the table."""

    def __init__(self, what: str, parent: QWidget | None = None):
        super().__init__(0, 2, parent)
        self.setHorizontalHeaderLabels([what, "Value"])
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().hide()
        self.itemChanged.connect(self._keep_empty_row)
        self.set_pairs([])

    def pairs(self) -> list[tuple[str, str]]:
        found = []
        for row in range(self.rowCount()):
            name, value = (self.item(row, c).text() if self.item(row, c) else "" for c in (0, 1))
            if name.strip():
                found.append((name.strip(), value))
        return found

    def set_pairs(self, pairs: list[tuple[str, str]]) -> None:
        self.blockSignals(True)
        self.setRowCount(0)
        for name, value in [*pairs, ("", "")]:
            row = self.rowCount()
            self.insertRow(row)
            self.setItem(row, 0, QTableWidgetItem(name))
            self.setItem(row, 1, QTableWidgetItem(value))
        self.blockSignals(False)

    def _keep_empty_row(self, item: QTableWidgetItem) -> None:
        if item.row() == self.rowCount() - 1 and item.text():
            self.blockSignals(True)
            self.insertRow(self.rowCount())
            self.setItem(self.rowCount() - 1, 0, QTableWidgetItem(""))
            self.setItem(self.rowCount() - 1, 1, QTableWidgetItem(""))
            self.blockSignals(False)


class RequestPane(QWidget):
    """``RequestPane(db, runner, controller)``; ``set_code(text)`` follows the editor. ``answered`` is
    emitted with each ``ControllerResponse`` shown."""

    answered = Signal(object)
    route_changed = Signal()   # the row's method, path or requires_auth were written

    def __init__(self, db, runner, controller: ControllerRow, saved: SavedRequests | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("request-pane")
        self.db, self.runner, self.controller = db, runner, controller
        self.saved_store = saved or SavedRequests()
        self.saved = self.saved_store.load(controller.id)
        self.code = controller.handler_code
        self.response: ControllerResponse | None = None
        self._build()
        self.set_request(ControllerRequest(controller.method.upper(), example_target(controller.path)))
        self._fill_saved()

    # -- building ------------------------------------------------------------------------------
    def stop(self) -> None:
        """The window is closing: nothing runs on after it (answers still on their way are dropped)."""
        self.setEnabled(False)

    def _build(self) -> None:
        self.method = QComboBox()
        self.method.addItems(list(HTTP_METHODS))
        self.target = QLineEdit()
        self.target.setFont(MONO)
        self.target.setPlaceholderText("/path/after/exec?query=1")
        self.role = QComboBox()
        self.role.addItems(list(ROLES))
        self.role.setToolTip("Who the request is signed in as (req.user); anonymous: req.user is undefined")
        self.send_button = QPushButton("Send")
        self.send_button.setToolTip("Send the request (Ctrl+Return)")
        self.send_button.clicked.connect(self.send)
        line = QHBoxLayout()
        for widget, stretch in ((self.method, 0), (self.target, 1), (self.role, 0), (self.send_button, 0)):
            line.addWidget(widget, stretch)
        self.route = QLabel()
        self.route.setObjectName("route-line")
        self.route.setWordWrap(True)
        self.route.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.route_button = QPushButton("Edit route…")
        self.route_button.setToolTip("Change this controller's method, path and requires_auth")
        self.route_button.clicked.connect(self.edit_route)
        route_line = QHBoxLayout()
        route_line.addWidget(self.route, 1)
        route_line.addWidget(self.route_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self._saved_line())
        layout.addLayout(line)
        layout.addLayout(route_line)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._request_tabs())
        splitter.addWidget(self._response_box())
        splitter.setSizes([220, 400])
        layout.addWidget(splitter, 1)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.send, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._show_route()

    def _saved_line(self) -> QHBoxLayout:
        self.saved_box = QComboBox()
        self.saved_box.setMinimumContentsLength(8)
        self.saved_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.saved_box.activated.connect(self._load_saved)
        save, delete = QPushButton("Save…"), QPushButton("Delete")
        save.setToolTip("Keep this request under a name, for this controller")
        save.clicked.connect(self.save_request)
        delete.clicked.connect(self.delete_request)
        line = QHBoxLayout()
        line.addWidget(QLabel("Saved:"))
        line.addWidget(self.saved_box, 1)
        line.addWidget(save)
        line.addWidget(delete)
        return line

    def _request_tabs(self) -> QTabWidget:
        self.query = PairTable("Query")
        self.headers = PairTable("Header")
        self.body = QPlainTextEdit()
        self.body.setFont(MONO)
        self.body.setPlaceholderText('{"key": "value"}   (JSON object or array; empty: req.body is {})')
        tabs = QTabWidget()
        tabs.addTab(self.body, "Body")
        tabs.addTab(self.query, "Query")
        tabs.addTab(self.headers, "Headers")
        self.request_tabs = tabs
        return tabs

    def _response_box(self) -> QWidget:
        self.status = QLabel("Not sent yet")
        self.status.setObjectName("response-status")
        self.status.setWordWrap(True)  # the URL is long: it wraps rather than widening the pane
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.response_body = QPlainTextEdit(readOnly=True)
        self.response_body.setFont(MONO)
        self.console = QPlainTextEdit(readOnly=True)
        self.console.setFont(MONO)
        self.notes = QPlainTextEdit(readOnly=True)
        self.response_tabs = QTabWidget()
        self.response_tabs.addTab(self.response_body, "Body")
        self.response_tabs.addTab(self.console, "Console")
        self.response_tabs.addTab(self.notes, "Storefront notes")
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.response_tabs, 1)
        return box

    # -- the request -----------------------------------------------------------------------------
    def request(self) -> ControllerRequest:
        return ControllerRequest(self.method.currentText(), self.target.text().strip() or "/", self.query.pairs(),
                                 self.headers.pairs(), self.body.toPlainText(), self.role.currentText())

    def set_request(self, request: ControllerRequest) -> None:
        method = request.method.upper()
        self.method.setCurrentText(method if method in HTTP_METHODS else "GET")
        self.target.setText(request.target)
        self.query.set_pairs(request.query)
        self.headers.set_pairs(request.headers)
        self.body.setPlainText(request.body)
        self.role.setCurrentText(request.role)

    def set_code(self, code: str) -> None:
        """The editor's text: what Send runs for this controller (saved or not)."""
        self.code = code

    def set_controller(self, controller: ControllerRow) -> None:
        """The row changed (saved, re-routed): route line and clash warnings follow."""
        self.controller = controller
        self._show_route()

    def _show_route(self, clashes: list[str] | None = None) -> None:
        row = self.controller
        lock = " · requires_auth (the platform's exec route does not check it)" if row.requires_auth else ""
        text = f"Answers {row.method} {row.path}{lock}"
        if clashes:
            text += "\n⚠ " + "\n⚠ ".join(clashes)
        self.route.setText(text)

    def edit_route(self) -> None:
        """Ask for the method, path and requires_auth; write them to the row; ``route_changed`` after."""
        from plugin_studio.ui.controllers.route_dialog import RouteDialog

        dialog = RouteDialog(self.controller, self)
        if dialog.exec() != RouteDialog.DialogCode.Accepted:
            return
        changes = dialog.changes()
        row = self.controller
        self.db.submit_write(controllers.update_controller, row.id, row.plugin_id, changes,
                             action=f"change the route of {row.controller_name}",
                             on_done=lambda _r: self._route_saved(changes),
                             on_error=lambda e: self._show_refusal(f"route not changed: {e}"))

    def _route_saved(self, changes: dict) -> None:
        self.set_controller(dataclasses.replace(self.controller, **changes))
        self.target.setText(example_target(self.controller.path))
        self.method.setCurrentText(self.controller.method)
        self.route_changed.emit()

    # -- sending -----------------------------------------------------------------------------------
    def send(self) -> None:
        request = self.request()
        try:
            check_body(request.body)
        except RequestError as exc:
            self._show_refusal(str(exc))
            return
        self.send_button.setEnabled(False)
        self.status.setText("Sending…")
        self.db.submit(request_context, self.controller.plugin_id,
                       on_done=lambda context: self._run(context, request),
                       on_error=self._show_failure)

    def _run(self, context: RequestContext, request: ControllerRequest) -> None:
        context = self._with_editor_code(context)
        self._show_route([c.message for c in route_clashes(context.controllers)
                          if self.controller.id in (c.first.id, c.second.id)])
        self.runner.submit(_send, context, request, owner=self, title="Send request",
                           on_done=self.show_response, on_error=self._show_failure)

    def _with_editor_code(self, context: RequestContext) -> RequestContext:
        rows = [dataclasses.replace(r, handler_code=self.code) if r.id == self.controller.id else r
                for r in context.controllers]
        mine = next((r for r in rows if r.id == self.controller.id), None)
        if mine is not None:
            self.controller = mine
        return dataclasses.replace(context, controllers=rows)

    def show_response(self, response: ControllerResponse) -> None:
        self.response = response
        self.send_button.setEnabled(True)
        status = "no answer (the handler's promise never settles)" if response.status is None else str(response.status)
        colour = STATUS_COLOURS.get((response.status or 500) // 100, "#374151")
        who = f"by {response.controller}" if response.controller else "no controller matched"
        self.status.setText(f"<b style='color:{colour}'>{status}</b> · {response.duration_ms:.0f} ms · {who}"
                            f" · {response.sent_by} · <span style='color:#6b7280'>{response.url}</span>")
        self.response_body.setPlainText(pretty_body(response))
        self.console.setPlainText("\n".join(f"[{c.get('level', 'log')}] {c.get('text', '')}" for c in response.console))
        self.notes.setPlainText(self._notes_text(response))
        self.response_tabs.setTabText(1, f"Console ({len(response.console)})")
        self.response_tabs.setTabText(2, f"Storefront notes ({len(response.notes)})")
        self.answered.emit(response)

    @staticmethod
    def _notes_text(response: ControllerResponse) -> str:
        lines = [f"• {n}" for n in response.notes]
        if response.error:
            where = f" (line {response.error.get('line')})" if response.error.get("line") else ""
            lines.insert(0, f"Error{where}: {response.error.get('message')}")
        return "\n".join(lines) or "The storefront answers this request the same way."

    def _show_refusal(self, message: str) -> None:
        self.status.setText(f"<b style='color:#b91c1c'>Not sent</b> · {message}")

    def _show_failure(self, error: Exception) -> None:
        self.send_button.setEnabled(True)
        self.status.setText(f"<b style='color:#b91c1c'>Failed</b> · {error}")

    # -- saved requests ------------------------------------------------------------------------------
    def _fill_saved(self) -> None:
        self.saved_box.clear()
        self.saved_box.addItem("(new request)")
        for item in self.saved:
            self.saved_box.addItem(item.name)

    def _load_saved(self, index: int) -> None:
        if index > 0:
            self.set_request(self.saved[index - 1].request)

    def save_request(self, name: str | None = None) -> None:
        """Keep the request under ``name`` (asked for when not given); a request of that name is replaced."""
        if name is None:
            current = self.saved_box.currentText() if self.saved_box.currentIndex() > 0 else ""
            name, ok = QInputDialog.getText(self, "Save request", "Name:", text=current or self.target.text())
            if not ok:
                return
        name = name.strip()
        if not name:
            return
        self.saved = [s for s in self.saved if s.name != name] + [SavedRequest(name, self.request())]
        self._write_saved(name)

    def delete_request(self) -> None:
        index = self.saved_box.currentIndex()
        if index > 0:
            del self.saved[index - 1]
            self._write_saved(None)

    def _write_saved(self, select: str | None) -> None:
        try:
            self.saved_store.save(self.controller.id, self.saved)
        except OSError as exc:
            self.status.setText(f"<b style='color:#b91c1c'>Requests not saved</b> · {exc.strerror or exc}")
        self._fill_saved()
        if select:
            self.saved_box.setCurrentText(select)


def attach(tab, db, runner, row: ControllerRow, on_saved: Callable[[], Any] | None = None) -> RequestPane:
    """The pane beside ``tab``'s editor, following its text."""
    pane = RequestPane(db, runner, row)
    tab.preview = pane
    attach_beside(tab, pane)
    pane.set_code(tab.text())
    tab.editor.modified.connect(lambda *_a: pane.set_code(tab.text()))
    return pane
