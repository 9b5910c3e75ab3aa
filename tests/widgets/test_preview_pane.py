"""The preview pane with a real worker process (runner lane → JsHost → dukpy) and real widgets."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton, QToolButton, QWidget

from plugin_studio.db import files
from plugin_studio.db.files import load_plugin_files
from plugin_studio.db.records import WidgetRow
from plugin_studio.runner.limits import Limits
from plugin_studio.ui.database import Database
from plugin_studio.ui.lanes import host_call, runner_lane
from plugin_studio.ui.preview.pane import WidgetPreviewPane

COUNTER = """function Counter({ config }) {
  const [n, setN] = React.useState(0);
  return React.createElement('div', { style: { display: 'flex', gap: 8 } },
    React.createElement('button', { onClick: () => setN(n + 1) }, 'Add'),
    React.createElement('span', null, 'Clicked ' + n + ' times'));
}"""


def widget_row(code: str, config=None, widget_id: str = "w") -> WidgetRow:
    return WidgetRow(id="local", plugin_id="p", widget_id=widget_id, widget_name=widget_id, description=None,
                     component_code=code, default_config=config or {}, category=None, icon=None,
                     preview_image=None, is_enabled=True)


def visible_texts(pane: WidgetPreviewPane) -> list[str]:
    """What the user reads in the preview, widget by widget, in creation order."""
    out = []
    for widget in pane.canvas.findChildren(QWidget):
        if not isinstance(widget, (QLabel, QPushButton, QLineEdit)) or not widget.isVisibleTo(pane.canvas):
            continue
        text = widget.text()
        text = re.sub(r"<[^>]+>", "", text).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        if text:
            out.append(f"{type(widget).__name__}:{text}")
    return out


def shows(pane: WidgetPreviewPane, fragment: str) -> bool:
    return any(fragment in t for t in visible_texts(pane))


@pytest.fixture
def bridge(request):
    # The test run's settings give plugin code a roomy time limit; a test of the limit gets the default.
    runner = runner_lane(Limits() if request.node.get_closest_marker("time_limit") else None)
    yield runner
    runner.cancel_all()
    runner.close()


@pytest.fixture
def pane(qtbot, bridge):
    view = WidgetPreviewPane(bridge)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    yield view
    view.stop()


def show(qtbot, pane, row: WidgetRow) -> None:
    with qtbot.waitSignal(pane.preview_updated):
        pane.show_widget(row)


def test_clicking_a_button_updates_the_label(qtbot, pane):
    show(qtbot, pane, widget_row(COUNTER))
    assert shows(pane, "Clicked 0 times")
    button = next(b for b in pane.canvas.findChildren(QPushButton) if b.text() == "Add")
    qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.waitUntil(lambda: shows(pane, "Clicked 1 times"))
    qtbot.mouseClick(next(b for b in pane.canvas.findChildren(QPushButton) if b.text() == "Add"), Qt.LeftButton)
    qtbot.waitUntil(lambda: shows(pane, "Clicked 2 times"))
    assert "onClick on <button>" in pane.actions.toPlainText()


def test_jsx_widget_looks_like_its_create_element_twin(qtbot, bridge):
    jsx = """export default function Card({ config }) {
  return (
    <section style={{ padding: 12, border: '1px solid #ddd' }}>
      <h3>{config.title}</h3>
      <p>Items: <strong>{2}</strong></p>
      <button onClick={() => {}}>Open</button>
    </section>
  );
}"""
    twin = """function Card({ config }) {
  return React.createElement('section', { style: { padding: 12, border: '1px solid #ddd' } },
    React.createElement('h3', null, config.title),
    React.createElement('p', null, 'Items: ', React.createElement('strong', null, 2)),
    React.createElement('button', { onClick: () => {} }, 'Open'));
}"""
    panes, shown = [], []
    for code in (jsx, twin):
        view = WidgetPreviewPane(bridge)
        qtbot.addWidget(view)
        view.resize(700, 500)
        view.show()
        with qtbot.waitSignal(view.preview_updated) as answer:
            view.show_widget(widget_row(code, {"title": "Hello"}))
        panes.append(view)
        shown.append(view.canvas.control(answer.args[0]["tree"][0]["id"]))
    assert visible_texts(panes[0]) == visible_texts(panes[1])
    assert "NodeLabel:Items: 2" in visible_texts(panes[0])
    assert shown[0].grab().toImage() == shown[1].grab().toImage()
    assert panes[0].storefront_note.isVisible() and "it is JSX" in panes[0].storefront_note.text()
    assert not panes[1].storefront_note.isVisible()
    for view in panes:
        view.stop()


def test_a_throwing_component_shows_the_storefronts_box_the_overlay_and_recovers(qtbot, pane):
    show(qtbot, pane, widget_row(COUNTER))
    broken = COUNTER.replace("'Clicked ' + n + ' times'", "config.missing.deep")
    pane.set_code(broken)
    qtbot.waitUntil(lambda: pane.overlay.isVisible())
    assert "deep" in pane.overlay.message.text()
    assert pane.overlay.line == 5
    assert shows(pane, "Widget crashed: cannot read property"), "what the storefront shows"
    with qtbot.waitSignal(pane.error_line_clicked) as clicked:
        pane.overlay.message.linkActivated.emit(f"line:{pane.overlay.line}")
    assert clicked.args == [5]
    pane.set_code(COUNTER.replace("'Clicked '", "'Pressed '"))
    qtbot.waitUntil(lambda: shows(pane, "Pressed 0 times"))  # the new render, not only a hidden overlay
    assert not pane.overlay.isVisible()


def test_syntax_error_points_at_its_line(qtbot, pane):
    show(qtbot, pane, widget_row(COUNTER))
    pane.set_code(COUNTER.replace("const [n, setN]", "const [n, setN] = ;"))
    qtbot.waitUntil(lambda: pane.overlay.isVisible())
    assert pane.overlay.line == 2
    assert "compile" in pane.overlay.message.text().lower()


def test_edit_keeps_state_when_hooks_are_unchanged(qtbot, pane):
    show(qtbot, pane, widget_row(COUNTER))
    qtbot.mouseClick(pane.canvas.findChildren(QPushButton)[0], Qt.LeftButton)
    qtbot.waitUntil(lambda: shows(pane, "Clicked 1 times"))
    pane.set_code(COUNTER.replace("' times'", "' times!'"))
    qtbot.waitUntil(lambda: shows(pane, "Clicked 1 times!"))
    assert "state kept" in pane.status.text()


def test_starter_widget_counts_window_events_from_the_events_tab(qtbot, pane, conn, cart_viewer):
    row = next(w for w in load_plugin_files(conn, cart_viewer).widgets if w.widget_id == "cart-visit-counter")
    show(qtbot, pane, row)
    assert shows(pane, "Cart visits: 0") and shows(pane, "Cart Viewer")
    pane.window_event.setCurrentText("cart-viewed")
    dispatch = next(b for b in pane.findChildren(QPushButton) if b.text() == "Dispatch")
    for _ in range(2):
        qtbot.mouseClick(dispatch, Qt.LeftButton)
    qtbot.waitUntil(lambda: shows(pane, "Cart visits: 2"))
    pane.platform_event.setCurrentText("cart.viewed")
    with qtbot.waitSignal(pane.platform_event_requested) as emitted:
        qtbot.mouseClick(next(b for b in pane.findChildren(QPushButton) if b.text() == "Emit"), Qt.LeftButton)
    assert emitted.args == ["cart.viewed", {}]
    qtbot.waitUntil(lambda: shows(pane, "Cart visits: 3"))
    assert "window event 'cart-viewed' → 1 listener(s)" in pane.actions.toPlainText()


def test_config_form_changes_props_and_bad_json_is_refused(qtbot, pane, conn, cart_viewer):
    row = next(w for w in load_plugin_files(conn, cart_viewer).widgets if w.widget_id == "cart-visit-counter")
    show(qtbot, pane, row)
    pane.config_edit.setPlainText('{"title": "Basket", "accent": "#059669"}')
    qtbot.mouseClick(next(b for b in pane.findChildren(QPushButton) if b.text() == "Apply"), Qt.LeftButton)
    qtbot.waitUntil(lambda: shows(pane, "Basket"))
    pane.config_edit.setPlainText('{"title": ')
    qtbot.mouseClick(next(b for b in pane.findChildren(QPushButton) if b.text() == "Apply"), Qt.LeftButton)
    assert "not valid JSON" in pane.props_error.text()
    assert pane.config_edit.toPlainText() == '{"title": ', "the typed text is kept"
    qtbot.mouseClick(next(b for b in pane.findChildren(QPushButton) if b.text() == "Reset to default"), Qt.LeftButton)
    qtbot.waitUntil(lambda: shows(pane, "Cart Viewer"))


def test_typing_into_a_controlled_input_keeps_focus(qtbot, pane):
    code = """function Greeter() {
  const [name, setName] = React.useState('');
  return React.createElement('div', null,
    React.createElement('input', { value: name, onChange: e => setName(e.target.value.toUpperCase()) }),
    React.createElement('p', null, 'Hi ' + name));
}"""
    show(qtbot, pane, widget_row(code))
    field = pane.canvas.findChildren(QLineEdit)[0]
    field.setFocus()
    qtbot.keyClicks(field, "ada")
    qtbot.waitUntil(lambda: shows(pane, "Hi ADA"))
    # A re-render replaces the input; the old one stays a hidden child until Qt deletes it.
    field = next(w for w in pane.canvas.findChildren(QLineEdit) if w.isVisible())
    assert field.text() == "ADA"
    assert pane.window().focusWidget() is field, "the re-rendered input has the focus back"
    assert field.cursorPosition() == 3


def test_timers_follow_real_time(qtbot, pane):
    code = """function Ticker() {
  const [t, setT] = React.useState(0);
  React.useEffect(() => { const id = setInterval(() => setT(x => x + 1), 40); return () => clearInterval(id); }, []);
  return React.createElement('span', null, 'tick ' + t);
}"""
    show(qtbot, pane, widget_row(code))
    qtbot.waitUntil(lambda: shows(pane, "tick 3"))


@pytest.mark.time_limit
def test_endless_loop_is_stopped_and_the_preview_recovers(qtbot, pane):
    show(qtbot, pane, widget_row(COUNTER))
    pane.set_code("function W() { while (true) {} }")
    qtbot.waitUntil(lambda: pane.overlay.isVisible())
    assert "time limit" in pane.overlay.message.text()
    pane.set_code(COUNTER)
    qtbot.waitUntil(lambda: not pane.overlay.isVisible() and shows(pane, "Clicked 0 times"))


class _Browser(QObject):
    """Stands in for the system browser: records what QDesktopServices was asked to open."""

    def __init__(self):
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open_url(self, url: QUrl) -> None:
        self.opened.append(url.toLocalFile())


@pytest.fixture
def browser():
    catcher = _Browser()
    QDesktopServices.setUrlHandler("file", catcher, "open_url")
    yield catcher
    QDesktopServices.unsetUrlHandler("file")


@pytest.fixture
def database(qtbot, dsn):
    db = Database()
    with qtbot.waitSignal(db.connected):
        db.open(dsn)
    yield db
    db.stop()


def test_open_in_browser_writes_a_page_with_the_widget_react_and_the_plugins_css(qtbot, bridge, database, browser,
                                                                                  conn, cart_viewer):
    files.create_script(conn, cart_viewer, "styles/theme.css", ".cart { color: #6d28d9 }")
    row = next(w for w in load_plugin_files(conn, cart_viewer).widgets if w.widget_id == "cart-visit-counter")
    view = WidgetPreviewPane(bridge, database)
    qtbot.addWidget(view)
    view.show()
    show(qtbot, view, row)
    button = next(b for b in view.findChildren(QToolButton) if b.text() == "Open in browser")
    with qtbot.waitSignal(view.browser.opened):
        qtbot.mouseClick(button, Qt.LeftButton)
    page = Path(browser.opened[0]).read_text(encoding="utf-8")
    assert '<style data-file="styles/theme.css">\n.cart { color: #6d28d9 }' in page
    assert "react.development.js" in page and "react-dom.development.js" in page
    assert "CartVisitCounter" in page and '"title": "Cart Viewer"' in page
    assert "Widget crashed: " in page, "the storefront's error boundary comes along"
    view.stop()


def test_offline_first_use_says_why_and_the_rest_keeps_working(qtbot, bridge, monkeypatch, tmp_path):
    monkeypatch.setenv("PLUGIN_STUDIO_NPM_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("PLUGIN_STUDIO_NPM_REGISTRY", "http://127.0.0.1:9")
    view = WidgetPreviewPane(bridge)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.preview_updated) as failed:
        view.show_widget(widget_row(COUNTER))
    assert failed.args[0]["op"] == "failed"
    assert "is needed once from the npm registry" in view.overlay.message.text()
    assert "everything else keep working" in view.overlay.message.text()
    view.stop()


def test_a_pane_deleted_with_its_tab_unmounts_its_widget(qtbot, bridge):
    view = WidgetPreviewPane(bridge)
    view.show()
    code = """function W() {
      React.useEffect(() => { window.addEventListener('x', () => {}); }, []);
      return React.createElement('p', null, 'mounted');
    }"""
    show(qtbot, view, widget_row(code))
    root = view.session.root
    view.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(view))
    answers = []
    bridge.submit(host_call, "widget.event", {"root": root, "node": 1, "type": "click"}, owner=None,
                  on_done=answers.append)
    qtbot.waitUntil(lambda: bool(answers))
    assert answers[0].get("missing_root"), "the worker no longer holds the closed preview"


def test_typed_text_stays_with_its_input_when_rows_are_keyed_by_index(qtbot, pane):
    code = """function Todos() {
  const [todos, setTodos] = React.useState(['milk', 'eggs']);
  return React.createElement('div', null,
    todos.map((t, i) => React.createElement('div', { key: i },
      React.createElement('span', null, t), React.createElement('input', { placeholder: 'note' }))),
    React.createElement('button', { onClick: () => setTodos(todos.slice(1)) }, 'remove first'));
}"""
    show(qtbot, pane, widget_row(code))
    first = pane.canvas.findChildren(QLineEdit)[0]
    first.setFocus()
    qtbot.keyClicks(first, "for milk")
    qtbot.waitUntil(lambda: "input on <input>" in pane.actions.toPlainText())
    qtbot.mouseClick(next(b for b in pane.canvas.findChildren(QPushButton) if b.text() == "remove first"), Qt.LeftButton)
    qtbot.waitUntil(lambda: shows(pane, "NodeLabel:eggs") and not shows(pane, "NodeLabel:milk"))
    inputs = [w for w in pane.canvas.findChildren(QLineEdit) if w.isVisible()]
    assert [w.text() for w in inputs] == ["for milk"], "as in a browser: the note stayed in the first row, now eggs"
    assert shows(pane, "NodeLabel:eggs")


def test_a_controlled_checkbox_shows_what_react_keeps(qtbot, pane):
    code = """function Terms() {
  const [ok, setOk] = React.useState(false);
  const [locked] = React.useState(true);
  return React.createElement('div', null,
    React.createElement('input', { type: 'checkbox', checked: ok, onChange: e => setOk(e.target.checked) }),
    React.createElement('input', { type: 'checkbox', checked: locked, onChange: () => {} }),
    React.createElement('span', null, ok ? 'accepted' : 'not accepted'));
}"""
    show(qtbot, pane, widget_row(code))
    free, locked = pane.canvas.findChildren(QCheckBox)
    qtbot.mouseClick(free, Qt.LeftButton)
    qtbot.waitUntil(lambda: shows(pane, "NodeLabel:accepted"))
    qtbot.mouseClick(locked, Qt.LeftButton)
    qtbot.waitUntil(lambda: pane.actions.toPlainText().count("click on <input>") == 2)
    qtbot.waitUntil(locked.isChecked)  # React writes the controlled value back
