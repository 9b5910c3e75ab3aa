"""The scenario bar: which hook or event to run, as what, in which order, with which value, extra args
and canned fetch() responses (JSON).

Samples fill the value and args; scenarios are named sets of all of it, saved per plugin (the
pane stores them). The bar only reads and shows fields; ``request`` turns them into a
``RunRequest`` or raises ``InputError`` naming the field, line and column.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QMenu, QPlainTextEdit, QPushButton, QToolButton, QWidget,
)

from plugin_studio.models.chain import PRIORITY, STOREFRONT
from plugin_studio.models.debugger import (
    EVENT, HOOK, MODES, SAMPLES, InputError, Scenario, editable_json, parse_args, parse_fetch, parse_json,
)
from plugin_studio.ui.debugger.session import RunRequest
from plugin_studio.ui.debugger.stepping import mono


def _json_edit(placeholder: str, height: int) -> QPlainTextEdit:
    edit = QPlainTextEdit(placeholderText=placeholder)
    edit.setFont(mono())
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit


class ScenarioBar(QWidget):
    scenario_saved = Signal(object)     # Scenario
    scenario_deleted = Signal(str)      # scenario name
    input_rejected = Signal(str)        # why the fields can't make a scenario

    def __init__(self, parent=None):
        super().__init__(parent)
        self.name_combo = QComboBox(editable=True)
        self.name_combo.lineEdit().setPlaceholderText("hook or event name, e.g. product.price")
        self.name_combo.setMinimumContentsLength(16)
        self.mode_combo = QComboBox()
        self.mode_combo.addItems(MODES)
        self.mode_combo.setToolTip("filter: each return feeds the next · action: returns ignored · event: emit; "
                                   "objects pass by reference, as on the storefront")
        self.order_combo = QComboBox()
        self.order_combo.addItem("storefront", STOREFRONT)
        self.order_combo.addItem("documented", PRIORITY)
        self.order_combo.setToolTip("storefront: plugin by plugin, newest first, each plugin's handlers by priority "
                                    "(how App.jsx registers them) · documented: every handler by priority")
        self.samples_button = QToolButton(text="Samples", popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.samples_button)
        for sample in SAMPLES:
            action = QAction(sample, menu)
            action.triggered.connect(lambda _=False, s=sample: self.apply_sample(s))
            menu.addAction(action)
        self.samples_button.setMenu(menu)
        self.value_edit = _json_edit("value (JSON), e.g. 100", 66)
        self.args_edit = _json_edit("extra args (JSON array), e.g. [{\"id\": 1}]", 66)
        self.fetch_edit = _json_edit("canned fetch() responses, e.g. [{\"url\": \"/api/cart\", \"body\": {}}]", 66)
        self.fetch_edit.setToolTip("fetch() in the handlers gets these responses (by method and URL); any other "
                                   "request is rejected, as a failed request is in a browser")
        self.saved_combo = QComboBox()
        self.saved_combo.setPlaceholderText("saved scenarios")
        self.saved_combo.setMinimumContentsLength(10)
        self.scenario_name = QLineEdit(placeholderText="scenario name")
        self.scenario_name.setMinimumWidth(130)
        self.save_button = QPushButton("Save")
        self.delete_button = QPushButton("Delete")
        self._scenarios: list[Scenario] = []
        self._layout()
        self.saved_combo.activated.connect(self._on_saved_activated)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.mode_combo.currentTextChanged.connect(self._on_mode_changed)

    def _layout(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(3)
        top = QHBoxLayout()
        top.addWidget(self.name_combo, 2)
        top.addWidget(self.mode_combo)
        top.addWidget(self.order_combo)
        top.addWidget(self.samples_button)
        top.addSpacing(12)
        top.addWidget(self.saved_combo, 2)
        top.addWidget(self.scenario_name, 2)
        top.addWidget(self.save_button)
        top.addWidget(self.delete_button)
        grid.addLayout(top, 0, 0, 1, 6)
        grid.addWidget(QLabel("Value"), 1, 0)
        grid.addWidget(self.value_edit, 1, 1)
        grid.addWidget(QLabel("Args"), 1, 2)
        grid.addWidget(self.args_edit, 1, 3)
        grid.addWidget(QLabel("Fetch"), 1, 4)
        grid.addWidget(self.fetch_edit, 1, 5)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setColumnStretch(5, 1)

    # ---- fields ---------------------------------------------------------------------------------------
    def set_names(self, names: list[str]) -> None:
        text = self.name_combo.currentText()
        self.name_combo.blockSignals(True)
        self.name_combo.clear()
        self.name_combo.addItems(names)
        self.name_combo.setEditText(text)
        self.name_combo.blockSignals(False)

    def set_target(self, name: str, mode: str) -> None:
        self.name_combo.setEditText(name)
        self.mode_combo.setCurrentText(mode)

    def set_value(self, value, args: list | None = None) -> None:
        self.value_edit.setPlainText(editable_json(value))
        self.args_edit.setPlainText(editable_json(args or []))

    def apply_sample(self, sample: str) -> None:
        value, args = SAMPLES[sample]
        self.set_value(value, args)

    def request(self, plugin_id: str | None) -> RunRequest:
        name = self.name_combo.currentText().strip()
        if not name:
            raise InputError("Type the name of a hook or event to run")
        mode = self.mode_combo.currentText()
        value = parse_json(self.value_edit.toPlainText(), "Value")
        args = parse_args(self.args_edit.toPlainText())
        fetch = parse_fetch(self.fetch_edit.toPlainText())
        return RunRequest(EVENT if mode == "event" else HOOK, mode, name, value, args, plugin_id,
                          self.order_combo.currentData(), {"fetch": fetch} if fetch else {})

    def set_order(self, order: str) -> None:
        self.order_combo.setCurrentIndex(max(0, self.order_combo.findData(order)))

    def set_fetch(self, responses: list) -> None:
        self.fetch_edit.setPlainText(editable_json(responses) if responses else "")

    def _on_mode_changed(self, mode: str) -> None:
        self.value_edit.setToolTip("an action gets the value first, then the extra args (do(name, value, ...args))"
                                   if mode == "action" else "")

    # ---- saved scenarios --------------------------------------------------------------------------------
    def set_scenarios(self, scenarios: list[Scenario]) -> None:
        self._scenarios = list(scenarios)
        self.saved_combo.clear()
        self.saved_combo.addItems([s.name for s in scenarios])
        self.saved_combo.setCurrentIndex(-1)
        self.delete_button.setEnabled(bool(scenarios))

    def scenarios(self) -> list[Scenario]:
        return list(self._scenarios)

    def apply_scenario(self, scenario: Scenario) -> None:
        self.set_target(scenario.hook_name, scenario.mode)
        self.set_value(scenario.value, scenario.args)
        self.set_order(scenario.order)
        self.set_fetch(scenario.fetch)
        self.scenario_name.setText(scenario.name)

    def current_scenario(self) -> Scenario:
        request = self.request(None)
        name = self.scenario_name.text().strip() or f"{request.name} scenario"
        return Scenario(name, request.target, request.name, request.mode, request.value, request.args, request.order,
                        request.env.get("fetch", []))

    def _on_saved_activated(self, index: int) -> None:
        if 0 <= index < len(self._scenarios):
            self.apply_scenario(self._scenarios[index])

    def _on_save_clicked(self) -> None:
        try:
            self.scenario_saved.emit(self.current_scenario())
        except InputError as exc:
            self.input_rejected.emit(str(exc))

    def _on_delete_clicked(self) -> None:
        name = self.saved_combo.currentText() or self.scenario_name.text().strip()
        if name:
            self.scenario_deleted.emit(name)
